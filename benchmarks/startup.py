"""Start-up: importing the engine and running ``gaussfit --help``, next to ``import numpy``.

Imports are timed inside fresh interpreters (best of ``repeats``, after one run that caches the
bytecode, as installing a package does), so nothing is already loaded; ``gaussfit --help`` is
timed as a whole command, interpreter start-up included, which is what a user waits for.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from typing import Any

from benchmarks.timing import ROOT, child_env, run_child, wall_seconds


def best_imports(modules: list[str], repeats: int) -> dict[str, dict[str, Any]]:
    """Each module's best import, the modules taking turns (so a burst of load elsewhere on
    the machine does not land on one of them only)."""
    runs: dict[str, list[dict[str, Any]]] = {m: [] for m in modules}
    for module in modules:
        run_child("import", module)  # compiles and caches the bytecode
    for _ in range(repeats):
        for module in modules:
            runs[module].append(run_child("import", module))
    best: dict[str, dict[str, Any]] = {}
    for module, results in runs.items():
        good = [r for r in results if "seconds" in r]
        if not good:
            best[module] = {"error": results[0].get("error", "failed")}
            continue
        top = min(good, key=lambda r: r["seconds"])
        best[module] = {k: top[k] for k in ("seconds", "extra_mib", "heavy")}
    return best


def help_command() -> list[str]:
    script = shutil.which("gaussfit")
    return [script, "--help"] if script else [sys.executable, "-m", "gaussfit", "--help"]


def fit_command() -> list[str]:
    """The README's first command's fit: the lab's 20 values, every default on."""
    script = shutil.which("gaussfit")
    head = [script] if script else [sys.executable, "-m", "gaussfit"]
    return [*head, "fit", "data/seed_lab.csv"]


def best_walls(commands: dict[str, list[str]], repeats: int) -> dict[str, float]:
    """Each command's best wall time, the commands taking turns (one warm-up run each)."""
    for command in commands.values():
        wall_seconds(command, 1)
    best = {name: float("inf") for name in commands}
    for _ in range(repeats):
        for name, command in commands.items():
            best[name] = min(best[name], wall_seconds(command, 1))
    return best


def modules_loaded_by(command: list[str]) -> list[str]:
    """Heavy modules a command imports, from ``python -X importtime``'s report."""
    if command[0] != sys.executable:
        command = [sys.executable, "-m", "gaussfit", *command[1:]]
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *command[1:]],
        capture_output=True,
        text=True,
        env=child_env(),
        cwd=ROOT,
    )
    names = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    return sorted({n.split(".")[0] for n in names if n.split(".")[0] in ("scipy", "pandas")})


def startup_section(repeats: int) -> dict[str, Any]:
    imports = best_imports(["numpy", "gaussfit.engine"], repeats)
    numpy, engine = imports["numpy"], imports["gaussfit.engine"]
    command = help_command()
    section: dict[str, Any] = {
        "python_s": wall_seconds([sys.executable, "-c", "pass"], repeats),
        "numpy_import_s": numpy.get("seconds"),
        "engine_import_s": engine.get("seconds"),
        "engine_import_extra_mib": engine.get("extra_mib"),
        "engine_loads": engine.get("heavy"),
        "cli_help_s": wall_seconds(command, repeats),
        "cli_help_loads": modules_loaded_by(command),
    }
    if numpy.get("seconds") and engine.get("seconds"):
        section["engine_vs_numpy"] = engine["seconds"] / numpy["seconds"]
    walls = best_walls(
        {"numpy": [sys.executable, "-c", "import numpy"], "fit": fit_command()}, repeats
    )
    section["numpy_command_s"] = walls["numpy"]
    section["fit_lab_s"] = walls["fit"]
    section["fit_lab_vs_numpy"] = walls["fit"] / walls["numpy"]
    section["fit_lab_loads"] = modules_loaded_by(fit_command())
    return section
