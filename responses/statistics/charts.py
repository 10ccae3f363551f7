"""The figures as bar charts, laid out here and drawn as SVG by the template.

Server-rendered, no script: each chart is a list of bars with their segments' positions
in a 0-100 wide box (the SVG's viewBox), and every chart sits beside a table with the
same numbers, which is what a screen reader reads (the SVG is labelled as a picture).
"""

from dataclasses import dataclass, field

BAR_HEIGHT = 6
GAP = 4
LABEL_WIDTH = 22  # of the 100 units: the bar's label sits on the left
WIDTH = 100


@dataclass
class Segment:
    x: float
    width: float
    value: int
    label: str
    tone: int  # 1..n: the CSS class app-chart__tone-N picks the colour


@dataclass
class Bar:
    label: str
    y: float
    total: int
    start: float = LABEL_WIDTH
    segments: list = field(default_factory=list)

    @property
    def text_y(self):
        return self.y + BAR_HEIGHT * 0.75

    @property
    def total_x(self):
        end = self.segments[-1].x + self.segments[-1].width if self.segments else self.start
        return end + 1


@dataclass
class Chart:
    title: str
    bars: list
    legend: list  # [(label, tone)]

    @property
    def height(self):
        return len(self.bars) * (BAR_HEIGHT + GAP) + GAP

    @property
    def bar_height(self):
        return BAR_HEIGHT


def stacked(title, labels, series, *, scale_to=None, label_width=LABEL_WIDTH):
    """One bar per label; ``series`` is [(name, [value per label])], stacked left to right.

    Bars share one scale (the biggest total, or ``scale_to``), so they compare at a glance.
    """
    totals = [sum(values[i] for _, values in series) for i in range(len(labels))]
    biggest = scale_to or max(totals, default=0) or 1
    room = WIDTH - label_width - 8  # leave space for the total after the bar
    bars = []
    for i, label in enumerate(labels):
        bar = Bar(label=label, y=GAP + i * (BAR_HEIGHT + GAP), total=totals[i], start=label_width)
        x = label_width
        for tone, (name, values) in enumerate(series, start=1):
            width = room * values[i] / biggest
            if values[i]:
                bar.segments.append(Segment(round(x, 2), round(width, 2), values[i], name, tone))
            x += width
        bars.append(bar)
    legend = [(name, tone) for tone, (name, _) in enumerate(series, start=1)]
    return Chart(title=title, bars=bars, legend=legend)


def quarter_chart(title, figures, rows):
    """A bar per quarter, stacked from ``rows`` (figures.Row)."""
    return stacked(
        title,
        figures.quarter_labels(),
        [(row.label, [row.by_quarter[q] for q in (1, 2, 3, 4)]) for row in rows],
    )


def ranking_chart(title, rows, limit=12):
    """One bar per row for the year (the most cited provisions first)."""
    shown = [row for row in rows if row.year][:limit]
    return stacked(
        title,
        [row.label for row in shown],
        [("Requests", [r.year for r in shown])],
        label_width=36,
    )
