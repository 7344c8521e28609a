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

from gaussfit.engine import errors, summary, train
from gaussfit.engine.dtypes import DType, as_dtype, bool_, double, float32, float64, int32, int64
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
from gaussfit.engine.ops.array_ops import (
    broadcast_to,
    cast,
    concat,
    expand_dims,
    identity,
    ones_like,
    placeholder,
    reshape,
    shape,
    size,
    squeeze,
    stack,
    stop_gradient,
    where,
    zeros_like,
)
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
    maximum,
    minimum,
    multiply,
    negative,
    not_equal,
    pow,
    sigmoid,
    sign,
    softplus,
    sqrt,
    square,
    subtract,
    truediv,
)
from gaussfit.engine.ops.op_def import constant, convert_to_tensor
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
    polygamma,
)
from gaussfit.engine.ops.state_ops import group, no_op
from gaussfit.engine.session import Session, get_default_session
from gaussfit.engine.shapes import TensorShape
from gaussfit.engine.variables import (
    Variable,
    global_variables,
    global_variables_initializer,
    trainable_variables,
    variables_initializer,
)

bool = bool_
sub = subtract
mul = multiply
div = truediv
mod = floormod

__all__ = [
    "DType",
    "Graph",
    "Operation",
    "Session",
    "Tensor",
    "TensorShape",
    "Variable",
    "abs",
    "add",
    "add_n",
    "as_dtype",
    "as_graph_def",
    "betainc",
    "betainc_grad",
    "bool",
    "bool_",
    "broadcast_to",
    "cast",
    "concat",
    "constant",
    "control_dependencies",
    "convert_to_tensor",
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
    "float32",
    "float64",
    "floor",
    "floordiv",
    "floormod",
    "get_default_graph",
    "get_default_session",
    "global_variables",
    "global_variables_initializer",
    "gradients",
    "greater",
    "greater_equal",
    "group",
    "hessians",
    "identity",
    "igamma",
    "igamma_grad_a",
    "igammac",
    "int32",
    "int64",
    "is_finite",
    "less",
    "less_equal",
    "lgamma",
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
    "maximum",
    "minimum",
    "mod",
    "mul",
    "multiply",
    "name_scope",
    "ndtr",
    "negative",
    "no_op",
    "not_equal",
    "ones_like",
    "placeholder",
    "polygamma",
    "pow",
    "reduce_logsumexp",
    "reduce_max",
    "reduce_mean",
    "reduce_min",
    "reduce_sum",
    "reset_default_graph",
    "reshape",
    "shape",
    "sigmoid",
    "sign",
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
    "to_dot",
    "train",
    "trainable_variables",
    "truediv",
    "variables_initializer",
    "where",
    "zeros_like",
]
