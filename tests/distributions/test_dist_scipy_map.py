"""The scipy counterparts that ``gaussfit dists --json`` prints: evaluated as written (a small
expression reader, no eval) at each case's parameters, they must give scipy.stats the same
distribution as the tests' independent references."""

from __future__ import annotations

import ast
import math
import operator

import numpy as np
import pytest
from dist_cases import CASES, DISCRETE, Case, evaluation_points, reference_logpdf
from scipy import stats

from gaussfit.distributions import FAMILIES
from gaussfit.distributions.scipy_counterparts import SCIPY_COUNTERPARTS, scipy_counterpart

_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv}  # fmt: skip


def _evaluate(text: str, params: dict[str, float]) -> float:
    """The value of a mapping expression: numbers, names, + - * /, unary minus and exp()."""

    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return float(node.value)
        if isinstance(node, ast.Name):
            return params[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return _BINARY[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "exp":
            return math.exp(walk(node.args[0]))
        raise AssertionError(f"unexpected expression {ast.dump(node)} in {text!r}")

    return walk(ast.parse(text, mode="eval").body)


MAPPED = [c for c in CASES if SCIPY_COUNTERPARTS[c.family] is not None]


def test_every_family_has_an_entry() -> None:
    assert set(SCIPY_COUNTERPARTS) == set(FAMILIES)


@pytest.mark.parametrize("case", MAPPED, ids=lambda c: c.id)
def test_the_mapping_gives_scipy_the_same_distribution(case: Case) -> None:
    entry = scipy_counterpart(case.family)
    shapes = [_evaluate(text, case.params) for text in entry["shapes"].values()]
    loc = _evaluate(entry["loc"], case.params)
    dist_class = getattr(stats, entry["name"])
    assert [s.strip() for s in (dist_class.shapes or "").split(",") if s] == list(entry["shapes"])
    x = evaluation_points(case)
    if case.family in DISCRETE:
        assert entry["scale"] is None
        got = dist_class(*shapes, loc=loc).logpmf(x)
    else:
        got = dist_class(*shapes, loc=loc, scale=_evaluate(entry["scale"], case.params)).logpdf(x)
    np.testing.assert_allclose(got, reference_logpdf(case, x), rtol=1e-12, atol=1e-14)
