"""The report's pictures, drawn on the server with reportlab's graphics: the metabolism
as a Sankey diagram, the qualitative indicators as a radar, the yearly series as bars,
and the actors on a plain map (points projected from their coordinates: no tile server
is asked, so a report builds offline and leaks no address to a third party).

The same drawings serve the PDF and, as SVG, the report's page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.spider import SpiderChart
from reportlab.graphics.shapes import Circle, Drawing, Line, Path, Rect, String
from reportlab.lib import colors

GREEN = colors.HexColor("#2f7d4f")
GREY = colors.HexColor("#8a8f8c")
FONT = "Helvetica"


def _rect(x: float, y: float, width: float, height: float, fill: colors.Color,
          stroke: colors.Color | None) -> Rect:
    rect = Rect(x, y, width, height)
    rect.fillColor = fill
    rect.strokeColor = stroke
    return rect


def sankey(data: dict[str, Any], width: float = 480, height: float = 260) -> Drawing:
    """Three columns (inputs, sectors, outputs); a node as tall as the larger of what
    enters and leaves it, a link as a band as wide as its tonnes."""
    drawing = Drawing(width, height)
    labels: list[str] = data["labels"]
    count = len(labels)
    inflow, outflow = [0.0] * count, [0.0] * count
    for s, t, v in zip(data["source"], data["target"], data["value"], strict=True):
        outflow[s] += v
        inflow[t] += v
    size = [max(a, b) for a, b in zip(inflow, outflow, strict=True)]
    gap, node_w, label_w = 6.0, 10.0, 110.0
    columns: list[list[int]] = [[], [], []]
    for i, col in enumerate(data["columns"]):
        columns[col].append(i)
    heaviest = max(sum(size[i] for i in col) for col in columns if col) or 1.0
    slots = max(len(col) for col in columns)
    scale = (height - 10 - gap * max(0, slots - 1)) / heaviest
    x_of = [label_w, (width - node_w) / 2, width - label_w - node_w]
    top: dict[int, float] = {}
    names: list[String] = []  # drawn last, over the links
    for col_index, col in enumerate(columns):
        y = height - 5
        for i in col:
            h = max(1.0, size[i] * scale)
            top[i] = y
            drawing.add(_rect(x_of[col_index], y - h, node_w, h,
                              colors.HexColor(data["colours"][i]), None))
            anchor: Literal["start", "end"] = "end" if col_index == 0 else "start"
            lx = x_of[col_index] - 3 if col_index == 0 else x_of[col_index] + node_w + 3
            names.append(String(lx, y - h / 2 - 3, labels[i][:34], fontName=FONT,
                                fontSize=6.5, textAnchor=anchor))
            y -= h + gap
    out_used, in_used = dict.fromkeys(range(count), 0.0), dict.fromkeys(range(count), 0.0)
    col_of = data["columns"]
    for s, t, v in zip(data["source"], data["target"], data["value"], strict=True):
        band = max(0.5, v * scale)
        y0 = top[s] - out_used[s]
        y1 = top[t] - in_used[t]
        out_used[s] += band
        in_used[t] += band
        x0, x1 = x_of[col_of[s]] + node_w, x_of[col_of[t]]
        mid = (x0 + x1) / 2
        path = Path(fillColor=colors.HexColor(data["colours"][s]), fillOpacity=0.35,
                    strokeColor=None)
        path.moveTo(x0, y0)
        path.curveTo(mid, y0, mid, y1, x1, y1)
        path.lineTo(x1, y1 - band)
        path.curveTo(mid, y1 - band, mid, y0 - band, x0, y0 - band)
        path.closePath()
        drawing.add(path)
    for name in names:
        drawing.add(name)
    return drawing


def radar(labels: Sequence[str], scores: Sequence[float], top: float = 4,
          width: float = 300, height: float = 230) -> Drawing:
    drawing = Drawing(width, height)
    chart = SpiderChart()
    chart.x, chart.y, chart.width, chart.height = 60, 20, int(width - 120), int(height - 40)
    chart.data = [list(scores), [top] * len(scores)]
    chart.labels = [label[:30] for label in labels]
    chart.strands[0].fillColor = colors.Color(0.18, 0.49, 0.31, alpha=0.35)
    chart.strands[0].strokeColor = GREEN
    chart.strands[1].fillColor = None
    chart.strands[1].strokeColor = colors.lightgrey
    chart.strandLabels.fontSize = 6
    chart.spokeLabels.fontName = FONT
    chart.spokeLabels.fontSize = 7
    drawing.add(chart)
    return drawing


def bars(years: Sequence[int], values: Sequence[float], title: str,
         width: float = 230, height: float = 140) -> Drawing:
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 25, int(width - 50), int(height - 45)
    chart.data = [list(values) or [0]]
    chart.categoryAxis.categoryNames = [str(y) for y in years] or [""]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = GREEN
    drawing.add(chart)
    drawing.add(String(width / 2, height - 12, title, fontName=FONT, fontSize=8,
                       textAnchor="middle"))
    return drawing


def _core_range(values: list[float]) -> list[float]:
    """The values between the 5th and 95th percentiles, widened by half their spread."""
    ordered = sorted(values)
    low = ordered[int(0.05 * (len(ordered) - 1))]
    high = ordered[int(0.95 * (len(ordered) - 1) + 0.5)]
    margin = (high - low) * 0.5
    return [v for v in ordered if low - margin <= v <= high + margin]


def actor_map(points: Sequence[tuple[float, float]],
              links: Sequence[tuple[tuple[float, float], tuple[float, float]]],
              width: float = 480, height: float = 260) -> Drawing:
    """Points in an equirectangular projection scaled to the territory's extent."""
    drawing = Drawing(width, height)
    drawing.add(_rect(0, 0, width, height, colors.HexColor("#f4f6f4"), colors.lightgrey))
    every = list(points) + [p for link in links for p in link]
    if not every:
        return drawing
    # The extent of the bulk of the actors: a few far away (a head office, a typo in a
    # coordinate) would squeeze the territory into a corner; they are left off the frame.
    lats = _core_range([p[0] for p in every])
    lons = _core_range([p[1] for p in every])
    inside = [p for p in every if lats[0] <= p[0] <= lats[-1] and lons[0] <= p[1] <= lons[-1]]
    points = [p for p in points if p in inside]
    links = [link for link in links if link[0] in inside and link[1] in inside]
    lats = [p[0] for p in inside]
    lons = [p[1] for p in inside]
    squeeze = math.cos(math.radians(sum(lats) / len(lats)))
    span_x = max(1e-6, (max(lons) - min(lons)) * squeeze)
    span_y = max(1e-6, max(lats) - min(lats))
    scale = min((width - 20) / span_x, (height - 20) / span_y)

    west, south = min(lons), min(lats)

    def at(p: tuple[float, float]) -> tuple[float, float]:
        return (10 + (p[1] - west) * squeeze * scale, 10 + (p[0] - south) * scale)

    for a, b in links:
        (x0, y0), (x1, y1) = at(a), at(b)
        drawing.add(Line(x0, y0, x1, y1, strokeColor=colors.HexColor("#c0742e"),
                         strokeWidth=1.2))
    for p in points:
        x, y = at(p)
        drawing.add(Circle(x, y, 1.8, fillColor=GREY, strokeColor=None))
    return drawing
