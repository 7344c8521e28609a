"""Coverage of the intervals of censored fits, by simulation.

``python -m benchmarks.censored_coverage [--reps R] [--n N] [--json PATH]``. Each repetition
draws N lifetimes (a Weibull of shape 1.5 and scale 2, and an exponential of rate 0.5)
censored by uniform follow-up on (0.5, 5) (about 30% right-censored), fits them, and records
whether each 95% interval holds the truth: the delta-method interval of the median and of
P(X > 2), and the profile-likelihood interval of every parameter. Well-calibrated intervals
cover 93-97% of the time over a few hundred repetitions (the Monte Carlo error of a 95%
coverage over 300 repetitions is 1.3%).
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

import gaussfit
from gaussfit.data.observations import Observations

TRUTH = {
    "weibull": ({"shape": 1.5, "scale": 2.0}, stats.weibull_min(1.5, scale=2.0)),
    "exponential": ({"rate": 0.5}, stats.expon(scale=2.0)),
}


def coverage(family: str, reps: int, n: int, seed: int) -> dict[str, Any]:
    """Share of ``reps`` seeded samples whose intervals cover the truth."""
    params, dist = TRUTH[family]
    targets = {"median": float(dist.median()), "P(X > 2)": float(dist.sf(2.0))}
    hits: dict[str, int] = {}
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    for _ in range(reps):
        t = dist.rvs(size=n, random_state=rng)
        c = rng.uniform(0.5, 5.0, n)
        y = np.minimum(t, c)
        obs = Observations(y, np.where(t <= c, y, np.inf))
        fit = gaussfit.fit(
            obs, family, quantiles=[0.5], prob_above=[2.0], ci="profile", references=False
        )
        checks = {
            "delta median": fit.quantiles[0]["ci95"],
            "delta P(X > 2)": fit.prob_above[0]["ci95"],
            **{f"profile {k}": fit.profile_ci95[k] for k in params},
        }
        truth = {
            "delta median": targets["median"],
            "delta P(X > 2)": targets["P(X > 2)"],
            **{f"profile {k}": v for k, v in params.items()},
        }
        for name, interval in checks.items():
            low, high = interval
            low = -math.inf if low is None else low
            high = math.inf if high is None else high
            hits[name] = hits.get(name, 0) + int(low <= truth[name] <= high)
    return {
        "family": family,
        "reps": reps,
        "n": n,
        "coverage": {name: count / reps for name, count in hits.items()},
        "seconds": time.perf_counter() - started,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=300)
    parser.add_argument("--n", type=int, default=80)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    results = [coverage(family, args.reps, args.n, seed) for seed, family in enumerate(TRUTH)]
    for result in results:
        rows = ", ".join(f"{k} {v:.1%}" for k, v in result["coverage"].items())
        print(f"{result['family']}: n = {result['n']}, {result['reps']} repetitions: {rows}")
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
