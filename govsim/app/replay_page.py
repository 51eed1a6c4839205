"""Case replay: the 2010 conflict beside the simulated one, milestone by milestone, with the
story of one run told in plain language and its spread over seeds."""

from __future__ import annotations

import html

import solara

from govsim.app import charts as C
from govsim.app import narrative as N
from govsim.app.components import Html, RegimeButtons, SeedInput
from govsim.app.i18n import STRINGS, days_text, event_text, regime_name, tr
from govsim.app.session import REPLAYS, check_seed, csv_text
from govsim.app.widgets import Chart
from govsim.plots import REGIME_COLOURS


def _label(item: dict, lang: str) -> str:
    return item.get("label_zh") if lang == "zh" and item.get("label_zh") else item["label"]


def timeline_rows(timeline: list[dict], lang: str) -> str:
    """The scenario's timeline as table rows; its text comes from a file, so it is escaped
    (a label is shown as written, never run as HTML)."""
    return "".join(
        f"<tr><td>{html.escape(str(item.get('date', '')))}</td>"
        f"<td>{html.escape(str(item['day']))}</td>"
        f"<td>{html.escape(_label(item, lang))}</td></tr>" for item in timeline)


def milestone_name(ms: N.Milestone, lang: str) -> str:
    """A short name: the kind's own, or for a kind without one the source's label."""
    if f"ms_{ms.kind}" in STRINGS:
        return tr(f"ms_{ms.kind}", lang)
    return _label(ms.source_label, lang) if ms.source_label else tr("ms_other", lang)


def when(day: int | None, scenario, lang: str, horizon: int) -> str:
    if day is None:
        return tr("did_not_happen", lang, day=horizon)
    date = scenario.date_of(day)
    return _stamp(tr("day_n", lang, day=day), str(date) if date else "", "", lang)


def difference(ms: N.Milestone, lang: str) -> str:
    diff = ms.difference
    if diff is None:
        return "—" if ms.source_day is not None else tr("no_source_date", lang)
    if diff == 0:
        return tr("same_day", lang)
    if abs(diff) == 1:
        return tr("one_day_later" if diff > 0 else "one_day_earlier", lang)
    return tr("later" if diff > 0 else "earlier", lang, n=abs(diff))


def milestone_table(milestones: list[N.Milestone], scenario, lang: str, horizon: int) -> str:
    head = "".join(f"<th>{html.escape(tr(k, lang))}</th>" for k in (
        "col_milestone", "col_run", "col_2010", "col_difference", "col_source"))
    rows = []
    for ms in milestones:
        source = (when(ms.source_day, scenario, lang, horizon) if ms.source_day is not None
                  else tr("no_source_date", lang))
        cells = (milestone_name(ms, lang), when(ms.day, scenario, lang, horizon), source,
                 difference(ms, lang), _label(ms.source_label, lang) if ms.source_label else "")
        rows.append(f"<tr class='govsim-ms-{html.escape(ms.kind)}'>" +
                    "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def answer_text(answer: N.StateAnswer, lang: str) -> str:
    fields = {"order": answer.order, "petition": answer.petition,
              "confrontation": answer.confrontation}
    if answer.case == "after_petition":
        fields["gap"] = days_text(answer.order - answer.petition, lang)
        fields["since"] = days_text(answer.order - (answer.confrontation or 0), lang)
        fields["confrontation"] = answer.confrontation if answer.confrontation is not None \
            else "—"
    return tr(f"answer_{answer.case}", lang, **fields)


def _stamp(when_: str, dates: str, tail: str, lang: str) -> str:
    """"day 6 (2010-09-07)", "days 0–8 (09-01–09-09), every day" — or in Chinese."""
    zh = lang == "zh"
    if dates:
        when_ += f"（{dates}）" if zh else f" ({dates})"
    if tail:
        when_ += ("，" if zh else ", ") + tail
    return when_


def story(events: list[dict], scenario, lang: str) -> str:
    """The run's events folded, one line each, as an HTML list."""
    colon = tr("colon", lang)
    items = []
    for line in N.fold(events):
        d0, d1 = scenario.date_of(line.first), scenario.date_of(line.last)
        if line.folded:
            stamp = _stamp(tr("days_n", lang, first=line.first, last=line.last),
                           f"{d0:%m-%d}–{d1:%m-%d}" if d0 else "",
                           tr("every_day", lang) if line.every_day
                           else tr("on_days", lang, n=line.days), lang)
        else:
            stamp = _stamp(tr("day_n", lang, day=line.first), str(d0) if d0 else "", "", lang)
        kind = html.escape(str(line.record["kind"]))
        items.append(f"<li class='govsim-line govsim-line-{kind}'><b>{html.escape(stamp)}</b>"
                     f"{colon}{html.escape(event_text(line.shown_record(), lang))}</li>")
    return f"<ul>{''.join(items)}</ul>"


@solara.component
def ReplayPage(scenario, lang: str, projector: bool):
    regime = solara.use_reactive("state")
    seed = solara.use_reactive(0)
    n_seeds = solara.use_reactive(8)
    key = [scenario.name, regime.value, seed.value, n_seeds.value]
    result = solara.use_thread(lambda: REPLAYS.get(scenario, regime.value, seed.value,
                                                   n_seeds.value), dependencies=key)

    def set_seed(text):
        seed.set(check_seed(text))

    solara.Text(tr("replay_intro", lang), classes=["govsim-help"])
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        RegimeButtons(regime.value, regime.set, lang, "govsim-replay-regime")
        SeedInput(seed.value, set_seed, lang, ["govsim-replay-seed"])
    Html(f"{html.escape(tr('seeds_n', lang))}{tr('colon', lang)}<b>{n_seeds.value}</b>")
    with solara.Div(classes=["govsim-replay-seeds"], style={"max-width": "420px"}):
        solara.SliderInt("", value=n_seeds, min=1, max=20)
    with solara.Columns([1] if projector else [1, 2.2]):
        with solara.Column():
            solara.Text(tr("timeline_2010", lang), style={"font-weight": "600"})
            Html(f"<table><tr><th>{html.escape(tr('date', lang))}</th>"
                 f"<th>{html.escape(tr('day', lang))}</th><th></th></tr>"
                 f"{timeline_rows(scenario.timeline, lang)}</table>",
                 classes=["govsim-table", "govsim-timeline"])
        with solara.Column():
            if result.state == solara.ResultState.ERROR:
                solara.Error(f"{tr('error', lang)} {result.error}")
                return
            if result.state != solara.ResultState.FINISHED or result.value is None:
                solara.Text(tr("computing", lang), classes=["govsim-help"])
                solara.ProgressLinear(True)
                return
            rep = result.value
            milestones = N.against_source(rep.events, scenario.timeline)
            kinds = [ms.kind for ms in milestones]
            over = {k: [] for k in kinds}
            for events in rep.over_seeds:
                for k, d in N.milestone_days(events, N.case_dispute_id(events), kinds).items():
                    if d is not None:
                        over[k].append(d)
            rows = [(milestone_name(ms, lang), ms.day, ms.source_day, over[ms.kind])
                    for ms in milestones]
            xlabel = tr("axis_day", lang) + (f" (0 = {scenario.start_date})"
                                             if scenario.start_date else "")
            option = C.timeline_chart(rows, rep.horizon, REGIME_COLOURS[rep.regime],
                                      lambda k, **kw: tr(k, lang, **kw), projector, xlabel)
            option["title"]["text"] += f" — {regime_name(rep.regime, lang)}"
            Chart(option, "timeline.png", tr("png", lang), "460px" if projector else "360px",
                  classes=["govsim-fig-timeline"])
    solara.Text(tr("milestones", lang), style={"font-weight": "600", "margin-top": "8px"})
    Html(milestone_table(milestones, scenario, lang, rep.horizon),
         classes=["govsim-table", "govsim-milestones"])
    solara.Info(answer_text(N.state_answer(rep.events), lang), classes=["govsim-answer"])
    solara.Text(tr("narrative", lang), style={"font-weight": "600", "margin-top": "8px"})
    outcome = tr(f"outcome_{rep.outcome}", lang) if rep.outcome else "—"
    Html(story(rep.events, scenario, lang) +
         f"<p><b>{html.escape(tr('outcome', lang))}{tr('colon', lang)}</b>"
         f"{html.escape(outcome)}</p>", classes=["govsim-narrative"])
    solara.FileDownload(lambda: csv_text(rep.events), filename="parking_events.csv",
                        label=tr("export_events", lang))
