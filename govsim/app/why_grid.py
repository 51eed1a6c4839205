"""Why grid wins, on the Compare page: each institution's share of the grid − state
difference, from the decomposition ``govsim decompose`` computed for the case as shipped
(:mod:`govsim.validation.decompose`).

The page does not recompute it (5,120 runs); it shows the shipped result only for the
scenario it was computed from, with the same parameters, and otherwise says how to compute
one. The numbers are the library's; this module only lays them out.
"""

from __future__ import annotations

import html

import solara

from govsim.app.charts import base
from govsim.app.components import Html
from govsim.app.i18n import tr
from govsim.app.widgets import Chart
from govsim.validation.decompose import in_grids_favour, shipped

# metric -> (label key, how a difference is written, scale: a share is shown in points)
METRICS = {"rmst_days": ("m_rmst_days", "{:+.1f}", 1.0),
           "petitions": ("m_petitions", "{:+.1f}", 1.0),
           "satisfaction": ("m_satisfaction_pp", "{:+.1f}", 100.0),
           "staff_days": ("m_staff_days", "{:+,.0f}", 1.0)}
FAVOUR, AGAINST, TOTAL = "#1b9e77", "#d95f02", "#37474f"


def institution_name(name: str, lang: str) -> str:
    return tr(f"inst_{name}", lang)


def _cell(value, ci, metric: str) -> str:
    """A difference with its interval, in the metric's units (a minus sign, not a hyphen)."""
    if value is None:
        return "—"
    _, pattern, scale = METRICS[metric]
    text = pattern.format(value * scale)
    if ci is not None:
        text += f" [{pattern.format(ci[0] * scale)}, {pattern.format(ci[1] * scale)}]"
    return text.replace("-", "−")


def shares_table(data: dict, lang: str) -> str:
    """Institutions by metrics: share [95% interval]; the last row is the total."""
    metrics = [m for m in METRICS if m in data["metrics"]]
    head = "".join(f"<th>{html.escape(tr(METRICS[m][0], lang))}</th>" for m in metrics)
    rows = []
    for inst in data["institutions"]:
        cells = []
        for m in metrics:
            share = data["metrics"][m]["shares"][inst]
            text = _cell(share["value"], share["ci"], m)
            cells.append(f"<td class='govsim-why-{inst}-{m}'>{html.escape(text)}</td>")
        rows.append(f"<tr><td>{html.escape(institution_name(inst, lang))}</td>"
                    f"{''.join(cells)}</tr>")
    totals = []
    for m in metrics:
        res = data["metrics"][m]
        text = _cell(res["total"], res["total_ci"], m)
        totals.append(f"<td class='govsim-why-total-{m}'><b>{html.escape(text)}</b></td>")
    rows.append(f"<tr><td><b>{html.escape(tr('why_total', lang))}</b></td>"
                f"{''.join(totals)}</tr>")
    return (f"<table><tr><th>{html.escape(tr('why_institution', lang))}</th>{head}</tr>"
            f"{''.join(rows)}</table>")


def shares_chart(data: dict, metric: str, lang: str, projector: bool) -> dict:
    """Horizontal bars: each institution's share of one metric's difference, green where
    it is in the grid's favour, and the total below them."""
    label, _, scale = METRICS[metric]
    result = data["metrics"][metric]
    names = [institution_name(i, lang) for i in data["institutions"]] + [tr("why_total", lang)]
    values = [result["shares"][i]["value"] for i in data["institutions"]] + [result["total"]]
    option = base(tr("why_chart", lang, metric=tr(label, lang)), tr(label, lang), "", [],
                  projector)
    font = 22 if projector else 12
    option["xAxis"].pop("min")
    option["xAxis"].pop("minInterval")
    option["yAxis"] = {"type": "category", "data": names[::-1], "inverse": False,
                       "axisLabel": {"fontSize": font, "color": "#000"}}
    option["grid"]["left"] = 8
    option["tooltip"] = {"trigger": "axis", "axisPointer": {"type": "shadow"}}

    def colour(i: int, v) -> str:
        if i == len(values) - 1:
            return TOTAL
        return FAVOUR if in_grids_favour(metric, v) else AGAINST

    data_points = [{"value": None if v is None else round(v * scale, 1),
                    "itemStyle": {"color": colour(i, v)}} for i, v in enumerate(values)]
    option["series"] = [{"type": "bar", "data": data_points[::-1],
                         "label": {"show": True, "position": "right", "fontSize": font}}]
    return option


@solara.component
def WhyGridWins(scenario, lang: str, projector: bool):
    """The shipped decomposition of this scenario, or how to compute one."""
    data = solara.use_memo(lambda: shipped(scenario), [scenario])
    with solara.Div(classes=["govsim-why"]):
        Html(html.escape(tr("why_title", lang)), ["govsim-why-title"], tag="h3")
        if data is None:
            where = scenario.path or scenario.name
            Html(html.escape(tr("why_none", lang, command=f"govsim decompose {where}")),
                 ["govsim-help", "govsim-why-none"])
            return
        Html(html.escape(tr("why_intro", lang, n=len(data["institutions"]),
                            seeds=data["seeds"])), ["govsim-help"])
        Chart(shares_chart(data, "rmst_days", lang, projector), "why_grid_wins.png",
              tr("png", lang), "520px" if projector else "360px", ["govsim-why-chart"])
        Html(shares_table(data, lang), ["govsim-table", "govsim-why-table"])
