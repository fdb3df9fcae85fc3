"""A calculator tool: arithmetic parsed with ``ast``; nothing is ever evaluated as code."""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable
from typing import Any

from langchain_core.tools import ToolException, tool

from tools.tool_addressing import mark

MAX_EXPONENT = 10_000
MAX_DIGITS = 4_000
"""Below Python's limit for turning an integer into text (4,300 digits)."""
MAX_INT = 10**MAX_DIGITS
MAX_EXPRESSION_CHARS = 500

BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.UAdd: operator.pos,
    ast.USub: operator.neg,
}
FUNCTIONS: dict[str, Callable[..., Any]] = {
    "sqrt": math.sqrt,
    "log": math.log,
    "log10": math.log10,
    "exp": math.exp,
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "abs": abs,
    "round": round,
    "min": min,
    "max": max,
}
CONSTANTS = {"pi": math.pi, "e": math.e}


class CalculationError(ValueError):
    """The expression is not arithmetic the calculator accepts, or cannot be computed."""


def _check_power(base: Any, exponent: Any) -> None:
    if abs(exponent) > MAX_EXPONENT:
        raise CalculationError(f"exponent {exponent} is too large (at most {MAX_EXPONENT})")
    if abs(base) > 1 and exponent > 0 and exponent * math.log10(abs(base)) > MAX_DIGITS:
        raise CalculationError(f"the result would have more than {MAX_DIGITS} digits")


def _checked(value: Any) -> Any:
    """``value``, unless it is an integer too long to compute with or print."""
    if isinstance(value, int) and abs(value) >= MAX_INT:
        raise CalculationError(f"the result would have more than {MAX_DIGITS} digits")
    return value


def _evaluate(node: ast.AST) -> Any:
    if isinstance(node, ast.Expression):
        return _evaluate(node.body)
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    if isinstance(node, ast.Name) and node.id in CONSTANTS:
        return CONSTANTS[node.id]
    if isinstance(node, ast.BinOp) and type(node.op) in BINARY:
        left, right = _evaluate(node.left), _evaluate(node.right)
        if isinstance(node.op, ast.Pow):
            _check_power(left, right)
        return _checked(BINARY[type(node.op)](left, right))
    if isinstance(node, ast.UnaryOp) and type(node.op) in UNARY:
        return UNARY[type(node.op)](_evaluate(node.operand))
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in FUNCTIONS
        and not node.keywords
    ):
        return FUNCTIONS[node.func.id](*(_evaluate(arg) for arg in node.args))
    allowed = ", ".join(sorted(FUNCTIONS))
    raise CalculationError(
        f"{ast.unparse(node)!r} is not arithmetic: use numbers, + - * / // % **, "
        f"parentheses, pi, e and {allowed}"
    )


def calculate(expression: str) -> float | int:
    """Evaluate an arithmetic expression safely; raises CalculationError."""
    text = expression.strip().replace("^", "**").replace("×", "*").replace("÷", "/")
    if not text:
        raise CalculationError("the expression is empty")
    if len(text) > MAX_EXPRESSION_CHARS:
        raise CalculationError(f"the expression is longer than {MAX_EXPRESSION_CHARS} characters")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        raise CalculationError(f"cannot parse {expression!r}: {error.msg}") from None
    try:
        return _evaluate(tree)
    except ZeroDivisionError:
        raise CalculationError("division by zero") from None
    except (OverflowError, ValueError, TypeError) as error:
        if isinstance(error, CalculationError):
            raise
        raise CalculationError(f"cannot compute {expression!r}: {error}") from None


@tool
def calculator(expression: str) -> str:
    """Compute an arithmetic expression exactly, e.g. "(17 * 3) / 4" or "sqrt(2) * pi".

    Use it for any arithmetic instead of computing in your head.
    """
    try:
        result = calculate(expression)
    except CalculationError as error:
        raise ToolException(f"error: {error}") from None
    if isinstance(result, float) and result.is_integer() and abs(result) < 1e15:
        result = int(result)
    return f"{expression.strip()} = {result}"


calculator.handle_tool_error = True
mark(calculator, origin="built-in")
