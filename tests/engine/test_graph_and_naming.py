"""Graph building: TF1's names, scopes, printed forms, static shapes and dtype rules."""

from __future__ import annotations

import numpy as np
import pytest

import gaussfit.engine as tf


def _names(graph=None):
    return [op.name for op in (graph or tf.get_default_graph()).get_operations()]


# -- unique names ---------------------------------------------------------------------------
def test_repeated_operator_names_get_counters():
    a = tf.constant(1.0, name="a")
    b = tf.constant(2.0, name="b")
    assert [(a + b).name, (a + b).name, (a + b).name] == ["add:0", "add_1:0", "add_2:0"]
    assert [tf.constant(0.0).name, tf.constant(0.0).name] == ["Const:0", "Const_1:0"]


def test_names_are_unique_regardless_of_case():
    a = tf.constant(2.0, name="a")
    assert tf.pow(a, a).name == "Pow:0"
    assert (a**a).name == "pow_1:0"
    assert tf.pow(a, a).name == "Pow_2:0"


def test_a_counter_skips_names_already_taken():
    tf.constant(1.0, name="c_1")
    assert [tf.constant(1.0, name="c").name, tf.constant(1.0, name="c").name] == [
        "c:0",
        "c_2:0",
    ]


def test_operators_use_lowercase_scopes_and_functions_their_type():
    x = tf.constant(np.ones(3), name="x")
    cases = [
        (x + x, "add"),
        (x - x, "sub"),
        (x * x, "mul"),
        (x / x, "truediv"),
        (x // x, "floordiv"),
        (x % x, "mod"),
        (x**x, "pow"),
        (-x, "Neg"),
        (abs(x), "Abs"),
    ]
    assert [t.op.name for t, _ in cases] == [name for _, name in cases]
    assert [(x + x).op.type, (x / x).op.type, (-x).op.type] == ["Add", "RealDiv", "Neg"]


def test_functions_name_their_op_after_its_type():
    x = tf.constant(np.ones(3), name="x")
    cases = [
        (tf.add(x, x), "Add"),
        (tf.subtract(x, x), "Sub"),
        (tf.multiply(x, x), "Mul"),
        (tf.truediv(x, x), "truediv"),
        (tf.divide(x, x), "truediv_1"),
        (tf.floormod(x, x), "FloorMod"),
        (tf.pow(x, x), "Pow"),
        (tf.log(x), "Log"),
        (tf.exp(x), "Exp"),
        (tf.reduce_sum(x), "Sum"),
        (tf.reduce_mean(x), "Mean"),
        (tf.maximum(x, x), "Maximum"),
        (tf.placeholder(tf.float64), "Placeholder"),
        (tf.constant(1.0), "Const"),
    ]
    assert [t.op.name for t, _ in cases] == [name for _, name in cases]


def test_an_explicit_name_is_made_unique_too():
    x = tf.constant(1.0)
    assert [tf.add(x, x, name="total").name, tf.add(x, x, name="total").name] == [
        "total:0",
        "total_1:0",
    ]


# -- name scopes ----------------------------------------------------------------------------
def test_nested_name_scopes_prefix_names():
    with tf.name_scope("outer"):
        with tf.name_scope("inner"):
            c = tf.constant(1.0, name="c")
            c_again = tf.constant(1.0, name="c")
        with tf.name_scope("inner"):
            other = tf.constant(1.0, name="c")
    with tf.name_scope("outer"):
        second = tf.constant(1.0, name="c")
    assert [c.name, c_again.name, other.name, second.name] == [
        "outer/inner/c:0",
        "outer/inner/c_1:0",
        "outer/inner_1/c:0",
        "outer_1/c:0",
    ]


def test_a_scope_ending_in_slash_is_reentered_as_is():
    with tf.name_scope("outer") as scope:
        assert scope == "outer/"
        tf.constant(1.0, name="c")
    with tf.name_scope(scope):
        again = tf.constant(1.0, name="c")
    with tf.name_scope("outer/inner/"):
        deep = tf.constant(1.0, name="d")
    assert [again.name, deep.name] == ["outer/c_1:0", "outer/inner/d:0"]


def test_an_empty_scope_returns_to_the_top_level():
    with tf.name_scope("outer"), tf.name_scope(None):
        c = tf.constant(1.0, name="c")
    assert c.name == "c:0"


def test_operators_inside_a_scope():
    with tf.name_scope("model"):
        t = tf.constant(1.0, name="t") + 1.0
    assert t.name == "model/add:0"
    assert "model/add/y" in _names()


# -- constants made from Python numbers ------------------------------------------------------
def test_python_numbers_become_constants_inside_the_operator_scope():
    t = tf.constant(np.ones(3), name="t")
    t + 1.0
    1.0 + t
    2.0 * t
    t - 1
    t / 2
    assert _names() == [
        "t",
        "add/y",
        "add",
        "add_1/x",
        "add_1",
        "mul/x",
        "mul",
        "sub/y",
        "sub",
        "truediv/y",
        "truediv",
    ]
    graph = tf.get_default_graph()
    assert graph.get_operation_by_name("add_1/x").type == "Const"
    assert graph.get_tensor_by_name("mul/x:0").dtype == tf.float64


# -- variables ------------------------------------------------------------------------------
def test_variable_adds_tf1_helper_ops():
    mu = tf.Variable(1.0, dtype=tf.float64, name="mu")
    assert _names() == ["mu/initial_value", "mu", "mu/Assign", "mu/read"]
    graph = tf.get_default_graph()
    assert graph.get_operation_by_name("mu").type == "VariableV2"
    assert graph.get_operation_by_name("mu/Assign").type == "Assign"
    assert graph.get_operation_by_name("mu/read").type == "Identity"
    assert mu.name == "mu:0"
    assert mu.op.name == "mu"
    assert mu.initializer.name == "mu/Assign"
    assert mu.value().name == "mu/read:0"
    assert (mu + 1.0).op.inputs[0].name == "mu/read:0"


def test_variable_names_default_and_repeat():
    names = [tf.Variable(0.0).name, tf.Variable(0.0).name, tf.Variable(0.0, name="v").name]
    assert names == ["Variable:0", "Variable_1:0", "v:0"]
    with tf.name_scope("model"):
        assert tf.Variable(0.0, name="w").name == "model/w:0"


def test_global_variables_initializer_is_one_op_named_init():
    v = tf.Variable(0.0, name="v")
    w = tf.Variable(0.0, name="w")
    init = tf.global_variables_initializer()
    assert init.name == "init"
    assert init.type == "NoOp"
    assert set(init.control_inputs) == {v.initializer, w.initializer}
    assert tf.global_variables_initializer().name == "init_1"
    assert tf.global_variables() == [v, w]
    assert tf.trainable_variables() == [v, w]
    frozen = tf.Variable(0.0, name="frozen", trainable=False)
    assert frozen in tf.global_variables()
    assert frozen not in tf.trainable_variables()


# -- printing -------------------------------------------------------------------------------
def test_str_and_repr_of_tensors_follow_tf1():
    a = tf.constant(np.array([1.0, 2.0, 3.0]), name="a")
    x = tf.placeholder(tf.float64, name="X")
    rows = tf.placeholder(tf.float32, shape=[None, 3], name="rows")
    scalar = tf.constant(1, name="n")
    assert str(a) == 'Tensor("a:0", shape=(3,), dtype=float64)'
    assert repr(a) == "<tf.Tensor 'a:0' shape=(3,) dtype=float64>"
    assert str(x) == 'Tensor("X:0", dtype=float64)'
    assert repr(x) == "<tf.Tensor 'X:0' shape=<unknown> dtype=float64>"
    assert str(rows) == 'Tensor("rows:0", shape=(?, 3), dtype=float32)'
    assert str(scalar) == 'Tensor("n:0", shape=(), dtype=int32)'
    assert str(tf.constant(np.ones((2, 3)), name="m")) == (
        'Tensor("m:0", shape=(2, 3), dtype=float64)'
    )


def test_str_and_repr_of_variables_follow_tf1():
    mu = tf.Variable(1.0, dtype=tf.float64, name="mu")
    w = tf.Variable(np.zeros((2, 3), dtype=np.float32), name="w")
    assert repr(mu) == "<tf.Variable 'mu:0' shape=() dtype=float64_ref>"
    assert str(mu) == repr(mu)
    assert repr(w) == "<tf.Variable 'w:0' shape=(2, 3) dtype=float32_ref>"


def test_dtype_printing():
    assert str(tf.float64) == "<dtype: 'float64'>"
    assert repr(tf.float32) == "tf.float32"
    assert tf.double is tf.float64
    assert tf.as_dtype("double") is tf.float64
    assert tf.as_dtype(np.float32) is tf.float32
    with pytest.raises(TypeError):
        tf.as_dtype(np.float16)


# -- static shapes --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ((3,), (3,), (3,)),
        ((3, 1), (1, 4), (3, 4)),
        ((4,), (3, 4), (3, 4)),
        ((), (2, 3), (2, 3)),
        ((None, 3), (2, 1), (2, 3)),
        ((None, 3), (1, 3), (None, 3)),
        ((None,), (None,), (None,)),
        ((None, 1), (5,), (None, 5)),
        (None, (3,), None),
    ],
)
def test_static_shapes_of_binary_ops_broadcast(left, right, expected):
    x = tf.placeholder(tf.float64, shape=left)
    y = tf.placeholder(tf.float64, shape=right)
    for t in (x + y, x * y, tf.maximum(x, y), tf.where(x > y, x, y), x**y):
        assert t.shape.dims == (None if expected is None else tuple(expected))


@pytest.mark.parametrize(("left", "right"), [((3,), (4,)), ((2, 3), (3, 2)), ((3, 4), (4, 3))])
def test_incompatible_static_shapes_raise_value_error_when_building(left, right):
    x = tf.constant(np.ones(left))
    y = tf.constant(np.ones(right))
    with pytest.raises(ValueError, match="Dimensions must be equal"):
        x + y


def test_static_shapes_of_structural_ops():
    x = tf.constant(np.ones((3, 4)))
    unknown = tf.placeholder(tf.float64)
    assert tf.reduce_sum(x).shape == ()
    assert tf.reduce_sum(x, axis=0).shape == (4,)
    assert tf.reduce_mean(x, axis=-1, keepdims=True).shape == (3, 1)
    assert tf.reduce_max(x, axis=(0, 1), keepdims=True).shape == (1, 1)
    assert tf.reduce_sum(unknown).shape == ()
    assert tf.reduce_sum(unknown, axis=1).shape.dims is None
    assert tf.reshape(x, [2, -1]).shape == (2, 6)
    assert tf.reshape(unknown, [-1, 2]).shape.dims == (None, 2)
    assert tf.expand_dims(x, 0).shape == (1, 3, 4)
    assert tf.expand_dims(x, -1).shape == (3, 4, 1)
    assert tf.squeeze(tf.constant(np.ones((3, 1))), 1).shape == (3,)
    assert x[1].shape == (4,)
    assert x[:, 1:3].shape == (3, 2)
    assert x[..., 0].shape == (3,)
    assert tf.stack([x, x]).shape == (2, 3, 4)
    assert tf.stack([x, x], axis=-1).shape == (3, 4, 2)
    assert tf.concat([x, x], axis=1).shape == (3, 8)
    assert tf.broadcast_to(tf.constant(np.ones(4)), [3, 4]).shape == (3, 4)
    assert tf.shape(x).shape == (2,)
    assert tf.size(x).shape == ()
    assert tf.softmax(x).shape == (3, 4)
    assert tf.reduce_logsumexp(x, axis=1).shape == (3,)


@pytest.mark.parametrize(
    "build",
    [
        lambda x: tf.reduce_sum(x, axis=2),
        lambda x: tf.reduce_sum(x, axis=-3),
        lambda x: tf.reshape(x, [5, -1]),
        lambda x: tf.reshape(x, [5, 3]),
        lambda x: tf.squeeze(x, 0),
    ],
    ids=["axis=2", "axis=-3", "reshape [5,-1]", "reshape [5,3]", "squeeze a 3"],
)
def test_impossible_static_shapes_raise_value_error_when_building(build):
    with pytest.raises(ValueError):
        build(tf.constant(np.ones((3, 4))))


def test_tensor_shape_api():
    shape = tf.TensorShape([None, 3])
    assert shape.ndims == 2
    assert shape.as_list() == [None, 3]
    assert not shape.is_fully_defined
    assert shape.num_elements() is None
    assert tf.TensorShape([2, 3]).num_elements() == 6
    assert shape.is_compatible_with((5, 3))
    assert not shape.is_compatible_with((5, 4))
    assert tf.TensorShape(None).ndims is None
    with pytest.raises(ValueError):
        tf.TensorShape(None).as_list()


# -- dtype rules ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "dtype"),
    [
        (np.array([1.0, 2.0]), tf.float64),
        (np.array([1.0], dtype=np.float32), tf.float32),
        (np.array([1, 2], dtype=np.int64), tf.int64),
        (np.array([1, 2], dtype=np.int32), tf.int32),
        (np.float64(1.0), tf.float64),
        (np.float32(1.0), tf.float32),
        (1.0, tf.float32),
        ([1.0, 2.0], tf.float32),
        (1, tf.int32),
        ([1, 2], tf.int32),
        (True, tf.bool),
    ],
)
def test_constant_dtypes_follow_tf1(value, dtype):
    assert tf.constant(value).dtype == dtype


def test_variable_dtypes():
    assert tf.Variable(1.0).dtype == tf.float32
    assert tf.Variable(1.0, dtype=tf.float64).dtype == tf.float64
    assert tf.Variable(np.zeros(3)).dtype == tf.float64
    assert tf.Variable(1).dtype == tf.int32


def test_a_python_number_takes_the_tensor_dtype():
    t64 = tf.constant(np.ones(3))
    t32 = tf.constant(np.ones(3, dtype=np.float32))
    i64 = tf.constant(np.ones(3, dtype=np.int64))
    assert (t64 + 1).dtype == tf.float64
    assert (2.0 * t64).dtype == tf.float64
    assert (t32 * 2.0).dtype == tf.float32
    assert (i64 + 1).dtype == tf.int64
    assert (1.0 - tf.Variable(1.0, dtype=tf.float64)).dtype == tf.float64
    with pytest.raises(TypeError):
        tf.constant(np.ones(3, dtype=np.int32)) + 1.5


def test_numpy_operands_on_the_left_build_graph_ops():
    t = tf.constant(np.ones(3), name="t")
    mu = tf.Variable(1.0, dtype=tf.float64, name="mu")
    for result in (np.ones(3) - t, np.float64(2.0) * t, np.arange(3.0) + mu, np.ones(3) / mu):
        assert isinstance(result, tf.Tensor)
        assert result.dtype == tf.float64
        assert result.shape == (3,)
    assert (np.ones(3) - t).op.type == "Sub"


def test_float32_meets_float64_is_a_type_error_naming_both():
    a = tf.constant(np.ones(3), name="a64")
    b = tf.constant(np.ones(3, dtype=np.float32), name="b32")
    with pytest.raises(TypeError, match="a64:0") as info:
        a + b
    assert "b32:0" in str(info.value)
    assert "float32" in str(info.value) and "float64" in str(info.value)


def test_integer_division_and_reductions_have_the_dtype_they_compute():
    i = tf.constant(np.array([[1, 2, 3], [4, 5, -7]], dtype=np.int32))
    fetches = {
        "truediv": i / 2,
        "sum": tf.reduce_sum(i),
        "sum_axis": tf.reduce_sum(i, axis=1),
        "mean": tf.reduce_mean(i, axis=1),
        "max": tf.reduce_max(i),
        "floordiv": i // 2,
    }
    with tf.Session() as session:
        values = session.run(fetches)
    for key, tensor in fetches.items():
        assert np.asarray(values[key]).dtype == tensor.dtype.as_numpy_dtype, key
    assert fetches["truediv"].dtype == tf.float64
    np.testing.assert_array_equal(values["truediv"], [[0.5, 1.0, 1.5], [2.0, 2.5, -3.5]])
    assert values["sum"] == 8
    np.testing.assert_array_equal(values["mean"], [2, 0])  # integer mean truncates, as TF


# -- graphs ---------------------------------------------------------------------------------
def test_as_default_routes_new_ops_to_a_graph():
    g = tf.Graph()
    outer = tf.get_default_graph()
    with g.as_default() as entered:
        assert entered is g
        assert tf.get_default_graph() is g
        c = tf.constant(1.0, name="c")
    assert tf.get_default_graph() is outer
    assert c.graph is g
    assert _names(g) == ["c"]
    assert _names(outer) == []


def test_each_graph_has_its_own_names():
    g1, g2 = tf.Graph(), tf.Graph()
    with g1.as_default():
        a = tf.constant(1.0) + 1.0
    with g2.as_default():
        b = tf.constant(1.0) + 1.0
    assert a.name == b.name == "add:0"


def test_ops_on_tensors_of_a_graph_land_in_that_graph():
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(np.ones(2), name="c")
    d = c * 2.0
    assert d.graph is g
    assert "mul" in _names(g)
    assert _names() == []


def test_tensors_from_two_graphs_cannot_be_combined():
    g1, g2 = tf.Graph(), tf.Graph()
    with g1.as_default():
        a = tf.constant(1.0, name="a")
    with g2.as_default():
        b = tf.constant(1.0, name="b")
    with pytest.raises(ValueError, match="same graph"):
        a + b


def test_reset_default_graph_starts_afresh():
    first = tf.get_default_graph()
    tf.constant(1.0, name="c")
    tf.reset_default_graph()
    assert tf.get_default_graph() is not first
    assert tf.constant(1.0, name="c").name == "c:0"


def test_reset_default_graph_inside_as_default_is_refused():
    with tf.Graph().as_default(), pytest.raises(AssertionError):
        tf.reset_default_graph()


def test_graph_lookups():
    a = tf.constant(1.0, name="a")
    s = a + a
    graph = tf.get_default_graph()
    assert graph.get_tensor_by_name("add:0") is s
    assert graph.get_operation_by_name("add") is s.op
    assert graph.as_graph_element("add:0") is s
    with pytest.raises(KeyError):
        graph.get_operation_by_name("nothing")
    with pytest.raises(KeyError):
        graph.get_tensor_by_name("add:1")
    with pytest.raises(ValueError, match="looks like an Operation name"):
        graph.get_tensor_by_name("add")
    with pytest.raises(TypeError, match=r"invalid type int.*Can not convert a int into a Tensor"):
        graph.as_graph_element(3)


def test_tensors_are_not_python_bools_or_iterables():
    t = tf.constant(np.ones(3))
    with pytest.raises(TypeError):
        bool(t)
    with pytest.raises(TypeError):
        iter(t)
    assert t == t
    assert len({t, t}) == 1


def test_control_dependencies_are_recorded():
    a = tf.constant(1.0, name="a")
    b = tf.constant(2.0, name="b")
    with tf.control_dependencies([a, b.op]):
        c = tf.identity(a, name="c")
    assert c.op.control_inputs == (a.op, b.op)
