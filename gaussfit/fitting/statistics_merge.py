"""Combine the sufficient statistics of consecutive pieces of data into those of the whole.

Families state their statistics as weighted totals (``n``, ``sum_*``) or, where a one-pass sum
of squares would lose digits, as a mean and a variance about it (``mean``/``var``,
``mean_log``/``var_log``). Totals add; a mean and variance pair combines by Chan's pairwise
update, which keeps the digits the families' two-pass moments kept. A statistic of any other
kind is refused rather than combined wrongly.
"""

from __future__ import annotations


def merge_statistics(first: dict[str, float], second: dict[str, float]) -> dict[str, float]:
    """The statistics of the data behind ``first`` followed by the data behind ``second``."""
    n1, n2 = first["n"], second["n"]
    total = n1 + n2
    out: dict[str, float] = {}
    for key in first:
        if key == "n" or key.startswith("sum_"):
            out[key] = first[key] + second[key]
        elif key.startswith("mean"):
            var_key = "var" + key[len("mean") :]
            delta = second[key] - first[key]
            out[key] = first[key] + delta * (n2 / total) if total > 0 else first[key]
            spread = n1 * first[var_key] + n2 * second[var_key] + delta * delta * n1 * n2 / total
            out[var_key] = spread / total if total > 0 else 0.0
        elif not key.startswith("var") or "mean" + key[len("var") :] not in first:
            raise ValueError(f"cannot combine the sufficient statistic '{key}' across pieces")
    return out
