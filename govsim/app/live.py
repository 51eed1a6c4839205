"""How a view follows its session: re-render on a signal, or — for what changes every
day — write the new texts and data straight into the widgets, and tell the server when
the page has drawn a frame.

A frame changes a few texts and data strings; rendering the component tree for each one
cost the server most of a frame's time, thirty sessions over. So a live view renders its
structure (another model, language, colouring, a finished run) and registers the widgets
whose values change by the day (:func:`Live`); :func:`use_live` then sets their values
on every frame, and :func:`FrameAck` lets the play wait until the page has shown one.
"""

from __future__ import annotations

from typing import Any, Callable

import solara

from govsim.app.widgets import AckWidget


def use_signal(signal) -> int:
    """Re-render the calling component whenever ``signal`` emits; returns a counter."""
    count, set_count = solara.use_state(0)

    def subscribe():
        return signal.connect(lambda: set_count(lambda c: c + 1))

    solara.use_effect(subscribe, [signal])
    return count


def use_live(signal, compute: Callable[[], dict[str, str] | None]) -> dict:
    """Every frame, put what ``compute()`` returns straight into the traits of the widgets
    registered under the same keys (by :func:`Live`), without a render of the page.

    A frame changes a few texts and data strings; rendering the component tree for it cost
    the server most of a frame's time, thirty sessions over. Anything structural (another
    model, language, a finished run) still re-renders the component. Returns the registry
    to hand to its :func:`Live` children."""
    registry = solara.use_memo(dict, [])

    def connect():
        def update():
            values = compute()
            for key, value in (values or {}).items():
                if key in registry:
                    widget, trait, element = registry[key]
                    # the element too: a render elsewhere in the page re-applies every
                    # element's arguments to its widget, and must not bring back an old day
                    element.kwargs[trait] = value
                    if getattr(widget, trait) != value:
                        setattr(widget, trait, value)

        return signal.connect(update)

    solara.use_effect(connect, None)
    return registry


@solara.component
def FrameAck(playback, registry: dict):
    """The page's acknowledgement of each frame it has drawn (the play waits for it).
    Rendered last, so that its frame number reaches the browser after the frame's data."""

    def attach():
        playback.acknowledging = True

        def detach():
            playback.acknowledging = False
        return detach

    solara.use_effect(attach, [playback])
    Live(lambda: AckWidget.element(frame=playback.frame, on_ack=playback.shown), "frame",
         "ack", registry)


@solara.component
def Live(make: Callable[[], Any], trait: str, key: str, registry: dict):
    """The widget element ``make()`` creates, registered for :func:`use_live`'s frame
    updates (a widget's element, not a component's: see :func:`live_html`)."""
    element = make()

    def register():
        registry[key] = (solara.get_widget(element), trait, element)

    solara.use_effect(register, None)
    return element


def live_html(text: str, classes: list[str]):
    """An HTML widget element itself (not a component), for :func:`Live`: the frame
    updates write to its arguments, which a component's would hide."""
    return solara.widgets.HTML.element(tag="div", unsafe_innerHTML=text,
                                       attributes={"class": " ".join(classes)})
