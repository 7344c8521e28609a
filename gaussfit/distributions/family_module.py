"""``--family-module path.py:Name``: a ``Family`` subclass from a file the user names.

The file is run as a module (it is the user's own code, named by the user, as ``python
path.py`` would run it). Whatever goes wrong is one line: a syntax error or an exception while
it runs names the file and line; a missing name lists the Family subclasses the module has.
"""

from __future__ import annotations

import importlib.util
import inspect
import os
import sys
import traceback
import uuid

from gaussfit.distributions.base import Family
from gaussfit.errors import ConfigError

OPTION = "--family-module"


def load_family(spec: str, option: str = OPTION) -> Family:
    """The family ``Name`` of ``path.py:Name`` (a Family subclass, instantiated without
    arguments, or a Family instance)."""
    path, sep, name = str(spec).rpartition(":")
    if not sep or not path or not name:
        raise ConfigError(
            f"{option}: expected PATH.py:NAME, e.g. my_family.py:Gompertz, not {spec!r}"
        )
    if not os.path.isfile(path):
        raise ConfigError(f"{option}: {path}: no such file")
    module = _run(path, option)
    if not hasattr(module, name):
        families = sorted(
            n for n, v in vars(module).items()
            if inspect.isclass(v) and issubclass(v, Family) and v is not Family
            and not inspect.isabstract(v)
        )  # fmt: skip
        has = ", ".join(families) if families else "no Family subclass"
        raise ConfigError(f"{option}: {path} has no {name!r}; it defines {has}")
    found = getattr(module, name)
    if isinstance(found, Family):
        return found
    if not (inspect.isclass(found) and issubclass(found, Family)):
        raise ConfigError(
            f"{option}: {path}:{name} is not a subclass of gaussfit.Family "
            f"(it is {type(found).__name__})"
        )
    missing = [a for a in ("name", "params") if not hasattr(found, a)]
    if missing or inspect.isabstract(found):
        absent = missing or sorted(getattr(found, "__abstractmethods__", ()))
        raise ConfigError(f"{option}: {path}:{name} does not define {', '.join(absent)}")
    try:
        return found()
    except Exception as error:  # the user's constructor: report where it failed
        raise ConfigError(f"{option}: {_where(error, path)}{name}(): {_what(error)}") from None


def _run(path: str, option: str) -> object:
    module_name = f"gaussfit_user_family_{uuid.uuid4().hex}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ConfigError(f"{option}: {path} is not a Python file (it should end in .py)")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses and typing look their module up
    try:
        spec.loader.exec_module(module)
    except SyntaxError as error:
        sys.modules.pop(module_name, None)
        raise ConfigError(
            f"{option}: {path}, line {error.lineno}: SyntaxError: {error.msg}"
        ) from None
    except Exception as error:  # the user's module failing is reported, not raised through
        sys.modules.pop(module_name, None)
        raise ConfigError(f"{option}: {_where(error, path)}{_what(error)}") from None
    return module


def _where(error: BaseException, path: str) -> str:
    """``path, line N: `` of the innermost frame in the user's file, if any."""
    target = os.path.realpath(path)
    lines = [
        frame.lineno
        for frame in traceback.extract_tb(error.__traceback__)
        if os.path.realpath(frame.filename) == target
    ]
    return f"{path}, line {lines[-1]}: " if lines else f"{path}: "


def _what(error: BaseException) -> str:
    message = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {message}" if message else type(error).__name__
