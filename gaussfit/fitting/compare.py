"""``compare``: fit several families to one data set and rank them by AIC.

With ``dists="all"`` only the families whose support contains the data are tried (counts get
the discrete families, positive data the positive families, data inside (0, 1) the beta), and
each fit gets a time budget so one slow family cannot stall the rest. A family that fails is
reported with its error; the others go on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gaussfit.distributions import FAMILIES, Family, get_family
from gaussfit.errors import ConfigError, GaussfitError
from gaussfit.fitting.data_checks import as_values
from gaussfit.fitting.fit import fit
from gaussfit.fitting.result import FitResult, json_safe
from gaussfit.fitting.streamed import StreamedData, as_streamed

DEFAULT_TIME_BUDGET = 60.0


@dataclass(repr=False)
class CompareResult:
    """Fits ranked best first by AIC, and the families that could not be fitted."""

    ranking: list[FitResult]
    errors: dict[str, Exception] = field(default_factory=dict)

    def __repr__(self) -> str:
        order = ", ".join(r.distribution for r in self.ranking)
        failed = f"; failed: {', '.join(self.errors)}" if self.errors else ""
        return f"<CompareResult ranked by AIC: {order}{failed}>"

    def __str__(self) -> str:
        """The ranking ``gaussfit compare`` prints."""
        from gaussfit.report.screen import compare_text

        return compare_text(self)

    @property
    def failed(self) -> dict[str, str]:
        """Each family that could not be fitted, with the one-line reason."""
        return {name: str(error) for name, error in self.errors.items()}

    @property
    def best(self) -> FitResult | None:
        return self.ranking[0] if self.ranking else None

    def akaike_weights(self) -> list[float]:
        """exp(-ΔAIC/2), normalised: the relative support of each family."""
        if not self.ranking:
            return []
        best = self.ranking[0].aic
        raw = [math.exp(-0.5 * (r.aic - best)) for r in self.ranking]
        total = sum(raw)
        return [v / total for v in raw]

    def to_dict(self) -> dict[str, Any]:
        ranking = []
        for fit_result, weight in zip(self.ranking, self.akaike_weights(), strict=True):
            item = fit_result.to_dict()
            item["delta_aic"] = fit_result.aic - self.ranking[0].aic
            item["akaike_weight"] = weight
            ranking.append(item)
        return json_safe(
            {
                "ranking": ranking,
                "failed": [{"distribution": k, "error": v} for k, v in self.failed.items()],
            }
        )


def candidate_families(x: np.ndarray) -> list[str]:
    """The families whose support contains every value of ``x``."""
    names = []
    for name in FAMILIES:
        family = get_family(name)
        if np.any(family.support.violations(x)):
            continue
        names.append(name)
    return names


def compare(
    data: Any,
    dists: str | list[str | Family] = "all",
    *,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
    **options: Any,
) -> CompareResult:
    """Fit each family in ``dists`` (a list of names or ``Family`` objects, a comma-separated
    string, or ``"all"``). A family whose fit fails, for whatever reason, is recorded in
    ``errors`` and the others go on. ``data`` may also be a Dask array or a chunked file
    (``gaussfit.data.chunked_csv``); it is then persisted or scanned once for all families."""
    streamed, owned = as_streamed(data, options.get("weights"))
    if streamed is not None:
        options = {k: v for k, v in options.items() if k != "weights"}
    try:
        return _compare(
            streamed if streamed is not None else data, streamed, dists, time_budget, options
        )
    finally:
        if streamed is not None and owned:
            streamed.close()


def _compare(
    data: Any,
    streamed: StreamedData | None,
    dists: str | list[str | Family],
    time_budget: float | None,
    options: dict[str, Any],
) -> CompareResult:
    x = as_values(getattr(data, "values", data)) if streamed is None else None
    names: list[str | Family]
    if isinstance(dists, str):
        if dists.strip().lower() != "all":
            names = [d.strip() for d in dists.split(",") if d.strip()]
        elif x is not None:
            names = list(candidate_families(x))
        else:
            assert streamed is not None
            names = list(streamed.supports([get_family(name) for name in FAMILIES]))
    else:
        names = list(dists)
    if not names:
        raise ConfigError("no families to compare")
    families: dict[str, Family] = {}
    for name in names:
        family = name if isinstance(name, Family) else get_family(name)
        families.setdefault(family.name, family)
    results: list[FitResult] = []
    errors: dict[str, Exception] = {}
    for name, family in families.items():
        try:
            results.append(fit(data, family, time_budget=time_budget, **options))
        except GaussfitError as exc:
            errors[name] = exc
        except Exception as exc:
            errors[name] = RuntimeError(f"internal error: {type(exc).__name__}: {exc}")
    results.sort(key=lambda r: r.aic)
    return CompareResult(results, errors)
