"""Explore: one community under one regime, stepped or played by one student.

The controls (regime, seed, institutions, levers, payoffs, exports) re-render when the run
restarts; the live view (monitors, the network, the charts) with every frame. A frame is
data for the browser — a palette index per household, chart series — never an image.
"""

from __future__ import annotations

import html

import solara

from govsim.app import charts as C
from govsim.app import levers as LV
from govsim.app import views as V
from govsim.app.components import (Html, Lever, NoticeBanner, Player, RegimeButtons,
                                   SeedInput, fmt_value)
from govsim.app.i18n import (STRINGS, channel_name, dispute_type_name, param_text,
                             strategy_name, tr)
from govsim.app.live import FrameAck, Live, live_html, use_live, use_signal
from govsim.app.session import Explore
from govsim.app.widgets import as_json, chart_element, network_element


# ---- controls ---------------------------------------------------------------------------------
@solara.component
def Collapsible(title: str, children=(), open_: bool = False, classes: list[str] | None = None):
    """A section whose widgets exist only while it is open (a page of many sliders loads
    fast, and a class loads it thirty times)."""
    shown, set_shown = solara.use_state(open_)
    with solara.Column(gap="2px", classes=classes or []):
        solara.Button(("▾ " if shown else "▸ ") + title, text=True,
                      on_click=lambda: set_shown(not shown),
                      style={"justify-content": "flex-start", "text-transform": "none",
                             "font-weight": "600"})
        if shown:
            with solara.Column(gap="2px", style={"padding-left": "10px"}):
                for child in children:
                    child()


@solara.component
def Levers(ex: Explore, names: tuple[str, ...], lang: str, change, built: int):
    """``built`` counts the runs: a new run (another regime, a changed value) is a new
    argument, so the levers re-render with the values in force."""
    for name in names:
        Lever(name, ex.value(name), change, lang, LV.inactive_because(name, ex.value))


@solara.component
def Payoffs(ex: Explore, lang: str, change, built: int):
    lo, hi, stp = LV.PAYOFF_RANGE
    for name in LV.PAYOFFS:
        dev, own = ex.value(name)
        Html(f"<b>{html.escape(param_text(name, lang)[0])}</b>")
        for who, i in (("developer", 0), ("owners", 1)):
            pair = (dev, own)

            def set_one(v, name=name, i=i, pair=pair):
                new = list(pair)
                new[i] = round(float(v), 4)
                change(name, tuple(new))

            solara.SliderFloat(f"{tr(who, lang)}{tr('colon', lang)}{pair[i]:g}",
                               value=float(pair[i]), min=lo, max=hi, step=stp,
                               on_value=set_one)


@solara.component
def ExploreControls(ex: Explore, lang: str, with_player: bool = True):
    use_signal(ex.controls)

    def change(name, value):
        try:
            ex.set_param(name, value)
        except ValueError as exc:  # a bounded widget should not get here; say it plainly
            ex.error = str(exc)
            ex.controls.emit()

    main, more = LV.levers()
    solara.Text(tr("regime", lang), style={"font-weight": "600"})
    RegimeButtons(ex.regime, ex.set_regime, lang, "govsim-regime")
    solara.Text(tr(f"desc_{ex.regime}", lang), classes=["govsim-help", "govsim-regime-desc"])
    SeedInput(ex.seed, ex.set_seed, lang, ["govsim-seed"])
    solara.Text(tr("seed_help", lang), classes=["govsim-help"])
    if with_player:
        Player(ex, lang, "govsim-explore", run_to_end=ex.run_to_end)
        NoticeBanner(ex.notice, lang, ["govsim-notice"])
    built = ex.built
    Collapsible(tr("institutions", lang),
                [lambda: Levers(ex, LV.switches(), lang, change, built)],
                classes=["govsim-institutions"])
    Collapsible(tr("levers", lang), [lambda: Levers(ex, main, lang, change, built)],
                classes=["govsim-levers"])
    Collapsible(tr("more_levers", lang), [lambda: Levers(ex, more, lang, change, built)],
                classes=["govsim-more-levers"])
    Collapsible(tr("payoffs", lang), [lambda: Payoffs(ex, lang, change, built)],
                classes=["govsim-payoffs"])
    colon = tr("colon", lang)
    changed = tr("list_sep", lang).join(
        f"{param_text(k, lang)[0]}{colon}{fmt_value(k, v, lang)}"
        for k, v in sorted(ex.overrides.items()))
    solara.Text(f"{tr('changed_params', lang)}{colon}{changed or tr('none', lang)}",
                classes=["govsim-help", "govsim-changed"])
    solara.Text(tr("export", lang), style={"font-weight": "600"})
    name = ex.scenario.name
    with solara.Row(gap="4px", style={"flex-wrap": "wrap"}):
        for label, fn, suffix in (("export_toml", ex.toml, ".toml"),
                                  ("export_summary", ex.summary_csv, "_summary.csv"),
                                  ("export_daily", ex.daily_csv, "_daily.csv"),
                                  ("export_disputes", ex.disputes_csv, "_disputes.csv"),
                                  ("export_events", ex.events_csv, "_events.csv")):
            solara.FileDownload(fn, filename=f"{name}_{ex.regime}{suffix}",
                                label=tr(label, lang))


# ---- the live view -------------------------------------------------------------------------------
def play_status(playback, lang: str) -> str:
    if not playback.playing:
        return tr("paused", lang)
    rate = playback.rate if playback.rate is not None else playback.speed
    if playback.capped:
        return tr("capped", lang, rate=f"{rate:.1f}", speed=f"{playback.speed:g}")
    return tr("playing_at", lang, rate=f"{rate:.1f}")


def median_text(km, model, lang: str) -> str:
    if km is not None and km.median is not None:
        return f"{km.median:.0f}"
    if not model.running:
        return tr("not_by", lang, day=model.today + 1)
    return tr("not_yet", lang)


def monitors(items: list[tuple[str, str, str]]) -> str:
    """Label–value pairs as one line of HTML (one widget, not eight)."""
    return "".join(f"<span class='govsim-monitor {cls}'>{html.escape(label)}: "
                   f"<b>{html.escape(value)}</b></span>" for label, value, cls in items)


def node_detail(m, picked: dict, lang: str) -> str:
    """The state of the household, building or organisation last clicked, as HTML."""
    colon = tr("colon", lang)
    if picked.get("kind") == "org":
        org = picked["org"]
        d = V.organisation_detail(m, org["node"], org["kind"])
        lines = [f"<b>{html.escape(tr('node_' + d['kind'], lang))}</b>"]
        if d["trust"] is not None:
            lines.append(f"{tr('trust_among', lang)}{colon}{d['trust']:.2f}")
        if "strategy" in d:
            lines.append(f"{tr('strategy_now', lang)}{colon}"
                         f"{html.escape(strategy_name(d['strategy'], lang))}")
        if "elected" in d:
            lines.append(tr("elected" if d["elected"] else "not_elected", lang))
        for ch in d["channels"]:
            state = tr("channel_state", lang, **{k: ch[k] for k in ("queued", "in_service",
                                                                     "served")}) \
                if ch["open"] else tr("channel_closed", lang)
            lines.append(f"{html.escape(channel_name(ch['name'], lang))}{colon}{state}")
        return "<br>".join(lines)
    if V.aggregated(m):
        d = V.building_detail(m, picked["index"])
        return "<br>".join([f"<b>{tr('building_n', lang, id=d['id'])}</b>",
                            f"{tr('households', lang)}{colon}{d['households']}",
                            f"{tr('in_dispute', lang)}{colon}{d['in_dispute']}",
                            f"{tr('mean_grievance', lang)}{colon}{d['grievance']:.2f}",
                            f"{tr('satisfaction', lang)}{colon}{d['satisfaction']:.2f}"])
    d = V.household_detail(m, picked["index"])
    sep = tr("list_sep", lang)
    lines = [f"<b>{tr('household_n', lang, id=d['id'])}</b>",
             f"{tr('building', lang)} {d['building']}{sep}{tr('grid_cell', lang)} "
             f"{d['grid_cell']}{sep}{tr('renter', lang)}{colon}"
             f"{tr('yes' if d['renter'] else 'no', lang)}",
             f"{tr('satisfaction', lang)}{colon}{d['satisfaction']:.2f}",
             f"{tr('trust_in', lang)}{colon}" + sep.join(
                 f"{tr('org_' + org, lang)} {v:.2f}" for org, v in d["trust"].items()),
             f"{tr('disputes_of', lang)}{colon}" + ("" if d["disputes"] else
                                                   tr("no_disputes", lang))]
    for r in d["disputes"]:
        where = (f"{sep}{tr('at_channel', lang)} {channel_name(r['channel'], lang)}"
                 if r["open"] and r["channel"] else "")
        lines.append(
            f"• {html.escape(dispute_type_name(r['type'], lang))} "
            f"({tr('claimants', lang, n=r['claimants'])}){sep}"
            f"{tr('opened_day', lang, day=r['opened'])}{sep}"
            f"{tr('stage_' + r['stage'], lang)}{where}{sep}"
            f"{tr('grievance', lang)} {r['grievance']:.2f}")
    if d["more_disputes"]:
        lines.append(tr("more_disputes", lang, n=d["more_disputes"]))
    return "<br>".join(lines)


def frame_content(ex: Explore, m, lang: str, projector: bool, colour_by: str, static: dict,
                  detail: dict | None, charts: bool = True) -> dict[str, str]:
    """Everything on the live view that changes from one day to the next, as text: HTML
    of the monitors and the picked node, JSON of the network's states and (``charts``)
    of the charts."""
    km = V.km_so_far(m)
    date = ex.scenario.date_of(max(m.today, 0))
    items = [(tr("days_run", lang), str(m.today + 1), "govsim-day")]
    if date is not None:
        items.append((tr("date", lang), str(date), "govsim-date"))
    items += [(tr("open_disputes", lang), str(len(m.book.open)), "govsim-open"),
              (tr("median_so_far", lang), median_text(km, m, lang), "govsim-median")]
    t = lambda key, **kw: tr(key, lang, **kw)  # noqa: E731
    content = {"monitors": monitors(items),
               "status": html.escape(play_status(ex.playback, lang)),
               "network": as_json({"states": V.network_states(m, colour_by),
                                   "org_fill": V.org_fill(m, static)})}
    if charts:
        content |= {k: as_json(f(m, t, projector)) for k, f in C.EXPLORE_CHARTS.items()}
    if detail:
        content["detail"] = node_detail(m, detail, lang)
    content["ack"] = ex.playback.frame  # last: the page acknowledges once it has drawn
    return content


@solara.component
def LiveExplore(ex: Explore, lang: str, projector: bool):
    """Monitors, the network and the charts. A new model, language, colouring or pick
    re-renders it; each day only its texts and data change (:func:`use_live`)."""
    use_signal(ex.controls)
    colour_by = solara.use_reactive("stage")
    picked = solara.use_reactive({})
    _, set_rev = solara.use_state(0)
    labels = solara.use_memo(lambda: (lambda key: tr(key if key in STRINGS else "node_other",
                                                      lang)), [lang])
    with ex.lock:
        m, built, error = ex.model, ex.built, ex.error
        static = solara.use_memo(
            lambda: V.network_static(m, colour_by.value, labels) if m is not None else None,
            [built, colour_by.value, lang])
        geometry = solara.use_memo(lambda: as_json(static) if static else "{}", [static])
        running = m.running if m is not None else False
        detail = picked.value if picked.value.get("built") == built else None
        content = frame_content(ex, m, lang, projector, colour_by.value, static, detail) \
            if m is not None else {}

    def compute():
        with ex.lock:
            if ex.model is not m or ex.error != error:
                return None  # a rebuild or an error: the render that follows shows it
            if m.running != running:
                set_rev(lambda r: r + 1)  # the run finished: say so (a render)
                return None
            return frame_content(ex, m, lang, projector, colour_by.value, static, detail,
                                 ex.playback.chart_frame())

    live = use_live(ex.frames, compute)
    if error:
        solara.Error(f"{tr('error', lang)} {error}", classes=["govsim-error"])
    if m is None:
        return
    html_trait = "unsafe_innerHTML"
    Live(lambda: live_html(content["monitors"], ["govsim-monitors"]), html_trait,
         "monitors", live)
    Live(lambda: live_html(content["status"], ["govsim-help", "govsim-play-status"]),
         html_trait, "status", live)
    if not running:
        solara.Info(tr("finished", lang), dense=True, classes=["govsim-finished"])

    def pick(data):
        kind, index = data.get("kind"), int(data.get("index", -1))
        if kind == "org" and 0 <= index < len(static["orgs"]):
            picked.set({"kind": "org", "index": index, "org": static["orgs"][index],
                        "built": built})
        elif kind == "point" and 0 <= index < len(static["points"]):
            picked.set({"kind": "point", "index": index, "built": built})

    by = {tr("by_stage", lang): "stage", tr("by_grievance", lang): "grievance"}
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.ToggleButtonsSingle(value={v: k for k, v in by.items()}[colour_by.value],
                                   values=list(by), on_value=lambda k: colour_by.set(by[k]),
                                   dense=True, classes=["govsim-colour-by"])
        solara.Text(tr("click_hint", lang), classes=["govsim-help"])
    if V.aggregated(m):
        solara.Text(tr("aggregated_note", lang, n=f"{m.community.n:,}"), classes=["govsim-help"])
    selected = ({"kind": "org" if detail["kind"] == "org" else "point",
                 "index": detail["index"]} if detail else {})
    with solara.Div(classes=["govsim-fig", "govsim-fig-network"]):
        Live(lambda: network_element(
            geometry, content["network"], tr("fig_network", lang), pick, selected,
            tr("png", lang), "620px" if projector else "440px", projector,
            int(min(700, 800 / ex.playback.speed))), "frame", "network", live)
    if detail:
        Live(lambda: live_html(content["detail"], ["govsim-detail"]), html_trait,
             "detail", live)
    height = "440px" if projector else "300px"
    names = list(C.EXPLORE_CHARTS)
    rows = [[n] for n in names] if projector else [names[:2], names[2:]]
    for row in rows:
        with solara.Columns([1] * len(row)):
            for name in row:
                with solara.Div(classes=["govsim-fig", f"govsim-fig-{name}"]):
                    Live(lambda name=name: chart_element(content[name], f"{name}.png",
                                                         tr("png", lang), height),
                         "option", name, live)
    FrameAck(ex.playback, live)


@solara.component
def ProjectorNotice(ex: Explore, lang: str):
    use_signal(ex.controls)
    NoticeBanner(ex.notice, lang, ["govsim-notice"])


@solara.component
def ExplorePage(ex: Explore, lang: str, projector: bool):
    # Leaving the page stops its play (and the cleanup runs when the tab closes too).
    solara.use_effect(lambda: ex.playback.pause, [ex])
    if projector:  # one figure per row, at full width; the controls above
        with solara.Column():
            Player(ex, lang, "govsim-explore", run_to_end=ex.run_to_end)
            ProjectorNotice(ex, lang)
            Collapsible(f"{tr('regime', lang)} · {tr('institutions', lang)} · "
                        f"{tr('levers', lang)}", [lambda: ExploreControls(ex, lang, False)])
            LiveExplore(ex, lang, projector)
        return
    with solara.Columns([1, 2.3]):
        with solara.Column(gap="6px"):
            ExploreControls(ex, lang)
        with solara.Column():
            LiveExplore(ex, lang, projector)
