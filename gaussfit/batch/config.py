"""Reading and validating a batch configuration.

The file is parsed with ``yaml.safe_load`` (so tags such as ``!!python/object`` are refused) and
checked completely before anything runs: every mistake is collected with its place
(``jobs[2].dist: unknown family 'gama' (did you mean gamma?)``) and reported together. Keys are
the command-line option names (``drop-missing`` or ``drop_missing``), with the same meaning.
"""

from __future__ import annotations

import difflib
import itertools
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gaussfit.errors import ConfigError

FIT_KEYS = {
    "column",
    "dist",
    "k",
    "optimizer",
    "lr",
    "iters",
    "tol",
    "init",
    "fix",
    "weights",
    "bootstrap",
    "seed",
    "drop_missing",
    "no_scipy",
    "time_budget",
    "logdir",
    "gof_bootstrap",
}
READING_KEYS = {"sep", "decimal", "thousands", "currency"}
"""How a job's text file is written (see ``gaussfit fit --help``): checked as the options are."""
FIT_KEYS |= READING_KEYS
JOB_KEYS = FIT_KEYS | {"name", "data", "simulate", "compare", "sweep"}
SIMULATE_KEYS = {"dist", "n", "params", "param", "seed", "k"}
TOP_KEYS = {"defaults", "jobs", "output"}


@dataclass(frozen=True)
class Job:
    """One fit (or comparison) to run: where its data come from and its fit options."""

    name: str
    options: dict[str, Any]
    data: str | None = None
    simulate: dict[str, Any] | None = None
    compare: list[str] | str | None = None

    def describe(self) -> str:
        source = (
            self.data
            if self.data is not None
            else ("simulate " + ", ".join(f"{k}={v}" for k, v in (self.simulate or {}).items()))
        )
        what = (
            (
                "compare "
                + (self.compare if isinstance(self.compare, str) else ",".join(self.compare))
            )
            if self.compare
            else ("fit " + str(self.options.get("dist", "normal")))
        )
        return f"{what} on {source}"


@dataclass
class BatchConfig:
    path: Path
    jobs: list[Job]
    output: Path | None = None
    errors: list[str] = field(default_factory=list)


def load_config(path: str | Path) -> BatchConfig:
    """Parse and validate; ConfigError listing every mistake (one per line) if any."""
    import yaml

    config_path = Path(path)
    try:
        text = config_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{config_path}: no such file") from None
    except IsADirectoryError:
        raise ConfigError(f"{config_path}: is a directory, not a YAML file") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{config_path}: not a UTF-8 text file") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{config_path}{where}: {problem}") from None
    errors: list[str] = []
    config = _validate(raw, config_path, errors)
    if errors:
        raise ConfigError("\n".join(f"{config_path}: {e}" for e in errors))
    return config


def _suggest(key: str, choices: set[str]) -> str:
    close = difflib.get_close_matches(key, sorted(choices), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def _norm_key(key: Any) -> str:
    return str(key).replace("-", "_")


def _validate(raw: Any, path: Path, errors: list[str]) -> BatchConfig:
    base = path.resolve().parent
    if not isinstance(raw, dict):
        errors.append("the file must be a mapping with a 'jobs' list")
        return BatchConfig(path, [])
    top = {_norm_key(k): v for k, v in raw.items()}
    for key in top:
        if key not in TOP_KEYS:
            errors.append(f"unknown key '{key}'{_suggest(key, TOP_KEYS)}")
    defaults = top.get("defaults") or {}
    if not isinstance(defaults, dict):
        errors.append("defaults: must be a mapping of fit options")
        defaults = {}
    defaults = {_norm_key(k): v for k, v in defaults.items()}
    for key in defaults:
        if key not in FIT_KEYS:
            errors.append(f"defaults.{key}: unknown option{_suggest(key, FIT_KEYS)}")
    jobs_raw = top.get("jobs")
    if not isinstance(jobs_raw, list) or not jobs_raw:
        errors.append("jobs: must be a non-empty list")
        jobs_raw = []
    output = None
    if top.get("output") is not None:
        output = _output_path(top["output"], base, "output", errors)
    jobs: list[Job] = []
    for index, entry in enumerate(jobs_raw):
        jobs.extend(_validate_job(entry, index, defaults, base, errors))
    seen: set[str] = set()
    for job in jobs:
        if job.name in seen:
            errors.append(f"job name '{job.name}' is used twice")
        seen.add(job.name)
    return BatchConfig(path, jobs, output, errors)


def _output_path(value: Any, base: Path, place: str, errors: list[str]) -> Path | None:
    if not isinstance(value, str) or not value:
        errors.append(f"{place}: must be a file name ending in .csv or .json")
        return None
    out = Path(os.path.normpath(base / value))
    if out.suffix.lower() not in (".csv", ".json"):
        errors.append(f"{place}: '{value}' must end in .csv or .json")
    return out


def _validate_job(
    entry: Any, index: int, defaults: dict[str, Any], base: Path, errors: list[str]
) -> list[Job]:
    place = f"jobs[{index}]"
    if not isinstance(entry, dict):
        errors.append(f"{place}: must be a mapping")
        return []
    job = {_norm_key(k): v for k, v in entry.items()}
    for key in job:
        if key not in JOB_KEYS:
            errors.append(f"{place}: unknown key '{key}'{_suggest(key, JOB_KEYS)}")
    name = job.get("name", f"job-{index + 1}")
    if not isinstance(name, (str, int)) or str(name).strip() == "":
        errors.append(f"{place}.name: must be a non-empty string")
        name = f"job-{index + 1}"
    name = str(name)
    has_data, has_sim = "data" in job, "simulate" in job
    if has_data == has_sim:
        errors.append(
            f"{place}: give exactly one of 'data' or 'simulate'"
            + (" (it has both)" if has_data else " (it has neither)")
        )
    data = None
    if has_data:
        data = _data_path(job["data"], base, f"{place}.data", errors)
    simulate = None
    if has_sim:
        simulate = _validate_simulate(job["simulate"], f"{place}.simulate", errors)
    compare = None
    if "compare" in job:
        compare = _validate_compare(job["compare"], f"{place}.compare", errors)
    options = {**defaults, **{k: v for k, v in job.items() if k in FIT_KEYS}}
    if "logdir" in options and isinstance(options["logdir"], str):
        options["logdir"] = os.path.normpath(base / options["logdir"])
    sweep = job.get("sweep")
    variants: list[tuple[str, dict[str, Any]]] = [("", {})]
    if sweep is not None:
        variants = _expand_sweep(sweep, f"{place}.sweep", errors)
    jobs = []
    for suffix, overrides in variants:
        merged = {**options, **overrides}
        _validate_options(
            merged,
            f"{place}" + (f"[{suffix}]" if suffix else ""),
            errors,
            comparing=compare is not None,
        )
        jobs.append(Job(name + (f"[{suffix}]" if suffix else ""), merged, data, simulate, compare))
    return jobs


def _data_path(value: Any, base: Path, place: str, errors: list[str]) -> str | None:
    if not isinstance(value, str) or not value:
        errors.append(f"{place}: must be a path to a data file")
        return None
    path = Path(os.path.normpath(base / value))
    if not path.is_file():
        errors.append(f"{place}: no such file '{value}' (looked in {path.parent})")
    return str(path)


def _validate_simulate(value: Any, place: str, errors: list[str]) -> dict[str, Any] | None:
    from gaussfit.distributions import get_family

    if not isinstance(value, dict):
        errors.append(f"{place}: must be a mapping like {{dist: gamma, n: 1000, seed: 1}}")
        return None
    spec = {_norm_key(k): v for k, v in value.items()}
    for key in spec:
        if key not in SIMULATE_KEYS:
            errors.append(f"{place}: unknown key '{key}'{_suggest(key, SIMULATE_KEYS)}")
    n = spec.get("n", 1000)
    if not _is_int(n) or n < 1:
        errors.append(f"{place}.n: must be a whole number >= 1, not {n!r}")
    seed = spec.get("seed")
    if seed is not None and (not _is_int(seed) or seed < 0):
        errors.append(f"{place}.seed: must be a whole number >= 0, not {seed!r}")
    params = spec.get("params", spec.get("param", {})) or {}
    if not isinstance(params, dict):
        errors.append(f"{place}.params: must be a mapping of parameter: value")
        params = {}
    dist = spec.get("dist", "normal")
    try:
        family = get_family(str(dist), **({"k": spec["k"]} if "k" in spec else {}))
    except Exception as exc:
        errors.append(f"{place}.dist: {exc}")
        return spec
    for key, val in params.items():
        if key not in family.parameter_names:
            errors.append(
                f"{place}.params: {family.name} has no parameter '{key}' "
                f"(parameters: {', '.join(family.parameter_names)})"
            )
        elif not _is_number(val):
            errors.append(f"{place}.params.{key}: must be a number, not {val!r}")
    return {
        "dist": family.name,
        "n": n,
        "params": params,
        "seed": seed,
        **({"k": spec["k"]} if "k" in spec else {}),
    }


def _validate_compare(value: Any, place: str, errors: list[str]) -> list[str] | str | None:
    from gaussfit.distributions import get_family

    if isinstance(value, str) and value.strip().lower() == "all":
        return "all"
    names = value.split(",") if isinstance(value, str) else value
    if not isinstance(names, list) or not names:
        errors.append(f"{place}: must be a list of families or 'all'")
        return None
    for name in names:
        try:
            get_family(str(name).strip())
        except Exception as exc:
            errors.append(f"{place}: {exc}")
    return [str(n).strip() for n in names]


def _expand_sweep(sweep: Any, place: str, errors: list[str]) -> list[tuple[str, dict]]:
    if not isinstance(sweep, dict) or not sweep:
        errors.append(f"{place}: must be a mapping of option: [values]")
        return [("", {})]
    keys, lists = [], []
    for key, values in sweep.items():
        key = _norm_key(key)
        if key not in FIT_KEYS:
            errors.append(f"{place}.{key}: unknown option{_suggest(key, FIT_KEYS)}")
            continue
        if not isinstance(values, list) or not values:
            errors.append(f"{place}.{key}: must be a non-empty list of values")
            continue
        keys.append(key)
        lists.append(values)
    variants = []
    for combo in itertools.product(*lists):
        suffix = ",".join(f"{k}={v}" for k, v in zip(keys, combo, strict=True))
        variants.append((suffix, dict(zip(keys, combo, strict=True))))
    return variants or [("", {})]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _validate_options(
    options: dict[str, Any], place: str, errors: list[str], *, comparing: bool
) -> None:
    from gaussfit.distributions import get_family
    from gaussfit.fitting import OPTIMIZERS

    family = None
    if not comparing:
        try:
            family = get_family(
                str(options.get("dist", "normal")),
                **({"k": options["k"]} if "k" in options else {}),
            )
        except Exception as exc:
            errors.append(f"{place}.dist: {exc}")
    checks = {
        "lr": lambda v: _is_number(v) and v > 0,
        "tol": lambda v: _is_number(v) and v >= 0,
        "iters": lambda v: _is_int(v) and v >= 1,
        "bootstrap": lambda v: _is_int(v) and (v == 0 or v >= 2),
        "seed": lambda v: _is_int(v) and v >= 0,
        "k": lambda v: _is_int(v) and v >= 2,
        "time_budget": lambda v: _is_number(v) and v > 0,
        "drop_missing": lambda v: isinstance(v, bool),
        "no_scipy": lambda v: isinstance(v, bool),
        "column": lambda v: isinstance(v, (str, int)) and not isinstance(v, bool),
        "weights": lambda v: isinstance(v, (str, int)) and not isinstance(v, bool),
        "logdir": lambda v: isinstance(v, str) and v != "",
        "gof_bootstrap": lambda v: v == "auto" or (_is_int(v) and v >= 2),
    }
    wants = {
        "lr": "a number > 0",
        "tol": "a number >= 0",
        "iters": "a whole number >= 1",
        "bootstrap": "0 or a whole number >= 2",
        "seed": "a whole number >= 0",
        "k": "a whole number >= 2",
        "time_budget": "a number of seconds > 0",
        "drop_missing": "true or false",
        "no_scipy": "true or false",
        "column": "a column name or index",
        "weights": "a column name or index",
        "logdir": "a folder path",
        "gof_bootstrap": "a whole number >= 2 or auto",
    }
    for key, check in checks.items():
        if key in options and not check(options[key]):
            errors.append(f"{place}.{key}: must be {wants[key]}, not {options[key]!r}")
    _validate_reading(options, place, errors)
    optimizer = options.get("optimizer")
    if optimizer is not None and str(optimizer).lower() not in OPTIMIZERS:
        errors.append(
            f"{place}.optimizer: unknown optimizer '{optimizer}'"
            f"{_suggest(str(optimizer), set(OPTIMIZERS))}"
        )
    for key in ("init", "fix"):
        if key not in options:
            continue
        value = options[key]
        if not isinstance(value, dict):
            errors.append(f"{place}.{key}: must be a mapping of parameter: value")
            continue
        for pname, pval in value.items():
            if family is not None and pname not in family.parameter_names:
                errors.append(
                    f"{place}.{key}: {family.name} has no parameter '{pname}' "
                    f"(parameters: {', '.join(family.parameter_names)})"
                )
            elif not _is_number(pval):
                errors.append(f"{place}.{key}.{pname}: must be a number, not {pval!r}")


def _validate_reading(options: dict[str, Any], place: str, errors: list[str]) -> None:
    """The ``sep``, ``decimal``, ``thousands`` and ``currency`` keys, checked together."""
    from gaussfit.data.text_format import TextFormat

    reading = {key: options[key] for key in READING_KEYS if key in options}
    bad = [key for key, value in reading.items() if not isinstance(value, str)]
    for key in bad:
        errors.append(f"{place}.{key}: must be a quoted string, not {reading[key]!r}")
    if reading and not bad:
        try:
            TextFormat.from_options(**reading)
        except ConfigError as exc:
            errors.append(f"{place}: {str(exc).replace('--', '', 1)}")
