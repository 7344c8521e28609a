"""Session.run with TF1's semantics: fetches, feeds, pruning, plans, variables, errors and
symbolic gradients."""

from __future__ import annotations

import collections
import re

import numpy as np
import pytest

import gaussfit.engine as tf
from gaussfit.engine.errors import FailedPreconditionError, InvalidArgumentError, OpError
from gaussfit.engine.ops.op_def import NO_RULE, OpDef, make_op
from gaussfit.errors import GaussfitError

Pair = collections.namedtuple("Pair", "first second")


def _counting_exp(calls: list):
    """An exp op that records each evaluation; its gradient uses the forward output."""

    def forward(x):
        calls.append(x)
        return np.exp(x)

    def grad(op, g, needs):
        return [g * op.outputs[0]]

    return OpDef("CountingExp", forward, lambda shapes, attrs: shapes[0], grad)


# -- fetches --------------------------------------------------------------------------------
def test_fetching_a_tensor_computes_its_value():
    a = tf.constant(np.array([1.0, 2.0, 3.0]), name="a")
    b = tf.constant(np.array([2.0, 2.0, 2.0]), name="b")
    c = (a + b) * a**b
    with tf.Session() as session:
        np.testing.assert_array_equal(session.run(c), [3.0, 16.0, 45.0])


def test_scalar_results_are_numpy_scalars_that_print_as_numbers():
    x = tf.constant(np.float64(2.5))
    with tf.Session() as session:
        value = session.run(x)
        pair = session.run([x, x * 2.0])
    assert isinstance(value, np.float64)
    assert value == 2.5
    assert repr(pair) == "[2.5, 5.0]"


def test_fetching_an_op_gives_none_and_names_resolve():
    a = tf.constant(np.ones(2), name="a")
    s = a + 1.0
    v = tf.Variable(1.0, name="v")
    init = tf.global_variables_initializer()
    with tf.Session() as session:
        assert session.run(init) is None
        assert session.run("init") is None
        np.testing.assert_array_equal(session.run("add:0"), [2.0, 2.0])
        assert session.run("v:0") == 1.0
        assert session.run(v) == 1.0
        assert session.run(s.op) is None


def test_nested_fetches_keep_their_structure():
    a = tf.constant(np.array([1.0, 2.0]), name="a")
    s = a + 1.0
    init = tf.global_variables_initializer()
    fetches = {
        "list": [a, (s, init)],
        "pair": Pair(s, [a]),
        "ordered": collections.OrderedDict([("z", a), ("y", s)]),
        "empty": [],
    }
    with tf.Session() as session:
        result = session.run(fetches)
    assert type(result) is dict
    assert list(result) == ["list", "pair", "ordered", "empty"]
    assert type(result["list"]) is list and type(result["list"][1]) is tuple
    np.testing.assert_array_equal(result["list"][0], [1.0, 2.0])
    np.testing.assert_array_equal(result["list"][1][0], [2.0, 3.0])
    assert result["list"][1][1] is None
    assert type(result["pair"]) is Pair
    np.testing.assert_array_equal(result["pair"].first, [2.0, 3.0])
    np.testing.assert_array_equal(result["pair"].second[0], [1.0, 2.0])
    assert type(result["ordered"]) is collections.OrderedDict
    assert list(result["ordered"]) == ["z", "y"]
    assert result["empty"] == []


def test_a_fetch_listed_twice_is_computed_once():
    calls: list = []
    x = tf.constant(np.array([0.0, 1.0]))
    y = make_op(_counting_exp(calls), [x])
    with tf.Session() as session:
        first, second = session.run([y, y])
    assert len(calls) == 1
    np.testing.assert_array_equal(first, second)
    np.testing.assert_allclose(first, np.exp([0.0, 1.0]))


def test_a_loss_and_its_gradient_share_the_forward_pass():
    calls: list = []
    x = tf.placeholder(tf.float64, shape=[3], name="x")
    z = make_op(_counting_exp(calls), [x * 2.0])
    loss = tf.reduce_sum(z * z)
    (grad,) = tf.gradients(loss, x)
    x0 = np.array([0.1, 0.2, 0.3])
    with tf.Session() as session:
        loss_value, grad_value = session.run([loss, grad], {x: x0})
    assert len(calls) == 1
    assert loss_value == pytest.approx(np.sum(np.exp(4 * x0)))
    np.testing.assert_allclose(grad_value, 4 * np.exp(4 * x0))


def test_only_the_ops_a_fetch_needs_are_run():
    calls: list = []
    x = tf.placeholder(tf.float64, name="X")
    needed = tf.constant(np.ones(2)) + 1.0
    make_op(_counting_exp(calls), [x * 2.0])
    with tf.Session() as session:
        np.testing.assert_array_equal(session.run(needed), [2.0, 2.0])
    assert calls == []


# -- feeds ----------------------------------------------------------------------------------
def test_feeds_are_converted_to_the_placeholder_dtype():
    x32 = tf.placeholder(tf.float32, name="x32")
    x64 = tf.placeholder(tf.float64, name="x64")
    with tf.Session() as session:
        assert session.run(x32 * 2.0, {x32: [1, 2]}).dtype == np.float32
        assert session.run(tf.identity(x64), {x64: [1, 2]}).dtype == np.float64
        assert session.run(tf.identity(x64), {"x64:0": 3.0}) == 3.0


def test_any_tensor_can_be_fed_and_a_fed_fetch_returns_the_fed_value():
    x = tf.placeholder(tf.float64, shape=[2], name="X")
    a = tf.constant(np.array([1.0, 2.0]), name="a")
    middle = x * 10.0
    out = middle + a
    with tf.Session() as session:
        # The placeholder behind ``middle`` need not be fed once ``middle`` is.
        np.testing.assert_array_equal(session.run(out, {middle: [5.0, 6.0]}), [6.0, 8.0])
        np.testing.assert_array_equal(session.run(middle, {middle: [5.0, 6.0]}), [5.0, 6.0])
        np.testing.assert_array_equal(session.run(a + 1.0, {a: [0.0, 0.0]}), [1.0, 1.0])
        np.testing.assert_array_equal(session.run(x, {x: [3.0, 4.0]}), [3.0, 4.0])


def test_a_variable_can_be_fed_in_place_of_its_value():
    mu = tf.Variable(1.0, dtype=tf.float64, name="mu")
    loss = (mu - 3.0) ** 2.0
    (grad,) = tf.gradients(loss, mu)
    with tf.Session() as session:
        assert session.run([loss, grad, mu], {mu: 5.0}) == [4.0, 4.0, 5.0]  # no init needed
        session.run(mu.initializer)
        assert session.run([loss, grad, mu], {mu: 6.0}) == [9.0, 6.0, 6.0]
        assert session.run(mu) == 1.0


def test_partially_known_shapes_accept_matching_feeds():
    rows = tf.placeholder(tf.float64, shape=[None, 3], name="rows")
    total = tf.reduce_sum(rows, axis=0)
    with tf.Session() as session:
        np.testing.assert_array_equal(session.run(total, {rows: np.ones((5, 3))}), [5.0] * 3)
        with pytest.raises(ValueError, match=re.escape("which has shape '(?, 3)'")):
            session.run(total, {rows: np.ones((5, 4))})


# -- the plan cache -------------------------------------------------------------------------
def test_the_plan_for_the_same_fetches_and_feeds_is_reused():
    x = tf.placeholder(tf.float64, name="X")
    y = x * 2.0
    z = y + 1.0
    with tf.Session() as session:
        session.run(z, {x: 1.0})
        (plan,) = session._plans.values()
        session.run([z], {x: 2.0})
        session.run(z, {"X:0": 3.0})
        assert list(session._plans.values()) == [plan]
        assert session.run(z, {y: 1.0}) == 2.0
        assert len(session._plans) == 2


# -- variables ------------------------------------------------------------------------------
def test_a_step_and_the_loss_in_one_run_report_the_loss_before_the_step():
    mu = tf.Variable(1.0, dtype=tf.float64, name="mu")
    loss = (mu - 3.0) ** 2.0
    step = tf.train.GradientDescentOptimizer(0.25).minimize(loss)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        assert session.run([step, loss]) == [None, 4.0]
        assert session.run(mu) == 2.0
        assert session.run([step, loss, mu]) == [None, 1.0, 2.0]
        assert session.run(mu) == 2.5


def test_reads_in_a_run_see_values_from_its_start():
    v = tf.Variable(1.0, dtype=tf.float64, name="v")
    doubled = v * 2.0
    write = v.assign(10.0)
    with tf.Session() as session:
        session.run(v.initializer)
        assert session.run([write, doubled, v]) == [10.0, 2.0, 1.0]
        assert session.run([doubled, v]) == [20.0, 10.0]


def test_assign_assign_add_assign_sub_and_load():
    v = tf.Variable(np.array([1.0, 2.0]), name="v")
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(session.run(v.assign([5.0, 6.0])), [5.0, 6.0])
        np.testing.assert_array_equal(session.run(v.assign_add([1.0, 1.0])), [6.0, 7.0])
        np.testing.assert_array_equal(session.run(v.assign_sub([3.0, 3.0])), [3.0, 4.0])
        np.testing.assert_array_equal(session.run(v), [3.0, 4.0])
        v.load([0.5, 0.25], session)
        np.testing.assert_array_equal(session.run(v), [0.5, 0.25])
        session.run(v.initializer)
        np.testing.assert_array_equal(session.run(v), [1.0, 2.0])


def test_assign_checks_dtype_and_shape_when_building():
    v = tf.Variable(np.array([1.0, 2.0]), name="v")
    with pytest.raises(ValueError, match="does not match the shape"):
        v.assign(np.ones(3))
    with pytest.raises(TypeError):
        v.assign(tf.constant(np.ones(2, dtype=np.float32)))


def test_variable_values_belong_to_the_session_and_are_not_aliased():
    v = tf.Variable(np.array([1.0, 2.0]), name="v")
    source = np.array([3.0, 4.0])
    with tf.Session() as first, tf.Session() as second:
        first.run(v.initializer)
        second.run(v.initializer)
        v.load(source, first)
        source[0] = -1.0
        fetched = first.run(v)
        fetched[1] = -2.0
        read = first.run(v.value())
        read[0] = -3.0
        np.testing.assert_array_equal(first.run(v), [3.0, 4.0])
        np.testing.assert_array_equal(second.run(v), [1.0, 2.0])


def test_closing_a_session_discards_variable_values():
    v = tf.Variable(1.0, name="v")
    session = tf.Session()
    session.run(v.initializer)
    session.close()
    with pytest.raises(RuntimeError, match=r"^Attempted to use a closed Session\.$"):
        session.run(v)
    with pytest.raises(RuntimeError, match="closed Session"):
        v.load(2.0, session)


# -- default sessions -----------------------------------------------------------------------
def test_eval_and_run_use_the_default_session():
    v = tf.Variable(2.0, dtype=tf.float64, name="v")
    x = tf.placeholder(tf.float64, name="X")
    y = v * x
    with tf.Session() as session:
        assert tf.get_default_session() is session
        v.initializer.run()
        assert y.eval({x: 3.0}) == 6.0
        assert v.eval() == 2.0
        v.assign(5.0).op.run()
        assert v.eval() == 5.0
    assert tf.get_default_session() is None
    other = tf.Session()
    with other.as_default():
        v.initializer.run()
        assert y.eval(feed_dict={x: 1.0}) == 2.0
    assert y.eval(feed_dict={x: 2.0}, session=other) == 4.0
    other.close()
    with pytest.raises(ValueError, match="No default session"):
        y.eval({x: 1.0})


def test_an_exception_inside_the_with_block_closes_the_session_and_propagates():
    with pytest.raises(KeyError), tf.Session() as session:
        raise KeyError("inside")
    assert tf.get_default_session() is None
    with pytest.raises(RuntimeError, match="closed Session"):
        session.run(tf.constant(1.0))


def test_a_session_runs_the_graph_it_was_given():
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(3.0, name="c") * 2.0
    with tf.Session(graph=g) as session:
        assert session.run(c) == 6.0
    with tf.Session(g) as session:
        assert session.graph is g


# -- errors ---------------------------------------------------------------------------------
def test_a_closed_session_refuses_to_run():
    c = tf.constant(1.0)
    with tf.Session() as session:
        pass
    with pytest.raises(RuntimeError, match=r"^Attempted to use a closed Session\.$"):
        session.run(c)


def test_a_tensor_from_another_graph_is_not_an_element_of_this_graph():
    g = tf.Graph()
    with g.as_default():
        other = tf.constant(1.0, name="other")
    tf.constant(1.0, name="here")
    with tf.Session() as session:
        with pytest.raises(ValueError, match=r"other:0.*is not an element of this graph\.$"):
            session.run(other)
        with pytest.raises(ValueError, match="is not an element of this graph"):
            session.run([other])


def test_an_unfed_placeholder_names_itself_its_dtype_and_shape():
    x = tf.placeholder(tf.float64, name="X")
    x3 = tf.placeholder(tf.float64, shape=[3], name="X3")
    rows = tf.placeholder(tf.float32, shape=[None, 3], name="rows")
    with tf.Session() as session:
        with pytest.raises(InvalidArgumentError) as info:
            session.run(x * 2.0)
        assert str(info.value) == (
            "You must feed a value for placeholder tensor 'X' with dtype double"
        )
        assert info.value.op is x.op
        with pytest.raises(InvalidArgumentError) as info:
            session.run(x3 + 1.0)
        assert str(info.value) == (
            "You must feed a value for placeholder tensor 'X3' with dtype double and shape [3]"
        )
        with pytest.raises(InvalidArgumentError) as info:
            session.run(rows)
        assert str(info.value) == (
            "You must feed a value for placeholder tensor 'rows' with dtype float"
        )


def test_an_uninitialised_variable_is_a_failed_precondition():
    mu = tf.Variable(1.0, dtype=tf.float64, name="mu")
    loss = (mu - 2.0) ** 2.0
    with tf.Session() as session:
        for fetch in (loss, mu, mu.assign_add(1.0)):
            with pytest.raises(FailedPreconditionError) as info:
                session.run(fetch)
            assert str(info.value) == "Attempting to use uninitialized value mu"
        assert session.run(mu.assign(3.0)) == 3.0  # assigning needs no earlier value
        assert session.run(loss) == 1.0


def test_a_feed_of_the_wrong_shape_is_a_value_error():
    x = tf.placeholder(tf.float64, shape=[3], name="X")
    with tf.Session() as session, pytest.raises(ValueError) as info:
        session.run(x, {x: [1.0, 2.0]})
    message = "Cannot feed value of shape (2,) for Tensor 'X:0', which has shape '(3,)'"
    assert str(info.value) == message


def test_a_tensor_as_a_feed_value_is_a_type_error():
    x = tf.placeholder(tf.float64, name="X")
    with tf.Session() as session, pytest.raises(TypeError, match=r"cannot be a tf\.Tensor"):
        session.run(x, {x: tf.constant(1.0, dtype=tf.float64)})


@pytest.mark.parametrize("key", [3, "nothing:0", "X", "init", None], ids=repr)
def test_a_bad_feed_key_is_a_type_error(key):
    tf.placeholder(tf.float64, name="X")
    tf.global_variables_initializer()
    c = tf.constant(1.0)
    with tf.Session() as session, pytest.raises(TypeError, match="Cannot interpret feed_dict key"):
        session.run(c, {key: 1.0})


def test_a_feed_key_from_another_graph_is_a_type_error():
    g = tf.Graph()
    with g.as_default():
        other = tf.placeholder(tf.float64, name="other")
    c = tf.constant(1.0)
    with tf.Session() as session, pytest.raises(TypeError, match="not an element of this graph"):
        session.run(c, {other: 1.0})


def test_a_non_integral_feed_for_an_integer_placeholder_is_a_type_error():
    n = tf.placeholder(tf.int32, name="n")
    with tf.Session() as session:
        assert session.run(n, {n: 2.0}) == 2
        with pytest.raises(TypeError):
            session.run(n, {n: 2.5})


def test_a_runtime_failure_names_the_op():
    x = tf.placeholder(tf.float64, name="X")
    y = tf.placeholder(tf.float64, name="Y")
    total = x + y
    with tf.Session() as session, pytest.raises(InvalidArgumentError) as info:
        session.run(total * 2.0, {x: np.ones(2), y: np.ones(3)})
    assert info.value.op is total.op
    assert "[[node add (Add)]]" in str(info.value)
    assert isinstance(info.value, (OpError, GaussfitError, ValueError))


def test_fetching_none_or_a_number_is_a_type_error():
    with tf.Session() as session:
        with pytest.raises(TypeError):
            session.run(None)
        with pytest.raises(TypeError, match="invalid type int"):
            session.run(3)


# -- gradients ------------------------------------------------------------------------------
def _value(fetches, feed=None):
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        return session.run(fetches, feed)


def test_gradients_are_none_where_no_path_exists():
    x = tf.placeholder(tf.float64, name="x")
    unrelated = tf.placeholder(tf.float64, name="u")
    n = tf.placeholder(tf.int32, name="n")
    y = x * 3.0 + tf.cast(n, tf.float64)
    grads = tf.gradients(y, [x, unrelated, n])
    assert grads[1] is None and grads[2] is None
    assert _value(grads[0], {x: 1.0, n: 1}) == 3.0


def test_gradients_along_several_paths_are_summed():
    x = tf.placeholder(tf.float64, name="x")
    y = x * x + tf.exp(x) + x
    (grad,) = tf.gradients(y, x)
    assert grad.op.type == "AddN"
    assert _value(grad, {x: 0.5}) == pytest.approx(2 * 0.5 + np.exp(0.5) + 1)


def test_gradients_of_several_ys_are_summed():
    x = tf.placeholder(tf.float64, name="x")
    (grad,) = tf.gradients([x * x, 3.0 * x], x)
    assert _value(grad, {x: 2.0}) == pytest.approx(7.0)


def test_grad_ys_weights_each_y():
    x = tf.placeholder(tf.float64, shape=[2], name="x")
    y = x * x
    (weighted,) = tf.gradients(y, x, grad_ys=np.array([1.0, 10.0]))
    (both,) = tf.gradients([y, x], x, grad_ys=[np.array([1.0, 1.0]), np.array([0.5, 0.5])])
    np.testing.assert_allclose(_value(weighted, {x: [1.0, 2.0]}), [2.0, 40.0])
    np.testing.assert_allclose(_value(both, {x: [1.0, 2.0]}), [2.5, 4.5])


def test_stop_gradient_blocks_the_path_through_it():
    x = tf.placeholder(tf.float64, name="x")
    y = tf.stop_gradient(x * x) * x
    (grad,) = tf.gradients(y, x)
    assert _value(grad, {x: 3.0}) == 9.0
    assert tf.gradients(tf.stop_gradient(x), x) == [None]


def test_the_gradient_of_a_tensor_with_respect_to_itself_is_ones():
    x = tf.constant(np.array([1.0, 2.0]))
    (grad,) = tf.gradients(x, x)
    np.testing.assert_array_equal(_value(grad), [1.0, 1.0])


def test_gradients_with_respect_to_variables_flow_through_their_reads():
    w = tf.Variable(np.array([1.0, 2.0]), name="w")
    b = tf.Variable(0.5, dtype=tf.float64, name="b")
    loss = tf.reduce_sum((w * 3.0 + b) ** 2.0)
    gw, gb = tf.gradients(loss, [w, b])
    values = _value([gw, gb])
    np.testing.assert_allclose(values[0], 6 * (np.array([1.0, 2.0]) * 3 + 0.5))
    assert values[1] == pytest.approx(2 * np.sum(np.array([1.0, 2.0]) * 3 + 0.5))


def test_an_op_without_a_rule_raises_lookup_error():
    no_rule = OpDef("NoGradientOp", np.negative, lambda shapes, attrs: shapes[0], NO_RULE)
    x = tf.placeholder(tf.float64, name="x")
    y = make_op(no_rule, [x * 2.0], "strange")
    with pytest.raises(LookupError, match=r"No gradient defined for operation 'strange'"):
        tf.gradients(y, x)


def test_the_order_of_polygamma_has_no_gradient():
    n = tf.placeholder(tf.float64, name="n")
    x = tf.placeholder(tf.float64, name="x")
    y = tf.polygamma(n, x)
    with pytest.raises(LookupError, match="No gradient defined"):
        tf.gradients(y, [n, x])
    (gx,) = tf.gradients(y, x)
    zeta_3 = 1.2020569031595942  # psi''(2) = -2 * zeta(3, 2) = -2 * (zeta(3) - 1)
    assert _value(gx, {n: 1.0, x: 2.0}) == pytest.approx(-2 * (zeta_3 - 1.0), rel=1e-12)


def test_gradient_ops_live_under_a_gradients_scope():
    x = tf.placeholder(tf.float64, name="x")
    with tf.name_scope("model"):
        y = tf.reduce_sum(x * x)
    before = {op.name for op in tf.get_default_graph().get_operations()}
    (grad,) = tf.gradients(y, x)
    added = [op.name for op in tf.get_default_graph().get_operations() if op.name not in before]
    assert added and all(name.startswith("gradients/") for name in added)
    assert any(name.startswith("gradients/model/mul_grad/") for name in added)
    assert any(name.startswith("gradients/model/Sum_grad/") for name in added)
    assert grad.name.startswith("gradients/")
    (again,) = tf.gradients(y, x)
    assert again.name.startswith("gradients_1/")


def test_polygamma_converts_a_python_number_on_either_side():
    import scipy.special

    order = tf.constant(np.float64(1.0))
    x = tf.constant(np.array([1.5, 2.0]))
    with tf.Session() as session:
        left, right = session.run([tf.polygamma(order, 2.0), tf.polygamma(2, x)])
    assert left == pytest.approx(scipy.special.polygamma(1, 2.0), rel=1e-14)
    assert right == pytest.approx(scipy.special.polygamma(2, [1.5, 2.0]), rel=1e-14)
