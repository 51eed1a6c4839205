"""What the browser needs to draw a running model, read off the model's data.

The network view gets its geometry once per model (:func:`network_static`) and then one
small integer per node per day (:func:`network_frame`); a click asks for one node's state
(:func:`household_detail`, :func:`organisation_detail`). These read the model's public
data — the community's arrays, the dispute book, the channels, the layout and node kinds
the model was built with — in this one module, so that the pages never do.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from govsim.agents.resident import GRIEVANCE_CAP
from govsim.reporters import developer_strategy
from govsim.statistics import durations, kaplan_meier
from govsim.vocabulary import CHANNEL_SPECS, CHANNELS, ORGANISATIONS, Stage

AGGREGATE_ABOVE = 4000  # households; above this the network is drawn by building
HEAT_SHARE_TOP = 0.25  # share of a building's households in dispute at the darkest colour

# A dispute's stage as the colour of its claimants; stages the model may add later get
# the last colour rather than breaking the view.
OPEN_STAGES = tuple(s for s in Stage if not s.final)
STAGE_COLOURS = {Stage.LATENT: "#fdd835", Stage.VOICED: "#fb8c00",
                 Stage.IN_HANDLING: "#1e88e5", Stage.COLLECTIVE_ACTION: "#8e24aa",
                 Stage.CONFRONTATION: "#e53935", Stage.PETITION: "#6d0000"}
NO_DISPUTE = "#d9d9d9"
STAGE_PALETTE = [NO_DISPUTE, *(STAGE_COLOURS.get(s, "#000000") for s in OPEN_STAGES)]
HEAT = ["#fff5eb", "#fee6ce", "#fdd0a2", "#fdae6b", "#fd8d3c", "#f16913", "#d94801",
        "#8c2d04"]  # grievance or share in dispute, low to high

# Organisation node kinds (as the model's ``nodes.kinds`` names them): shape, colour, and
# the organisation residents trust or distrust in it.
ORG_STYLE = {
    "committee": ("square", "#1565c0", "committee"),
    "owners_committee": ("diamond", "#2e7d32", "owners_committee"),
    "social_org": ("triangle", "#00897b", "social_org"),
    "developer": ("cross", "#c62828", "developer"),
    "street_office": ("circle", "#4527a0", "street_office"),
    "grid_worker": ("down", "#ef6c00", "grid"),
    "petition_office": ("square", "#6d4c41", "street_office"),
}
GLYPHS = {"square": "■", "diamond": "◆", "triangle": "▲", "cross": "✚", "circle": "●",
          "down": "▼"}
STRATEGY_COLOURS = {"sell_only": "#c62828", "rent": "#2e7d32", "dual_track": "#1565c0"}
ABSENT = "#eeeeee"


def aggregated(model) -> bool:
    return model.community.n > AGGREGATE_ABOVE


# ---- the network, once per model ------------------------------------------------------------
_shared: dict[tuple[int, str], tuple[weakref.ref, Any]] = {}


def _once(owner: Any, name: str, build: Callable[[], Any]) -> Any:
    """``build()`` once per ``owner`` (an array models share: every session on the same
    scenario and seed draws the same community), forgotten when the owner is."""
    key = (id(owner), name)
    hit = _shared.get(key)
    if hit is not None and hit[0]() is owner:
        return hit[1]
    value = build()
    _shared[key] = (weakref.ref(owner, lambda _, key=key: _shared.pop(key, None)), value)
    return value


def _org_places(model, points: list) -> list[tuple[int, str, float, float]]:
    """(node, kind, x, y) of each organisation shown: every one where it stands in a
    community; at street scale one per kind (dozens of committees, hundreds of grid
    workers), in a row above the buildings, standing for all of that kind."""
    if not aggregated(model):
        return [(nid, kind, *model.layout[nid]) for nid, kind in model.nodes.kinds]
    first = {}
    for nid, kind in model.nodes.kinds:
        first.setdefault(kind, nid)
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    x0, x1, top = min(xs), max(xs), max(ys)
    gap = (x1 - x0) / max(len(first), 1)
    return [(nid, kind, x0 + gap * (i + 0.5), top + 0.08 * (top - min(ys)) + 1)
            for i, (kind, nid) in enumerate(first.items())]


def _building_geometry(community) -> tuple[list, list, np.ndarray]:
    """Building centres and relative sizes."""
    def build():
        b = community.building
        nb = int(b.max()) + 1
        counts = np.bincount(b, minlength=nb).astype(float)
        centre = np.stack([np.bincount(b, community.positions[:, k], minlength=nb)
                           for k in (0, 1)], 1) / np.maximum(counts, 1)[:, None]
        sizes = np.sqrt(counts / max(counts.mean(), 1.0))
        return np.round(centre, 3).tolist(), np.round(sizes, 2).tolist(), counts

    return _once(community.positions, "buildings", build)


def _household_geometry(community) -> tuple[list, list]:
    """Household positions and ties, as lists ready to send."""
    def build():
        coo = community.adjacency.tocoo()
        keep = coo.row < coo.col
        edges = np.stack([coo.row[keep], coo.col[keep]], 1).ravel().tolist()
        return np.round(community.positions, 3).tolist(), edges

    return _once(community.positions, "households", build)


def network_static(model, colour_by: str, labels) -> dict:
    """Positions, ties, organisations, palette and legend of the network view.
    ``labels(key)`` translates a label key (stage names, organisations, legends)."""
    c = model.community
    if aggregated(model):
        points, sizes, _ = _building_geometry(c)
        edges: list = []
        palette = HEAT
        legend = [{"colour": HEAT[0], "label": labels("heat_low")},
                  {"colour": HEAT[-1], "label": labels(
                      "heat_grievance" if colour_by == "grievance" else "heat_share")}]
    else:
        points, edges = _household_geometry(c)
        sizes = []
        if colour_by == "grievance":
            palette = [NO_DISPUTE, *HEAT]
            legend = [{"colour": NO_DISPUTE, "label": labels("no_dispute")},
                      {"colour": HEAT[0], "label": labels("heat_low")},
                      {"colour": HEAT[-1], "label": labels("heat_grievance")}]
        else:
            palette = STAGE_PALETTE
            legend = [{"colour": NO_DISPUTE, "label": labels("no_dispute")}] + [
                {"colour": STAGE_COLOURS.get(s, "#000000"),
                 "label": labels(f"stage_{s.name.lower()}")} for s in OPEN_STAGES]
    orgs = []
    for nid, kind, x, y in _org_places(model, points):
        shape, colour, _ = ORG_STYLE.get(kind, ("circle", "#000000", None))
        orgs.append({"x": x, "y": y, "shape": shape, "colour": colour, "kind": kind,
                     "node": nid})
    for kind in dict.fromkeys(o["kind"] for o in orgs):
        shape, colour, _ = ORG_STYLE.get(kind, ("circle", "#000000", None))
        total = sum(1 for _, k in model.nodes.kinds if k == kind)
        label = labels(f"node_{kind}")
        legend.append({"colour": colour, "glyph": GLYPHS[shape],
                       "label": f"{label} × {total}" if total > 1 else label})
    return {"points": points, "point_sizes": sizes, "edges": edges, "orgs": orgs,
            "palette": palette, "legend": legend}


# ---- the network, every day ---------------------------------------------------------------------
def household_view(model) -> tuple[np.ndarray, np.ndarray]:
    """Per household: the furthest stage of its open disputes (-1 = none) and its grievance
    (largest over its open disputes)."""
    n = model.community.n
    stage = np.full(n, -1, dtype=int)
    grievance = np.zeros(n)
    for d in model.book.open:
        if not d.is_open:
            continue
        who = d.claimants[d.active]
        if not len(who):
            continue
        stage[who] = np.maximum(stage[who], int(d.stage))
        grievance[who] = np.maximum(grievance[who], d.grievance[d.active])
    return stage, grievance


def _heat(values: np.ndarray, top: float) -> np.ndarray:
    return np.clip((values / top * len(HEAT)).astype(int), 0, len(HEAT) - 1)


def network_states(model, colour_by: str) -> list[int]:
    """One palette index per node of :func:`network_static`."""
    stage, grievance = household_view(model)
    if aggregated(model):
        b = model.community.building
        _, _, counts = _building_geometry(model.community)
        nb = len(counts)
        if colour_by == "grievance":
            value = np.bincount(b, grievance, minlength=nb) / np.maximum(counts, 1)
            return _heat(value, GRIEVANCE_CAP / 4).tolist()
        share = np.bincount(b, (stage >= 0).astype(float), minlength=nb) / np.maximum(counts, 1)
        return _heat(share, HEAT_SHARE_TOP).tolist()
    if colour_by == "grievance":
        return np.where(stage < 0, 0, 1 + _heat(grievance, GRIEVANCE_CAP / 2)).tolist()
    index = {int(s): i + 1 for i, s in enumerate(OPEN_STAGES)}
    lookup = np.array([index.get(v, len(OPEN_STAGES)) for v in range(max(index) + 1)])
    return np.where(stage < 0, 0, lookup[np.clip(stage, 0, len(lookup) - 1)]).tolist()


def _channels_of(kind: str) -> list[str]:
    """The channels an organisation's node stands for: those its organisation runs (the
    petition office takes the petition channels from the street office's)."""
    org = ORG_STYLE.get(kind, (None, None, None))[2]
    petitions = {s.name for s in CHANNEL_SPECS if s.opened_by == "petition"}
    if kind == "petition_office":
        return [s.name for s in CHANNEL_SPECS if s.name in petitions]
    return [s.name for s in CHANNEL_SPECS if s.organisation.value == org
            and not (kind == "street_office" and s.name in petitions)]


def _org_load(model, kind: str) -> int:
    chans = model.channels.all()
    return sum(channel.load for name in _channels_of(kind) for channel in chans.get(name, []))


def _elected(model, node: int) -> bool:
    """Has the estate of this owners' committee node elected one yet?"""
    estates = {nid: e for e, nid in enumerate(model.nodes.owners_committees)}
    return estates.get(node) in model.owners_committees


def _lighter(hex_colour: str, share: float = 0.6) -> str:
    v = int(hex_colour[1:], 16)
    rgb = [(v >> s) & 255 for s in (16, 8, 0)]
    return "#" + "".join(f"{round(c + (255 - c) * share):02x}" for c in rgb)


def org_fill(model, static: dict) -> list[str]:
    """Each organisation's colour today: full when it has cases, light when idle, grey
    while it does not exist yet (an owners' committee before the assembly); the developer
    by its parking strategy."""
    out = []
    strategy = developer_strategy(model)
    for org in static["orgs"]:
        kind, colour = org["kind"], org["colour"]
        if kind == "developer":
            out.append(STRATEGY_COLOURS.get(strategy or "", colour))
        elif kind == "owners_committee":
            out.append(colour if _elected(model, org["node"]) else ABSENT)
        elif kind == "grid_worker" or _org_load(model, kind) > 0:
            out.append(colour)
        else:
            out.append(_lighter(colour))
    return out


# ---- one node's state, on a click -----------------------------------------------------------------
def household_detail(model, h: int) -> dict:
    """A household's place, satisfaction, trust and disputes (open first)."""
    c = model.community
    disputes = []
    for d in model.disputes:
        where = np.flatnonzero(d.claimants == h)
        if not len(where):
            continue
        i = int(where[0])
        disputes.append({"id": d.id, "type": d.type.value, "opened": d.opened,
                         "stage": d.stage.name.lower(), "open": d.is_open,
                         "channel": d.channel, "claimants": int(len(d.claimants)),
                         "grievance": float(d.grievance[i]) if len(d.grievance) > i else 0.0,
                         "outcome": d.outcome.value if d.outcome else None})
    disputes.sort(key=lambda r: (not r["open"], -r["opened"]))
    return {"kind": "household", "id": int(h), "building": int(c.building[h]),
            "grid_cell": int(c.grid_cell[h]), "renter": bool(c.renter[h]),
            "satisfaction": float(c.satisfaction[h]),
            "trust": {org: float(c.trust[h, i]) for i, org in enumerate(ORGANISATIONS)},
            "disputes": disputes[:8], "more_disputes": max(0, len(disputes) - 8)}


def building_detail(model, building: int) -> dict:
    c = model.community
    members = np.flatnonzero(c.building == building)
    stage, grievance = household_view(model)
    return {"kind": "building", "id": int(building), "households": int(len(members)),
            "in_dispute": int(np.count_nonzero(stage[members] >= 0)),
            "grievance": float(grievance[members].mean()) if len(members) else 0.0,
            "satisfaction": float(c.satisfaction[members].mean()) if len(members) else 0.0}


def organisation_detail(model, node: int, kind: str) -> dict:
    """An organisation's trust among households and the cases in the channels it runs."""
    org = ORG_STYLE.get(kind, (None, None, None))[2]
    chans = model.channels.all()
    channels = []
    for name in _channels_of(kind):
        instances = chans.get(name, [])
        spec = CHANNELS[name]
        is_open = (_elected(model, node) if spec.needs_owners_committee
                   else model.institutions.opens(spec))
        channels.append({"name": name, "open": is_open,
                         "queued": sum(ch.queued for ch in instances),
                         "in_service": sum(ch.in_service for ch in instances),
                         "served": sum(ch.served for ch in instances)})
    detail = {"kind": kind, "node": int(node), "channels": channels,
              "trust": model.community.mean_trust(org) if org in ORGANISATIONS else None}
    if kind == "developer":
        detail["strategy"] = developer_strategy(model)
    if kind == "owners_committee":
        detail["elected"] = _elected(model, node)
    return detail


# ---- Kaplan–Meier so far ----------------------------------------------------------------------------
def km_so_far(model):
    """Kaplan–Meier of disputes opened so far, those still open censored at today."""
    records = model.dispute_records()
    if not records or model.today < 0:
        return None
    t, e = durations(records, model.today)
    return kaplan_meier(t, e, horizon=model.today + 1)
