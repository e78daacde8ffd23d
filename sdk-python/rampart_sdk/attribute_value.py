"""A context attribute read as a bucketing or targeting value, the way sdk/src/evaluator.ts reads it.

A non-empty string as is; a finite number as JavaScript's `String(n)`, so `42`, `42.0` and `"42"`
share a bucket in every SDK; anything else (booleans included) is no value.
"""

from __future__ import annotations

import math
from typing import Any, Optional

# Integers below 2**53 are exact doubles, and JavaScript prints them as Python does.
_EXACT_INT = 2**53


def attribute_value(raw: Any) -> Optional[str]:
    """The value as the rules compare and hash it, or None when the attribute gives none."""
    kind = raw.__class__
    if kind is str:
        return raw if raw else None
    if kind is int:
        return str(raw) if -_EXACT_INT < raw < _EXACT_INT else js_number_string(raw)
    if kind is float:
        return js_number_string(raw)
    if isinstance(raw, str):
        return str.__str__(raw) or None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return js_number_string(raw)
    return None


def js_number_string(number: "int | float") -> Optional[str]:
    """JavaScript's `String(n)` for a number as a double; None when it is not finite."""
    try:
        value = float(number)
    except OverflowError:
        return None
    if not math.isfinite(value):
        return None
    if value == int(value) and abs(value) < 1e21:
        return str(int(value))  # -0.0 included: JavaScript prints "0"
    # repr() and JavaScript both print the shortest digits that read back as the same double;
    # only where the exponent form starts differs (ECMAScript Number::toString).
    mantissa, _, exponent = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    point = len(whole) + int(exponent or 0) - (len(whole + fraction) - len(digits))
    digits = digits.rstrip("0")
    sign = "-" if value < 0 else ""
    if len(digits) <= point <= 21:
        return sign + digits + "0" * (point - len(digits))
    if 0 < point <= 21:
        return sign + digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return sign + "0." + "0" * -point + digits
    power = point - 1
    shown = digits if len(digits) == 1 else digits[0] + "." + digits[1:]
    return "%s%se%s%d" % (sign, shown, "+" if power >= 0 else "-", abs(power))
