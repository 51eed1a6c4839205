"""The two widgets that draw in the browser: an ECharts chart and the community's network.

The server sends data — a chart's option, the network's positions once and then one small
integer per node per day — and the browser draws it, so a class of thirty does not make
the server render images. Data travels as JSON text made once on the server: a string is
one value to compare and send, where a list of thousands is walked element by element by
the widget machinery on every frame. Both load nothing from outside the app: ECharts and requirejs
come from the asset folder Solara serves locally (``solara-assets``). Each has a PNG
button that saves what is on screen.
"""

from __future__ import annotations

import json
from typing import Any, Callable

import ipyvuetify
import solara
import traitlets

def as_json(value) -> str:
    return json.dumps(value, separators=(",", ":"), allow_nan=False)


class ChartWidget(ipyvuetify.VuetifyTemplate):
    template_file = (__file__, "vue/chart.vue")

    option = traitlets.Unicode("{}").tag(sync=True)  # JSON
    height = traitlets.Unicode("320px").tag(sync=True)
    filename = traitlets.Unicode("chart.png").tag(sync=True)
    png_label = traitlets.Unicode("PNG").tag(sync=True)


class NetworkWidget(ipyvuetify.VuetifyTemplate):
    template_file = (__file__, "vue/network.vue")

    title = traitlets.Unicode("").tag(sync=True)
    # JSON: the geometry, once per model — {points: [[x, y]...], point_sizes, edges: flat
    # [i, j, ...], orgs: [{x, y, shape, colour}...], palette: [colour...], legend}
    geometry = traitlets.Unicode("{}").tag(sync=True)
    # JSON, every frame: {states: [palette index per node], org_fill: [colour per org]}
    frame = traitlets.Unicode("{}").tag(sync=True)
    selected = traitlets.Unicode("{}").tag(sync=True)  # JSON {kind, index} of the node picked
    duration = traitlets.Int(400).tag(sync=True)  # ms over which a colour change blends
    height = traitlets.Unicode("420px").tag(sync=True)
    font = traitlets.Int(14).tag(sync=True)
    max_radius = traitlets.Float(4.0).tag(sync=True)
    org_radius = traitlets.Float(7.0).tag(sync=True)
    filename = traitlets.Unicode("network.png").tag(sync=True)
    png_label = traitlets.Unicode("PNG").tag(sync=True)
    on_pick = traitlets.Callable(None, allow_none=True)

    def vue_pick(self, data: dict) -> None:
        if self.on_pick is not None:
            self.on_pick(data)


class AckWidget(ipyvuetify.VuetifyTemplate):
    """Invisible: acknowledges each frame the page has drawn (see ``vue/ack.vue``)."""

    template_file = (__file__, "vue/ack.vue")

    frame = traitlets.Int(0).tag(sync=True)
    on_ack = traitlets.Callable(None, allow_none=True)

    def vue_ack(self, frame) -> None:
        if self.on_ack is not None:
            self.on_ack(int(frame))


def chart_element(option: str, filename: str, png_label: str, height: str):
    """A chart's widget element (``option``: JSON); the caller wraps it (classes)."""
    return ChartWidget.element(option=option, filename=filename, png_label=png_label,
                               height=height)


@solara.component
def Chart(option: dict, filename: str, png_label: str, height: str = "320px",
          classes: list[str] | None = None):
    """A chart that is drawn once per render (no live updates); ``classes`` mark it."""
    with solara.Div(classes=["govsim-fig", *(classes or [])]):
        chart_element(as_json(option), filename, png_label, height)


def network_element(geometry: str, frame: str, title: str, on_pick: Callable[[dict], Any],
                    selected: dict, png_label: str, height: str, projector: bool,
                    duration: int):
    """The community's widget element: ``geometry`` (JSON: positions, ties, organisations,
    palette, legend) changes with the model; ``frame`` (JSON: states, organisations'
    colours) every day."""
    return NetworkWidget.element(
        geometry=geometry, frame=frame, title=title, selected=as_json(selected),
        on_pick=on_pick, png_label=png_label, height=height, duration=duration,
        filename="network.png", font=20 if projector else 14,
        max_radius=6.0 if projector else 4.0, org_radius=11.0 if projector else 7.0)
