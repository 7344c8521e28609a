"""Checks that need the file system, done before any job runs.

A batch that fails an hour in because job 40's ``column:`` is misspelt, or because the summary's
folder is read-only, has wasted the hour and, in the second case, every result. So before running:

* every data file is opened and its columns resolved (the first lines of a text file are enough;
  each distinct file, column and weights column is checked once, however many jobs share it),
  censored data's ``left``/``right``, ``event`` and ``truncate_left`` columns too;
* every ``logdir`` can be created and written;
* every ``plot`` file is its job's own (no two jobs, no data file) and its folder writable;
* the summary's destination is checked: not a folder, under folders (not files), writable, and
  not any job's data file, by path or by inode (a hard link is the same file).

Each function returns a list of messages; the caller reports them together with the config's own.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from gaussfit.batch.config import CENSORING_KEYS, READING_KEYS, Job, censoring_layout
from gaussfit.errors import ConfigError, DataError

_BINARY_SUFFIXES = (".npy", ".parquet", ".pq")


def check_sources(jobs: list[Job]) -> list[str]:
    """One message per unreadable file or missing column, naming the first job that uses it."""
    users: dict[tuple[str, object, object, tuple[tuple[str, Any], ...]], list[str]] = {}
    for job in jobs:
        if job.data is None:
            continue
        keys = READING_KEYS | CENSORING_KEYS
        given = tuple(sorted((k, _hashable(job.options[k])) for k in keys if k in job.options))
        key = (job.data, job.options.get("column"), job.options.get("weights"), given)
        users.setdefault(key, []).append(job.name)
    errors = []
    for (path, column, weights, given), names in users.items():
        try:
            _check_source(path, column, weights, dict(given))
        except (DataError, ConfigError) as exc:
            more = f" (and {len(names) - 1} more jobs)" if len(names) > 1 else ""
            errors.append(f"job '{names[0]}'{more}: {str(exc).splitlines()[0]}")
    return errors


def _hashable(value: Any) -> Any:
    """A job option as a dictionary key (``truncate: [0, .inf]`` is a list)."""
    return tuple(value) if isinstance(value, list) else value


def _check_source(path: str, column: object, weights: object, given: dict[str, Any]) -> None:
    """Open ``path`` and resolve its columns as the job will read them (the same ``sep``,
    ``decimal``, ``thousands`` and ``currency``; for censored data, the same layout)."""
    from gaussfit.data import load_data
    from gaussfit.data.csv_reader import settle_columns
    from gaussfit.data.text_format import TextFormat
    from gaussfit.data.text_source import TextSource

    censored = {k: list(v) if isinstance(v, tuple) else v for k, v in given.items()}
    try:
        layout = censoring_layout({**censored, "column": column, "weights": weights})
    except (ConfigError, ValueError, TypeError, IndexError):
        return  # a malformed censoring key: the job's own check reports it
    if layout is not None:
        from gaussfit.data.censored_reader import check_columns

        check_columns(path, layout)
        return
    reading = {k: v for k, v in given.items() if k in READING_KEYS}

    if path.lower().endswith(_BINARY_SUFFIXES):
        load_data(path, column, weights=weights, drop_missing=True)  # type: ignore[arg-type]
        return
    fmt = TextFormat.from_options(**reading)
    settle_columns(TextSource.from_path(path), column, weights, fmt)  # type: ignore[arg-type]


def check_destination(target: Path, jobs: list[Job], place: str = "output") -> list[str]:
    """Why the summary could not be written at ``target`` (with its sidecar), if it could not."""
    from gaussfit.batch.summary import partial_of, sidecar_of

    files = [target] + ([sidecar_of(target)] if target.suffix.lower() == ".csv" else [])
    files += [partial_of(target), sidecar_of(partial_of(target))]
    errors = []
    for path in files:
        if path.is_dir():
            errors.append(f"{place}: '{path}' is a folder, not a file")
    inputs = {os.path.normpath(job.data): job.name for job in jobs if job.data is not None}
    identities = {_identity(path): name for path, name in inputs.items()}
    identities.pop(None, None)
    for path in files:
        name = inputs.get(os.path.normpath(path)) or identities.get(_identity(str(path)))
        if name is not None:
            errors.append(
                f"{place}: '{path}' is the data file of job '{name}'; "
                "writing the summary there would destroy it"
            )
    folder = _nearest_existing(target.parent)
    if not folder.is_dir():
        errors.append(f"{place}: cannot create the folder of '{target}': '{folder}' is a file")
    elif not os.access(folder, os.W_OK | os.X_OK):
        errors.append(f"{place}: cannot write in '{folder}' ({_why_not_writable(folder)})")
    return errors


def check_plots(jobs: list[Job]) -> list[str]:
    """Why a job's ``plot`` could not be written: two jobs naming one file, a job's data file,
    a folder, a folder that cannot be created or written; matplotlib missing."""
    plotted = [(job, str(job.options["plot"])) for job in jobs if job.options.get("plot")]
    if not plotted:
        return []
    errors = []
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        errors.append(
            "plot: needs matplotlib, which is not installed: pip install 'gaussfit[plot]'"
        )
    owners: dict[str, str] = {}
    inputs = {os.path.normpath(job.data): job.name for job in jobs if job.data is not None}
    for job, target in plotted:
        if target in owners:
            errors.append(
                f"plot: job '{job.name}' and job '{owners[target]}' both draw to '{target}'; "
                "give each job its own file (plot: NAME-{name}.png names it after the job)"
            )
            continue
        owners[target] = job.name
        if target in inputs:
            errors.append(f"plot: job '{job.name}' would draw over the data file of job "
                          f"'{inputs[target]}' ('{target}')")  # fmt: skip
        elif Path(target).is_dir():
            errors.append(f"plot: job '{job.name}': '{target}' is a folder, not a file")
    for folder in sorted({str(Path(t).parent) for _, t in plotted}):
        existing = _nearest_existing(Path(folder))
        if not existing.is_dir():
            errors.append(f"plot: cannot create '{folder}': '{existing}' is a file")
        elif not os.access(existing, os.W_OK | os.X_OK):
            errors.append(f"plot: cannot write in '{existing}' ({_why_not_writable(existing)})")
    return errors


def check_logdirs(jobs: list[Job]) -> list[str]:
    """Why a job's ``logdir`` could not be created or written, once per distinct folder."""
    errors = []
    for folder in sorted({str(job.options["logdir"]) for job in jobs if "logdir" in job.options}):
        existing = _nearest_existing(Path(folder))
        if not existing.is_dir():
            errors.append(f"logdir: cannot create '{folder}': '{existing}' is a file")
        elif not os.access(existing, os.W_OK | os.X_OK):
            errors.append(f"logdir: cannot write in '{existing}' ({_why_not_writable(existing)})")
    return errors


def _identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _nearest_existing(folder: Path) -> Path:
    while not folder.exists() and folder != folder.parent:
        if folder.is_symlink():
            return folder
        folder = folder.parent
    return folder


def _why_not_writable(folder: Path) -> str:
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "read-only file system"
    except (AttributeError, OSError):
        pass
    return "permission denied"
