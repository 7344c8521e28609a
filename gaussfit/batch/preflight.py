"""Checks that need the file system, done before any job runs.

A batch that fails an hour in because job 40's ``column:`` is misspelt, or because the summary's
folder is read-only, has wasted the hour and, in the second case, every result. So before running:

* every data file is opened and its columns resolved (the first lines of a text file are enough;
  each distinct file, column and weights column is checked once, however many jobs share it);
* every ``logdir`` can be created and written;
* the summary's destination is checked: not a folder, under folders (not files), writable, and
  not any job's data file, by path or by inode (a hard link is the same file).

Each function returns a list of messages; the caller reports them together with the config's own.
"""

from __future__ import annotations

import os
from pathlib import Path

from gaussfit.batch.config import READING_KEYS, Job
from gaussfit.errors import ConfigError, DataError

_BINARY_SUFFIXES = (".npy", ".parquet", ".pq")


def check_sources(jobs: list[Job]) -> list[str]:
    """One message per unreadable file or missing column, naming the first job that uses it."""
    users: dict[tuple[str, object, object, tuple[tuple[str, str], ...]], list[str]] = {}
    for job in jobs:
        if job.data is None:
            continue
        reading = tuple(sorted((k, job.options[k]) for k in READING_KEYS if k in job.options))
        key = (job.data, job.options.get("column"), job.options.get("weights"), reading)
        users.setdefault(key, []).append(job.name)
    errors = []
    for (path, column, weights, reading), names in users.items():
        try:
            _check_source(path, column, weights, dict(reading))
        except (DataError, ConfigError) as exc:
            more = f" (and {len(names) - 1} more jobs)" if len(names) > 1 else ""
            errors.append(f"job '{names[0]}'{more}: {str(exc).splitlines()[0]}")
    return errors


def _check_source(path: str, column: object, weights: object, reading: dict[str, str]) -> None:
    """Open ``path`` and resolve its columns as the job will read them (the same ``sep``,
    ``decimal``, ``thousands`` and ``currency``)."""
    from gaussfit.data import load_data
    from gaussfit.data.csv_reader import settle_columns
    from gaussfit.data.text_format import TextFormat
    from gaussfit.data.text_source import TextSource

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
