"""The one rounding rule for every mean shown (issue 15, "One truth everywhere").

Every mean on a screen, a chart, a heat map, a table, a report or a CSV is rounded half up
(away from zero for these non-negative values) on its decimal value: 6.5 -> 7 as a whole
number, 6.25 -> 6.3 and 6.35 -> 6.4 to one decimal. Python's `round` and `format` round
half to even on the binary value (round(6.5) == 6, f"{6.35:.1f}" == "6.3"), which made the
bar chart say 7 and the heat map 6 for the same day. Whole numbers are for cells that have
room for two characters (the heat map, the bar height, the sparkline level); one decimal
everywhere else.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

MEAN_DIGITS = 1  # a mean in a sentence or table: one decimal


def round_half_up(value: float, digits: int = 0) -> float:
    """`value` rounded half up to `digits` decimals, judged on its shortest decimal form."""
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def whole(value: float) -> int:
    """`value` rounded half up to a whole number: 6.5 -> 7."""
    return int(round_half_up(value, 0))


def mean_str(value: float, digits: int = MEAN_DIGITS) -> str:
    """A mean with exactly `digits` decimals, rounded half up: 6.25 -> "6.3"."""
    return f"{round_half_up(value, digits):.{digits}f}"
