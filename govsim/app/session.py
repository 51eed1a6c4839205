"""What one browser session holds: its own models, built and stepped through the library API.

Nothing here is Solara: the pages keep one :class:`Explore`, one :class:`Comparison` per
session (inside a component, never at module level) and call these methods. A lock per
object keeps the play thread and the page's renders from seeing a half-stepped model.
"""

from __future__ import annotations

import contextlib
import csv
import io
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from govsim.events import EventKind, milestones
from govsim.institutions import institution_keys
from govsim.statistics import durations, kaplan_meier
from govsim.model import GovernanceModel
from govsim.parameters import coerce
from govsim.runner import build_model, daily_records, run
from govsim.scenario import Scenario, scenario_to_toml
from govsim.vocabulary import REGIMES


def baseline(scenario: Scenario, regime: str, name: str) -> Any:
    """The value a parameter has in ``scenario`` under ``regime`` before a student touches it."""
    return scenario.model_params(regime)[name]


def exported_scenario(scenario: Scenario, regime: str, overrides: dict[str, Any]) -> Scenario:
    """The scenario as the student has changed it. Institution values go under
    ``[regimes.<regime>]`` (at the top level a regime's own table would override them), so
    ``govsim run FILE --regime <regime>`` runs exactly the app's model."""
    inst = set(institution_keys())
    params = {**scenario.params, **{k: v for k, v in overrides.items() if k not in inst}}
    regimes = {r: dict(v) for r, v in scenario.regime_params.items()}
    mine = {k: v for k, v in overrides.items() if k in inst}
    if mine:
        regimes[regime] = {**regimes.get(regime, {}), **mine}
    description = scenario.description
    if overrides:
        description = (description + " " if description else "") + \
            f"(Changed in the govsim app for the {regime} regime: {', '.join(sorted(overrides))}.)"
    return Scenario(scenario.name, scenario.title, description, scenario.start_date, params,
                    regimes, list(scenario.timeline))


def csv_text(rows: list[dict]) -> str:
    if not rows:
        return ""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def household_view(model: GovernanceModel) -> tuple[np.ndarray, np.ndarray]:
    """Per household: the furthest stage of its open disputes (-1 = none) and its grievance
    (largest over its open disputes), read off the model's disputes."""
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


def km_so_far(model: GovernanceModel):
    """Kaplan–Meier of disputes opened so far, those still open censored at today."""
    records = model.dispute_records()
    if not records or model.today < 0:
        return None
    t, e = durations(records, model.today)
    return kaplan_meier(t, e, horizon=model.today + 1)


class _Stepped:
    """What every stepped session shares: its models change under one lock (the play
    thread and the page's renders never see a half-stepped model), and an error in
    building or stepping becomes a message on the page, not a dead server."""

    error: str | None

    def __post_init__(self) -> None:
        self.lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        raise NotImplementedError

    @contextlib.contextmanager
    def guarded(self, **on_error: Any):
        """Hold the lock; on an error, record it and set the attributes ``on_error`` names
        (a render never sees a half-built state: models are assigned whole or not at all)."""
        with self.lock:
            try:
                yield
            except Exception as exc:  # shown in the page; the server keeps serving
                for name, value in on_error.items():
                    setattr(self, name, value)
                self.error = f"{type(exc).__name__}: {exc}"


@dataclass
class Explore(_Stepped):
    """One community under one regime, stepped by one student."""

    scenario: Scenario
    regime: str = "state"
    seed: int = 0
    overrides: dict[str, Any] = field(default_factory=dict)
    model: GovernanceModel | None = None
    error: str | None = None

    def reset(self) -> None:
        with self.guarded(model=None):
            self.model = build_model(self.scenario, self.regime, self.seed, self.overrides)
            self.error = None

    def set_regime(self, regime: str) -> None:
        if regime not in REGIMES:
            raise ValueError(f"regime = {regime!r}: expected one of {', '.join(REGIMES)}")
        self.regime = regime
        inst = set(institution_keys())
        self.overrides = {k: v for k, v in self.overrides.items() if k not in inst}
        self.reset()

    def set_param(self, name: str, value: Any) -> None:
        """Change one parameter (checked against its spec) and rebuild the model."""
        value = coerce(name, value)
        if value == baseline(self.scenario, self.regime, name):
            self.overrides.pop(name, None)
        else:
            self.overrides[name] = value
        self.reset()

    def value(self, name: str) -> Any:
        return self.overrides.get(name, baseline(self.scenario, self.regime, name))

    def step(self, days: int = 1) -> None:
        with self.guarded():
            for _ in range(days if self.model is not None else 0):
                if not self.model.running:
                    break
                self.model.step()

    def run_to_end(self) -> None:
        self.step(self.scenario.days + 1)

    @property
    def running(self) -> bool:
        return self.model is not None and self.model.running and self.error is None

    # ---- exports ------------------------------------------------------------------------
    def toml(self) -> str:
        return scenario_to_toml(exported_scenario(self.scenario, self.regime, self.overrides))

    def daily_csv(self) -> str:
        with self.lock:
            return csv_text(daily_records(self.model)) if self.model else ""

    def disputes_csv(self) -> str:
        with self.lock:
            return csv_text(self.model.dispute_records()) if self.model else ""

    def events_csv(self) -> str:
        with self.lock:
            return csv_text(self.model.log.records()) if self.model else ""

    def summary_csv(self) -> str:
        with self.lock:
            if not self.model or self.model.today < 0:
                return ""
            return csv_text([{"regime": self.regime, "seed": self.seed,
                              **self.model.summary()}])


@dataclass
class Comparison(_Stepped):
    """The three regimes on the same community and seed, stepped together."""

    scenario: Scenario
    seed: int = 0
    regimes: tuple[str, ...] = REGIMES
    models: dict[str, GovernanceModel] = field(default_factory=dict)
    error: str | None = None

    def reset(self) -> None:
        with self.guarded(models={}):
            self.models = {r: build_model(self.scenario, r, self.seed) for r in self.regimes}
            self.error = None

    def step(self, days: int = 1) -> None:
        with self.guarded():
            for _ in range(days):
                if not self.running:
                    break
                for m in self.models.values():
                    m.step()

    @property
    def running(self) -> bool:
        return bool(self.models) and self.error is None and all(
            m.running for m in self.models.values())

    @property
    def days(self) -> dict[str, int]:
        return {r: m.today for r, m in self.models.items()}

    def summaries(self) -> dict[str, dict]:
        with self.lock:
            return {r: m.summary() for r, m in self.models.items() if m.today >= 0}

    def curves(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        with self.lock:
            return {r: durations(m.dispute_records(), m.today)
                    for r, m in self.models.items() if m.today >= 0 and m.disputes}

    def summary_csv(self) -> str:
        return csv_text([{"regime": r, "seed": self.seed, **s}
                         for r, s in self.summaries().items()])


# ---- case replay ----------------------------------------------------------------------------
REPLAY_EVENTS = ("confrontation", "guards", "petition", "order", "assembly", "settled")
_REPLAY_KINDS = {"confrontation": EventKind.CONFRONTATION, "guards": EventKind.GUARDS_HIRED,
                 "petition": EventKind.PETITION, "order": EventKind.STATE_ORDER,
                 "assembly": EventKind.ASSEMBLY_HELD}


def parking_dispute_id(events: list[dict]) -> int | None:
    """The parking dispute of a run: the one the developer's notice opened."""
    return next((e["dispute_id"] for e in events if e["kind"] == EventKind.NOTICE.value), None)


def parking_event_days(events: list[dict], summary: dict) -> dict[str, int | None]:
    """Days of the parking conflict's milestones in one run, from its event log."""
    pid = parking_dispute_id(events)
    if pid is None:
        return dict.fromkeys(REPLAY_EVENTS)
    ms = milestones(events, pid)
    days = {name: ms.day(kind) for name, kind in _REPLAY_KINDS.items()}
    days["settled"] = summary["parking_closed_day"]
    return days


@dataclass
class Replay:
    """The parking conflict under one regime: one run told as a story, and the same
    milestones over several seeds. ``narrative`` holds the run's event records."""

    regime: str
    seed: int
    days: dict[str, int | None]
    narrative: list[dict]
    outcome: str | None
    over_seeds: dict[str, list[int]]
    n_seeds: int
    events: list[dict]


def replay(scenario: Scenario, regime: str, seed: int, n_seeds: int) -> Replay:
    this = run(scenario, regime, seed, keep=("events",))
    pid = parking_dispute_id(this.events)
    mine = [e for e in this.events if e["dispute_id"] == pid]
    narrative = [e for e in mine if e["kind"] != EventKind.OPENED.value]
    over: dict[str, list[int]] = {k: [] for k in REPLAY_EVENTS}
    for s in range(n_seeds):
        r = this if s == seed else run(scenario, regime, s, keep=("events",))
        for k, v in parking_event_days(r.events, r.summary).items():
            if v is not None:
                over[k].append(v)
    return Replay(regime, seed, parking_event_days(this.events, this.summary), narrative,
                  this.summary["parking_outcome"], over, n_seeds, mine)
