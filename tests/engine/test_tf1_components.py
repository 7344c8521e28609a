"""What the recorded TF1 programs do not pin down: the checkpoint format, error wording,
which plans the compiler declines, and the names a missing TF1 function gets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import gaussfit.engine as tf
from gaussfit.engine import plan as plan_module
from gaussfit.engine.errors import NotFoundError

REPO = Path(__file__).resolve().parents[2]


def test_a_checkpoint_is_an_npz_of_variable_values_and_a_tf_style_index(tmp_path):
    tf.Variable(np.arange(6.0).reshape(2, 3), name="w")
    with tf.variable_scope("layer"):
        k = tf.get_variable("k", [2], initializer=tf.constant_initializer(1.5))
    saver = tf.train.Saver(max_to_keep=2)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        paths = [saver.save(session, str(tmp_path / "m"), global_step=s) for s in (1, 2, 3)]
    with np.load(paths[-1] + ".npz") as archive:
        assert sorted(archive.files) == ["layer/k", "w"]
        np.testing.assert_array_equal(archive["w"], np.arange(6.0).reshape(2, 3))
        assert archive["layer/k"].dtype == np.float32
    assert (tmp_path / "checkpoint").read_text() == (
        'model_checkpoint_path: "m-3"\n'
        'all_model_checkpoint_paths: "m-2"\n'
        'all_model_checkpoint_paths: "m-3"\n'
    )
    assert not os.path.exists(paths[0] + ".npz")  # only max_to_keep are kept
    assert tf.train.latest_checkpoint(str(tmp_path)) == str(tmp_path / "m-3")
    assert k.name == "layer/k:0"


def test_restoring_names_what_is_missing(tmp_path):
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver()
    with tf.Session() as session:
        session.run(v.initializer)
        path = saver.save(session, str(tmp_path / "m"))
        with pytest.raises(NotFoundError, match="Failed to find any matching files"):
            saver.restore(session, str(tmp_path / "nothing"))
    tf.reset_default_graph()
    other = tf.Variable(0.0, name="u")
    with tf.Session() as session, pytest.raises(NotFoundError, match="Key u not found"):
        tf.train.Saver().restore(session, path)
    assert tf.train.latest_checkpoint(str(tmp_path / "empty")) is None
    assert other.name == "u:0"


def test_a_missing_tf1_name_says_it_is_not_implemented_here():
    with pytest.raises(AttributeError, match=r"^tf\.placeholder_with_default is not impl"):
        _ = tf.placeholder_with_default
    with pytest.raises(AttributeError, match=r"^tf\.nn\.conv2d is not implemented"):
        _ = tf.nn.conv2d
    with pytest.raises(AttributeError, match=r"^tf\.train\.FtrlOptimizer is not implemented"):
        _ = tf.train.FtrlOptimizer


def test_a_string_fed_to_a_float_placeholder_is_a_value_error():
    x = tf.placeholder(tf.float32, name="x")
    with tf.Session() as session, pytest.raises(ValueError, match="could not convert string"):
        session.run(x * 2.0, {x: "abc"})


def test_fetched_scalars_have_numpys_type_names():
    with tf.Session() as session:
        values = session.run([tf.constant(1.5), tf.constant(np.float64(2.0)), tf.constant(3)])
    assert [type(v).__name__ for v in values] == ["float32", "float64", "int32"]
    assert repr(values) == "[1.5, 2.0, 3]"


@pytest.mark.parametrize(
    "build",
    [
        lambda x: tf.reduce_sum(x * tf.random_normal([4], dtype=tf.float64, seed=1)),
        lambda x: tf.cond(tf.reduce_sum(x) > 0.0, lambda: x * 2.0, lambda: x),
    ],
    ids=["random", "cond"],
)
def test_the_compiler_declines_random_and_control_flow_plans(build, monkeypatch):
    monkeypatch.setattr(plan_module, "COMPILE_AFTER", 0)
    x = tf.placeholder(tf.float64, shape=[4], name="x")
    y = build(x)
    with tf.Session() as session:
        for _ in range(3):
            session.run(y, {x: np.ones(4)})
        (plan,) = session._plans.values()
    assert plan.programs == {}


def test_reads_ordered_by_control_dependencies_are_interpreted_and_see_the_write(monkeypatch):
    monkeypatch.setattr(plan_module, "COMPILE_AFTER", 0)
    v = tf.Variable(0.0, dtype=tf.float64, name="v")
    bump = tf.assign_add(v, 1.5)
    with tf.control_dependencies([bump]):
        after = v * 2.0
    before = v * 2.0
    with tf.Session() as session:
        session.run(v.initializer)
        seen = [session.run([after, before]) for _ in range(3)]
        plan = session._plans[((after, before), frozenset())]
    assert seen == [[3.0, 0.0], [6.0, 3.0], [9.0, 6.0]]
    assert plan.ordered_reads and plan.programs == {}


@pytest.mark.parametrize("start", [0.3, 0.7, 1.9])
def test_while_loop_gradients_match_finite_differences(start):
    x = tf.placeholder(tf.float64, [], name="x")
    scale = tf.placeholder(tf.float64, [], name="scale")
    _, acc = tf.while_loop(
        lambda i, a: i < 4, lambda i, a: (i + 1, a * x + tf.sin(a) * scale), (0, x * x)
    )
    grads = tf.gradients(acc, [x, scale])

    def reference(xv: float, sv: float) -> float:
        a = xv * xv
        for _ in range(4):
            a = a * xv + np.sin(a) * sv
        return a

    eps = 1e-6
    with tf.Session() as session:
        value, (gx, gs) = session.run([acc, grads], {x: start, scale: 0.5})
    assert value == pytest.approx(reference(start, 0.5), rel=1e-14)
    fd_x = (reference(start + eps, 0.5) - reference(start - eps, 0.5)) / (2 * eps)
    fd_s = (reference(start, 0.5 + eps) - reference(start, 0.5 - eps)) / (2 * eps)
    assert gx == pytest.approx(fd_x, rel=1e-6)
    assert gs == pytest.approx(fd_s, rel=1e-6)
    with pytest.raises(LookupError, match=r"Second derivatives of tf\.while_loop"):
        tf.gradients(grads[0], x)


def test_variable_scope_reuse_errors_name_the_variable():
    with tf.variable_scope("a"):
        tf.get_variable("w", [1])
    clash = pytest.raises(ValueError, match="Variable a/w already exists, disallowed")
    with clash, tf.variable_scope("a"):
        tf.get_variable("w", [1])
    missing = pytest.raises(ValueError, match="Variable b/w does not exist")
    with missing, tf.variable_scope("b", reuse=True):
        tf.get_variable("w", [1])
    wrong_shape = pytest.raises(ValueError, match="Trying to share variable a/w")
    with wrong_shape, tf.variable_scope("a", reuse=True):
        tf.get_variable("w", [2])


def test_a_dense_layer_reused_shares_its_variables():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    first = tf.layers.dense(x, 2, activation=tf.nn.relu, name="hidden")
    second = tf.layers.dense(x, 2, activation=tf.nn.relu, name="hidden", reuse=True)
    other = tf.layers.dense(x, 4)
    names = [v.name for v in tf.trainable_variables()]
    assert names == ["hidden/kernel:0", "hidden/bias:0", "dense/kernel:0", "dense/bias:0"]
    data = np.array([[1.0, -2.0, 0.5]], dtype=np.float32)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        a, b, kernel = session.run([first, second, tf.trainable_variables()[0]], {x: data})
        c = session.run(other, {x: data})
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(a, np.maximum(data @ kernel, 0.0), rtol=1e-6)
    limit = np.sqrt(6.0 / (3 + 2))  # Glorot-uniform bounds
    assert np.all(np.abs(kernel) <= limit) and c.shape == (1, 4)


def test_the_environment_switch_turns_the_compiler_off():
    code = (
        "import numpy as np, gaussfit.engine as tf\n"
        "from gaussfit.engine import plan\n"
        "plan.COMPILE_AFTER = 0\n"
        "x = tf.placeholder(tf.float64)\n"
        "s = tf.Session()\n"
        "y = tf.reduce_sum(x * 2.0)\n"
        "for _ in range(3): s.run(y, {x: np.ones(3)})\n"
        "print(tf.compiler_hook.is_enabled(), [bool(p.programs) for p in s._plans.values()])\n"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO), GAUSSFIT_ENGINE_COMPILER="off")
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip() == "False [False]"
