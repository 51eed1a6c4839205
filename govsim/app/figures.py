"""The app's figures, in the reader's language, from the model's own data.

Every function returns a fresh :class:`matplotlib.figure.Figure` (no pyplot state shared
between sessions). ``projector=True`` draws large type and heavy lines in high contrast.
The network's geometry is taken once per model from its precomputed ``model.layout``.
"""

from __future__ import annotations

import io
import re
import weakref

import matplotlib
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from govsim.app.i18n import regime_name, tr
from govsim.disputes import Stage
from govsim.plots import REGIME_COLOURS, km_figure

STAGE_COLOURS = {-1: "#d9d9d9", int(Stage.LATENT): "#fdd835", int(Stage.VOICED): "#fb8c00",
                 int(Stage.IN_HANDLING): "#1e88e5", int(Stage.COLLECTIVE_ACTION): "#8e24aa",
                 int(Stage.CONFRONTATION): "#e53935", int(Stage.PETITION): "#6d0000"}
ORG_MARKERS = {  # agent class -> (marker, colour, label key)
    "NeighbourhoodCommittee": ("s", "#1565c0", "org_committee"),
    "OwnersCommittee": ("D", "#2e7d32", "org_owners_committee"),
    "SocialOrganisation": ("^", "#00897b", "org_social_org"),
    "Developer": ("X", "#c62828", "org_developer"),
    "StreetOffice": ("P", "#4527a0", "org_street_office"),
    "GridWorker": ("v", "#ef6c00", "org_grid_worker"),
}
TRUST_ORGS = ("committee", "owners_committee", "social_org", "street_office", "police",
              "court", "developer", "grid")
AGGREGATE_ABOVE = 4000  # households; above this the network is drawn by building

_PROJECTOR_RC = {"font.size": 15, "axes.titlesize": 18, "axes.labelsize": 16,
                 "xtick.labelsize": 14, "ytick.labelsize": 14, "legend.fontsize": 13,
                 "lines.linewidth": 3.2, "axes.linewidth": 1.6, "text.color": "black",
                 "axes.labelcolor": "black", "xtick.color": "black", "ytick.color": "black",
                 "axes.edgecolor": "black"}
_NORMAL_RC = {"font.size": 10, "axes.titlesize": 11, "legend.fontsize": 8.5,
              "lines.linewidth": 1.8}


def style(projector: bool):
    return matplotlib.rc_context(_PROJECTOR_RC if projector else _NORMAL_RC)


def _figure(projector: bool, size=(6.2, 3.4), right: float = 0.7) -> Figure:
    """Fixed margins (a constrained layout costs more than the drawing), legend at right."""
    w, h = size
    fig = Figure(figsize=(w * 1.15, h * 1.2) if projector else (w, h), dpi=90)
    fig.subplots_adjust(left=0.16 if projector else 0.12, right=right,
                        bottom=0.2 if projector else 0.16, top=0.88)
    return fig


def png_bytes(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150)
    return buf.getvalue()


# ---- the network -----------------------------------------------------------------------------
_geometry: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _model_geometry(model):
    """Household positions, tie segments and organisation nodes, once per model."""
    if model in _geometry:
        return _geometry[model]
    c = model.community
    n = c.n
    pos = np.array([model.layout[i] for i in range(n)], dtype=float)
    if n > AGGREGATE_ABOVE:
        buildings = c.building
        nb = int(buildings.max()) + 1
        counts = np.bincount(buildings, minlength=nb).astype(float)
        centre = np.stack([np.bincount(buildings, pos[:, k], minlength=nb) for k in (0, 1)], 1)
        centre /= np.maximum(counts, 1)[:, None]
        segments = None
    else:
        counts = centre = None
        coo = c.adjacency.tocoo()
        keep = coo.row < coo.col
        segments = np.stack([pos[coo.row[keep]], pos[coo.col[keep]]], axis=1)
    org_nodes = [nid for nid in model.layout if nid >= n]
    geo = {"pos": pos, "segments": segments, "counts": counts, "centre": centre,
           "org_nodes": org_nodes}
    _geometry[model] = geo
    return geo


def network_figure(model, colour_by: str, lang: str, projector: bool = False) -> Figure:
    from govsim.app.session import household_view

    with style(projector):
        fig = _figure(projector, (6.6, 5.4), right=0.56 if projector else 0.66)
        fig.subplots_adjust(left=0.02, bottom=0.03, top=0.93)
        ax = fig.add_subplot()
        geo = _model_geometry(model)
        stage, grievance = household_view(model)
        if geo["segments"] is not None:
            ax.add_collection(LineCollection(geo["segments"], colors="#bdbdbd", linewidths=0.25,
                                             alpha=0.5, zorder=0))
            pos = geo["pos"]
            size = 9 if model.community.n <= 2000 else 4
            if colour_by == "grievance":
                sc = ax.scatter(pos[:, 0], pos[:, 1], c=grievance, cmap="inferno_r", vmin=0,
                                vmax=1.5, s=size, linewidths=0, zorder=1)
                fig.colorbar(sc, ax=ax, shrink=0.6, orientation="horizontal", pad=0.02,
                             label=tr("by_grievance", lang))
            else:
                colours = np.array([STAGE_COLOURS[int(s)] for s in stage])
                ax.scatter(pos[:, 0], pos[:, 1], c=colours, s=size, linewidths=0, zorder=1)
                for s in sorted(STAGE_COLOURS):
                    key = "no_dispute" if s < 0 else f"stage_{Stage(s).name.lower()}"
                    ax.scatter([], [], c=STAGE_COLOURS[s], s=30, label=tr(key, lang))
        else:
            b = model.community.building
            nb = len(geo["counts"])
            value = (np.bincount(b, grievance, minlength=nb) if colour_by == "grievance"
                     else np.bincount(b, (stage >= 0).astype(float), minlength=nb))
            value = value / np.maximum(geo["counts"], 1)
            sc = ax.scatter(geo["centre"][:, 0], geo["centre"][:, 1], c=value, cmap="inferno_r",
                            vmin=0, s=12, marker="s", linewidths=0)
            fig.colorbar(sc, ax=ax, shrink=0.6, orientation="horizontal", pad=0.02,
                         label=tr("building_agg", lang))
        by_kind: dict[str, list] = {}  # one scatter per kind: a street has hundreds of workers
        for nid in geo["org_nodes"]:
            agents = model.space[nid].agents
            if agents:
                by_kind.setdefault(type(agents[0]).__name__, []).append(model.layout[nid])
        for kind, xy in by_kind.items():
            marker, colour, key = ORG_MARKERS.get(kind, ("o", "black", "org_committee"))
            xy = np.asarray(xy)
            if len(xy) >= 50:  # hundreds of grid workers would hide the street: count them
                ax.scatter([], [], marker=marker, c=colour, edgecolors="black",
                           label=f"{tr(key, lang)} × {len(xy)}")
                continue
            ax.scatter(xy[:, 0], xy[:, 1], marker=marker, c=colour, s=120 if projector else 70,
                       edgecolors="black", linewidths=0.8, zorder=3, label=tr(key, lang))
        ax.set_title(tr("fig_network", lang))
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
                  fontsize="small", markerscale=0.9)
    return fig


# ---- time series -----------------------------------------------------------------------------
def _series(model, key):
    return model.datacollector.model_vars.get(key, [])


def stages_figure(model, lang: str, projector: bool = False, ax=None) -> Figure:
    with style(projector):
        fig = _figure(projector) if ax is None else ax.figure
        ax = fig.add_subplot() if ax is None else ax
        days = _series(model, "day")
        for s in (Stage.LATENT, Stage.VOICED, Stage.IN_HANDLING, Stage.COLLECTIVE_ACTION,
                  Stage.CONFRONTATION, Stage.PETITION):
            name = s.name.lower()
            ax.plot(days, _series(model, f"open_{name}"), color=STAGE_COLOURS[int(s)],
                    label=tr(f"stage_{name}", lang))
        _finish(ax, tr("fig_stages", lang), tr("axis_day", lang), tr("axis_count", lang))
    return fig


def escalation_figure(model, lang: str, projector: bool = False, ax=None) -> Figure:
    with style(projector):
        fig = _figure(projector) if ax is None else ax.figure
        ax = fig.add_subplot() if ax is None else ax
        days = _series(model, "day")
        # Every confrontation brings a police call: dotted, the two lines stay visible.
        for key, colour, ls in (("confrontations", "#e53935", "-"),
                                ("petitions", "#6d0000", "-"), ("police_calls", "#1e88e5", ":")):
            ax.step(days, _series(model, key), where="post", color=colour, ls=ls,
                    label=tr(key, lang))
        _finish(ax, tr("fig_escalation", lang), tr("axis_day", lang), tr("axis_count", lang))
    return fig


def satisfaction_figure(model, lang: str, projector: bool = False, ax=None) -> Figure:
    with style(projector):
        fig = _figure(projector, right=0.96) if ax is None else ax.figure
        ax = fig.add_subplot() if ax is None else ax
        ax.plot(_series(model, "day"), _series(model, "satisfaction_share"), color="#2e7d32")
        ax.set_ylim(0, 1)
        _finish(ax, tr("fig_satisfaction", lang), tr("axis_day", lang), tr("axis_share", lang),
                legend=False)
    return fig


def trust_figure(model, lang: str, projector: bool = False, ax=None) -> Figure:
    with style(projector):
        fig = _figure(projector) if ax is None else ax.figure
        ax = fig.add_subplot() if ax is None else ax
        days = _series(model, "day")
        cmap = matplotlib.colormaps["tab10"]
        for i, org in enumerate(TRUST_ORGS):
            ax.plot(days, _series(model, f"trust_{org}"), color=cmap(i), label=tr(f"org_{org}",
                                                                                 lang))
        ax.set_ylim(0, 1)
        _finish(ax, tr("fig_trust", lang), tr("axis_day", lang), tr("axis_share", lang))
    return fig


def _finish(ax, title, xlabel, ylabel, legend=True):
    lo, hi = ax.get_xlim()
    ax.set_xlim(0, max(10.0, hi))
    if not any(len(line.get_ydata()) for line in ax.get_lines()):  # day 0: a clean axis
        ax.set_ylim(0, 1)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    if legend:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)


# ---- comparison --------------------------------------------------------------------------------
_KM_LABEL = re.compile(r"(\w+)(?: \(median (\d+) d\))?")


def km_compare_figure(curves: dict, horizon: int, lang: str, projector: bool = False) -> Figure:
    """Kaplan–Meier curves so far, drawn by :func:`govsim.plots.km_figure`, relabelled."""
    with style(projector):
        fig = _figure(projector, (6.2, 3.8), right=0.96)
        ax = fig.add_subplot()
        if curves:
            km_figure(curves, max(horizon, 1), ax=ax)
            handles, labels = ax.get_legend_handles_labels()
            new = []
            for label in labels:
                m = _KM_LABEL.fullmatch(label)
                name = regime_name(m.group(1), lang) if m and m.group(1) in REGIME_COLOURS \
                    else label
                if m and m.group(2):
                    name += f" ({tr('median', lang)} {m.group(2)} {tr('days_unit', lang)})"
                new.append(name)
            ax.legend(handles, new, frameon=False, loc="upper right")
        ax.set_title(tr("fig_km", lang))
        ax.set_xlabel(tr("axis_days_since", lang))
        ax.set_ylabel(tr("axis_unresolved", lang))
    return fig


def open_by_regime_figure(models: dict, lang: str, projector: bool = False) -> Figure:
    with style(projector):
        fig = _figure(projector, (6.2, 3.4))
        ax = fig.add_subplot()
        for regime, m in models.items():
            open_ = np.sum([_series(m, f"open_{s.name.lower()}") for s in
                            (Stage.LATENT, Stage.VOICED, Stage.IN_HANDLING,
                             Stage.COLLECTIVE_ACTION, Stage.CONFRONTATION, Stage.PETITION)],
                           axis=0)
            ax.plot(_series(m, "day"), open_, color=REGIME_COLOURS[regime],
                    label=regime_name(regime, lang))
        _finish(ax, tr("fig_open_by_regime", lang), tr("axis_day", lang), tr("axis_count", lang))
    return fig


# ---- case replay ------------------------------------------------------------------------------
def timeline_figure(rep, scenario, lang: str, projector: bool = False) -> Figure:
    """Rows are the conflict's milestones; dashed lines the 2010 timeline; a large dot this
    run's day; grey dots the same milestone over seeds, with their median as a bar."""
    from govsim.app.session import REPLAY_EVENTS

    with style(projector):
        fig = _figure(projector, (9.0, 5.0), right=0.98)
        fig.subplots_adjust(left=0.3 if projector else 0.24, bottom=0.22)
        ax = fig.add_subplot()
        rng = np.random.default_rng(0)  # jitter of the dots only, not the model
        horizon = scenario.days
        latest = 0
        for i, key in enumerate(REPLAY_EVENTS):
            y = len(REPLAY_EVENTS) - 1 - i
            days = np.asarray(rep.over_seeds[key], dtype=float)
            if len(days):
                ax.scatter(days, y + rng.uniform(-0.18, 0.18, len(days)), s=14, c="#9e9e9e",
                           zorder=2, label=tr("over_seeds", lang, n=rep.n_seeds) if i == 0 else
                           None)
                med = float(np.median(days))
                ax.plot([med, med], [y - 0.3, y + 0.3], color="black", lw=2, zorder=3,
                        label=tr("median", lang) if i == 0 else None)
                latest = max(latest, float(days.max()))
            d = rep.days[key]
            if d is not None:
                ax.scatter([d], [y], s=110, c=REGIME_COLOURS[rep.regime], edgecolors="black",
                           zorder=4, label=tr("this_run", lang) if i == 0 else None)
                latest = max(latest, d)
        # The full labels are in the page's timeline table; here dates only, staggered so
        # that Sep 4, 5 and 6 do not overprint.
        for j, item in enumerate(scenario.timeline):
            ax.axvline(item["day"], color="#37474f", ls="--", lw=1, zorder=1)
            date = str(item.get("date", item["day"]))
            ax.text(item["day"], len(REPLAY_EVENTS) - 0.45 + 0.55 * (j % 3), date[5:] or date,
                    fontsize="small", va="bottom", ha="center", color="#37474f",
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
                    parse_math=False)  # a date from the scenario file, shown as written
            latest = max(latest, item["day"])
        ax.plot([], [], color="#37474f", ls="--", lw=1, label=tr("reference_2010", lang))
        ax.set_yticks(range(len(REPLAY_EVENTS)))
        ax.set_yticklabels([tr(f"ev_{k}", lang) for k in reversed(REPLAY_EVENTS)])
        ax.set_ylim(-0.6, len(REPLAY_EVENTS) + 1.6)
        ax.set_xlim(-1, min(horizon, latest + 8))
        ax.set_xlabel(tr("axis_day", lang) + (f" (0 = {scenario.start_date})"
                                              if scenario.start_date else ""))
        fig.suptitle(tr("fig_timeline", lang) + " — " + regime_name(rep.regime, lang),
                     fontsize=matplotlib.rcParams["axes.titlesize"])
        ax.grid(axis="x", alpha=0.3)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), ncol=4, frameon=False,
                  fontsize="small")
    return fig
