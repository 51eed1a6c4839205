"""The 2010 parking case replayed: simulated days of the key events over many seeds, set
against the source's dates (the scenario's [[timeline]]), and a one-at-a-time sensitivity
table of the assumed parameters that could move the state-only closing day."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from govsim.parameters import PARAMETERS
from govsim.scenario import load_scenario
from govsim.validation.runs import CASE_EVENTS, Task, execute_all

EVENT_LABELS = {
    "first_confrontation": "first confrontation at the gate",
    "guards": "developer hires guards",
    "petition": "petition to the district",
    "state_action": "street office acts (order)",
    "assembly": "owners' assembly elects a committee",
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
             "petition_propensity", "guard_escalation",
             "give_up_rate", "developer_inertia", "layer_delay_days",
             "preparatory_group_days", "firm_replacement_days", "backed_turnout", "order_sanction",
             "agreement_penalty")


def source_days(scenario) -> dict[str, int]:
    """The source's day of each key event, from the kinds of the scenario's timeline."""
    out: dict[str, int] = {}
    for entry in scenario.timeline:
        event = EVENT_OF_KIND.get(entry.get("kind", ""))
        if event:
            out.setdefault(event, int(entry["day"]))
    return out


def replay_runs(scenario_path, seeds: int, regimes=("state", "market", "grid"),
                workers: int = 1, days: int | None = None, progress=None) -> list[dict]:
    tasks = [Task(r, r, s, (), str(scenario_path), days) for s in range(seeds) for r in regimes]
    return execute_all(tasks, workers, progress)


def event_table(records: list[dict], regime: str, source: dict[str, int]) -> list[dict]:
    """Per key event: in how many runs it happened, median and 5–95% range of its day."""
    runs = [r for r in records if r["regime"] == regime]
    rows = []
    for event in CASE_EVENTS:
        days = np.array([r["case"][event] for r in runs if r["case"][event] is not None],
                        dtype=float)
        rows.append({
            "event": event, "label": EVENT_LABELS[event], "runs": len(runs),
            "happened": int(len(days)),
            "median": float(np.median(days)) if len(days) else None,
            "p05": float(np.percentile(days, 5)) if len(days) else None,
            "p95": float(np.percentile(days, 95)) if len(days) else None,
            "source_day": source.get(event)})
    return rows


def replay_figure(records: list[dict], regime: str, source: dict[str, int], start_date=None,
                  path: Path | None = None):
    """Strip and box plot of each event's simulated day, the source's day marked."""
    import matplotlib.pyplot as plt

    from govsim.plots import REGIME_COLOURS

    runs = [r for r in records if r["regime"] == regime]
    fig, ax = plt.subplots(figsize=(8, 4.2), dpi=110)
    events = list(CASE_EVENTS)[::-1]
    jitter = np.linspace(-0.18, 0.18, max(2, len(runs)))
    for y, event in enumerate(events):
        days = [r["case"][event] for r in runs if r["case"][event] is not None]
        if days:
            ax.boxplot([days], positions=[y], vert=False, widths=0.5, showfliers=False,
                       medianprops={"color": "black"})
            ax.scatter(days, y + jitter[:len(days)], s=9, alpha=0.5,
                       color=REGIME_COLOURS.get(regime, "grey"))
        if event in source:
            ax.scatter([source[event]], [y], marker="D", s=60, color="#e7298a", zorder=5,
                       label="source (essay 6)" if event == "assembly" else None)
    counts = {e: sum(r["case"][e] is not None for r in runs) for e in events}
    ax.set_yticks(range(len(events)), [f"{EVENT_LABELS[e]} ({counts[e]}/{len(runs)} runs)"
                                       for e in events], fontsize=8)
    ax.set_xlabel(f"day (day 0 = {start_date})" if start_date else "day")
    ax.set_title(f"Parking case replay under '{regime}': {len(runs)} seeds vs the source",
                 fontsize=10)
    ax.grid(axis="x", alpha=0.3)
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


def _median_closing(records: list[dict], variant: str) -> float | None:
    days = [r["case"]["settlement"] for r in records if r["variant"] == variant]
    days = [math.inf if d is None else d for d in days]
    med = float(np.median(days))
    return med if math.isfinite(med) else None


def _scaled(name: str, base: float, factor: float) -> float:
    spec = PARAMETERS[name]
    value = base * factor
    if spec.kind == "int":
        value = int(round(value))
    lo = spec.low if spec.low is not None else -math.inf
    hi = spec.high if spec.high is not None else math.inf
    return min(max(value, lo), hi)


def sensitivity(scenario_path, seeds: int, parameters=SENSITIVE, change: float = 0.5,
                regime: str = "state", workers: int = 1, progress=None
                ) -> list[SensitivityRow]:
    """One-at-a-time ±``change`` on each parameter: median state-only closing day."""
    scenario = load_scenario(scenario_path)
    base_params = scenario.model_params(regime)
    tasks = [Task("base", regime, s, (), str(scenario_path)) for s in range(seeds)]
    settings = {}
    for name in parameters:
        base = base_params[name]
        low, high = _scaled(name, base, 1 - change), _scaled(name, base, 1 + change)
        settings[name] = (base, low, high)
        for tag, value in (("low", low), ("high", high)):
            tasks += [Task(f"{name}:{tag}", regime, s, ((name, value),), str(scenario_path))
                      for s in range(seeds)]
    records = execute_all(tasks, workers, progress)
    base_median = _median_closing(records, "base")
    rows = [SensitivityRow(name, PARAMETERS[name].source, base, low, high,
                           _median_closing(records, f"{name}:low"), base_median,
                           _median_closing(records, f"{name}:high"))
            for name, (base, low, high) in settings.items()]
    return sorted(rows, key=lambda r: -r.swing)
