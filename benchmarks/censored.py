"""A Weibull fit of 1e6 observations, 30% right-censored, against lifelines and scipy.

``python -m benchmarks.censored [--n N] [--repeats R] [--json PATH]``. The same data go to
gaussfit (``fit`` of ``Observations``, Newton on the engine's Hessian), scipy
(``weibull_min.fit(CensoredData.right_censored(...), floc=0)``) and, when it is installed,
lifelines (``WeibullFitter().fit(durations, event_observed)``), in this one process; each
answer's log-likelihood is then computed by the same scipy expression (sum of ``logpdf`` over
the events and ``logsf`` over the censored times), so "as good or better" compares like with
like. Times are medians of ``repeats`` runs (after one warm-up fit on a small sample).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats


def censored_sample(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Weibull(shape 1.5, scale 3) lifetimes censored by uniform follow-up on (0, 9.2):
    about 30% right-censored. Returns the observed times and the event indicator."""
    rng = np.random.default_rng(seed)
    lifetime = 3.0 * rng.weibull(1.5, n)
    follow_up = rng.uniform(0.0, 9.2, n)
    return np.minimum(lifetime, follow_up), lifetime <= follow_up


def loglik(time: np.ndarray, event: np.ndarray, shape: float, scale: float) -> float:
    dist = stats.weibull_min(c=shape, scale=scale)
    return float(np.sum(dist.logpdf(time[event])) + np.sum(dist.logsf(time[~event])))


def _gaussfit(time: np.ndarray, event: np.ndarray) -> tuple[float, float]:
    import gaussfit
    from gaussfit.data.observations import Observations

    obs = Observations(time, np.where(event, time, np.inf))
    result = gaussfit.fit(obs, "weibull", references=False, gof=False)
    return result.params["shape"], result.params["scale"]


def _scipy(time: np.ndarray, event: np.ndarray) -> tuple[float, float]:
    shape, _, scale = stats.weibull_min.fit(stats.CensoredData.right_censored(time, ~event), floc=0)
    return float(shape), float(scale)


def _lifelines(time: np.ndarray, event: np.ndarray) -> tuple[float, float]:
    from lifelines import WeibullFitter

    fitter = WeibullFitter().fit(time, event_observed=event.astype(int))
    return float(fitter.rho_), float(fitter.lambda_)


def _time(fn: Callable[[], tuple[float, float]], repeats: int) -> tuple[float, tuple]:
    samples, answer = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        answer = fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), answer


def censored_section(n: int, repeats: int, seed: int = 0) -> dict[str, Any]:
    """Seconds and log-likelihood of each fitter on the same censored sample."""
    t, event = censored_sample(n, seed)
    fitters = {"gaussfit": _gaussfit, "scipy": _scipy}
    try:
        import lifelines  # noqa: F401

        fitters["lifelines"] = _lifelines
    except ImportError:
        pass
    rows = {}
    for name, fn in fitters.items():
        fn(t[:2000], event[:2000])  # imports and first-use costs are not timed
        seconds, (shape, scale) = _time(lambda fn=fn: fn(t, event), repeats)
        rows[name] = {
            "seconds": seconds,
            "shape": shape,
            "scale": scale,
            "loglik": loglik(t, event, shape, scale),
        }
    ours = rows["gaussfit"]
    for row in rows.values():
        row["ratio"] = row["seconds"] / ours["seconds"]
        row["loglik_minus_gaussfit"] = row["loglik"] - ours["loglik"]
    return {"n": n, "censored_fraction": float(1.0 - event.mean()), "fitters": rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args(argv)
    result = censored_section(args.n, args.repeats)
    print(f"Weibull, n = {result['n']:,}, {100 * result['censored_fraction']:.1f}% right-censored")
    print(f"{'fitter':<10} {'seconds':>9} {'× gaussfit':>11} {'log-lik':>18} {'Δ log-lik':>11}")
    for name, row in result["fitters"].items():
        print(
            f"{name:<10} {row['seconds']:>9.3f} {row['ratio']:>10.1f}× {row['loglik']:>18.6f} "
            f"{row['loglik_minus_gaussfit']:>11.2e}"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
