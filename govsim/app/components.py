"""Small components every page uses: the player (step, play/pause, speed, reset), a lever
that shows its value and says when it does nothing, a seed box that names its range, the
notice of a restart."""

from __future__ import annotations

import html
from typing import Any, Callable

import solara
from solara.alias import rv

from govsim.app import levers as LV
from govsim.app.i18n import STRINGS, param_text, regime_name, tr
from govsim.app.live import use_signal
from govsim.app.playback import SPEEDS
from govsim.app.session import MAX_SEED, Notice, SeedError
from govsim.parameters import PARAMETERS
from govsim.vocabulary import REGIMES


def fmt_value(name: str, value: Any, lang: str) -> str:
    """A parameter's value as a reader sees it (switches on/off, stages by name)."""
    if isinstance(value, bool):
        return tr("on" if value else "off", lang)
    if isinstance(value, tuple):
        return f"({', '.join(f'{v:g}' for v in value)})"
    if isinstance(value, float):
        return f"{value:g}"
    if PARAMETERS[name].choices and f"stage_{value}" in STRINGS:
        return tr(f"stage_{value}", lang)
    return str(value)


def Html(text: str, classes: list[str] | None = None, tag: str = "div", **style):
    """Escaped text as HTML (``text`` is ours: label, value; never a file's raw HTML)."""
    return solara.HTML(tag=tag, unsafe_innerHTML=text, classes=classes or [],
                       style=style or None)


@solara.component
def Help(name: str, lang: str):
    """A parameter's meaning and source, one line under its widget."""
    _, meaning, source = param_text(name, lang)
    spec = PARAMETERS[name]
    colon = tr("colon", lang)
    src = tr("assumption", lang) if spec.is_assumption and source.strip() in (
        "assumption", "假设") else f"{tr('source', lang)}{colon}{source}"
    solara.Text(f"{meaning} — {src}", classes=["govsim-help"])


@solara.component
def RegimeButtons(current: str, on_pick: Callable[[str], None], lang: str, prefix: str):
    with solara.Row(gap="4px", style={"flex-wrap": "wrap"}):
        for r in REGIMES:
            solara.Button(regime_name(r, lang), on_click=lambda r=r: on_pick(r),
                          color="primary" if r == current else None, outlined=r != current,
                          classes=[f"{prefix}-{r}"])


@solara.component
def SeedInput(seed: int, set_seed: Callable[[Any], None], lang: str, classes: list[str]):
    """A seed box: a bad value gets a plain message naming the allowed range, and the run
    is left as it was."""
    bad, set_bad = solara.use_state(None)

    def submit(text):
        try:
            set_seed(text)
            set_bad(None)
        except SeedError:
            set_bad(str(text))

    solara.InputText(tr("seed", lang), value=str(seed), on_value=submit,
                     continuous_update=False, classes=classes, style={"max-width": "280px"})
    if bad is not None:
        solara.Warning(tr("bad_seed", lang, value=bad, max=f"{MAX_SEED:,}"),
                       classes=["govsim-bad-seed"], dense=True)


@solara.component
def Player(stepped, lang: str, prefix: str, run_to_end: Callable[[], None] | None = None):
    """Step, play/pause, speed and reset for a session object (its ``playback``). Follows
    the object's ``controls`` signal: playing starts and stops from another thread too."""
    use_signal(stepped.controls)
    pb = stepped.playback
    playing = pb.playing
    running = stepped.running
    with solara.Row(gap="6px", style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Button(tr("step", lang), on_click=lambda: stepped.step(1),
                      disabled=not running or playing, classes=[f"{prefix}-step"],
                      color="primary")
        solara.Button(tr("pause", lang) if playing else tr("play", lang), on_click=pb.toggle,
                      disabled=not running and not playing, classes=[f"{prefix}-play"],
                      color="primary", outlined=not playing)
        solara.Button(tr("reset", lang), on_click=lambda: stepped.reset(Notice("reset")),
                      classes=[f"{prefix}-reset"])
        if run_to_end is not None:
            solara.Button(tr("run_to_end", lang), on_click=run_to_end,
                          disabled=not running or playing, classes=[f"{prefix}-end"])
    labels = {f"{s:g}": s for s in SPEEDS}
    current = next((k for k, v in labels.items() if v == pb.speed), None)
    with solara.Row(gap="6px", style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Text(f"{tr('speed', lang)}{tr('colon', lang)}"
                    f"{tr('speed_value', lang, v=f'{pb.speed:g}')}",
                    style={"font-weight": "600"}, classes=[f"{prefix}-speed-label"])
        solara.ToggleButtonsSingle(value=current, values=list(labels),
                                   on_value=lambda k: pb.set_speed(labels[k]) or
                                   stepped.controls.emit(),
                                   classes=[f"{prefix}-speed"], dense=True)
    if playing:
        solara.Text(tr("step_while_playing", lang), classes=["govsim-help"])


def notice_text(notice: Notice | None, lang: str) -> str | None:
    """The notice of a restart in plain words."""
    if notice is None:
        return None
    colon = tr("colon", lang)
    if notice.reason == "param":
        return tr("notice_param", lang, name=param_text(notice.name, lang)[0],
                  value=fmt_value(notice.name, notice.value, lang))
    if notice.reason == "regime":
        text = tr("notice_regime", lang, regime=regime_name(notice.value, lang))
        if notice.cleared:
            changes = tr("list_sep", lang).join(
                f"{param_text(k, lang)[0]}{colon}{fmt_value(k, v, lang)}"
                for k, v in notice.cleared)
            text += " " + tr("notice_cleared", lang, changes=changes)
        return text + " " + tr("notice_kept", lang) if notice.cleared else text
    return tr(f"notice_{notice.reason}", lang, value=notice.value)


@solara.component
def NoticeBanner(notice: Notice | None, lang: str, classes: list[str]):
    text = notice_text(notice, lang)
    if text:
        solara.Info(text, classes=classes, dense=True)


@solara.component
def Lever(name: str, value: Any, on_change: Callable[[str, Any], None], lang: str,
          needs: tuple[str, ...] | None, extra: tuple = ()):
    """One parameter: a switch, a choice or a slider, its value always in sight, its
    meaning and source beneath, and disabled with the reason when it does nothing under
    the institutions in force (``needs``: the switches of which one must be on)."""
    label = param_text(name, lang)[0]
    spec = PARAMETERS[name]
    disabled = needs is not None
    css = [f"govsim-lever-{name}"] + (["govsim-lever-disabled"] if disabled else [])
    with solara.Column(gap="0px", classes=css):
        if spec.kind == "bool":
            solara.Switch(label=f"{label}{tr('colon', lang)}{fmt_value(name, value, lang)}",
                          value=bool(value), on_value=lambda v: on_change(name, v),
                          disabled=disabled, classes=[f"govsim-switch-{name}"])
        elif spec.choices:
            labels = {fmt_value(name, c, lang): c for c in spec.choices}
            solara.Select(label=label, values=list(labels),
                          value=fmt_value(name, value, lang),
                          on_value=lambda v: on_change(name, labels[v]), disabled=disabled,
                          classes=[f"govsim-select-{name}"])
        else:
            Slider(name, label, value, on_change, lang, disabled, extra)
        if disabled:
            switches = tr("or", lang).join(f"“{param_text(n, lang)[0]}”" for n in needs)
            solara.Text(tr("needs", lang, switches=switches),
                        classes=["govsim-help", "govsim-needs"])
        Help(name, lang)


@solara.component
def Slider(name: str, label: str, value: float, on_change: Callable[[str, Any], None],
           lang: str, disabled: bool, extra: tuple = ()):
    """A slider whose label shows its value; it changes the run on release only (a drag
    would otherwise restart the run at every pixel)."""
    rng = LV.slider_range(name, value, *extra)

    def release(*args):
        v = round(float(args[-1]), 10)
        on_change(name, int(round(v)) if rng.integer else v)

    Html(f"{html.escape(label)}{tr('colon', lang)}<b>{fmt_value(name, value, lang)}</b>",
         classes=["govsim-slider-label"])
    slider = rv.Slider(v_model=value, min=rng.low, max=rng.high, step=rng.step,
                       thumb_label=True, hide_details=True, disabled=disabled,
                       class_=f"govsim-slider-{name}")
    rv.use_event(slider, "change", release)
