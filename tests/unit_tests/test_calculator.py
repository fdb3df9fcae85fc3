import pytest

from tools.calculator import CalculationError, calculate, calculator


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("2 + 3 * 4", 14),
        ("(17 * 3) / 4", 12.75),
        ("2 ** 10", 1024),
        ("-(3 - 5)", 2),
        ("7 // 2 + 7 % 2", 4),
        ("10 ^ 2", 100),
        ("sqrt(16) + abs(-1)", 5.0),
        ("round(pi, 2)", 3.14),
    ],
)
def test_arithmetic(expression, expected):
    assert calculate(expression) == expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("__import__('os').system('true')", "is not arithmetic"),
        ("open('/etc/passwd')", "is not arithmetic"),
        ("x + 1", "is not arithmetic"),
        ("(1).__class__", "is not arithmetic"),
        ("lambda: 1", "is not arithmetic"),
        ("'a' * 3", "is not arithmetic"),
        ("[1, 2]", "is not arithmetic"),
        ("1 / 0", "division by zero"),
        ("2 ** 100000", "exponent"),
        ("(10 ** 1000) ** 100", "digits"),
        ("", "empty"),
        ("2 +", "cannot parse"),
        ("sqrt(-1)", "cannot compute"),
    ],
)
def test_rejects_what_is_not_safe_arithmetic(expression, message):
    with pytest.raises(CalculationError, match=message):
        calculate(expression)


def test_tool_reports_errors_as_observations():
    assert calculator.invoke({"expression": "6 * 7"}) == "6 * 7 = 42"
    assert calculator.invoke({"expression": "import os"}).startswith("error: cannot parse")
    call = {"name": "calculator", "args": {"expression": "1/0"}, "id": "c", "type": "tool_call"}
    failed = calculator.invoke(call)
    assert failed.content == "error: division by zero" and failed.status == "error"


@pytest.mark.parametrize("expression", ["10**4299", "10**4300*1", "10**2000*10**2500", "9**4500"])
def test_results_too_long_to_print_are_an_error_not_a_crash(expression):
    result = calculator.invoke({"expression": expression})
    assert result.startswith("error: the result would have more than 4000 digits")


def test_long_results_below_the_cap_are_computed_exactly():
    assert calculator.invoke({"expression": "10**3999"}) == "10**3999 = 1" + "0" * 3999
