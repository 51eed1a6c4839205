"""The 2010 parking case replayed: simulated days of the key events over many seeds, set
against the source's dates (the scenario's ``[[timeline]]``, by event kind), and a
one-at-a-time sensitivity table of the assumed parameters that could move the state-only
closing day.

The runs are an ordinary sweep of named points (:func:`replay_experiment` writes it as an
experiment file): the base point under every regime, and for each parameter of the
sensitivity table a low and a high point under the state regime. So the replay has the
sweep's executors, result store and ``--resume``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from govsim.parameters import PARAMETERS
from govsim.validation.points import named_points_text
from govsim.validation.results import Results

BASE = "base"
REGIMES = ("state", "market", "grid")
# key event -> the run summary field that holds its day
CASE_EVENTS = {
    "first_confrontation": "parking_first_confrontation_day",
    "guards": "parking_guards_day",
    "petition": "parking_first_petition_day",
    "state_action": "parking_first_state_action_day",
    "assembly_called": "parking_assembly_called_day",
    "assembly": "parking_assembly_day",
    "firm_replaced": "parking_firm_replaced_day",
    "settlement": "parking_closed_day",
}
EVENT_LABELS = {
    "first_confrontation": "first confrontation at the gate",
    "guards": "developer hires guards",
    "petition": "petition to the district",
    "state_action": "street office acts (order)",
    "assembly_called": "owners' assembly called (15 days' notice)",
    "assembly": "owners' assembly elects a committee",
    "firm_replaced": "the committee's own property firm takes over",
    "settlement": "settlement (dispute closed)",
}
# The event kind (a [[timeline]] entry's ``kind``) that marks each key event. The source
# gives no date for the settlement ("而后", afterwards): it has no source day.
EVENT_OF_KIND = {"confrontation": "first_confrontation", "guards_hired": "guards",
                 "petition": "petition", "state_order": "state_action",
                 "assembly_held": "assembly"}

SENSITIVE = ("notice_grievance", "blocked_grievance_growth", "peer_influence",
             "activation_grievance", "participation_threshold_mean",
             "confrontation_min_participants", "confrontation_fatigue", "fatigue_recovery",
             "petition_propensity", "guard_escalation", "give_up_rate", "developer_inertia",
             "layer_delay_days", "preparatory_group_days", "firm_replacement_days",
             "backed_turnout", "order_sanction")
CHANGE = 0.5  # one at a time: each parameter at its value × (1 ± CHANGE)


def source_days(scenario) -> dict[str, int]:
    """The source's day of each key event, from the kinds of the scenario's timeline."""
    out: dict[str, int] = {}
    for entry in scenario.timeline:
        event = EVENT_OF_KIND.get(entry.get("kind", ""))
        if event:
            out.setdefault(event, int(entry["day"]))
    return out


def _scaled(name: str, base: float, factor: float) -> float:
    spec = PARAMETERS[name]
    value = base * factor
    if spec.kind == "int":
        value = int(round(value))
    lo = spec.low if spec.low is not None else -math.inf
    hi = spec.high if spec.high is not None else math.inf
    return min(max(value, lo), hi)


def sensitivity_values(scenario, parameters=SENSITIVE, change: float = CHANGE,
                       regime: str = "state") -> dict[str, tuple[float, float, float]]:
    """parameter -> (low, base, high): the scenario's value under ``regime`` ± ``change``,
    within the parameter's allowed range."""
    base = scenario.model_params(regime)
    return {name: (_scaled(name, base[name], 1 - change), base[name],
                   _scaled(name, base[name], 1 + change)) for name in parameters}


def replay_experiment(scenario, seeds: int, sensitivity_seeds: int = 0,
                      parameters=SENSITIVE, days: int | None = None) -> str:
    """The replay as experiment text: the base point under every regime with ``seeds``
    paired seeds; with ``sensitivity_seeds``, a low and a high point per parameter under
    the state regime."""
    points: dict[str, dict] = {BASE: {}}
    if sensitivity_seeds:
        for name, (low, _, high) in sensitivity_values(scenario, parameters).items():
            for tag, value in (("low", low), ("high", high)):
                points[f"{name}-{tag}"] = {"regimes": ["state"],
                                           "replicates": sensitivity_seeds, name: value}
    return named_points_text(
        "case_replay", f"Case replay: {scenario.title or scenario.name}",
        "The parking case replay (govsim replay), as a sweep of named points; govsim "
        "sweep runs it too.", scenario, list(REGIMES), seeds, points, days)


def event_table(results: Results, regime: str, source: dict[str, int]) -> list[dict]:
    """Per key event: in how many runs it happened, median and 5–95% range of its day."""
    runs = results.get(BASE, regime)
    rows = []
    for event, key in CASE_EVENTS.items():
        days = np.array([r.summary[key] for r in runs if r.summary.get(key) is not None],
                        dtype=float)
        rows.append({
            "event": event, "label": EVENT_LABELS[event], "runs": len(runs),
            "happened": int(len(days)),
            "median": float(np.median(days)) if len(days) else None,
            "p05": float(np.percentile(days, 5)) if len(days) else None,
            "p95": float(np.percentile(days, 95)) if len(days) else None,
            "source_day": source.get(event)})
    return rows


def replay_figure(results: Results, regime: str, source: dict[str, int], start_date=None,
                  path: Path | None = None):
    """Strip and box plot of each event's simulated day, the source's day marked."""
    import matplotlib.pyplot as plt

    from govsim.plots import REGIME_COLOURS

    runs = results.get(BASE, regime)
    fig, ax = plt.subplots(figsize=(8, 4.6), dpi=110)
    events = list(CASE_EVENTS)[::-1]
    jitter = np.linspace(-0.18, 0.18, max(2, len(runs)))
    marked = False
    for y, event in enumerate(events):
        days = [r.summary[CASE_EVENTS[event]] for r in runs
                if r.summary.get(CASE_EVENTS[event]) is not None]
        if days:
            ax.boxplot([days], positions=[y], orientation="horizontal", widths=0.5,
                       showfliers=False,
                       medianprops={"color": "black"})
            ax.scatter(days, y + jitter[:len(days)], s=9, alpha=0.5,
                       color=REGIME_COLOURS.get(regime, "grey"))
        if event in source:
            ax.scatter([source[event]], [y], marker="D", s=60, color="#e7298a", zorder=5,
                       label=None if marked else "source (essay 6)")
            marked = True
    counts = {e: sum(r.summary.get(CASE_EVENTS[e]) is not None for r in runs) for e in events}
    ax.set_yticks(range(len(events)), [f"{EVENT_LABELS[e]} ({counts[e]}/{len(runs)} runs)"
                                       for e in events], fontsize=8)
    ax.set_xlabel(f"day (day 0 = {start_date})" if start_date else "day")
    ax.set_title(f"Parking case replay under '{regime}': {len(runs)} seeds vs the source",
                 fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    if marked:
        ax.legend(loc="upper right", frameon=True, fontsize=8)
    fig.tight_layout()
    if path is not None:
        fig.savefig(path)
        plt.close(fig)
    return fig


@dataclass
class SensitivityRow:
    parameter: str
    source: str
    base: float
    low: float
    high: float
    median_low: float | None
    median_base: float | None
    median_high: float | None

    @property
    def swing(self) -> float:
        vals = [self.median_low, self.median_base, self.median_high]
        if any(v is None for v in vals):
            return math.inf
        return max(vals) - min(vals)


def _median_closing(runs) -> float | None:
    days = [math.inf if r.summary["parking_closed_day"] is None
            else r.summary["parking_closed_day"] for r in runs]
    if not days:
        return None
    med = float(np.median(days))
    return med if math.isfinite(med) else None


def sensitivity(results: Results, scenario, parameters=SENSITIVE) -> list[SensitivityRow]:
    """One-at-a-time: the median state-only closing day at each parameter's low and high
    point, beside the base point's (on the same seeds), sorted by swing."""
    values = sensitivity_values(scenario, parameters)
    k = min((len(results.get(f"{n}-{t}", "state")) for n in parameters for t in ("low", "high")),
            default=0)
    if not k:
        return []
    base = _median_closing(results.get(BASE, "state")[:k])
    rows = [SensitivityRow(name, PARAMETERS[name].source, b, lo, hi,
                           _median_closing(results.get(f"{name}-low", "state")), base,
                           _median_closing(results.get(f"{name}-high", "state")))
            for name, (lo, b, hi) in values.items()]
    return sorted(rows, key=lambda r: -r.swing)
