"""Reading and validating a batch configuration.

The file is parsed with ``yaml.safe_load`` (so tags such as ``!!python/object`` are refused) and
checked completely before anything runs: every mistake is collected with its place
(``jobs[2].dist: unknown family 'gama' (did you mean gamma?)``) and reported together. Keys are
the command-line option names (``drop-missing`` or ``drop_missing``), with the same meaning.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import math
import os
import reprlib
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
    "method",
    "probs",
    "gof_distance",
}
CENSORING_KEYS = {
    "left",
    "right",
    "event",
    "event_censored",
    "censor_marks",
    "truncate",
    "truncate_left",
}
"""Keys describing censored and truncated data, as ``gaussfit fit``'s options of those names."""
FIT_KEYS = FIT_KEYS | CENSORING_KEYS
USER_FAMILY_KEYS = {"logpdf", "params", "support", "logcdf"}
"""A family of the user's own, as ``gaussfit fit``'s --logpdf, --params, --support, --logcdf."""
FIT_KEYS |= USER_FAMILY_KEYS
READING_KEYS = {"sep", "decimal", "thousands", "currency"}
"""How a job's text file is written (see ``gaussfit fit --help``): checked as the options are."""
FIT_KEYS |= READING_KEYS
FIT_KEYS |= {"plot"}
"""``plot: FILE`` (.png, .svg or .pdf): the job's four-panel picture; ``{name}`` in FILE
becomes the job's name, so one line in ``defaults`` or a sweep gives every job its own file."""
PLOT_SUFFIXES = (".png", ".svg", ".pdf")
JOB_KEYS = FIT_KEYS | {"name", "data", "simulate", "compare", "sweep"}
SIMULATE_KEYS = {"dist", "n", "params", "param", "seed", "k"}
TOP_KEYS = {"defaults", "jobs", "output"}
MAX_JOBS = 100_000
"""The most jobs one batch file may make, sweeps expanded (a sweep's size is counted first)."""
MAX_SIMULATED = 100_000_000
"""The largest ``simulate.n`` (800 MB of values)."""
MAX_ERRORS_SHOWN = 50
MAX_COMPARED = 50


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


def load_config(
    path: str | Path, *, output: Path | None = None, check_files: bool = True
) -> BatchConfig:
    """Parse and validate; ConfigError listing every mistake (one per line) if any.

    ``output`` overrides the file's ``output``. With ``check_files`` (the default) the data files
    are opened and their columns resolved, and the summary's destination is checked (see
    :mod:`gaussfit.batch.preflight`), so that nothing that can be known fails only when run.
    """
    from gaussfit.batch.preflight import (
        check_destination,
        check_logdirs,
        check_plots,
        check_sources,
    )
    from gaussfit.batch.yaml_input import parse_yaml

    config_path = Path(path)
    try:
        text = config_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{config_path}: no such file") from None
    except IsADirectoryError:
        raise ConfigError(f"{config_path}: is a directory, not a YAML file") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{config_path}: not a UTF-8 text file") from None
    raw = parse_yaml(text, str(config_path))
    errors: list[str] = []
    config = _validate(raw, config_path, errors)
    if output is not None:
        config.output = output
    if check_files:
        errors.extend(check_sources(config.jobs))
        errors.extend(check_logdirs(config.jobs))
        errors.extend(check_plots(config.jobs))
        if config.output is not None and config.output.suffix.lower() in (".csv", ".json"):
            place = "--output" if output is not None else "output"
            errors.extend(check_destination(config.output, config.jobs, place))
    if errors:
        shown = [f"{config_path}: {e}" for e in errors[:MAX_ERRORS_SHOWN]]
        if len(errors) > MAX_ERRORS_SHOWN:
            shown.append(f"{config_path}: ... and {len(errors) - MAX_ERRORS_SHOWN:,} more mistakes")
        raise ConfigError("\n".join(shown))
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
    if not _within_job_limit(jobs_raw, errors):
        return BatchConfig(path, [], output, errors)
    jobs: list[Job] = []
    checked_paths: dict[str, tuple[str, bool]] = {}
    for index, entry in enumerate(jobs_raw):
        jobs.extend(_validate_job(entry, index, defaults, base, errors, checked_paths))
    seen: set[str] = set()
    for job in jobs:
        if job.name in seen:
            errors.append(f"job name '{job.name}' is used twice")
        seen.add(job.name)
    return BatchConfig(path, jobs, output, errors)


def _within_job_limit(entries: list[Any], errors: list[str]) -> bool:
    """Count the jobs the entries make, each sweep's product without expanding it; False (with
    an error naming the numbers) past :data:`MAX_JOBS`."""
    total = 0
    for index, entry in enumerate(entries):
        sweep = entry.get("sweep") if isinstance(entry, dict) else None
        sizes = (
            [len(v) for v in sweep.values() if isinstance(v, list)]
            if isinstance(sweep, dict)
            else []
        )
        count = math.prod(size for size in sizes if size)
        if count > MAX_JOBS:
            product = " x ".join(map(str, sizes))
            errors.append(
                f"jobs[{index}].sweep: {product} = {count:,} jobs, more than the limit of "
                f"{MAX_JOBS:,} per file"
            )
            return False
        total += count
    if total > MAX_JOBS:
        errors.append(
            f"jobs: {total:,} jobs with the sweeps expanded, more than the limit of "
            f"{MAX_JOBS:,} per file; split the file"
        )
    return total <= MAX_JOBS


def _output_path(value: Any, base: Path, place: str, errors: list[str]) -> Path | None:
    if not isinstance(value, str) or not value:
        errors.append(f"{place}: must be a file name ending in .csv or .json")
        return None
    out = Path(os.path.normpath(base / value))
    if out.suffix.lower() not in (".csv", ".json"):
        errors.append(f"{place}: '{value}' must end in .csv or .json")
    return out


def _validate_job(
    entry: Any,
    index: int,
    defaults: dict[str, Any],
    base: Path,
    errors: list[str],
    checked_paths: dict[str, tuple[str, bool]],
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
        data = _data_path(job["data"], base, f"{place}.data", errors, checked_paths)
    simulate = None
    if has_sim:
        simulate = _validate_simulate(job["simulate"], f"{place}.simulate", errors)
    compare = None
    if "compare" in job:
        compare = _validate_compare(job["compare"], f"{place}.compare", errors)
    options = {**defaults, **{k: v for k, v in job.items() if k in FIT_KEYS}}
    if has_sim and CENSORING_KEYS & set(options):
        errors.append(f"{place}: censoring keys describe a data file's columns; not with simulate")
    if "logdir" in options and isinstance(options["logdir"], str):
        options["logdir"] = os.path.normpath(base / options["logdir"])
    plot = options.pop("plot", None)
    sweep = job.get("sweep")
    variants: list[tuple[str, dict[str, Any]]] = [("", {})]
    if sweep is not None:
        variants = _expand_sweep(sweep, f"{place}.sweep", errors)
    jobs = []
    for suffix, overrides in variants:
        merged = {**options, **overrides}
        job_name = name + (f"[{suffix}]" if suffix else "")
        if plot is not None:
            merged["plot"] = _plot_path(plot, job_name, base, f"{place}.plot", errors)
        _validate_options(
            merged,
            f"{place}" + (f"[{suffix}]" if suffix else ""),
            errors,
            comparing=compare is not None,
        )
        jobs.append(Job(job_name, merged, data, simulate, compare))
    return jobs


def _plot_path(value: Any, job_name: str, base: Path, place: str, errors: list[str]) -> Any:
    """The job's picture file, resolved against the config's folder with ``{name}`` replaced
    by the job's name (characters unsafe in a file name as ``_``)."""
    if not isinstance(value, str) or not value.strip():
        errors.append(f"{place}: must be a file name ending in {', '.join(PLOT_SUFFIXES)}")
        return None
    if not value.lower().endswith(PLOT_SUFFIXES):
        errors.append(f"{place}: '{value}' must end in {', '.join(PLOT_SUFFIXES)}")
        return None
    safe = "".join(c if c.isalnum() or c in "-_.=," else "_" for c in job_name)
    return os.path.normpath(base / value.replace("{name}", safe))


def _data_path(
    value: Any, base: Path, place: str, errors: list[str], checked: dict[str, tuple[str, bool]]
) -> str | None:
    """The job's data path resolved against the config's folder (each distinct value resolved
    and looked up once, since big batches repeat a few files many times)."""
    if not isinstance(value, str) or not value:
        errors.append(f"{place}: must be a path to a data file")
        return None
    if value not in checked:
        path = Path(os.path.normpath(base / value))
        checked[value] = (str(path), path.is_file())
    resolved, exists = checked[value]
    if not exists:
        errors.append(f"{place}: no such file '{value}' (looked in {Path(resolved).parent})")
    return resolved


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
    if not _is_int(n) or not 1 <= n <= MAX_SIMULATED:
        errors.append(
            f"{place}.n: must be a whole number from 1 to {MAX_SIMULATED:,}, not {_show(n)}"
        )
    seed = spec.get("seed")
    if seed is not None and (not _is_int(seed) or seed < 0):
        errors.append(f"{place}.seed: must be a whole number >= 0, not {_show(seed)}")
    params = spec.get("params", spec.get("param", {})) or {}
    if not isinstance(params, dict):
        errors.append(f"{place}.params: must be a mapping of parameter: value")
        params = {}
    dist = spec.get("dist", "normal")
    if not isinstance(dist, str) or ("k" in spec and not _is_int(spec["k"])):
        errors.append(f"{place}: dist must be a family name and k a whole number")
        return None
    try:
        family = get_family(dist, **({"k": spec["k"]} if "k" in spec else {}))
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
            errors.append(f"{place}.params.{key}: must be a number, not {_show(val)}")
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
    if len(names) > MAX_COMPARED:
        errors.append(f"{place}: {len(names):,} families, more than the {MAX_COMPARED} there are")
        return None
    for name in names:
        if not isinstance(name, str):
            errors.append(f"{place}: must be family names, not {_show(name)}")
            continue
        try:
            get_family(name.strip())
        except Exception as exc:
            errors.append(f"{place}: {exc}")
    return [str(n).strip() for n in names]


def _expand_sweep(sweep: Any, place: str, errors: list[str]) -> list[tuple[str, dict]]:
    if not isinstance(sweep, dict) or not sweep:
        errors.append(f"{place}: must be a mapping of option: [values]")
        return [("", {})]
    keys: list[str] = []
    lists: list[list[Any]] = []
    for key, values in sweep.items():
        key = _norm_key(key)
        if key not in FIT_KEYS:
            errors.append(f"{place}.{key}: unknown option{_suggest(key, FIT_KEYS)}")
            continue
        if not isinstance(values, list) or not values:
            errors.append(f"{place}.{key}: must be a non-empty list of values")
            continue
        bad = [v for v in values if not _is_plain(v)]
        if bad:
            errors.append(f"{place}.{key}: values must be plain values, not {_show(bad[0])}")
            continue
        keys.append(key)
        lists.append(values)
    variants = []
    for combo in itertools.product(*lists):
        suffix = ",".join(f"{k}={v}" for k, v in zip(keys, combo, strict=True))
        variants.append((suffix, dict(zip(keys, combo, strict=True))))
    return variants or [("", {})]


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxlist, _SHORT.maxdict, _SHORT.maxstring, _SHORT.maxother = 2, 4, 4, 40, 40


def _show(value: Any) -> str:
    """A short repr for an error message, however big or deep the value (bounded work)."""
    return _SHORT.repr(value)


def _is_plain(value: Any) -> bool:
    """A value a sweep may take: a scalar, or a mapping of scalars (``init: {mu: 1}``)."""

    def scalar(item: Any) -> bool:
        return item is None or isinstance(item, (str, int, float, bool))

    return scalar(value) or (isinstance(value, dict) and all(map(scalar, value.values())))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


@functools.lru_cache(maxsize=1024)
def _family(name: str, k: int | None) -> tuple[Any, str | None]:
    """The family (or the error naming it) for a job: looked up once per distinct name and k,
    since building a family is most of the cost of validating a job."""
    from gaussfit.distributions import get_family

    try:
        return get_family(name, **({"k": k} if k is not None else {})), None
    except Exception as exc:
        return None, str(exc)


def _check_user_family(
    options: dict[str, Any], place: str, errors: list[str], comparing: bool
) -> Any:
    """The job's own family from ``logpdf``, ``params`` and ``support`` (None after recording
    what is wrong, each error naming its key)."""
    if "logpdf" not in options:
        given = sorted(USER_FAMILY_KEYS & set(options))
        errors.append(f"{place}: {' and '.join(given)} describe(s) a logpdf; add logpdf: EXPR")
        return None
    for key in ("dist", "k"):
        if key in options:
            errors.append(f"{place}: {key} and logpdf each give the family; choose one")
            return None
    if comparing:
        errors.append(f"{place}: logpdf is a fit's family; not with compare")
        return None
    if "params" not in options:
        errors.append(f"{place}: logpdf needs params, e.g. params: 'k>0,lam>0'")
        return None
    family, problem = user_family(
        options["logpdf"], options["params"], options.get("support"), place, options.get("logcdf")
    )
    if problem is not None:
        errors.append(problem)
    return family


@functools.lru_cache(maxsize=256)
def _user_family(
    logpdf: Any, params: Any, support: Any, place: str, logcdf: Any
) -> tuple[Any, str | None]:
    from gaussfit.distributions.user_family import UserFamily

    given = (("logpdf", logpdf), ("params", params), ("support", support), ("logcdf", logcdf))
    for key, value in given:
        if value is not None and not isinstance(value, str):
            return None, f"{place}.{key}: must be text, not {_show(value)}"
    keys = tuple(f"{place}.{key}" for key, _ in given)
    try:
        return UserFamily(logpdf, params, support, logcdf=logcdf, options=keys), None
    except ConfigError as exc:
        return None, str(exc)


def user_family(
    logpdf: Any, params: Any, support: Any, place: str, logcdf: Any = None
) -> tuple[Any, str | None]:
    """A job's UserFamily, or the error naming the key at fault (built once per spelling)."""
    try:
        return _user_family(logpdf, params, support, place, logcdf)
    except TypeError:  # an unhashable value (a list where text belongs)
        return _user_family.__wrapped__(logpdf, params, support, place, logcdf)


def _validate_options(
    options: dict[str, Any], place: str, errors: list[str], *, comparing: bool
) -> None:
    from gaussfit.fitting import OPTIMIZERS

    family = None
    dist = options.get("dist", "normal")
    if USER_FAMILY_KEYS & set(options):
        family = _check_user_family(options, place, errors, comparing)
    elif not isinstance(dist, str):
        errors.append(f"{place}.dist: must be a family name, not {_show(dist)}")
    elif not comparing and (_is_int(options["k"]) if "k" in options else True):
        family, problem = _family(dist, options.get("k"))
        if problem is not None:
            errors.append(f"{place}.dist: {problem}")
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
            errors.append(f"{place}.{key}: must be {wants[key]}, not {_show(options[key])}")
    _validate_censoring(options, place, errors)
    _validate_reading(options, place, errors)
    _validate_method(options, place, errors, None if comparing else family)
    optimizer = options.get("optimizer")
    if optimizer is not None and not isinstance(optimizer, str):
        errors.append(f"{place}.optimizer: must be an optimizer's name, not {_show(optimizer)}")
    elif optimizer is not None and optimizer.lower() not in OPTIMIZERS:
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
                errors.append(f"{place}.{key}.{pname}: must be a number, not {_show(pval)}")


METHOD_FLAGS = {"--method": "method", "--probs": "probs", "--gof-distance": "gof_distance"}


def _validate_method(
    options: dict[str, Any], place: str, errors: list[str], family: Any | None
) -> None:
    """``method``, ``probs`` (a list of probabilities, or "0.25,0.75") and ``gof_distance``,
    checked as the command line checks them, and against the job's family and data keys."""
    from gaussfit.fitting.estimation import check_method, check_method_fits

    probs = options.get("probs")
    if isinstance(probs, str):
        probs = [piece.strip() for piece in probs.split(",") if piece.strip()]
    if probs is not None and not (
        isinstance(probs, list) and all(_is_number(p) or isinstance(p, str) for p in probs)
    ):
        errors.append(f"{place}.probs: must be a list of probabilities, not {_show(probs)}")
        return
    for key in ("method", "gof_distance"):
        if key in options and not isinstance(options[key], str):
            errors.append(f"{place}.{key}: must be a name, not {_show(options[key])}")
            return
    try:
        method = check_method(options.get("method"), probs, options.get("gof_distance"))
        if family is not None and not method.is_mle:
            fixed = options.get("fix") if isinstance(options.get("fix"), dict) else {}
            check_method_fits(method, family, len(family.parameter_names) - len(fixed))
    except ConfigError as exc:
        message = str(exc)
        for flag, key in METHOD_FLAGS.items():
            if message.startswith(flag):
                message = f"{place}.{key}{message[len(flag) :]}"
                break
        errors.append(message)
        return
    if method.is_mle:
        return
    for key in ("weights", "gof_bootstrap", *sorted(CENSORING_KEYS)):
        if key in options:
            errors.append(
                f"{place}.{key}: taken by maximum likelihood only, not method {method.name}"
            )


def censoring_layout(options: dict[str, Any]) -> Any:
    """The ``CensoredLayout`` a job's options describe, or None for a plain column
    (ConfigError for a combination the command line would refuse too)."""
    if not any(key in options for key in CENSORING_KEYS):
        return None
    from gaussfit.data.censored_reader import CensoredLayout

    truncate = options.get("truncate", (-math.inf, math.inf))
    if isinstance(truncate, str):
        from gaussfit.data.censored_reader import parse_window

        truncate = parse_window(truncate)
    return CensoredLayout(
        column=options.get("column"),
        left=options.get("left"),
        right=options.get("right"),
        event=options.get("event"),
        event_censored=None
        if options.get("event_censored") is None
        else str(options["event_censored"]),
        marks=bool(options.get("censor_marks", False)),
        entry=options.get("truncate_left"),
        weights=options.get("weights"),
        truncation=(float(truncate[0]), float(truncate[1])),
    )


def _validate_censoring(options: dict[str, Any], place: str, errors: list[str]) -> None:
    """The censoring keys: column names, a flag, a window [LO, HI] (or "LO,HI")."""
    for key in ("left", "right", "event", "truncate_left"):
        value = options.get(key)
        if value is not None and (not isinstance(value, (str, int)) or isinstance(value, bool)):
            errors.append(f"{place}.{key}: must be a column name or index, not {value!r}")
            return
    if "censor_marks" in options and not isinstance(options["censor_marks"], bool):
        errors.append(f"{place}.censor_marks: must be true or false")
        return
    truncate = options.get("truncate")
    if truncate is not None and not (
        isinstance(truncate, str)
        or (
            isinstance(truncate, list)
            and len(truncate) == 2
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in truncate)
        )
    ):
        errors.append(
            f"{place}.truncate: must be [LO, HI] (.inf for an open side), not {truncate!r}"
        )
        return
    try:
        censoring_layout(options)
    except (ConfigError, ValueError) as exc:
        errors.append(f"{place}: {exc}")


def _validate_reading(options: dict[str, Any], place: str, errors: list[str]) -> None:
    """The ``sep``, ``decimal``, ``thousands`` and ``currency`` keys, checked together."""
    from gaussfit.data.text_format import TextFormat

    reading = {key: options[key] for key in READING_KEYS if key in options}
    bad = [key for key, value in reading.items() if not isinstance(value, str)]
    for key in bad:
        errors.append(f"{place}.{key}: must be a quoted string, not {_show(reading[key])}")
    if reading and not bad:
        try:
            TextFormat.from_options(**reading)
        except ConfigError as exc:
            errors.append(f"{place}: {str(exc).replace('--', '', 1)}")
