"""Template helpers for dataset pages: profile figures, the mini histogram and a failed version's reason."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

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
                b.get("start"),
                b.get("end"),
                b.get("count"),
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


@register.filter
def cell(value):
    """A preview cell: empty for null, the value otherwise."""
    return "" if value is None else value


@register.filter
def get(mapping, key):
    return mapping.get(key) if isinstance(mapping, dict) else None


MISSING = "—"  # what every page shows for a figure that is not known (never "None")

REASON_LENGTH = 120


@register.filter
def number(value):
    """Compact numbers for profiles and row counts: thousands separators, at most 4 decimals; a dash
    for a missing figure (a queued or failed version has no row count)."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1e6 else f"{value:,.0f}"
    return value


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
