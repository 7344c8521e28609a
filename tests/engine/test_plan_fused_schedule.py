"""When fused loops are used (``gaussfit.engine.compiler.schedule``): a kernel already in the
disk cache at once, a new one compiled by a background process and never in the user's step,
and the numpy program back whenever the fused one is slower or fails. Results are checked
against the lab's step worked out on paper in numpy.

Skipped without numba. Each test has its own kernel cache (a temporary directory).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import gaussfit.engine as tf
from gaussfit.engine import plan as plan_module
from gaussfit.engine.compiler import fused, kernel_cache, schedule

pytest.importorskip("numba")

REPO = Path(__file__).resolve().parents[2]
DATA = np.random.default_rng(5).normal(2.5, 1.5, 4000)
RATE = 2.0**-17  # exact in float32 too, whatever the optimizer rounds it to


@pytest.fixture
def cache(monkeypatch, tmp_path):
    """A fresh kernel cache; plans compiled at once; sums of 64 elements or more fused."""
    monkeypatch.setenv("GAUSSFIT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(plan_module, "COMPILE_AFTER", 0)
    monkeypatch.setattr(fused, "FUSE_MIN_ELEMENTS", 64)
    monkeypatch.setattr(fused, "_LOADED", {})
    monkeypatch.setattr(schedule, "_SCHEDULES", [])
    return tmp_path / "kernels"


def _lab_session():
    """The lab's graph: a session and one step returning (log_p, mu, sigma) after the update."""
    tf.reset_default_graph()
    x = tf.placeholder(tf.float64, name="X")
    mu = tf.Variable(1.0, dtype=tf.float64, name="mu")
    sigma = tf.Variable(1.0, dtype=tf.float64, name="sigma")
    s2 = sigma**2.0
    log_p = tf.reduce_sum(-0.5 * tf.log(2.0 * np.pi * s2) - (x - mu) ** 2.0 / (2.0 * s2))
    step = tf.train.GradientDescentOptimizer(RATE).minimize(-log_p)
    session = tf.Session()
    session.run(tf.global_variables_initializer())

    def run():
        _, value = session.run([step, log_p], {x: DATA})
        return value, *session.run([mu.value(), sigma.value()])

    return session, run


def _paper_steps(steps: int) -> list[tuple[float, float, float]]:
    """The same steps with the gradient worked out by hand: (log_p, mu, sigma) after each."""
    mu, sigma, n, out = 1.0, 1.0, DATA.size, []
    for _ in range(steps):
        d = DATA - mu
        s2 = sigma * sigma
        log_p = -0.5 * n * np.log(2 * np.pi * s2) - np.dot(d, d) / (2 * s2)
        mu, sigma = (
            mu + RATE * np.sum(d) / s2,
            sigma + RATE * (-n / sigma + np.dot(d, d) / (sigma * s2)),
        )
        out.append((log_p, mu, sigma))
    return out


def _program(session):
    """The step's program (the plan reading mu and sigma after it has no sums to fuse)."""
    (program,) = [
        p
        for plan in session._plans.values()
        for p in plan.programs.values()
        if getattr(p, "schedule", None) is not None or "call_kernel(" in p.source
    ]
    return program


def _fill_cache(monkeypatch) -> None:
    """Compile the lab step's kernel into the cache, as an earlier long loop would have."""
    with monkeypatch.context() as m:
        m.setattr(fused, "FUSE_AFTER_SECONDS", 0.0)
        session, run = _lab_session()
        run()
        run()
        assert "call_kernel(" in _program(session).source
        session.close()
    fused._LOADED.clear()


@pytest.mark.slow
def test_a_cached_kernel_is_used_at_the_first_run(cache, monkeypatch):
    _fill_cache(monkeypatch)
    monkeypatch.setattr(schedule, "LOAD_SECONDS", 0.0)  # loading is free: it always pays
    session, run = _lab_session()
    values = [run()]
    assert isinstance(_program(session), schedule.Trial)  # fused after the first run
    values += [run() for _ in range(7)]
    program = _program(session)
    assert isinstance(program, schedule.Trial) and not program.dropped
    assert "call_kernel(" in program.source
    (kernel,) = fused._LOADED.values()
    assert sum(kernel.stats.cache_hits.values()) == 1  # loaded, not compiled
    np.testing.assert_allclose(values, _paper_steps(8), rtol=1e-12)


def test_a_fused_program_slower_than_numpy_is_dropped(cache, monkeypatch):
    _fill_cache(monkeypatch)
    monkeypatch.setattr(schedule, "LOAD_SECONDS", 0.0)
    fast = fused.call_kernel

    def slow(*args):  # a fused loop that costs far more than the numpy program's whole run
        time.sleep(0.01)
        return fast(*args)

    monkeypatch.setattr(fused, "call_kernel", slow)
    session, run = _lab_session()
    values = [run() for _ in range(schedule.TRIAL_RUNS + 4)]
    program = _program(session)
    assert program.dropped and "call_kernel(" not in program.source
    assert program.schedule.record["slower"] is True
    np.testing.assert_allclose(values, _paper_steps(len(values)), rtol=1e-12)
    program.schedule.save()  # as at exit: the next process does not fuse this plan
    assert kernel_cache.read(f"plan_{program.schedule.key}")["slower"] is True


def test_a_fused_program_that_fails_gives_way_to_numpy(cache, monkeypatch):
    _fill_cache(monkeypatch)
    monkeypatch.setattr(schedule, "LOAD_SECONDS", 0.0)

    def broken(*args):
        raise RuntimeError("a kernel that cannot run here")

    monkeypatch.setattr(fused, "call_kernel", broken)
    session, run = _lab_session()
    values = [run() for _ in range(4)]
    assert _program(session).dropped
    np.testing.assert_allclose(values, _paper_steps(4), rtol=1e-12)


def test_a_kernel_that_does_not_compile_leaves_the_numpy_program(cache, monkeypatch):
    def failing(source):
        raise RuntimeError("numba could not compile this")

    monkeypatch.setattr(fused, "_kernel", failing)
    monkeypatch.setattr(schedule, "COMPILE_GUESS_SECONDS", 0.0)  # compiling here always pays
    monkeypatch.setattr(schedule, "BACKGROUND_AFTER_SECONDS", 0.0)
    monkeypatch.setattr(schedule, "_spare_core", lambda: True)
    monkeypatch.setattr(schedule.Schedule, "_start_builder", lambda self: False)  # cannot start
    session, run = _lab_session()
    values = [run() for _ in range(4)]
    program = _program(session)
    assert "call_kernel(" not in program.source and program.schedule.failed
    np.testing.assert_allclose(values, _paper_steps(4), rtol=1e-12)


def test_a_short_loop_builds_nothing(cache):
    session, run = _lab_session()
    for _ in range(20):
        run()
    program = _program(session)
    assert "call_kernel(" not in program.source
    assert program.schedule._builder is None and not program.schedule._build_started
    assert not list(cache.glob("__pycache__/*"))  # nothing compiled


def _in_child(code: str, folder: Path) -> dict:
    env = dict(os.environ)
    env["GAUSSFIT_CACHE_DIR"] = str(folder)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


_LOOP = """
import json, sys, time
import numpy as np
{prelude}
import gaussfit.engine as tf
from gaussfit.engine import plan
from gaussfit.engine.compiler import fused, schedule
plan.COMPILE_AFTER = 0
fused.FUSE_MIN_ELEMENTS = 64
schedule.BACKGROUND_AFTER_SECONDS = 0.0
schedule.BUILDER_NICENESS = 0
schedule.LOAD_SECONDS = 0.0
schedule._spare_core = lambda: True  # however busy the machine running the tests
x = tf.placeholder(tf.float64, name="X")
total = tf.reduce_sum(tf.exp(x) * 3.0 - x)
data = np.linspace(0.0, 1.0, 500)
session = tf.Session()
numpy_runs, loaded_early = 0, False
deadline = time.monotonic() + {wait}
while True:
    value = session.run(total, {{x: data}})
    (program,) = [p for q in session._plans.values() for p in q.programs.values()]
    if "call_kernel(" in program.source or time.monotonic() > deadline:
        break
    numpy_runs += 1
    loaded_early = loaded_early or bool(fused._LOADED)
builder = program.schedule._builder
print(json.dumps({{"numpy_runs": numpy_runs, "loaded_early": loaded_early,
                   "fused": "call_kernel(" in program.source, "value": float(value),
                   "builder": None if builder is None else builder.pid,
                   "hits": [sum(k.stats.cache_hits.values()) for k in fused._LOADED.values()]}}))
"""


@pytest.mark.slow
def test_a_new_kernel_is_built_in_the_background_then_loaded(tmp_path):
    # numba is imported beforehand, so fusing costs only the kernel's load or compilation
    result = _in_child(_LOOP.format(prelude="import numba", wait=120), tmp_path)
    assert result["fused"] and result["numpy_runs"] > 0  # numpy ran while the kernel was built
    assert not result["loaded_early"]  # nothing compiled in the loop's process...
    assert result["hits"] == [1]  # ...which loaded what the builder compiled
    data = np.linspace(0.0, 1.0, 500)
    assert result["value"] == pytest.approx(np.sum(np.exp(data) * 3.0 - data), rel=1e-12)


def test_no_builder_outlives_the_process(tmp_path):
    result = _in_child(_LOOP.format(prelude="", wait=0), tmp_path)  # exits while it compiles
    assert result["builder"] is not None and not result["fused"]
    with pytest.raises(ProcessLookupError):
        os.kill(result["builder"], 0)


def test_without_a_spare_core_nothing_is_compiled_in_the_loop(cache, monkeypatch):
    monkeypatch.setattr(schedule, "COMPILE_GUESS_SECONDS", 0.0)  # compiling would pay at once
    monkeypatch.setattr(schedule, "BACKGROUND_AFTER_SECONDS", 0.0)
    monkeypatch.setattr(schedule, "_spare_core", lambda: False)
    session, run = _lab_session()
    values = [run() for _ in range(4)]
    program = _program(session)
    assert "call_kernel(" not in program.source and program.schedule._builder is None
    assert not fused._LOADED
    np.testing.assert_allclose(values, _paper_steps(4), rtol=1e-12)


def test_the_next_process_knows_how_long_the_loop_ran(cache):
    session, run = _lab_session()
    for _ in range(3):
        run()
    first = _program(session).schedule
    first.save()
    later = schedule.Schedule(first.sources)
    assert later._history == pytest.approx(first.seconds) and first.seconds > 0
