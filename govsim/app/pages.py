"""The app's shell: the page bar, the language and projector switches, and one page at a time
— Explore, Compare, Case replay, Class round, About.

A thin layer over the library: models are built by :func:`govsim.runner.build_model` and
stepped through :mod:`govsim.app.session`. Each browser session gets its own models,
created inside :func:`Page` (never at module level); they are kept while the student
switches pages, and released when the session closes (the play threads end with it).
"""

from __future__ import annotations

import functools
import os

import solara

from govsim import resources
from govsim.app import memory
from govsim.app import session as S
from govsim.app.about import AboutPage
from govsim.app.compare import ComparePage
from govsim.app.explore import ExplorePage
from govsim.app.i18n import scenario_title, tr
from govsim.app.replay_page import ReplayPage, timeline_rows  # noqa: F401 (tests read it here)
from govsim.app.round_page import RoundPage, Seat
from govsim.app.server import SCENARIO_ENV
from govsim.scenario import ScenarioError, load_scenario

PARKING_CASE = str(resources.scenario_path(resources.DEFAULT_SCENARIO))
PAGES = ("explore", "compare", "replay", "round", "about")

CSS = """
.govsim-root { padding: 4px 12px; }
.govsim-title { font-size: 1.35rem; font-weight: 600; margin-right: 16px; }
.govsim-monitors { display: flex; flex-wrap: wrap; gap: 4px 18px; }
.govsim-monitor { font-size: 1.05rem; }
.govsim-monitor b { font-size: 1.25rem; }
.govsim-help { display: block; font-size: 0.8rem; color: #555; margin: -2px 0 6px 0;
  line-height: 1.25; }
.govsim-needs { color: #8a4b00; }
.govsim-lever-disabled .govsim-slider-label { color: #888; }
.govsim-slider-label { margin-top: 8px; }
.govsim-table table { border-collapse: collapse; }
.govsim-table td, .govsim-table th { padding: 3px 10px; border-bottom: 1px solid #ddd;
  text-align: left; vertical-align: top; }
.govsim-timeline td:first-child { white-space: nowrap; }
.govsim-narrative ul { padding-left: 1.2em; line-height: 1.55; }
.govsim-line-petition, .govsim-line-state_order { background: #fff3e0; }
.govsim-detail { font-size: 0.9rem; background: #f5f5f5; padding: 6px 10px;
  border-left: 4px solid #1565c0; margin: 4px 0 10px 0; }
.govsim-round-code { font-size: 3rem; font-weight: 700; letter-spacing: 0.3em;
  font-family: monospace; }
.govsim-round-banner { font-size: 1.4rem; }
.govsim-fig { width: 100%; margin-bottom: 8px; }
.govsim-root .v-btn { text-transform: none; }
.govsim-projector { background: #fff; color: #000; font-size: 1.4rem; }
.govsim-projector .govsim-title { font-size: 2rem; }
.govsim-projector .govsim-monitor, .govsim-projector .govsim-monitor b { font-size: 1.8rem; }
.govsim-projector .govsim-help { font-size: 1.15rem; color: #000; }
.govsim-projector .v-btn { font-size: 1.15rem !important; height: 46px !important; }
.govsim-projector .v-label, .govsim-projector input, .govsim-projector .v-select__selection,
.govsim-projector td, .govsim-projector th, .govsim-projector p, .govsim-projector li,
.govsim-projector .govsim-detail, .govsim-projector .govsim-slider-label
  { font-size: 1.35rem !important; color: #000 !important; }
.govsim-projector h1, .govsim-projector h2, .govsim-projector h3 { color: #000; }
.govsim-projector .govsim-png { font-size: 1.1rem; }
"""


@functools.lru_cache(maxsize=4)
def _scenario(path: str):
    return load_scenario(path)


def scenario_path() -> str:
    return os.environ.get(SCENARIO_ENV) or PARKING_CASE


def _on_session_close(callback) -> None:
    """Run ``callback`` when this browser session's kernel closes (a closed tab, or the
    cull of a lost connection), besides the unmount of the page."""
    try:
        from solara.server import kernel_context

        kernel_context.get_current_context().on_close(callback)
    except (ImportError, RuntimeError):  # no kernel: a test rendering the page directly
        pass


@solara.component
def Page():
    lang = solara.use_reactive("en")
    projector = solara.use_reactive(False)
    page = solara.use_reactive("explore")
    seat = solara.use_reactive(Seat())
    solara.Style(CSS)
    try:
        scenario = _scenario(scenario_path())
        load_error = None
    except ScenarioError as exc:
        scenario, load_error = None, str(exc)
    # One Explore and one Comparison per browser session: built here, not at module level;
    # the three models of Compare only when the page is first opened.
    ex = solara.use_memo(lambda: S.Explore(scenario) if scenario else None, [id(scenario)])
    held = solara.use_memo(dict, [id(scenario)])
    if page.value == "compare" and "cmp" not in held and scenario is not None:
        held["cmp"] = S.Comparison(scenario)
    cmp = held.get("cmp")

    def release():
        for obj in (ex, held.get("cmp")):
            if obj is not None:
                obj.close()
        held.clear()
        memory.trim_soon()

    def register():
        _on_session_close(release)
        return release

    solara.use_effect(register, [ex, held])
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
        if load_error:
            solara.Error(load_error)
            return
        solara.Text(f"{tr('scenario', L)}{tr('colon', L)}{scenario_title(scenario, L)}",
                    classes=["govsim-help", "govsim-scenario"])
        if page.value == "explore":
            ExplorePage(ex, L, projector.value)
        elif page.value == "compare":
            ComparePage(cmp, L, projector.value, lambda: _scenario(PARKING_CASE))
        elif page.value == "replay":
            ReplayPage(scenario, L, projector.value)
        elif page.value == "round":
            RoundPage(scenario, seat.value, seat.set, L, projector.value)
        else:
            AboutPage(L)
