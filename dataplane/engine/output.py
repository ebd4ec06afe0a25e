"""Values as JSON can carry them, the same for rows, aggregates and exports.

Dates and timestamps become ISO 8601 strings, DECIMAL(38,0) values and integers outside JavaScript's safe
range (±(2**53 - 1)) become strings of digits, NaN and infinities become null; everything else stays native.
"""

import math
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

MAX_SAFE_INTEGER = 2**53 - 1


def json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER else str(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        return str(int(value)) if value == value.to_integral_value() else format(value, "f")
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)
