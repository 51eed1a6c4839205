"""Compare: market, state and grid on the same community and seed, stepping together."""

from __future__ import annotations

import html

import solara

from govsim.app import charts as C
from govsim.app.components import NoticeBanner, Player, SeedInput
from govsim.app.i18n import regime_name, tr
from govsim.app.live import FrameAck, Live, live_html, use_live, use_signal
from govsim.app.session import Comparison
from govsim.app.why_grid import WhyGridWins
from govsim.app.widgets import as_json, chart_element

COMPARE_ROWS = (("median_days", "{:.1f}"), ("median_days_from_report", "{:.1f}"),
                ("resolved_share", "{:.0%}"), ("detected_first_share", "{:.0%}"),
                ("confrontations", "{:.0f}"), ("petitions", "{:.0f}"),
                ("repeat_petitions", "{:.0f}"), ("skip_level_petitions", "{:.0f}"),
                ("special_handlings", "{:.0f}"), ("satisfaction", "{:.0%}"),
                ("satisfaction_parking_claimants", "{:.0%}"), ("satisfaction_others", "{:.0%}"),
                ("staff_days", "{:,.0f}"), ("parking_closed_day", "{:.0f}"))


def cell(key: str, value, pattern: str, day: int, finished: bool, lang: str) -> str:
    """A headline value; where it is undefined, why (not yet, or not by the horizon)."""
    if value is not None:
        return pattern.format(value)
    if key == "parking_closed_day":
        return tr("not_settled_by", lang, day=day) if finished else tr("not_yet", lang)
    return tr("not_by", lang, day=day) if finished else tr("not_yet", lang)


def headline(cmp: Comparison, summaries: dict, lang: str) -> str:
    head = "".join(f"<th>{html.escape(regime_name(r, lang))}</th>" for r in cmp.models)
    rows = []
    for key, pattern in COMPARE_ROWS:
        cells = "".join(
            f"<td class='govsim-cell-{r}-{key}'>"
            f"{html.escape(cell(key, summaries.get(r, {}).get(key), pattern, m.today + 1,
                                not m.running, lang))}</td>" for r, m in cmp.models.items())
        rows.append(f"<tr><td>{html.escape(tr('m_' + key, lang))}</td>{cells}</tr>")
    return (f"<table><tr><th>{html.escape(tr('metric', lang))}</th>{head}</tr>"
            f"{''.join(rows)}</table>")


def days_html(cmp: Comparison, lang: str) -> str:
    return "".join(f"<span class='govsim-monitor govsim-compare-day-{r}'>"
                   f"{html.escape(regime_name(r, lang))} — "
                   f"{html.escape(tr('days_run', lang))}: <b>{d + 1}</b></span>"
                   for r, d in cmp.days.items())


def frame_content(cmp: Comparison, lang: str, projector: bool, charts: bool = True) -> dict:
    """What changes each day: the days, and (``charts``) the curves and the table."""
    t = lambda key, **kw: tr(key, lang, **kw)  # noqa: E731
    name = lambda r: regime_name(r, lang)  # noqa: E731
    horizon = max(cmp.days.values()) + 1
    content = {"days": days_html(cmp, lang)}
    if charts:
        content |= {"km": as_json(C.km_chart(cmp.curves(), horizon, t, projector, name)),
                    "table": headline(cmp, cmp.summaries(), lang),
                    "open": as_json(C.open_by_regime_chart(cmp.models, t, projector, name))}
    content["ack"] = cmp.playback.frame
    return content


@solara.component
def LiveCompare(cmp: Comparison, lang: str, projector: bool):
    """The three runs' days, curves and table; each day only texts and data change."""
    use_signal(cmp.controls)
    _, set_rev = solara.use_state(0)
    with cmp.lock:
        models, error = cmp.models, cmp.error
        running = cmp.running
        content = frame_content(cmp, lang, projector) if models else {}

    def compute():
        with cmp.lock:
            if cmp.models is not models or cmp.error != error:
                return None
            if cmp.running != running:
                set_rev(lambda r: r + 1)
                return None
            return frame_content(cmp, lang, projector, cmp.playback.chart_frame())

    live = use_live(cmp.frames, compute)
    if error:
        solara.Error(f"{tr('error', lang)} {error}", classes=["govsim-error"])
    if not models:
        return
    html_trait = "unsafe_innerHTML"
    Live(lambda: live_html(content["days"], ["govsim-monitors"]), html_trait, "days", live)
    height = "460px" if projector else "340px"
    png = tr("png", lang)

    def chart(key: str, name: str, h: str):
        with solara.Div(classes=["govsim-fig", f"govsim-fig-{name}"]):
            Live(lambda: chart_element(content[key], f"{name}.png", png, h), "option", key,
                 live)

    def table():
        Live(lambda: live_html(content["table"], ["govsim-table", "govsim-headline"]),
             html_trait, "table", live)

    if projector:  # one figure per row, at full width
        chart("km", "km_by_regime", height)
        table()
        chart("open", "open_by_regime", height)
    else:
        with solara.Columns([1.3, 1]):
            chart("km", "km_by_regime", height)
            table()
        chart("open", "open_by_regime", "300px")
    FrameAck(cmp.playback, live)
    solara.FileDownload(cmp.summary_csv, filename="compare_summary.csv",
                        label=tr("export_summary", lang))


@solara.component
def CompareControls(cmp: Comparison, lang: str, parking_case):
    use_signal(cmp.controls)

    def start():
        cmp.set_scenario(parking_case())
        cmp.playback.play()

    solara.Text(tr("compare_intro", lang), classes=["govsim-help"])
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Button(tr("start_parking", lang), on_click=start, color="primary",
                      classes=["govsim-compare-start"])
        SeedInput(cmp.seed, cmp.set_seed, lang, ["govsim-compare-seed"])
    Player(cmp, lang, "govsim-compare")
    NoticeBanner(cmp.notice, lang, ["govsim-notice"])


@solara.component
def ComparePage(cmp: Comparison, lang: str, projector: bool, parking_case):
    solara.use_effect(lambda: cmp.playback.pause, [cmp])
    CompareControls(cmp, lang, parking_case)
    LiveCompare(cmp, lang, projector)
    WhyGridWins(cmp.scenario, lang, projector)
