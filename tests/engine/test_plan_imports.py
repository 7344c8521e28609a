"""Start-up stays light: compiling and running a plan loads neither scipy nor pandas, and
``gaussfit --help`` loads neither (nor pyarrow) either."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("scipy", "pandas", "pyarrow", "numba")

COMPILE_AND_RUN = """
import json, sys
import numpy as np
import gaussfit.engine as tf
x = tf.placeholder(tf.float64, name="X")
mu = tf.Variable(1.0, dtype=tf.float64, name="mu")
loss = tf.reduce_sum((x - mu) ** 2.0)
step = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
with tf.Session() as session:
    session.run(mu.initializer)
    for _ in range(5):
        session.run([step, loss], {x: np.arange(100000.0)})
    assert any(plan.programs for plan in session._plans.values())
print(json.dumps(sorted(sys.modules)))
"""

HELP = """
import json, sys
from gaussfit.cli.main import main
try:
    main(["--help"], prog_name="gaussfit")
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""


def _modules(code: str) -> list[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _heavy(modules: list[str]) -> list[str]:
    return sorted({m.split(".")[0] for m in modules if m.split(".")[0] in HEAVY})


def test_compiling_and_running_a_plan_loads_nothing_heavy():
    modules = _modules(COMPILE_AND_RUN)
    assert "gaussfit.engine.compiler.codegen" in modules  # the plan was compiled
    assert _heavy(modules) == []


def test_gaussfit_help_loads_nothing_heavy():
    assert _heavy(_modules(HELP)) == []
