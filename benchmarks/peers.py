"""The lab's step in the frameworks the lab was written for, when they are installed.

Each builder returns None when its framework cannot be imported, so these columns simply do not
appear on a machine without them; nothing here is a requirement of gaussfit.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable

import numpy as np

from benchmarks.step import Step, lab_step, learning_rate


def installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def tf1_step(x: np.ndarray) -> Step | None:
    """TensorFlow's v1 graph mode with the data fed, as the lab runs."""
    if not installed("tensorflow"):
        return None
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    return lab_step(tf, x)


def torch_step(x: np.ndarray) -> Step | None:
    """PyTorch eager autograd with a plain SGD update."""
    if not installed("torch"):
        return None
    import torch

    data = torch.from_numpy(x)
    mu = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
    sigma = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
    lr = learning_rate(x.size)

    def run() -> object:
        s2 = sigma**2
        log_p = torch.sum(-0.5 * torch.log(2 * np.pi * s2) - (data - mu) ** 2 / (2 * s2))
        (-log_p).backward()
        with torch.no_grad():
            mu.sub_(lr * mu.grad)
            sigma.sub_(lr * sigma.grad)
            mu.grad = None
            sigma.grad = None
        return log_p.item()

    return run


def jax_step(x: np.ndarray) -> Step | None:
    """JAX: one jit-compiled function for value, gradient and update."""
    if not installed("jax"):
        return None
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_enable_x64", True)
    lr = learning_rate(x.size)

    def log_p(params, data):
        mu, sigma = params
        s2 = sigma**2
        return jnp.sum(-0.5 * jnp.log(2 * jnp.pi * s2) - (data - mu) ** 2 / (2 * s2))

    @jax.jit
    def update(params, data):
        value, grads = jax.value_and_grad(log_p)(params, data)
        return (params[0] + lr * grads[0], params[1] + lr * grads[1]), value

    state = {"params": (jnp.float64(1.0), jnp.float64(1.0))}
    data = jnp.asarray(x)

    def run() -> object:
        state["params"], value = update(state["params"], data)
        return value.block_until_ready()

    return run


PEERS: dict[str, Callable[[np.ndarray], Step | None]] = {
    "tf1": tf1_step,
    "torch": torch_step,
    "jax": jax_step,
}


def available() -> list[str]:
    modules = {"tf1": "tensorflow", "torch": "torch", "jax": "jax"}
    return [name for name, module in modules.items() if installed(module)]
