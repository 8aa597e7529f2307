"""Small inline-SVG charts for the HTML report (no plotting dependency, no external assets).

Every function returns a standalone ``<svg>`` element as text, well-formed XML.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape

Fmt = Callable[[float], str]
FONT = 'font-family="sans-serif"'
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf",
           "#7f7f7f")


@dataclass
class Series:
    """A named set of points (x, y), with optional error half-widths, drawn as a line or
    markers."""

    name: str
    points: list[tuple[float, float]]
    color: str
    errors: list[float | None] = field(default_factory=list)
    line: bool = True
    marker: str = "circle"  # circle, cross or none
    dashed: bool = False
    bands: list[tuple[float, float]] = field(default_factory=list)
    """Per point, the half-widths of the tolerance band and of the statistical band
    (max of tolerance and 2.5 SE), shaded around the point (published targets)."""


@dataclass(frozen=True)
class Deviation:
    """A target's row in the deviation plot: distance and statistical half-band, in
    tolerances."""

    label: str
    z: float
    passed: bool
    stat: float = 0.0


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high]."""
    if not math.isfinite(low) or not math.isfinite(high):
        return [0.0, 1.0]
    if high <= low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / max(count, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(low / step) * step
    ticks = [round(start, 10)]
    while ticks[-1] < high - 1e-9 * step:
        ticks.append(round(start + len(ticks) * step, 10))
    return ticks if len(ticks) > 1 else [ticks[0], round(ticks[0] + step, 10)]


def _text(x: float, y: float, content: str, anchor: str = "middle", extra: str = "",
          size: int = 13) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" {FONT} '
            f'font-size="{size}" {extra}>{escape(content)}</text>')


def _frame(width: int, height: int, title: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet" '
            'style="max-width:100%;height:auto" role="img">',
            f"<title>{escape(title)}</title>",
            f'<rect x="0" y="0" width="{width}" height="{height}" fill="white"/>',
            _text(width / 2, 16, title, extra='font-weight="bold"')]


def line_chart(series: Sequence[Series], title: str, x_label: str, y_label: str,
               y_fmt: Fmt = lambda v: f"{v:g}", x_fmt: Fmt = lambda v: f"{v:g}",
               width: int = 960, height: int = 440, y_zero: bool = False) -> str:
    """A chart of lines and/or markers with error bars, shaded target bands and a legend."""
    left, right, top, bottom = 80, 220, 34, 50
    xs = [x for s in series for x, _ in s.points]
    ys = [y + sign * (e or 0) for s in series
          for (_, y), e in zip(s.points, s.errors or [None] * len(s.points), strict=True)
          for sign in (-1, 1)]
    ys += [y + sign * max(b) for s in series for (_, y), b in zip(s.points, s.bands, strict=False)
           for sign in (-1, 1)]
    if not xs:
        return "".join([*_frame(width, 60, title), _text(width / 2, 40, "no data"), "</svg>"])
    x_ticks = nice_ticks(min(xs), max(xs), 6)
    y_ticks = nice_ticks(0.0 if y_zero else min(ys), max(ys), 5)
    x0, x1, y0, y1 = x_ticks[0], x_ticks[-1], y_ticks[0], y_ticks[-1]
    pw, ph = width - left - right, height - top - bottom

    def px(x: float) -> float:
        return left + (x - x0) / ((x1 - x0) or 1) * pw

    def py(y: float) -> float:
        return top + ph - (y - y0) / ((y1 - y0) or 1) * ph

    out = _frame(width, height, title)
    for t in y_ticks:
        out.append(f'<line x1="{left}" y1="{py(t):.1f}" x2="{left + pw}" y2="{py(t):.1f}" '
                   f'stroke="#e5e5e5"/>')
        out.append(_text(left - 6, py(t) + 4, y_fmt(t), anchor="end"))
    for t in x_ticks:
        out.append(_text(px(t), top + ph + 16, x_fmt(t)))
    out.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" '
               f'stroke="#999"/>')
    out.append(_text(left + pw / 2, height - 8, x_label))
    out.append(_text(16, top + ph / 2, y_label,
                     extra=f'transform="rotate(-90 16 {top + ph / 2:.1f})"'))
    banded = [s for s in series if s.bands]
    slot = pw / max(len(set(xs)), 1) * 0.4 / max(len(banded), 1)
    for k, s in enumerate(banded):  # bands first, under every line; side by side per x
        shift = (k - (len(banded) - 1) / 2) * slot
        for (x, y), (tol, stat) in zip(s.points, s.bands, strict=False):
            for half, cls, opacity in ((stat, "band-stat", 0.12),
                                       (tol, "band-tolerance", 0.25)):
                lo, hi = max(y - half, y0), min(y + half, y1)
                out.append(f'<rect class="{cls}" x="{px(x) + shift - slot / 2:.1f}" '
                           f'y="{py(hi):.1f}" width="{slot:.1f}" '
                           f'height="{max(py(lo) - py(hi), 0):.1f}" fill="{s.color}" '
                           f'fill-opacity="{opacity}"/>')
    for i, s in enumerate(series):
        pts = sorted(s.points)
        if s.line and len(pts) > 1:
            path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in pts)
            dash = ' stroke-dasharray="5,4"' if s.dashed else ""
            out.append(f'<polyline points="{path}" fill="none" stroke="{s.color}" '
                       f'stroke-width="2"{dash}/>')
        errors = s.errors or [None] * len(s.points)
        for (x, y), e in zip(s.points, errors, strict=True):
            if e:
                lo, hi = max(y - e, y0), min(y + e, y1)
                out.append(f'<line x1="{px(x):.1f}" y1="{py(lo):.1f}" x2="{px(x):.1f}" '
                           f'y2="{py(hi):.1f}" stroke="{s.color}"/>')
            if s.marker == "circle":
                out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3.5" '
                           f'fill="{s.color}"/>')
            elif s.marker == "cross":
                cx, cy = px(x), py(y)
                out.append(f'<path d="M{cx - 6:.1f},{cy - 6:.1f} L{cx + 6:.1f},{cy + 6:.1f} '
                           f'M{cx - 6:.1f},{cy + 6:.1f} L{cx + 6:.1f},{cy - 6:.1f}" '
                           f'stroke="{s.color}" stroke-width="2.5"/>')
        ly = top + 10 + 20 * i
        lx = left + pw + 12
        if s.marker == "cross":
            out.append(f'<path d="M{lx},{ly - 5} L{lx + 10},{ly + 5} M{lx},{ly + 5} '
                       f'L{lx + 10},{ly - 5}" stroke="{s.color}" stroke-width="2.5"/>')
        else:
            out.append(f'<rect x="{lx}" y="{ly - 5}" width="12" height="10" '
                       f'fill="{s.color}"/>')
        out.append(_text(lx + 18, ly + 4, s.name, anchor="start"))
    if any(s.bands for s in series):
        ly = top + 10 + 20 * len(series) + 6
        for cls, opacity, text in (("band-tolerance", 0.22, "target ± tolerance"),
                                   ("band-stat", 0.10, "target ± 2.5 SE")):
            out.append(f'<rect class="{cls}" x="{left + pw + 12}" y="{ly - 6}" width="12" '
                       f'height="12" fill="#555" fill-opacity="{opacity}"/>')
            out.append(_text(left + pw + 30, ly + 4, text, anchor="start"))
            ly += 20
    out.append("</svg>")
    return "\n".join(out)


def bar_chart(categories: Sequence[str], groups: Sequence[tuple[str, Sequence[float], str]],
              title: str, y_label: str, y_fmt: Fmt = lambda v: f"{v:g}",
              width: int = 960, height: int = 420) -> str:
    """Grouped vertical bars: one bar per group within each category."""
    left, right, top, bottom = 70, 170, 34, 54
    pw, ph = width - left - right, height - top - bottom
    top_value = max([v for _, values, _ in groups for v in values] + [0.0])
    y_ticks = nice_ticks(0.0, top_value or 1.0, 5)
    y1 = y_ticks[-1] or 1.0
    out = _frame(width, height, title)
    for t in y_ticks:
        y = top + ph - t / y1 * ph
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + pw}" y2="{y:.1f}" '
                   f'stroke="#e5e5e5"/>')
        out.append(_text(left - 6, y + 4, y_fmt(t), anchor="end"))
    slot = pw / max(len(categories), 1)
    bar = slot * 0.8 / max(len(groups), 1)
    for c, cat in enumerate(categories):
        for g, (_, values, color) in enumerate(groups):
            v = values[c]
            h = v / y1 * ph
            x = left + c * slot + slot * 0.1 + g * bar
            out.append(f'<rect x="{x:.1f}" y="{top + ph - h:.1f}" width="{bar:.1f}" '
                       f'height="{h:.1f}" fill="{color}"/>')
        if len(categories) <= 12 or c % 2 == 0:
            out.append(_text(left + c * slot + slot / 2, top + ph + 15, cat))
    out.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" '
               f'stroke="#999"/>')
    out.append(_text(16, top + ph / 2, y_label,
                     extra=f'transform="rotate(-90 16 {top + ph / 2:.1f})"'))
    for g, (name, _, color) in enumerate(groups):
        ly = top + 10 + 20 * g
        out.append(f'<rect x="{left + pw + 12}" y="{ly - 5}" width="12" height="10" '
                   f'fill="{color}"/>')
        out.append(_text(left + pw + 30, ly + 4, name, anchor="start"))
    out.append("</svg>")
    return "\n".join(out)


def stacked_bars(rows: Sequence[tuple[str, Sequence[tuple[str, float]]]],
                 colors: dict[str, str], title: str, width: int = 960) -> str:
    """Horizontal 100% bars, one per row, split into named parts (values in %)."""
    left, right, top, row_h = 110, 20, 34, 38
    height = top + row_h * len(rows) + 50
    pw = width - left - right
    out = _frame(width, height, title)
    for r, (label, parts) in enumerate(rows):
        y = top + r * row_h + 6
        out.append(_text(left - 8, y + 15, label, anchor="end"))
        x = float(left)
        for name, value in parts:
            # parts that overrun 100% (published shares rounded up) are cut at the frame
            w = min(max(value, 0.0) / 100 * pw, left + pw - x)
            out.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="22" '
                       f'fill="{colors.get(name, "#bbb")}"><title>{escape(name)}: '
                       f"{value:.1f}%</title></rect>")
            if w > 34:
                out.append(_text(x + w / 2, y + 15, f"{value:.0f}%",
                                 extra='fill="white"'))
            x += w
    ly = top + row_h * len(rows) + 14
    lx = 20.0
    for name, color in colors.items():
        step = 16 + 8 * len(name) + 18
        if lx + step > width:
            lx, ly = 20.0, ly + 16
        out.append(f'<rect x="{lx:.1f}" y="{ly}" width="12" height="10" fill="{color}"/>')
        out.append(_text(lx + 16, ly + 9, name.replace("_", " "), anchor="start"))
        lx += step
    out.append("</svg>")
    return "\n".join(out)


def deviation_plot(items: Sequence[Deviation], title: str,
                   width: int = 960, limit: float = 5.0) -> str:
    """One row per target: (achieved - target) / tolerance, clipped to +-limit; the band
    -1..1 is within tolerance, each row's lighter band the statistical one (+-2.5 SE)."""
    left, right, top, row_h = 300, 30, 44, 18
    height = top + row_h * len(items) + 30
    pw = width - left - right

    def px(z: float) -> float:
        return left + (max(-limit, min(limit, z)) + limit) / (2 * limit) * pw

    out = _frame(width, height, title)
    out.append(f'<rect class="band-tolerance" x="{px(-1):.1f}" y="{top}" '
               f'width="{px(1) - px(-1):.1f}" height="{row_h * len(items)}" fill="#e8f4e8"/>')
    for t in range(-int(limit), int(limit) + 1):
        out.append(f'<line x1="{px(t):.1f}" y1="{top}" x2="{px(t):.1f}" '
                   f'y2="{top + row_h * len(items)}" stroke="#eee"/>')
        out.append(_text(px(t), top - 6, f"{t:+d}" if t else "0"))
    for i, item in enumerate(items):
        if item.stat > 1:  # the statistical band is wider than the tolerance
            out.append(f'<rect class="band-stat" x="{px(-item.stat):.1f}" '
                       f'y="{top + i * row_h + 2}" width="{px(item.stat) - px(-item.stat):.1f}" '
                       f'height="{row_h - 4}" fill="#1f77b4" fill-opacity="0.15"/>')
    for i, item in enumerate(items):
        label, z, passed = item.label, item.z, item.passed
        y = top + i * row_h + row_h / 2
        color = "#2ca02c" if passed else "#d62728"
        out.append(_text(left - 6, y + 4, label, anchor="end", size=12))
        out.append(f'<circle cx="{px(z):.1f}" cy="{y:.1f}" r="4" fill="{color}">'
                   f"<title>{escape(label)}: {z:+.2f} tolerances</title></circle>")
    out.append(_text(left + pw / 2, height - 8,
                     "(achieved - target) / tolerance; green: within tolerance; blue: "
                     "within 2.5 SE (statistical)"))
    out.append("</svg>")
    return "\n".join(out)
