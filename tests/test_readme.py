"""The README's commands and code run as written (on a copy of the bundled data)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def shell_commands() -> list[tuple[str, int]]:
    """Each ``gaussfit`` command with the exit code it should end with: 0, or the N of an
    ``exits N`` in its comment (the example batch has a job that fails on purpose)."""
    commands = []
    for block in blocks("sh"):
        for line in block.splitlines():
            command, _, comment = line.partition("  #")
            if command.strip().startswith("gaussfit "):
                expected = re.search(r"exits (\d+)", comment)
                commands.append((command.strip(), int(expected.group(1)) if expected else 0))
    return commands


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for folder in ("data", "configs"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def test_the_quick_start_is_two_commands_and_ci_runs_the_second():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = [b.strip() for b in re.findall(r"```sh\n(.*?)```", quick, flags=re.S)]
    assert commands == [
        "pip install . && gaussfit fit data/seed_lab.csv",
        "pip install -e '.[test]' && python -m pytest",
    ]
    assert commands[1] in (ROOT / ".ci" / "run").read_text()


@pytest.mark.parametrize(("command", "code"), shell_commands())
def test_shell_command_runs(command, code, project, request):
    if "--format svg" in command and shutil.which("dot") is None:
        pytest.skip("Graphviz's dot program is not installed")
    args = shlex.split(re.split(r"\s>\s", command, maxsplit=1)[0])  # a redirect, not a '>0'
    if "--dask" in args:
        # `--dask` alone starts a local cluster (tests/scale tests that path); here the command
        # runs on the suite's one cluster instead of starting another.
        client = request.getfixturevalue("dask_client")
        at = args.index("--dask") + 1
        if at == len(args) or args[at].startswith("-"):
            args.insert(at, client.scheduler.address)
    done = subprocess.run(
        [sys.executable, "-m", "gaussfit", *args[1:]],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("index", range(len(blocks("python"))))
def test_python_example_runs(index, monkeypatch):
    monkeypatch.chdir(ROOT)
    exec(compile(blocks("python")[index], f"README python block {index}", "exec"), {})
