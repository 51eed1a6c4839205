"""What one browser session holds: its own models, built and stepped through the library API.

Nothing here is Solara: the pages keep one :class:`Explore` and one :class:`Comparison` per
session (inside a component, never at module level) and call these methods. Each object
has a lock (the play thread and the page's renders never see a half-stepped model), a
:class:`~govsim.app.playback.Playback`, and two signals the views subscribe to: ``frames``
after every step, ``controls`` when the run restarts or starts or stops playing. A restart
leaves a :class:`Notice` saying why, for the page to show.
"""

from __future__ import annotations

import contextlib
import dataclasses
import csv
import io
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable

from govsim.app.narrative import case_dispute_id
from govsim.app.playback import Playback
from govsim.institutions import institution_keys
from govsim.model import GovernanceModel
from govsim.parameters import coerce
from govsim.runner import build_model, daily_records, run
from govsim.scenario import Scenario, scenario_to_toml
from govsim.statistics import durations, kaplan_meier
from govsim.vocabulary import REGIMES

MAX_SEED = 2**31 - 1


class SeedError(ValueError):
    """A seed outside 0..MAX_SEED (or not a whole number); the page names the range."""


def check_seed(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise SeedError(value)
    try:
        seed = int(str(value).strip())
    except ValueError:
        raise SeedError(value) from None
    if not 0 <= seed <= MAX_SEED:
        raise SeedError(value)
    return seed


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
    return dataclasses.replace(scenario, description=description, params=params,
                               regime_params=regimes, timeline=list(scenario.timeline),
                               path=None)


def csv_text(rows: list[dict]) -> str:
    if not rows:
        return ""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


class Signal:
    """Callbacks told that something changed. A callback that raises (its page is gone)
    is dropped, so a closed browser tab never stops the others."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[[], None]] = []
        self._lock = threading.Lock()

    def connect(self, callback: Callable[[], None]) -> Callable[[], None]:
        with self._lock:
            self._callbacks.append(callback)
        return lambda: self.disconnect(callback)

    def disconnect(self, callback: Callable[[], None]) -> None:
        with self._lock:
            if callback in self._callbacks:
                self._callbacks.remove(callback)

    def emit(self) -> None:
        with self._lock:
            callbacks = list(self._callbacks)
        for callback in callbacks:
            try:
                callback()
            except Exception:  # a view of a closed page
                self.disconnect(callback)


@dataclass(frozen=True)
class Notice:
    """Why the run restarted from day 0: ``reason`` names it (``param``, ``regime``,
    ``seed``, ``reset``, ``scenario``); ``name``/``value`` the parameter changed; ``cleared``
    the institution changes a regime change dropped."""

    reason: str
    name: str | None = None
    value: Any = None
    cleared: tuple[tuple[str, Any], ...] = ()


class _Stepped:
    """What every stepped session shares: a lock, the play engine, the signals, and an
    error in building or stepping that becomes a message on the page, not a dead server."""

    error: str | None
    notice: Notice | None
    seed: int

    def __post_init__(self) -> None:
        self.lock = threading.RLock()
        self.frames = Signal()
        self.controls = Signal()
        self.built = 0  # counts the models built: a view keeps per-model data by it
        self.playback = Playback(self._play_step, on_change=self.controls.emit)
        self.reset(None)

    def _build(self) -> None:
        raise NotImplementedError

    @property
    def running(self) -> bool:
        raise NotImplementedError

    def _advance(self) -> None:
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

    def reset(self, notice: Notice | None = Notice("reset")) -> None:
        """Build the model(s) again from day 0, saying why; playing stops (a student
        sees the notice and presses Play again)."""
        self.playback.pause()
        self._build()
        with self.lock:
            self.notice = notice
            self.built += 1
        self.controls.emit()
        self.frames.emit()

    def step(self, days: int = 1) -> None:
        with self.guarded():
            for _ in range(days):
                if not self.running:
                    break
                self._advance()
        self.playback.sent()
        self.frames.emit()

    def set_seed(self, value: Any) -> None:
        """Another seed (checked: a bad one raises :class:`SeedError`, the run kept)."""
        seed = check_seed(value)
        if seed != self.seed:
            self.seed = seed
            self.reset(Notice("seed", value=seed))

    def _play_step(self) -> bool:
        self.step(1)
        return self.running

    def close(self) -> None:
        """The page is gone: stop playing for good and let the models go."""
        self.playback.close()
        self.frames = Signal()
        self.controls = Signal()


@dataclass
class Explore(_Stepped):
    """One community under one regime, stepped by one student."""

    scenario: Scenario
    regime: str = "state"
    seed: int = 0
    overrides: dict[str, Any] = field(default_factory=dict)
    model: GovernanceModel | None = None
    error: str | None = None
    notice: Notice | None = None

    def _build(self) -> None:
        with self.guarded(model=None):
            self.model = build_model(self.scenario, self.regime, self.seed, self.overrides)
            self.error = None

    @property
    def running(self) -> bool:
        return self.model is not None and self.model.running and self.error is None

    def _advance(self) -> None:
        self.model.step()

    def set_regime(self, regime: str) -> None:
        """Another regime: its preset replaces the institutions, so changes to them are
        cleared (and listed in the notice); other changes stay."""
        if regime not in REGIMES:
            raise ValueError(f"regime = {regime!r}: expected one of {', '.join(REGIMES)}")
        inst = set(institution_keys())
        cleared = tuple(sorted((k, v) for k, v in self.overrides.items() if k in inst))
        self.regime = regime
        self.overrides = {k: v for k, v in self.overrides.items() if k not in inst}
        self.reset(Notice("regime", value=regime, cleared=cleared))

    def set_param(self, name: str, value: Any) -> None:
        """Change one parameter (checked against its spec) and restart the run."""
        value = coerce(name, value)
        if value == self.value(name):
            return
        if value == baseline(self.scenario, self.regime, name):
            self.overrides.pop(name, None)
        else:
            self.overrides[name] = value
        self.reset(Notice("param", name=name, value=value))

    def value(self, name: str) -> Any:
        return self.overrides.get(name, baseline(self.scenario, self.regime, name))

    def run_to_end(self) -> None:
        self.playback.pause()
        self.step(self.scenario.days + 1)

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
    notice: Notice | None = None

    def _build(self) -> None:
        with self.guarded(models={}):
            self.models = {r: build_model(self.scenario, r, self.seed) for r in self.regimes}
            self.error = None

    @property
    def running(self) -> bool:
        return bool(self.models) and self.error is None and all(
            m.running for m in self.models.values())

    def _advance(self) -> None:
        for m in self.models.values():
            m.step()

    def set_scenario(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.seed = 0
        self.reset(Notice("scenario"))

    @property
    def days(self) -> dict[str, int]:
        return {r: m.today for r, m in self.models.items()}

    def summaries(self) -> dict[str, dict]:
        with self.lock:
            return {r: m.summary() for r, m in self.models.items() if m.today >= 0}

    def curves(self) -> dict:
        """Kaplan–Meier so far per regime (None before its first dispute)."""
        with self.lock:
            out = {}
            for r, m in self.models.items():
                records = m.dispute_records() if m.today >= 0 else []
                if records:
                    t, e = durations(records, m.today)
                    out[r] = kaplan_meier(t, e, horizon=m.today + 1)
                else:
                    out[r] = None
            return out

    def summary_csv(self) -> str:
        return csv_text([{"regime": r, "seed": self.seed, **s}
                         for r, s in self.summaries().items()])


# ---- case replay ----------------------------------------------------------------------------
@dataclass
class Replay:
    """The case under one regime: one run's event records (``events``, the case's
    dispute only) and summary, and the same runs over ``n_seeds`` seeds."""

    regime: str
    seed: int
    events: list[dict]
    outcome: str | None
    horizon: int
    over_seeds: list[list[dict]]  # the case's events of each seed's run
    n_seeds: int


def _case_events(events: list[dict]) -> list[dict]:
    pid = case_dispute_id(events)
    return [e for e in events if e["dispute_id"] == pid] if pid is not None else []


def replay(scenario: Scenario, regime: str, seed: int, n_seeds: int) -> Replay:
    this = run(scenario, regime, seed, keep=("events",))
    over = [_case_events((this if s == seed else run(scenario, regime, s, keep=("events",)))
                         .events) for s in range(n_seeds)]
    return Replay(regime, seed, _case_events(this.events), this.summary["parking_outcome"],
                  scenario.days, over, n_seeds)


class ReplayCache:
    """Replays are deterministic, so sessions share them: a class opening the same replay
    computes it once. Bounded; a replay being computed is waited for, not repeated."""

    def __init__(self, size: int = 24) -> None:
        self._size = size
        self._done: OrderedDict[tuple, Replay] = OrderedDict()
        self._busy: dict[tuple, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, scenario: Scenario, regime: str, seed: int, n_seeds: int) -> Replay:
        key = (scenario.name, str(scenario.path), scenario_to_toml(scenario), regime, seed,
               n_seeds)
        with self._lock:
            if key in self._done:
                self._done.move_to_end(key)
                return self._done[key]
            busy = self._busy.setdefault(key, threading.Lock())
        with busy:
            with self._lock:
                if key in self._done:
                    return self._done[key]
            result = replay(scenario, regime, seed, n_seeds)
            with self._lock:
                self._done[key] = result
                self._busy.pop(key, None)
                while len(self._done) > self._size:
                    self._done.popitem(last=False)
            return result


REPLAYS = ReplayCache()
