"""Issue 7's targets, checked against one run's ratios (reported, never asserted)."""

from __future__ import annotations

from typing import Any


def check(results: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def add(name: str, measured: float | None, limit: str, met: bool | None) -> None:
        out.append({"target": name, "measured": measured, "limit": limit, "met": met})

    rows = results.get("step", {}).get("rows", [])
    for row in rows:
        n, ratio = row["n"], row["engine_vs_numpy"]
        if n >= 100_000:
            add(f"engine step ≤ 1.3× numpy at N={n:g}", ratio, "1.3", ratio <= 1.3)
        elif n == 1000:
            add(f"engine step ≤ 3× numpy at N={n:g}", ratio, "3", ratio <= 3)
    for row in rows:
        if row["n"] >= 1_000_000:
            fused = row.get("fused_vs_read")
            met = None if fused is None else fused <= 2
            add(f"fused (numba) step ≤ 2× read-once at N={row['n']:g}", fused, "2", met)
    for row in results.get("fit", {}).get("rows", []):
        if row["family"] in ("gamma", "weibull", "student_t") and row["n"] >= 1_000_000:
            speedup = row.get("speedup") or row.get("speedup_at_least")
            gain = row.get("loglik_gain")
            higher = gain is None or gain >= -1e-9 * abs(row["gaussfit_loglik"])
            add(
                f"fit {row['family']} ≥ 10× faster than scipy at N={row['n']:g}, loglik ≥",
                speedup,
                "10",
                speedup is not None and speedup >= 10 and higher,
            )
    for row in results.get("gof", {}).get("bootstrap", []):
        add(
            f"bootstrap GOF {row['family']} n={row['n']}, B={row['resamples']}: ≥ 20× scipy",
            row["speedup"],
            "20",
            row["speedup"] >= 20,
        )
    csv = results.get("csv", {})
    if csv.get("rows", 0) >= 10_000_000:
        ratio = csv.get("gaussfit_vs_pandas")
        add("CSV ≤ 1.3× pandas at 1e7 rows", ratio, "1.3", ratio is not None and ratio <= 1.3)
        peak = csv.get("gaussfit_peak_vs_file")
        add("CSV peak memory < 3× the file", peak, "3", peak is not None and peak < 3)
    startup = results.get("startup", {})
    if "engine_vs_numpy" in startup:
        ratio = startup["engine_vs_numpy"]
        add("import gaussfit.engine ≤ 1.5× import numpy", ratio, "1.5", ratio <= 1.5)
    if "cli_help_s" in startup:
        help_s = startup["cli_help_s"]
        add("gaussfit --help < 0.3 s", help_s, "0.3 s", help_s < 0.3)
    if "fit_lab_vs_numpy" in startup:
        ratio = startup["fit_lab_vs_numpy"]
        add("gaussfit fit data/seed_lab.csv ≤ 3× python -c 'import numpy'", ratio, "3", ratio <= 3)
    e2e = results.get("e2e", {})
    for row in e2e.get("defaults", []):
        if row["n"] < 1_000_000:
            continue
        speedup = row.get("speedup") or row.get("speedup_at_least")
        need = 1.0 if row["family"] == "gamma" else 10.0
        add(
            f"fit({row['family']}) with defaults at 1e6 ≥ {need:g}× scipy's fit",
            speedup,
            f"{need:g}",
            speedup is not None and speedup >= need,
        )
    csv_e2e = e2e.get("csv", {})
    if csv_e2e.get("rows", 0) >= 10_000_000:
        for key, what in (("time_ratio", "time"), ("memory_ratio", "peak memory")):
            value = csv_e2e[key]
            add(f"fit big.csv --dist gamma (1e7 rows): {what} ≤ 1.2× pandas + scipy", value,
                "1.2", value <= 1.2)  # fmt: skip
    compare = e2e.get("compare", {})
    if "ratio" in compare and compare["n"] >= 100_000 and compare.get("dists") == "all":
        value = compare["ratio"]
        add("compare --dists all at 1e5 ≤ 0.5× fitter's time", value, "0.5", value <= 0.5)
    for row in e2e.get("mixtures", []):
        if "ratio" in row and row["n"] >= 100_000:
            higher = row["gaussfit_loglik"] >= row["sklearn_loglik"] - 1e-6 * abs(
                row["sklearn_loglik"]
            )
            add(
                f"normal_mixture k={row['k']} at 1e5 ≤ 1× GaussianMixture's time, loglik ≥",
                row["ratio"],
                "1",
                row["ratio"] <= 1.0 and higher,
            )
    for row in results.get("loop", {}).get("rows", []):
        worst = max(row["cold_loop_ratio"], row["warm_loop_ratio"])
        add(
            f"a loop of {row['steps']} lab steps at N={row['n']:g}: fused (cold, warm cache) "
            "never slower than numpy",
            worst,
            "1",
            worst <= 1.0,
        )
    return out
