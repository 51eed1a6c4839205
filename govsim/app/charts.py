"""ECharts options for the app's charts, built from the model's own series.

The browser draws them (:class:`govsim.app.widgets.Chart`). Every chart has its legend
beside the plotting area, never on the data, and whole days on its day axis; projector
mode makes type large and lines thick. ``tr`` is the page's translation function.
"""

from __future__ import annotations

import numpy as np

from govsim.app.i18n import STRINGS
from govsim.app.views import OPEN_STAGES, STAGE_COLOURS
from govsim.plots import REGIME_COLOURS
from govsim.vocabulary import ORGANISATIONS

TRUST_COLOURS = ("#1f77b4", "#2ca02c", "#17becf", "#9467bd", "#7f7f7f", "#8c564b",
                 "#d62728", "#ff7f0e", "#bcbd22", "#e377c2", "#000000")
ESCALATION = (("confrontations", "#e53935", "solid"), ("petitions", "#6d0000", "solid"),
              ("police_calls", "#1e88e5", "dotted"))


def _width(text: str) -> float:
    """Rough width of a label in units of the font size (CJK glyphs are square)."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.58 for ch in text)


def base(title: str, xlabel: str, ylabel: str, legend: list[str], projector: bool,
         x_max: float | None = None, y_max: float | None = None) -> dict:
    """An option with title, axes and a legend at the right of the plotting area."""
    font = 22 if projector else 12
    legend_width = (max((_width(s) for s in legend), default=0) * font + 40) if legend else 0
    axis_font = {"fontSize": font, "color": "#000" if projector else "#333"}
    option = {
        "animation": False,
        "textStyle": {"fontSize": font},
        "title": {"text": title, "left": "center", "top": 4,
                  "textStyle": {"fontSize": font + 4, "fontWeight": 600}},
        "grid": {"left": font * 2 + 16, "right": 24 + legend_width, "top": font * 2 + 24,
                 "bottom": font + 34, "containLabel": True},
        "xAxis": {"type": "value", "name": xlabel, "nameLocation": "middle",
                  "nameGap": font + 14, "min": 0, "minInterval": 1, "axisLabel": axis_font,
                  "nameTextStyle": axis_font,
                  "axisLine": {"lineStyle": {"width": 2 if projector else 1}}},
        "yAxis": {"type": "value", "name": ylabel, "nameTextStyle": axis_font,
                  "nameLocation": "middle", "nameRotate": 90, "nameGap": font * 2 + 18,
                  "axisLabel": axis_font, "min": 0,
                  "splitLine": {"lineStyle": {"opacity": 0.4}}},
        "tooltip": {"trigger": "axis"},
        "series": [],
    }
    if x_max is not None:
        option["xAxis"]["max"] = x_max
    if y_max is not None:
        option["yAxis"]["max"] = y_max
    if legend:
        option["legend"] = {"orient": "vertical", "right": 8, "top": "middle",
                            "textStyle": {"fontSize": font},
                            "itemWidth": 34 if projector else 22,
                            "itemHeight": 14 if projector else 10, "data": legend}
    return option


def line(name: str, xs, ys, colour: str, projector: bool, style: str = "solid",
         step: str | None = None) -> dict:
    series = {"type": "line", "name": name, "showSymbol": False,
              "data": [[int(x), None if y is None else round(float(y), 4)]
                       for x, y in zip(xs, ys)],
              "lineStyle": {"width": 5 if projector else 2, "type": style, "color": colour},
              "itemStyle": {"color": colour}}
    if step:
        series["step"] = step
    return series


def _series(model, key: str) -> list:
    return model.datacollector.model_vars.get(key, [])


def _x_max(days: list) -> int:
    return max(10, int(days[-1]) + 1) if days else 10


# ---- Explore ----------------------------------------------------------------------------------------
def stages_chart(model, tr, projector: bool) -> dict:
    days = _series(model, "day")
    names = [tr(f"stage_{s.name.lower()}") for s in OPEN_STAGES]
    option = base(tr("fig_stages"), tr("axis_day"), tr("axis_count"), names, projector,
                  _x_max(days))
    for s, name in zip(OPEN_STAGES, names):
        option["series"].append(line(name, days, _series(model, f"open_{s.name.lower()}"),
                                     STAGE_COLOURS.get(s, "#000000"), projector))
    return option


def escalation_chart(model, tr, projector: bool) -> dict:
    days = _series(model, "day")
    names = [tr(key) for key, _, _ in ESCALATION]
    option = base(tr("fig_escalation"), tr("axis_day"), tr("axis_count"), names, projector,
                  _x_max(days))
    option["yAxis"]["minInterval"] = 1
    for (key, colour, style), name in zip(ESCALATION, names):
        option["series"].append(line(name, days, _series(model, key), colour, projector,
                                     style, step="end"))
    return option


def satisfaction_chart(model, tr, projector: bool) -> dict:
    days = _series(model, "day")
    option = base(tr("fig_satisfaction"), tr("axis_day"), tr("axis_share"), [], projector,
                  _x_max(days), y_max=1)
    option["series"].append(line(tr("fig_satisfaction"), days,
                                 _series(model, "satisfaction_share"), "#2e7d32", projector))
    return option


def trust_chart(model, tr, projector: bool) -> dict:
    """Mean trust in each organisation the model has (the vocabulary's list)."""
    days = _series(model, "day")
    orgs = [o for o in ORGANISATIONS if f"trust_{o}" in model.datacollector.model_vars]
    names = [tr(f"org_{org}") if f"org_{org}" in STRINGS else tr("org_other") for org in orgs]
    option = base(tr("fig_trust"), tr("axis_day"), tr("axis_share"), names, projector,
                  _x_max(days), y_max=1)
    for i, (org, name) in enumerate(zip(orgs, names)):
        colour = TRUST_COLOURS[i % len(TRUST_COLOURS)]
        option["series"].append(line(name, days, _series(model, f"trust_{org}"), colour,
                                     projector))
    return option


EXPLORE_CHARTS = {"stages": stages_chart, "escalation": escalation_chart,
                  "satisfaction": satisfaction_chart, "trust": trust_chart}


# ---- Compare --------------------------------------------------------------------------------------
def km_chart(curves: dict, horizon: int, tr, projector: bool, regime_name) -> dict:
    """Kaplan–Meier share still unresolved, one step curve per regime (``curves`` maps a
    regime to its :class:`govsim.statistics.Survival`, or None before any dispute)."""
    names = {}
    for regime, km in curves.items():
        label = regime_name(regime)
        if km is not None and km.median is not None:
            label += f" ({tr('median')} {km.median:.0f} {tr('days_unit')})"
        names[regime] = label
    option = base(tr("fig_km"), tr("axis_days_since"), tr("axis_unresolved"),
                  list(names.values()), projector, max(10, horizon), y_max=1)
    for regime, km in curves.items():
        if km is None:
            continue
        xs = np.r_[0.0, km.times, horizon]
        ys = np.r_[1.0, km.survival, km.survival[-1] if len(km.survival) else 1.0]
        option["series"].append(line(names[regime], xs, ys, REGIME_COLOURS[regime],
                                     projector, step="end"))
    option["series"].append({"type": "line", "name": "", "data": [], "markLine": {
        "silent": True, "symbol": "none", "lineStyle": {"color": "#999", "type": "dotted"},
        "label": {"show": False}, "data": [{"yAxis": 0.5}]}})
    return option


def open_by_regime_chart(models: dict, tr, projector: bool, regime_name) -> dict:
    names = {r: regime_name(r) for r in models}
    days_max = 10
    option = base(tr("fig_open_by_regime"), tr("axis_day"), tr("axis_count"),
                  list(names.values()), projector)
    for regime, m in models.items():
        days = _series(m, "day")
        days_max = max(days_max, _x_max(days))
        total = np.sum([_series(m, f"open_{s.name.lower()}") for s in OPEN_STAGES], axis=0)
        option["series"].append(line(names[regime], days, np.atleast_1d(total).tolist(),
                                     REGIME_COLOURS[regime], projector))
    option["xAxis"]["max"] = days_max
    return option


# ---- Case replay ------------------------------------------------------------------------------------
def timeline_chart(rows: list[tuple[str, int | None, int | None, list[int]]], horizon: int,
                   regime_colour: str, tr, projector: bool, xlabel: str) -> dict:
    """One row per milestone (label, this run's day, 2010's day, days over seeds): a diamond
    for 2010, a large dot for this run, grey bubbles sized by how many seeds had the
    milestone on that day."""
    font = 22 if projector else 12
    labels = [r[0] for r in rows][::-1]
    names = [tr("reference_2010"), tr("this_run"), tr("over_seeds_short")]
    option = base(tr("fig_timeline"), xlabel, "", names, projector)
    option["yAxis"] = {"type": "category", "data": labels,
                       "axisLabel": {"fontSize": font, "color": "#000"},
                       "splitLine": {"show": True, "lineStyle": {"opacity": 0.3}}}
    option["tooltip"] = {"trigger": "item"}
    latest = 10
    source, this, seeds = [], [], []
    for label, day, source_day, over in rows:
        if source_day is not None:
            source.append([source_day, label])
            latest = max(latest, source_day)
        if day is not None:
            this.append([day, label])
            latest = max(latest, day)
        for d, count in zip(*np.unique(over, return_counts=True)) if over else ():
            seeds.append([int(d), label, int(count)])
            latest = max(latest, int(d))
    scale = 2.0 if projector else 1.3
    option["series"] = [  # a size per bubble: a function cannot travel as JSON
        {"type": "scatter", "name": names[2],
         "data": [{"value": [d, label], "symbolSize": round(scale * (6 + 4 * count), 1)}
                  for d, label, count in seeds],
         "itemStyle": {"color": "#9e9e9e", "opacity": 0.7}},
        {"type": "scatter", "name": names[0], "data": source, "symbol": "diamond",
         "symbolSize": 26 if projector else 16, "itemStyle": {"color": "#37474f"}},
        {"type": "scatter", "name": names[1], "data": this, "symbolSize": 30 if projector else 18,
         "itemStyle": {"color": regime_colour, "borderColor": "#000", "borderWidth": 1.5}},
    ]
    option["xAxis"]["max"] = min(horizon, latest + 5)
    return option
