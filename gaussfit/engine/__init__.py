"""gaussfit.engine: a small declarative computational-graph engine in the style of TensorFlow 1.

Use it as the lab uses TensorFlow::

    import gaussfit.engine as tf

    t_x = tf.placeholder(tf.float64, name="X")
    t_mu = tf.Variable(1.0, dtype=tf.float64, name="mu")
    t_loss = tf.reduce_sum((t_x - t_mu) ** 2.0)
    step = tf.train.GradientDescentOptimizer(0.05).minimize(t_loss)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        session.run(step, feed_dict={t_x: [1.0, 2.0, 3.0]})

Building a graph computes nothing; ``Session.run`` computes what its fetches need. The engine
imports only numpy (scipy is loaded on first use of a special function) and knows nothing of
distributions or the command line.
"""

import sys

from gaussfit.engine import compiler_hook, errors, layers, nn, summary, train
from gaussfit.engine.compiler import COMPILER as _COMPILER
from gaussfit.engine.dtypes import (
    DType,
    as_dtype,
    bool_,
    double,
    float32,
    float64,
    int8,
    int16,
    int32,
    int64,
    uint8,
)
from gaussfit.engine.export import as_graph_def, to_dot
from gaussfit.engine.gradients import add_n, gradients, hessians
from gaussfit.engine.graph import (
    Graph,
    Operation,
    Tensor,
    control_dependencies,
    get_default_graph,
    name_scope,
    reset_default_graph,
)
from gaussfit.engine.graph_keys import (
    GraphKeys,
    add_to_collection,
    add_to_collections,
    get_collection,
    get_collection_ref,
)
from gaussfit.engine.init_ops import (
    constant_initializer,
    glorot_uniform_initializer,
    ones_initializer,
    random_normal_initializer,
    random_uniform_initializer,
    truncated_normal_initializer,
    zeros_initializer,
)
from gaussfit.engine.ops.array_ops import (
    broadcast_to,
    cast,
    concat,
    expand_dims,
    fill,
    gather,
    identity,
    linspace,
    one_hot,
    ones,
    ones_like,
    placeholder,
    rank,
    reshape,
    shape,
    size,
    squeeze,
    stack,
    stop_gradient,
    tile,
    transpose,
    where,
    zeros,
    zeros_like,
)
from gaussfit.engine.ops.array_ops import range_ as range
from gaussfit.engine.ops.control_flow_ops import cond, group, no_op, while_loop
from gaussfit.engine.ops.incomplete_ops import (
    betainc,
    betainc_grad,
    igamma,
    igamma_grad_a,
    igammac,
    log_betainc,
    log_betainc_grad,
    log_igamma,
    log_igamma_grad_a,
    log_igammac,
)
from gaussfit.engine.ops.math_ops import (
    abs,
    add,
    argmax,
    argmin,
    atan,
    clip_by_value,
    cos,
    divide,
    equal,
    exp,
    expm1,
    floor,
    floordiv,
    floormod,
    greater,
    greater_equal,
    is_finite,
    less,
    less_equal,
    log,
    log1p,
    logical_and,
    logical_not,
    logical_or,
    matmul,
    maximum,
    minimum,
    multiply,
    negative,
    not_equal,
    pow,
    sigmoid,
    sign,
    sin,
    softplus,
    sqrt,
    square,
    subtract,
    tanh,
    truediv,
)
from gaussfit.engine.ops.op_def import constant, convert_to_tensor
from gaussfit.engine.ops.random_ops import (
    random_normal,
    random_uniform,
    set_random_seed,
    truncated_normal,
)
from gaussfit.engine.ops.reduction_ops import (
    log_softmax,
    reduce_logsumexp,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_sum,
    softmax,
)
from gaussfit.engine.ops.special_ops import (
    digamma,
    erf,
    erfc,
    erfcx,
    lgamma,
    log_ndtr,
    ndtr,
    owens_t,
    polygamma,
)
from gaussfit.engine.ops.state_ops import assign, assign_add, assign_sub
from gaussfit.engine.session import (
    InteractiveSession,
    Session,
    get_default_session,
)
from gaussfit.engine.shapes import TensorShape
from gaussfit.engine.variable_scope import (
    AUTO_REUSE,
    VariableScope,
    get_variable,
    get_variable_scope,
    variable_scope,
)
from gaussfit.engine.variables import (
    Variable,
    global_variables,
    global_variables_initializer,
    trainable_variables,
    variables_initializer,
)

set_compiler_enabled = compiler_hook.set_enabled


def describe() -> str:
    """The README's list of what the engine offers, generated from its namespaces and ops."""
    from gaussfit.engine import catalogue

    namespaces = {"tf": sys.modules[__name__], "tf.nn": nn, "tf.train": train}
    namespaces |= {"tf.layers": layers, "tf.summary": summary}
    return catalogue.listing(namespaces)


compiler_hook.install(_COMPILER)

bool = bool_
sub = subtract
mul = multiply
div = truediv
mod = floormod

__all__ = [
    "AUTO_REUSE",
    "DType",
    "Graph",
    "GraphKeys",
    "InteractiveSession",
    "Operation",
    "Session",
    "Tensor",
    "TensorShape",
    "Variable",
    "VariableScope",
    "abs",
    "add",
    "add_n",
    "add_to_collection",
    "add_to_collections",
    "argmax",
    "argmin",
    "as_dtype",
    "as_graph_def",
    "assign",
    "assign_add",
    "assign_sub",
    "atan",
    "betainc",
    "betainc_grad",
    "bool",
    "bool_",
    "broadcast_to",
    "cast",
    "clip_by_value",
    "concat",
    "cond",
    "constant",
    "constant_initializer",
    "control_dependencies",
    "convert_to_tensor",
    "cos",
    "digamma",
    "div",
    "divide",
    "double",
    "equal",
    "erf",
    "erfc",
    "erfcx",
    "errors",
    "exp",
    "expand_dims",
    "expm1",
    "fill",
    "float32",
    "float64",
    "floor",
    "floordiv",
    "floormod",
    "gather",
    "get_collection",
    "get_collection_ref",
    "get_default_graph",
    "get_default_session",
    "get_variable",
    "get_variable_scope",
    "global_variables",
    "global_variables_initializer",
    "glorot_uniform_initializer",
    "gradients",
    "greater",
    "greater_equal",
    "group",
    "hessians",
    "identity",
    "igamma",
    "igamma_grad_a",
    "igammac",
    "int8",
    "int16",
    "int32",
    "int64",
    "is_finite",
    "layers",
    "less",
    "less_equal",
    "lgamma",
    "linspace",
    "log",
    "log1p",
    "log_betainc",
    "log_betainc_grad",
    "log_igamma",
    "log_igamma_grad_a",
    "log_igammac",
    "log_ndtr",
    "log_softmax",
    "logical_and",
    "logical_not",
    "logical_or",
    "matmul",
    "maximum",
    "minimum",
    "mod",
    "mul",
    "multiply",
    "name_scope",
    "ndtr",
    "negative",
    "nn",
    "no_op",
    "not_equal",
    "one_hot",
    "ones",
    "ones_initializer",
    "ones_like",
    "owens_t",
    "placeholder",
    "polygamma",
    "pow",
    "random_normal",
    "random_normal_initializer",
    "random_uniform",
    "random_uniform_initializer",
    "range",
    "rank",
    "reduce_logsumexp",
    "reduce_max",
    "reduce_mean",
    "reduce_min",
    "reduce_sum",
    "reset_default_graph",
    "reshape",
    "set_compiler_enabled",
    "set_random_seed",
    "shape",
    "sigmoid",
    "sign",
    "sin",
    "size",
    "softmax",
    "softplus",
    "sqrt",
    "square",
    "squeeze",
    "stack",
    "stop_gradient",
    "sub",
    "subtract",
    "summary",
    "tanh",
    "tile",
    "to_dot",
    "train",
    "trainable_variables",
    "transpose",
    "truediv",
    "truncated_normal",
    "truncated_normal_initializer",
    "uint8",
    "variable_scope",
    "variables_initializer",
    "where",
    "while_loop",
    "zeros",
    "zeros_initializer",
    "zeros_like",
]


def __getattr__(name: str):
    raise errors.not_implemented("tf", name)
