"""Importing the engine stays as cheap as importing numpy: no scipy, no pandas, and nothing
from the layers built on top of it (distributions, command line)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
import gaussfit.engine as tf
tf.reduce_sum(tf.constant([1.0, 2.0]) * 2.0)  # building a graph loads nothing either
print(json.dumps(sorted(sys.modules)))
"""


@pytest.fixture(scope="module")
def modules_after_import() -> list[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    "prefix", ["scipy", "pandas", "gaussfit.distributions", "gaussfit.cli", "gaussfit.fitting"]
)
def test_importing_the_engine_does_not_load(modules_after_import, prefix):
    loaded = [m for m in modules_after_import if m == prefix or m.startswith(prefix + ".")]
    assert loaded == []


def test_the_probe_saw_the_engine(modules_after_import):
    assert "gaussfit.engine" in modules_after_import
    assert "numpy" in modules_after_import
