"""Reading a one-column CSV: gaussfit's ``load_data`` next to ``np.loadtxt`` and pandas.

Each reader runs in a fresh process (time and peak memory of the reading alone), on a file of
``rows`` random doubles written at full precision, and must return the same values (checked by
their sum).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.peers import installed
from benchmarks.timing import run_child


def write_csv(path: Path, rows: int, seed: int = 0) -> None:
    values = np.random.default_rng(seed).normal(2.5, 1.5, rows)
    with path.open("w") as out:
        out.write("x\n")
        for start in range(0, rows, 1_000_000):
            chunk = values[start : start + 1_000_000]
            out.write("\n".join(map(repr, chunk.tolist())))
            out.write("\n")


def csv_section(rows: int, repeats: int) -> dict[str, Any]:
    readers = ["gaussfit", "numpy", "pandas"] + (["pyarrow"] if installed("pyarrow") else [])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "one_column.csv"
        write_csv(path, rows)
        file_mib = path.stat().st_size / (1 << 20)
        results = {}
        for reader in readers:
            runs = [run_child("load", reader, path) for _ in range(repeats)]
            good = [r for r in runs if "seconds" in r]
            if not good:
                results[reader] = {"error": runs[0].get("error", "failed")}
                continue
            best = min(good, key=lambda r: r["seconds"])
            results[reader] = {
                "seconds": best["seconds"],
                "extra_mib": max(r["extra_mib"] for r in good),
                "checksum": best["checksum"],
            }
    reference = results.get("numpy", {}).get("checksum")
    for result in results.values():
        if "checksum" in result and reference is not None:
            result["same_values"] = bool(np.isclose(result["checksum"], reference, rtol=1e-12))
    section: dict[str, Any] = {
        "rows": rows,
        "file_mib": file_mib,
        "array_mib": rows * 8 / (1 << 20),
        "readers": results,
    }
    ours = results.get("gaussfit", {})
    for baseline in ("pandas", "numpy"):
        theirs = results.get(baseline, {})
        if "seconds" in ours and "seconds" in theirs:
            section[f"gaussfit_vs_{baseline}"] = ours["seconds"] / theirs["seconds"]
    if "extra_mib" in ours:
        section["gaussfit_peak_vs_file"] = ours["extra_mib"] / file_mib
    return section
