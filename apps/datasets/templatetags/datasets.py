"""Template helpers for dataset pages: profile figures, the mini histogram and a failed version's reason."""

import math

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from apps.datasets.url_import import redacted_url

register = template.Library()

TYPE_LABELS = {
    "integer": "integer",
    "bigint": "big integer",
    "float": "float",
    "boolean": "boolean",
    "date": "date",
    "timestamp": "timestamp",
    "text": "text",
}


@register.filter
def shown_source(value: str) -> str:
    """A version's source as readers see it: a URL without credentials or query string (redacted_url)."""
    return redacted_url(value)


@register.filter
def type_label(value: str) -> str:
    return TYPE_LABELS.get(value, value)


def bar_height(bin_: dict, peak: int, height: int) -> float:
    return max(1.0, height * (bin_.get("count") or 0) / peak)


@register.simple_tag
def histogram_svg(profile: dict, width: int = 120, height: int = 28):
    """An inline SVG of the column's histogram: bars only, no script, drawn by the server."""
    bins = profile.get("histogram") or []
    if not bins:
        return ""
    peak = max((b.get("count") or 0) for b in bins) or 1
    bar_width = width / len(bins)
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}"><title>{} to {}: {}</title></rect>',
        (
            (
                f"{i * bar_width + 0.5:.1f}",
                f"{height - bar_height(b, peak, height):.1f}",
                f"{max(1.0, bar_width - 1):.1f}",
                f"{bar_height(b, peak, height):.1f}",
                number(b.get("start")),
                number(b.get("end")),
                number(b.get("count")),
            )
            for i, b in enumerate(bins)
        ),
    )
    return format_html(
        '<svg class="histogram" width="{}" height="{}" viewBox="0 0 {} {}" role="img" aria-label="Histogram">{}</svg>',
        width,
        height,
        width,
        height,
        bars,
    )


NUMERIC_TYPES = frozenset({"integer", "bigint", "float"})
MISSING = "—"


@register.filter
def is_numeric(column_type: str) -> bool:
    return column_type in NUMERIC_TYPES


@register.filter
def value_class(column_type: str) -> str:
    """Numbers align right in tabular figures; other values read in the monospace of data."""
    return "num" if column_type in NUMERIC_TYPES else "mono"


@register.filter
def cell(value, column_type: str = ""):
    """A preview cell: empty for null, numbers as `number` writes them (as the grid does), text as it is."""
    if value is None:
        return ""
    if column_type in NUMERIC_TYPES:
        return number(value)
    return value


@register.filter
def get(mapping, key):
    return mapping.get(key) if isinstance(mapping, dict) else None


REASON_LENGTH = 120


def group_digits(text: str) -> str:
    """Thousands separators in a number's written form, keeping its sign and decimals: "-1234.5" -> "-1,234.5"."""
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, dot, fraction = digits.partition(".")
    if not whole.isdigit():
        return text
    return f"{sign}{int(whole):,}{dot}{fraction}"


@register.filter
def number(value, missing: str = MISSING):
    """A data value as the grid shows it: thousands separators and the value's own decimals, nothing
    rounded ("1,461", "-5.9", "26" for 26.0); `missing` (a dash) for a value that is not there. Big
    integers arrive as text and stay as written, as in the grid."""
    if value is None or value == "":
        return missing
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"
        return group_digits(repr(value)) if "e" not in repr(value) else repr(value)
    return value  # text, and big integers sent as text (often identifiers), as they are


@register.filter
def statistic(value, missing: str = MISSING):
    """A computed figure (a mean): four significant digits, never scientific, grouped like `number`."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return missing if value is None else value
    if value == 0 or not math.isfinite(value):
        return number(value)
    decimals = min(6, max(0, 3 - math.floor(math.log10(abs(value)))))
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return group_digits(text)


@register.inclusion_tag("datasets/_failure_reason.html")
def failure_reason(error: str, length: int = REASON_LENGTH) -> dict:
    """A failed version's reason as a listing shows it: the first line, cut at `length` characters,
    with the whole text in the title attribute and a details element when anything was cut."""
    full = (error or "").strip()
    lines = [" ".join(line.split()) for line in full.splitlines() if line.strip()]
    if not lines:
        return {"short": "No reason was recorded.", "full": "", "shortened": False}
    short = Truncator(lines[0]).chars(length)
    shortened = len(lines) > 1 or len(lines[0]) > length
    if shortened and short == lines[0]:
        short += " …"
    return {"short": short, "full": full, "shortened": shortened}
