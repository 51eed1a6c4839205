"""The Solara pages: Explore, Compare, Case replay and About.

A thin layer over the library: models are built by :func:`govsim.runner.build_model`
(through :mod:`govsim.app.session`), stepped with ``model.step()`` and summarised by the
model's own metrics. Each browser session gets its own models — they are created inside
:func:`Page` with ``solara.use_memo``, never at module level — and a page keeps them when
the user switches tabs.
"""

from __future__ import annotations

import contextlib
import functools
import html
import os
import re
import time

import solara

from govsim import resources
from govsim.app import figures as F
from govsim.app import session as S
from govsim.app.server import SCENARIO_ENV
from govsim.app.i18n import (INFO_HEADINGS, INFO_HEADINGS_ZH, INFO_SECTIONS, event_text,
                             param_text, regime_name,
                             setup_fonts, tr)
from govsim.institutions import SWITCHES
from govsim.vocabulary import REGIMES
from govsim.parameters import PARAMETERS
from govsim.scenario import ScenarioError, load_scenario

PARKING_CASE = str(resources.scenario_path(resources.DEFAULT_SCENARIO))
PAGES = ("explore", "compare", "replay", "about")
PAYOFFS = ("payoff_rent_accept", "payoff_rent_resist", "payoff_sell_accept",
           "payoff_sell_resist", "payoff_dual_accept", "payoff_dual_resist")
# Widget ranges: inside each parameter's spec, narrowed to what a class can read.
LEVERS = {"households_per_grid_worker": (50.0, 1000.0, 10.0),
          "committee_admin_burden": (0.0, 0.95, 0.05)}
PAYOFF_RANGE = (-20.0, 20.0, 0.5)
MAX_SEED = 2**31 - 1

setup_fonts()

CSS = """
.govsim-root { padding: 4px 12px; }
.govsim-title { font-size: 1.35rem; font-weight: 600; margin-right: 16px; }
.govsim-monitor { font-size: 1.05rem; margin-right: 18px; }
.govsim-monitor b { font-size: 1.25rem; }
.govsim-help { display: block; font-size: 0.8rem; color: #555; margin: -6px 0 6px 0;
  line-height: 1.2; }
.govsim-table td, .govsim-table th { padding: 2px 10px; border-bottom: 1px solid #ddd; }
.govsim-timeline td:first-child { white-space: nowrap; }
.govsim-narrative { font-family: inherit; line-height: 1.5; }
.govsim-projector { background: #fff; color: #000; font-size: 1.4rem; }
.govsim-projector .govsim-title { font-size: 2rem; }
.govsim-projector .govsim-monitor, .govsim-projector .govsim-monitor b { font-size: 1.7rem; }
.govsim-projector .govsim-help { font-size: 1.1rem; color: #000; }
.govsim-projector .v-btn { font-size: 1.15rem !important; height: 46px !important; }
.govsim-projector .v-label, .govsim-projector input, .govsim-projector .v-select__selection,
.govsim-projector td, .govsim-projector th, .govsim-projector p, .govsim-projector li
  { font-size: 1.3rem !important; color: #000 !important; }
.govsim-projector h1, .govsim-projector h2, .govsim-projector h3 { color: #000; }
"""


@functools.lru_cache(maxsize=4)
def _scenario(path: str):
    return load_scenario(path)


def scenario_path() -> str:
    return os.environ.get(SCENARIO_ENV) or PARKING_CASE


def _timeline_label(item: dict, lang: str) -> str:
    return item.get("label_zh") if lang == "zh" and item.get("label_zh") else item["label"]


def timeline_rows(timeline: list[dict], lang: str) -> str:
    """The scenario's timeline as table rows; its text comes from a file, so it is escaped
    (a label is shown as written, never run as HTML)."""
    return "".join(
        f"<tr><td>{html.escape(str(item.get('date', '')))}</td>"
        f"<td>{html.escape(str(item['day']))}</td>"
        f"<td>{html.escape(_timeline_label(item, lang))}</td></tr>" for item in timeline)


def _fmt(value, pattern="{:.1f}", lang="en") -> str:
    return tr("not_yet", lang) if value is None else pattern.format(value)


# ---- small shared components ---------------------------------------------------------------
@solara.component
def Figure(build, deps: list, filename: str, lang: str, lock=None):
    """A matplotlib figure, rebuilt only when ``deps`` change, with its PNG download.
    ``lock`` is the session object's: a child renders after its parent has returned, so the
    figure must hold the lock itself while it reads the model (a play thread may step it)."""

    def make():
        with lock or contextlib.nullcontext():
            return build()

    fig = solara.use_memo(make, deps)
    with solara.Column(gap="0px", classes=[f"govsim-fig-{filename}"]):
        solara.FigureMatplotlib(fig, dependencies=deps, format="png")
        solara.FileDownload(lambda: F.png_bytes(fig), filename=f"{filename}.png",
                            label=f"{tr('png', lang)}: {filename}.png")


@solara.component
def Help(name: str, lang: str):
    label, meaning, source = param_text(name, lang)
    spec = PARAMETERS[name]
    src = tr("assumption", lang) if spec.is_assumption and source.strip() in (
        "assumption", "假设") else f"{tr('source', lang)}: {source}"
    solara.Text(f"{meaning} — {src}", classes=["govsim-help"])


@solara.component
def RegimeButtons(current: str, on_pick, lang: str, prefix: str):
    with solara.Row(gap="4px"):
        for r in REGIMES:
            solara.Button(regime_name(r, lang), on_click=lambda r=r: on_pick(r),
                          color="primary" if r == current else None, outlined=r != current,
                          classes=[f"{prefix}-{r}"])


@solara.component
def Player(step, reset, running: bool, lang: str, prefix: str, run_to_end=None,
           playing=None):
    """Step, play/pause with a speed, reset — for any object with ``step(days)``.
    ``playing`` may be handed in by a page that starts playing by itself."""
    own = solara.use_reactive(False)
    playing = playing if playing is not None else own
    speed = solara.use_reactive(4)

    def loop(cancel):
        while playing.value and not cancel.is_set():
            started = time.monotonic()
            try:
                more = step()
            except Exception:  # the page shows the error; stop playing, keep serving
                more = False
            if not more:
                playing.set(False)
                return
            time.sleep(max(0.0, 1.0 / speed.value - (time.monotonic() - started)))

    solara.use_thread(loop, dependencies=[playing.value], intrusive_cancel=False)
    with solara.Row(gap="6px", style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Button(tr("step", lang), on_click=step, disabled=not running or playing.value,
                      classes=[f"{prefix}-step"], color="primary")
        solara.Button(tr("pause", lang) if playing.value else tr("play", lang),
                      on_click=lambda: playing.set(not playing.value),
                      disabled=not running and not playing.value, classes=[f"{prefix}-play"])
        solara.Button(tr("reset", lang), on_click=lambda: (playing.set(False), reset()),
                      classes=[f"{prefix}-reset"])
        if run_to_end is not None:
            solara.Button(tr("run_to_end", lang), on_click=run_to_end,
                          disabled=not running or playing.value, classes=[f"{prefix}-end"])
    solara.SliderInt(tr("speed", lang), value=speed, min=1, max=20)


# ---- Explore -----------------------------------------------------------------------------
@solara.component
def ExplorePage(ex: S.Explore, tick, lang: str, projector: bool):
    colour_by = solara.use_reactive("stage")
    bump = lambda: tick.set(tick.value + 1)  # noqa: E731

    def step(days=1):
        ex.step(days)
        bump()
        return ex.running

    def reset():
        ex.reset()
        bump()

    def change(name, value):
        try:
            ex.set_param(name, value)
        except Exception as exc:  # a bounded widget should never get here; show, don't crash
            ex.error = f"{type(exc).__name__}: {exc}"
        bump()

    def pick_regime(r):
        ex.set_regime(r)
        bump()

    def set_seed(v):
        if v is None or not 0 <= v <= MAX_SEED:
            ex.error = f"seed = {v!r}: expected a whole number from 0 to {MAX_SEED}"
        else:
            ex.seed = int(v)
            ex.reset()
        bump()

    m = ex.model
    with solara.Columns([1, 2.3]):
        with solara.Column(gap="6px"):
            solara.Text(tr("regime", lang), style={"font-weight": "600"})
            RegimeButtons(ex.regime, pick_regime, lang, "govsim-regime")
            solara.Text(tr(f"desc_{ex.regime}", lang), classes=["govsim-help"])
            solara.InputInt(tr("seed", lang), value=ex.seed, on_value=set_seed,
                            continuous_update=False, classes=["govsim-seed"])
            solara.Text(tr("seed_help", lang), classes=["govsim-help"])
            Player(step, reset, ex.running, lang, "govsim-explore",
                   run_to_end=lambda: step(ex.scenario.days + 1))
            labels = {tr("by_stage", lang): "stage", tr("by_grievance", lang): "grievance"}
            solara.Select(tr("colour_by", lang), values=list(labels),
                          value={v: k for k, v in labels.items()}[colour_by.value],
                          on_value=lambda v: colour_by.set(labels[v]))
            with solara.Details(tr("institutions", lang), expand=False):
                for name in SWITCHES:
                    solara.Switch(label=param_text(name, lang)[0], value=bool(ex.value(name)),
                                  on_value=lambda v, name=name: change(name, v),
                                  classes=[f"govsim-switch-{name}"])
                    Help(name, lang)
            with solara.Details(tr("levers", lang), expand=True):
                for name, (lo, hi, stp) in LEVERS.items():
                    # The label above, not beside: a long label squeezes the slider away.
                    solara.Text(f"{param_text(name, lang)[0]}: {ex.value(name):g}",
                                style={"display": "block", "margin-top": "8px"})
                    solara.SliderFloat("", value=float(ex.value(name)), min=lo, max=hi,
                                       step=stp, on_value=lambda v, name=name: change(name, v))
                    Help(name, lang)
            with solara.Details(tr("payoffs", lang), expand=False):
                lo, hi, stp = PAYOFF_RANGE
                for name in PAYOFFS:
                    dev, own = ex.value(name)
                    solara.Text(param_text(name, lang)[0], style={"font-weight": "600"})
                    solara.SliderFloat(f"{tr('developer', lang)}: {dev:g}", value=float(dev),
                                       min=lo, max=hi, step=stp,
                                       on_value=lambda v, n=name, o=own: change(n, (v, o)))
                    solara.SliderFloat(f"{tr('owners', lang)}: {own:g}", value=float(own),
                                       min=lo, max=hi, step=stp,
                                       on_value=lambda v, n=name, d=dev: change(n, (d, v)))
                    Help(name, lang)
            changed = ", ".join(f"{k} = {v}" for k, v in sorted(ex.overrides.items()))
            solara.Text(f"{tr('changed_params', lang)}: {changed or tr('none', lang)}",
                        classes=["govsim-help", "govsim-changed"])
            solara.Text(tr("export", lang), style={"font-weight": "600"})
            name = ex.scenario.name
            solara.FileDownload(ex.toml, filename=f"{name}_{ex.regime}.toml",
                                label=tr("export_toml", lang))
            solara.FileDownload(ex.summary_csv, filename=f"{name}_{ex.regime}_summary.csv",
                                label=tr("export_summary", lang))
            solara.FileDownload(ex.daily_csv, filename=f"{name}_{ex.regime}_daily.csv",
                                label=tr("export_daily", lang))
            solara.FileDownload(ex.disputes_csv, filename=f"{name}_{ex.regime}_disputes.csv",
                                label=tr("export_disputes", lang))
            solara.FileDownload(ex.events_csv, filename=f"{name}_{ex.regime}_events.csv",
                                label=tr("export_events", lang))
        with solara.Column():
            if ex.error:
                solara.Error(f"{tr('error', lang)} {ex.error}")
            if m is None:
                return
            with ex.lock:
                km = S.km_so_far(m)
                date = ex.scenario.date_of(max(m.today, 0))
                with solara.Row(style={"flex-wrap": "wrap"}):
                    solara.HTML(unsafe_innerHTML=f"{tr('days_run', lang)}: "
                                f"<b>{m.today + 1}</b>", classes=["govsim-monitor", "govsim-day"])
                    if date is not None:
                        solara.HTML(unsafe_innerHTML=f"{tr('date', lang)}: <b>{date}</b>",
                                    classes=["govsim-monitor"])
                    solara.HTML(unsafe_innerHTML=f"{tr('open_disputes', lang)}: "
                                f"<b>{len(m.book.open)}</b>",
                                classes=["govsim-monitor", "govsim-open"])
                    solara.HTML(unsafe_innerHTML=f"{tr('median_so_far', lang)}: <b>"
                                f"{_fmt(km.median if km else None, '{:.0f}', lang)}</b>",
                                classes=["govsim-monitor", "govsim-median"])
                if not m.running:
                    solara.Info(tr("finished", lang))
                deps = [id(m), tick.value, lang, projector]
                Figure(lambda: F.network_figure(m, colour_by.value, lang, projector),
                       deps + [colour_by.value], "network", lang, ex.lock)
                with solara.Columns([1, 1]):
                    Figure(lambda: F.stages_figure(m, lang, projector), deps, "stages", lang,
                           ex.lock)
                    Figure(lambda: F.escalation_figure(m, lang, projector), deps, "escalation",
                           lang, ex.lock)
                with solara.Columns([1, 1]):
                    Figure(lambda: F.satisfaction_figure(m, lang, projector), deps,
                           "satisfaction", lang, ex.lock)
                    Figure(lambda: F.trust_figure(m, lang, projector), deps, "trust", lang,
                           ex.lock)


# ---- Compare -------------------------------------------------------------------------------
COMPARE_ROWS = (("median_days", "{:.1f}"), ("resolved_share", "{:.0%}"),
                ("detected_first_share", "{:.0%}"), ("confrontations", "{:.0f}"),
                ("petitions", "{:.0f}"), ("satisfaction", "{:.0%}"), ("staff_days", "{:,.0f}"),
                ("parking_closed_day", "{:.0f}"))


@solara.component
def ComparePage(cmp: S.Comparison, tick, lang: str, projector: bool):
    bump = lambda: tick.set(tick.value + 1)  # noqa: E731
    playing = solara.use_reactive(False)

    def step(days=1):
        cmp.step(days)
        bump()
        return cmp.running

    def reset():
        cmp.reset()
        bump()

    def set_seed(v):
        if v is None or not 0 <= v <= MAX_SEED:
            cmp.error = f"seed = {v!r}: expected a whole number from 0 to {MAX_SEED}"
        else:
            cmp.seed = int(v)
            cmp.reset()
        bump()

    def parking_case():
        try:
            cmp.scenario = _scenario(PARKING_CASE)
            cmp.seed = 0
            cmp.reset()
        except ScenarioError as exc:
            cmp.error = str(exc)
        bump()
        playing.set(True)

    solara.Text(tr("compare_intro", lang), classes=["govsim-help"])
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Button(tr("start_parking", lang), on_click=parking_case, color="primary",
                      classes=["govsim-compare-start"])
        solara.InputInt(tr("seed", lang), value=cmp.seed, on_value=set_seed,
                        continuous_update=False, classes=["govsim-compare-seed"],
                        style={"max-width": "260px"})
    Player(step, reset, cmp.running, lang, "govsim-compare", playing=playing)
    if cmp.error:
        solara.Error(f"{tr('error', lang)} {cmp.error}")
    if not cmp.models:
        return
    with cmp.lock:
        with solara.Row():
            for r, d in cmp.days.items():
                solara.HTML(unsafe_innerHTML=f"{regime_name(r, lang)} — {tr('days_run', lang)}: "
                            f"<b>{d + 1}</b>",
                            classes=["govsim-monitor", f"govsim-compare-day-{r}"])
        summaries = cmp.summaries()
        deps = [id(cmp.models.get("market")), tick.value, lang, projector]
        with solara.Columns([1.2, 1]):
            Figure(lambda: F.km_compare_figure(cmp.curves(), max(cmp.days.values()) + 1, lang,
                                               projector), deps, "km_by_regime", lang,
                   cmp.lock)
            with solara.Column():
                header = "".join(f"<th>{regime_name(r, lang)}</th>" for r in cmp.models)
                rows = "".join(
                    f"<tr><td>{tr('m_' + key, lang)}</td>" + "".join(
                        f"<td class='govsim-cell-{r}-{key}'>"
                        f"{_fmt(summaries.get(r, {}).get(key), pat, lang)}</td>"
                        for r in cmp.models) + "</tr>" for key, pat in COMPARE_ROWS)
                solara.HTML(tag="table", unsafe_innerHTML=f"<tr><th>{tr('metric', lang)}</th>"
                            f"{header}</tr>{rows}", classes=["govsim-table", "govsim-headline"])
                solara.FileDownload(cmp.summary_csv, filename="compare_summary.csv",
                                    label=tr("export_summary", lang))
        Figure(lambda: F.open_by_regime_figure(cmp.models, lang, projector), deps,
               "open_by_regime", lang, cmp.lock)


# ---- Case replay ---------------------------------------------------------------------------
@solara.component
def ReplayPage(scenario, lang: str, projector: bool, cache: dict):
    regime = solara.use_reactive("state")
    seed = solara.use_reactive(0)
    n_seeds = solara.use_reactive(8)

    def work():
        key = (id(scenario), regime.value, seed.value, n_seeds.value)
        if key not in cache:  # per session: coming back to the page costs nothing
            cache[key] = S.replay(scenario, regime.value, seed.value, n_seeds.value)
        return cache[key]

    result = solara.use_thread(work, dependencies=[id(scenario), regime.value, seed.value,
                                                   n_seeds.value])
    solara.Text(tr("replay_intro", lang), classes=["govsim-help"])
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        RegimeButtons(regime.value, regime.set, lang, "govsim-replay-regime")
        solara.InputInt(tr("seed", lang), value=seed.value,
                        on_value=lambda v: seed.set(v) if v is not None and 0 <= v <= MAX_SEED
                        else None, continuous_update=False)
        solara.SliderInt(tr("seeds_n", lang), value=n_seeds, min=1, max=20)
    with solara.Columns([1, 2.2]):
        with solara.Column():
            solara.Text(tr("timeline_2010", lang), style={"font-weight": "600"})
            rows = timeline_rows(scenario.timeline, lang)
            solara.HTML(tag="table", unsafe_innerHTML=f"<tr><th>{tr('date', lang)}</th>"
                        f"<th>{tr('day', lang)}</th><th></th></tr>{rows}",
                        classes=["govsim-table", "govsim-timeline"])
        with solara.Column():
            if result.state == solara.ResultState.ERROR:
                solara.Error(f"{tr('error', lang)} {result.error}")
                return
            if result.state != solara.ResultState.FINISHED or result.value is None:
                solara.ProgressLinear(True)
                return
            rep = result.value
            Figure(lambda: F.timeline_figure(rep, scenario, lang, projector),
                   [id(rep), lang, projector], "timeline", lang)
    solara.Text(tr("narrative", lang), style={"font-weight": "600", "margin-top": "8px"})
    lines = []
    for event in rep.narrative[:60]:
        day = event["day"]
        date = scenario.date_of(day)
        when = (f"第 {day} 天（{date}）" if lang == "zh" else f"day {day} ({date})") if date \
            else (f"第 {day} 天" if lang == "zh" else f"day {day}")
        lines.append(f"- {when}{'：' if lang == 'zh' else ': '}{event_text(event, lang)}")
    outcome = tr(f"outcome_{rep.outcome}", lang) if rep.outcome else "—"
    lines.append(f"\n**{tr('outcome', lang)}:** {outcome}")
    with solara.Column(classes=["govsim-narrative"]):
        solara.Markdown("\n".join(lines))
    solara.FileDownload(lambda: S.csv_text(rep.events), filename="parking_events.csv",
                        label=tr("export_events", lang))


# ---- About ---------------------------------------------------------------------------------
def _info_sections(text: str, headings: dict[str, str] = INFO_HEADINGS) -> dict[str, str]:
    """Sections of docs/ODD.md whose headings are the Info tab's, by key."""
    found: dict[str, str] = {}
    current, buf = None, []
    wanted = {v: k for k, v in headings.items()}
    for line in text.splitlines():
        m = re.match(r"^#{1,6}\s+(.*)$", line)
        if m:
            if current:
                found[current] = "\n".join(buf).strip()
            title = re.sub(r"[^a-z \u4e00-\u9fff]", "", m.group(1).lower()).strip()
            current, buf = wanted.get(title), []
            continue
        if current:
            buf.append(line)
    if current:
        found[current] = "\n".join(buf).strip()
    return found


@solara.component
def AboutPage(lang: str):
    try:
        text = resources.odd_text()
    except OSError:
        text = None
    solara.Text(tr("about_source", lang), classes=["govsim-help"])
    if text is None:
        solara.Warning(tr("about_no_odd", lang))
    sections = _info_sections(text or "")
    if lang == "zh":  # a Chinese Info tab in docs/ODD.md, where there is one, comes first
        sections |= _info_sections(text or "", INFO_HEADINGS_ZH)
    with solara.Column(classes=["govsim-about"]):
        for key in INFO_SECTIONS:
            solara.Markdown(f"### {tr('info_' + key, lang)}")
            body = sections.get(key)
            if body:
                solara.Markdown(body)
            else:
                solara.Text(tr("about_missing", lang), classes=["govsim-help"])
        solara.Markdown(f"### {tr('essays', lang)}\n\n{tr('essays_text', lang)}")


# ---- the app -------------------------------------------------------------------------------
@solara.component
def Page():
    lang = solara.use_reactive("en")
    projector = solara.use_reactive(False)
    page = solara.use_reactive("explore")
    tick = solara.use_reactive(0)
    solara.Style(CSS)
    try:
        scenario = _scenario(scenario_path())
        load_error = None
    except ScenarioError as exc:
        scenario, load_error = None, str(exc)
    # One Explore and one Comparison per browser session: built here, not at module level.
    ex = solara.use_memo(lambda: S.Explore(scenario) if scenario else None, [id(scenario)])
    cmp = solara.use_memo(lambda: S.Comparison(scenario) if scenario else None,
                          [id(scenario)])
    replays = solara.use_memo(dict, [])
    L = lang.value
    solara.Title("govsim")
    with solara.Column(classes=["govsim-root",
                                "govsim-projector" if projector.value else "govsim-normal"]):
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.Text(tr("app_title", L), classes=["govsim-title"])
            for key in PAGES:
                solara.Button(tr(f"page_{key}", L), on_click=lambda k=key: page.set(k),
                              text=page.value != key, color="primary",
                              classes=[f"govsim-nav-{key}"])
            solara.Button("English" if L == "zh" else "中文",
                          on_click=lambda: lang.set("en" if lang.value == "zh" else "zh"),
                          outlined=True, classes=["govsim-lang"])
            solara.Switch(label=tr("projector", L), value=projector,
                          classes=["govsim-projector-switch"])
        if scenario is not None:
            solara.Text(f"{tr('scenario', L)}: {scenario.title or scenario.name}",
                        classes=["govsim-help"])
        if load_error:
            solara.Error(load_error)
            return
        if page.value == "explore":
            ExplorePage(ex, tick, L, projector.value)
        elif page.value == "compare":
            ComparePage(cmp, tick, L, projector.value)
        elif page.value == "replay":
            ReplayPage(scenario, L, projector.value, replays)
        else:
            AboutPage(L)
