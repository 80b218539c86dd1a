"""Bar charts as plain geometry, drawn as SVG by a template (no chart library, no script).

A chart is a list of categories and one or more series; the function computes every rectangle and
label in a fixed viewBox so the template only prints numbers. A masked value (None) draws no bar
and is labelled "<10"; the template also prints the figures as a table for screen readers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from halte.reports.presentation import format_number

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 12, 52


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    label: str
    text: str


@dataclass(frozen=True)
class Tick:
    y: float
    text: str


@dataclass(frozen=True)
class AxisLabel:
    x: float
    text: str
    y: float = 0.0
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    categories: tuple[str, ...]
    series: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # the table behind the chart
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    labels: tuple[AxisLabel, ...]
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM
    horizontal: bool = False
    plot_left: float = LEFT


def _scale_max(peak: float) -> float:
    """A round maximum for the axis (1, 2 or 5 times a power of ten)."""
    if peak <= 0:
        return 1.0
    power = 10 ** len(str(int(peak))) / 10
    for step in (1, 2, 5, 10):
        if step * power >= peak:
            return float(step * power)
    return float(peak)


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    description: str = "",
    decimals: int = 0,
    label_every: int = 1,
) -> Chart:
    """Grouped bars: one group per category, one bar per series."""
    values = [v for _name, vals in series for v in vals if v is not None]
    top = _scale_max(max(values, default=0.0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group = plot_w / max(len(categories), 1)
    bar_w = max(group * 0.8 / max(len(series), 1), 1.0)
    bars = []
    for s, (_name, vals) in enumerate(series):
        for i, value in enumerate(vals):
            height = 0.0 if value is None else plot_h * float(value) / top
            x = LEFT + i * group + group * 0.1 + s * bar_w
            text = "<10" if value is None else format_number(value, decimals)
            bars.append(Bar(x, TOP + plot_h - height, bar_w, height, s, categories[i], text))
    ticks = tuple(Tick(TOP + plot_h * (1 - k / 4), format_number(top * k / 4, 0)) for k in range(5))
    labels = tuple(
        AxisLabel(LEFT + i * group + group / 2, categories[i])
        for i in range(len(categories))
        if i % label_every == 0
    )
    rows = tuple(
        (
            categories[i],
            tuple(
                "<10" if vals[i] is None else format_number(vals[i], decimals)
                for _n, vals in series
            ),
        )
        for i in range(len(categories))
    )
    return Chart(
        title,
        description,
        tuple(categories),
        tuple(name for name, _v in series),
        rows,
        tuple(bars),
        ticks,
        labels,
    )


# Horizontal bars: one row per category, its name whole at the left, wrapped on up to three lines.
NAME_WIDTH, NAME_CHARS, ROW, LINE = 210, 30, 40, 12


def wrap_name(name: str, width: int = NAME_CHARS, most: int = 3) -> tuple[str, ...]:
    """``name`` on lines of about ``width`` characters, cut between words; past ``most`` lines the
    last one ends with "…" (a site's full name stays in the table behind the chart)."""
    lines: list[str] = []
    for word in name.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > most:
        lines = [*lines[: most - 1], lines[most - 1][: width - 1] + "…"]
    return tuple(lines)


def hbar_chart(
    title: str,
    categories: Sequence[str],
    values: Sequence[float | None],
    *,
    series: str,
    description: str = "",
    decimals: int = 0,
) -> Chart:
    """One horizontal bar per category, for long names (sites): the name is never cut short."""
    top = _scale_max(max((v for v in values if v is not None), default=0.0))
    height = TOP + ROW * max(len(categories), 1) + 28
    baseline = height - 28
    plot_w = WIDTH - NAME_WIDTH - RIGHT - 40
    bars, labels = [], []
    for i, (name, value) in enumerate(zip(categories, values, strict=True)):
        y = TOP + i * ROW
        length = 0.0 if value is None else plot_w * float(value) / top
        text = "<10" if value is None else format_number(value, decimals)
        bars.append(Bar(NAME_WIDTH, y + 8, length, ROW - 16, 0, name, text))
        lines = wrap_name(name)
        first = y + ROW / 2 - (len(lines) - 1) * LINE / 2 + 4
        labels.append(AxisLabel(NAME_WIDTH - 6, name, first, lines))
    # In a horizontal chart a tick's ``y`` holds its position along the (horizontal) value axis.
    ticks = tuple(
        Tick(NAME_WIDTH + plot_w * k / 4, format_number(top * k / 4, 0)) for k in range(5)
    )
    rows = tuple((c, (bar.text,)) for c, bar in zip(categories, bars, strict=True))
    return Chart(
        title,
        description,
        tuple(categories),
        (series,),
        rows,
        tuple(bars),
        ticks,
        tuple(labels),
        height=height,
        baseline=baseline,
        horizontal=True,
        plot_left=NAME_WIDTH,
    )
