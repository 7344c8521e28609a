"""``tf.train``: optimisers, learning-rate schedules, the global step and checkpoints."""

from gaussfit.engine.errors import not_implemented
from gaussfit.engine.learning_rate_decay import (
    create_global_step,
    exponential_decay,
    get_global_step,
    get_or_create_global_step,
)
from gaussfit.engine.optimizers import (
    AdadeltaOptimizer,
    AdagradOptimizer,
    AdamOptimizer,
    GradientDescentOptimizer,
    MomentumOptimizer,
    Optimizer,
    RMSPropOptimizer,
)
from gaussfit.engine.saver import (
    CheckpointState,
    Saver,
    checkpoint_exists,
    get_checkpoint_state,
    latest_checkpoint,
)

__all__ = [
    "AdadeltaOptimizer",
    "AdagradOptimizer",
    "AdamOptimizer",
    "CheckpointState",
    "GradientDescentOptimizer",
    "MomentumOptimizer",
    "Optimizer",
    "RMSPropOptimizer",
    "Saver",
    "checkpoint_exists",
    "create_global_step",
    "exponential_decay",
    "get_checkpoint_state",
    "get_global_step",
    "get_or_create_global_step",
    "latest_checkpoint",
]


def __getattr__(name: str):
    raise not_implemented("tf.train", name)
