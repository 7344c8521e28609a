"""A user's log-density as text: a small grammar, parsed by hand and built from engine ops.

The grammar (nothing else is read; no Python is evaluated, compiled or parsed as Python)::

    expression := term (("+" | "-") term)*
    term       := unary (("*" | "/") unary)*
    unary      := ("-" | "+") unary | power
    power      := atom ("**" unary)?              right-associative: 2**3**2 = 2**9
    atom       := NUMBER | NAME | NAME "(" expression ("," expression)* ")" | "(" expression ")"

So ``-x**2`` is ``-(x**2)`` and ``2**-1`` is one half, as in Python and in mathematics. A NAME is
the data ``x``, a declared parameter, or one of the constants ``pi`` and ``e`` (a parameter of
that name hides the constant); a called NAME is one of ``FUNCTIONS``, each an engine op with
its gradient, so the fit differentiates the expression twice like any family's log-density.
Every error says what is wrong and at which column (1-based) of the expression.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from dataclasses import dataclass

import gaussfit.engine as tf
from gaussfit.errors import ConfigError

DATA = "x"
CONSTANTS = {"pi": math.pi, "e": math.e}


def _lbeta(a: tf.Tensor, b: tf.Tensor) -> tf.Tensor:
    return tf.lgamma(a) + tf.lgamma(b) - tf.lgamma(a + b)


FUNCTIONS: dict[str, tuple[int, Callable[..., tf.Tensor]]] = {
    "log": (1, tf.log),
    "exp": (1, tf.exp),
    "sqrt": (1, tf.sqrt),
    "log1p": (1, tf.log1p),
    "expm1": (1, tf.expm1),
    "lgamma": (1, tf.lgamma),
    "digamma": (1, tf.digamma),
    "lbeta": (2, _lbeta),
    "abs": (1, tf.abs),
    "sin": (1, tf.sin),
    "cos": (1, tf.cos),
    "tanh": (1, tf.tanh),
    "atan": (1, tf.atan),
    "sigmoid": (1, tf.sigmoid),
    "softplus": (1, tf.softplus),
    "erf": (1, tf.erf),
    "erfc": (1, tf.erfc),
    "ndtr": (1, tf.ndtr),
    "log_ndtr": (1, tf.log_ndtr),
}
"""Callable names: (number of arguments, the engine op). ``lbeta(a, b)`` is log B(a, b)."""


class ExpressionError(ConfigError):
    """A malformed expression; ``column`` is the 1-based position of the fault (None: the
    expression as a whole)."""

    def __init__(self, option: str, message: str, column: int | None) -> None:
        where = f" at column {column}" if column is not None else ""
        super().__init__(f"{option}{where}: {message}")
        self.column = column
        self.reason = message


# -- syntax tree ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Number:
    value: float
    column: int


@dataclass(frozen=True)
class Name:
    name: str
    column: int


@dataclass(frozen=True)
class Call:
    function: str
    arguments: tuple[Node, ...]
    column: int


@dataclass(frozen=True)
class Unary:
    operator: str
    operand: Node
    column: int


@dataclass(frozen=True)
class Binary:
    operator: str
    left: Node
    right: Node
    column: int


Node = Number | Name | Call | Unary | Binary


@dataclass(frozen=True)
class Token:
    kind: str  # "number", "name", "op", "end", or "bad" (text: what is wrong there)
    text: str
    column: int


_OPERATORS = ("**", "+", "-", "*", "/", "(", ")", ",")


def tokenize(text: str) -> list[Token]:
    """The expression's tokens, up to a "bad" one at the first character the grammar lacks."""
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char in " \t":
            i += 1
            continue
        column = i + 1
        if char.isascii() and (char.isdigit() or (char == "." and text[i + 1 : i + 2].isdigit())):
            end = _number_end(text, i)
            tokens.append(Token("number", text[i:end], column))
            i = end
            continue
        if char.isascii() and (char.isalpha() or char == "_"):
            end = i
            while (
                end < len(text)
                and text[end].isascii()
                and (text[end].isalnum() or text[end] == "_")
            ):
                end += 1
            tokens.append(Token("name", text[i:end], column))
            i = end
            continue
        operator = next((op for op in _OPERATORS if text.startswith(op, i)), None)
        if operator is None:  # an error, raised when the parser reaches it (left to right)
            tokens.append(Token("bad", _stray(char), column))
            break
        tokens.append(Token("op", operator, column))
        i += len(operator)
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


def _number_end(text: str, i: int) -> int:
    """Where a number starting at ``i`` ends: digits, one '.', an exponent e[+-]digits."""
    end = i
    while end < len(text) and text[end].isdigit():
        end += 1
    if end < len(text) and text[end] == ".":
        end += 1
        while end < len(text) and text[end].isdigit():
            end += 1
    if end < len(text) and text[end] in "eE":
        exponent = end + 1
        if exponent < len(text) and text[exponent] in "+-":
            exponent += 1
        if exponent < len(text) and text[exponent].isdigit():
            end = exponent
            while end < len(text) and text[end].isdigit():
                end += 1
    return end


def _stray(char: str) -> str:
    if char == "^":
        return "'^' is not an operator here; write powers as a**b"
    if char == ".":
        return "unexpected '.' (attribute access is not part of the grammar)"
    if char in "[]{}":
        return f"unexpected '{char}'; group with ( and )"
    if char in "'\"":
        return "unexpected quote: the grammar has no strings"
    return f"unexpected character {char!r}"


# -- parsing ----------------------------------------------------------------------------------
class _Parser:
    """Recursive descent over the tokens, one method per rule of the grammar."""

    def __init__(self, tokens: list[Token], names: set[str], option: str, declare: str) -> None:
        self.declare = declare
        self.tokens = tokens
        self.position = 0
        self.names = names
        self.option = option

    @property
    def token(self) -> Token:
        token = self.tokens[self.position]
        if token.kind == "bad":
            raise self.fail(token.text, token.column)
        return token

    def fail(self, message: str, column: int | None) -> ExpressionError:
        return ExpressionError(self.option, message, column)

    def take(self) -> Token:
        token = self.token
        self.position += 1
        return token

    def at(self, *texts: str) -> bool:
        return self.token.kind == "op" and self.token.text in texts

    def whole(self) -> Node:
        if self.token.kind == "end":
            raise self.fail("the expression is empty", None)
        node = self.expression()
        if self.token.kind != "end":
            raise self.fail(f"expected an operator, found {_show(self.token)}", self.token.column)
        return node

    def expression(self) -> Node:
        node = self.term()
        while self.at("+", "-"):
            op = self.take()
            node = Binary(op.text, node, self.term(), op.column)
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.at("*", "/"):
            op = self.take()
            node = Binary(op.text, node, self.unary(), op.column)
        return node

    def unary(self) -> Node:
        if self.at("-", "+"):
            op = self.take()
            return Unary(op.text, self.unary(), op.column)
        return self.power()

    def power(self) -> Node:
        node = self.atom()
        if self.at("**"):
            op = self.take()
            return Binary("**", node, self.unary(), op.column)
        return node

    def atom(self) -> Node:
        token = self.token
        if token.kind == "number":
            self.take()
            value = float(token.text)
            if not math.isfinite(value):
                raise self.fail(f"{token.text} is not a finite number", token.column)
            return Number(value, token.column)
        if token.kind == "name":
            self.take()
            if self.at("("):
                return self.call(token)
            return self.name(token)
        if self.at("("):
            opening = self.take()
            node = self.expression()
            if not self.at(")"):
                raise self.fail(self._unclosed(opening), self.token.column)
            self.take()
            return node
        if token.kind == "end":
            raise self.fail("the expression ends where a value is expected", token.column)
        raise self.fail(f"expected a value, found {_show(token)}", token.column)

    def _unclosed(self, opening: Token) -> str:
        found = "the end" if self.token.kind == "end" else _show(self.token)
        return f"expected ')' to close the '(' at column {opening.column}, found {found}"

    def call(self, token: Token) -> Node:
        if token.text not in FUNCTIONS:
            hint = _suggest(token.text, FUNCTIONS)
            known = "a parameter" if token.text in self.names or token.text == DATA else None
            what = (
                f"'{token.text}' is {known}, not a function"
                if known
                else (f"unknown function '{token.text}'{hint}")
            )
            raise self.fail(f"{what} (functions: {', '.join(FUNCTIONS)})", token.column)
        opening = self.take()
        arguments = [self.expression()]
        while self.at(","):
            self.take()
            arguments.append(self.expression())
        if not self.at(")"):
            raise self.fail(self._unclosed(opening), self.token.column)
        self.take()
        arity = FUNCTIONS[token.text][0]
        if len(arguments) != arity:
            raise self.fail(
                f"{token.text} takes {arity} argument{'s' if arity > 1 else ''}, "
                f"given {len(arguments)}",
                token.column,
            )
        return Call(token.text, tuple(arguments), token.column)

    def name(self, token: Token) -> Node:
        if token.text == DATA or token.text in self.names or token.text in CONSTANTS:
            return Name(token.text, token.column)
        if token.text in FUNCTIONS:
            raise self.fail(f"{token.text} is a function: write {token.text}(...)", token.column)
        known = [DATA, *sorted(self.names), *CONSTANTS]
        hint = _suggest(token.text, known)
        raise self.fail(
            f"unknown name '{token.text}'{hint} (the data is x; parameters: "
            f"{', '.join(sorted(self.names)) or 'none'}; declare parameters in {self.declare})",
            token.column,
        )


def _show(token: Token) -> str:
    return "the end" if token.kind == "end" else f"'{token.text}'"


def _suggest(name: str, known: object) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)  # type: ignore[call-overload]
    return f" (did you mean {close[0]}?)" if close else ""


def parse(
    text: str,
    parameters: set[str] | list[str],
    option: str = "--logpdf",
    declare: str = "--params",
) -> Node:
    """The syntax tree of ``text`` over data ``x`` and ``parameters``; ExpressionError (a
    ConfigError) naming the column of the first fault otherwise."""
    if not isinstance(text, str):
        raise ExpressionError(option, f"expected an expression as text, not {text!r}", None)
    parser = _Parser(tokenize(text), set(parameters), option, declare)
    return parser.whole()


def names_used(node: Node) -> set[str]:
    """Every name the expression reads (data, parameters and constants)."""
    if isinstance(node, Name):
        return {node.name}
    if isinstance(node, Call):
        return set().union(*(names_used(a) for a in node.arguments))
    if isinstance(node, Unary):
        return names_used(node.operand)
    if isinstance(node, Binary):
        return names_used(node.left) | names_used(node.right)
    return set()


_BINARY: dict[str, Callable[[tf.Tensor, tf.Tensor], tf.Tensor]] = {
    "+": tf.add,
    "-": tf.subtract,
    "*": tf.multiply,
    "/": tf.truediv,
    "**": tf.pow,
}


def build(node: Node, values: dict[str, tf.Tensor]) -> tf.Tensor:
    """The expression as engine ops, ``values`` holding the data and parameter tensors."""
    if isinstance(node, Number):
        return tf.constant(node.value, dtype=tf.float64)
    if isinstance(node, Name):
        if node.name in values:
            return values[node.name]
        return tf.constant(CONSTANTS[node.name], dtype=tf.float64)
    if isinstance(node, Call):
        return FUNCTIONS[node.function][1](*(build(a, values) for a in node.arguments))
    if isinstance(node, Unary):
        operand = build(node.operand, values)
        return tf.negative(operand) if node.operator == "-" else operand
    if isinstance(node, Binary) and node.operator == "**" and isinstance(node.right, Number):
        return _constant_power(build(node.left, values), node.right.value)
    return _BINARY[node.operator](build(node.left, values), build(node.right, values))


def _constant_power(base: tf.Tensor, exponent: float) -> tf.Tensor:
    """a**2 as a*a and a**0.5 as sqrt(a): exact, and free of pow's log(a) in the gradient,
    which is NaN for a negative base although the power itself is fine."""
    if exponent == 2.0:
        return base * base
    if exponent == 1.0:
        return base
    if exponent == 0.5:
        return tf.sqrt(base)
    return tf.pow(base, exponent)
