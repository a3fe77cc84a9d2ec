"""Bar charts drawn as SVG on the server: readable without JavaScript, printable in a PDF.

``bar_chart(rows)`` returns the geometry that ``hub/includes/bar_chart.html`` draws; the
include always renders the same numbers as a table too, for screen readers and for copying.
"""

from __future__ import annotations

from decimal import Decimal

Number = int | float | Decimal | None


def bar_chart(rows: list[tuple[str, Number]], *, width: int = 480, bar_height: int = 22,
              gap: int = 8, label_width: int = 200) -> dict:
    """Horizontal bars, one per (label, value); None counts as no data (no bar)."""
    values = [float(v) for _label, v in rows if v is not None]
    peak = max(values + [0.0]) or 1.0
    room = max(width - label_width - 60, 10)
    bars = []
    for i, (label, value) in enumerate(rows):
        length = 0 if value is None else round(room * float(value) / peak)
        y = i * (bar_height + gap)
        bars.append({"label": label, "value": value, "y": y, "text_y": y + bar_height * 0.7,
                     "x": label_width, "length": max(length, 0),
                     "value_x": label_width + max(length, 0) + 6})
    height = max(len(rows) * (bar_height + gap) - gap, bar_height)
    return {"bars": bars, "width": width, "height": height, "bar_height": bar_height,
            "label_width": label_width}
