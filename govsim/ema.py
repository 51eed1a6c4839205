"""EMA Workbench without glue: the parameter table as uncertainties and levers, the three
regimes as policies, the run summaries as outcomes.

    from ema_workbench import perform_experiments
    from govsim import load_scenario
    from govsim.ema import ema_model, regime_policies

    scenario = load_scenario("scenarios/parking_x_community.toml")
    model = ema_model(scenario, seeds=range(5))
    experiments, outcomes = perform_experiments(model, scenarios=200,
                                                policies=regime_policies(model))

Needs the optional extra: ``pip install 'govsim[ema]'`` (EMA Workbench 3).

Everything comes from :mod:`govsim.parameters`; nothing here runs a copy of the model.
The function EMA calls is :func:`govsim.runner.run` on the scenario with the sampled values
as overrides, so its parameters follow :meth:`govsim.scenario.Scenario.model_params` and
every value is checked against the table.

- **Uncertainties** default to :data:`DEFAULT_UNCERTAINTIES`, behavioural assumptions
  outside the institutions. A parameter's range is its value in the scenario ±50%
  (:data:`SPREAD`), clipped to the range the table allows; the table's own ranges are
  validity bounds, far too wide to sample. Pass names, or ``{name: (low, high)}``.
- **Levers** default to every institution parameter (the switches, the numeric ones and
  ``intervention_stage``) that is not an uncertainty. A lever's range spans its values
  under the three regimes, widened by ±50% and clipped to the allowed range.
- Numbers become ``RealParameter`` / ``IntegerParameter``, booleans ``BooleanParameter``,
  strings with choices ``CategoricalParameter``. Pairs and tables (payoffs, arrival rates,
  success tables) are not single parameters and are refused by name.
- **Outcomes** are the numeric metrics of :func:`govsim.metrics.run_summary`
  (:func:`numeric_metrics`; booleans count 0/1), or a chosen subset. A metric undefined in a
  run (``None``: a median never reached) is NaN. With several seeds the model is a
  ``ReplicatorModel`` (the seeds are common random numbers: every experiment sees the same
  ones) and an outcome is the mean over the seeds where it is defined.
- **Policies**: :func:`regime_policies` gives market, state and grid as ``Sample`` s of
  lever values (presets, then the scenario and its ``[regimes.*]`` tables).

For PRIM, leave categorical columns out of ``x`` (``intervention_stage``, ``policy``,
``model``, ``scenario``): EMA 3.0's ``inspect()`` fails on them. Feature scoring accepts
them, but not NaN outcomes: score a metric that is always defined (``rmst_days``,
``resolved_share``, ``staff_days``) or drop the NaN rows first.
"""

from __future__ import annotations

import math
import re
import statistics
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

EMA_HINT = ("govsim.ema needs EMA Workbench, the optional extra: pip install 'govsim[ema]' "
            "(or: pip install 'ema_workbench>=3.0')")

try:
    with warnings.catch_warnings():  # EMA warns on import about evaluators it cannot offer
        warnings.filterwarnings("ignore", message=".*not installed.*", category=UserWarning)
        import ema_workbench as ema
except ModuleNotFoundError as exc:
    if exc.name != "ema_workbench":
        raise
    raise ImportError(EMA_HINT) from None

from govsim.institutions import institution_keys  # noqa: E402
from govsim.metrics import NUMERIC_FIELDS, TEXT_FIELDS  # noqa: E402
from govsim.parameters import PARAMETERS, ParamSpec, coerce, resolve  # noqa: E402
from govsim.runner import run  # noqa: E402
from govsim.scenario import Scenario  # noqa: E402
from govsim.vocabulary import REGIMES  # noqa: E402

# Behavioural assumptions a reviewer questions first: how grievance grows and spreads, when
# people complain, join and petition, how long they wait, how they choose a channel, and
# how the developer answers. None is an institution; all are "assumption" or "calibrated"
# in the parameter table.
DEFAULT_UNCERTAINTIES = (
    "grievance_growth", "peer_influence", "voice_threshold", "activation_grievance",
    "participation_threshold_mean", "confrontation_min_participants", "petition_propensity",
    "patience_days", "give_up_rate", "choice_noise", "trust_weight", "developer_inertia",
    "guard_escalation", "parking_renter_share",
)
SPREAD = 0.5  # default ranges: value × (1 ± SPREAD), clipped to the allowed range

_SCALAR_KINDS = ("bool", "int", "float", "str")
Bounds = tuple[float, float]


# ---- parameters --------------------------------------------------------------------------
def _spec(name: str, role: str) -> ParamSpec:
    if name not in PARAMETERS:
        coerce(name, None)  # raises "unknown parameter ... (did you mean ...?)"
    spec = PARAMETERS[name]
    if spec.kind not in _SCALAR_KINDS:
        raise ValueError(f"{role} {name!r} is {'a pair' if spec.kind == 'pair' else 'a table'}"
                         f" of numbers, not one parameter: EMA can sample only single values")
    return spec


def default_bounds(name: str, values: Iterable[float], spread: float = SPREAD) -> Bounds:
    """``values`` widened by ±``spread`` of each, clipped to the range the table allows; the
    allowed range itself when that leaves nothing (every value 0). Integer parameters get
    integer bounds that still contain every value."""
    spec = PARAMETERS[name]
    values = list(values)
    low = min(v - spread * abs(v) for v in values)
    high = max(v + spread * abs(v) for v in values)
    if spec.kind == "int":
        low, high = math.floor(low), math.ceil(high)
    if spec.low is not None:
        low = max(low, spec.low)
    if spec.high is not None:
        high = min(high, spec.high)
    if low >= high:
        if spec.low is None or spec.high is None:
            raise ValueError(f"{name} = {values[0]!r}: ±{spread:.0%} is no range; give bounds, "
                             f"e.g. {{{name!r}: (low, high)}}")
        low, high = spec.low, spec.high
    return low, high


def ema_parameter(name: str, values: Iterable[Any], bounds: Bounds | None = None,
                  default: Any = None, role: str = "parameter"):
    """The EMA parameter for ``name``: its kind from the table, its range ``bounds`` (checked
    against the table) or :func:`default_bounds` of ``values``."""
    spec = _spec(name, role)
    if bounds is not None and spec.kind in ("bool", "str"):
        what = "a switch" if spec.kind == "bool" else "a choice"
        raise ValueError(f"{role} {name!r} is {what}: name it without bounds {bounds!r}")
    if spec.kind == "bool":
        return ema.BooleanParameter(name, default=default)
    if spec.kind == "str":
        if not spec.choices:
            raise ValueError(f"{role} {name!r} is free text, not a choice")
        return ema.CategoricalParameter(name, spec.choices, default=default)
    if bounds is None:
        low, high = default_bounds(name, values)
    else:
        try:
            low, high = (coerce(name, b) for b in bounds)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"{role} {name!r}: bounds {bounds!r}: {exc}") from None
        if not low < high:
            raise ValueError(f"{role} {name!r}: bounds {bounds!r}: expected low < high")
    if spec.kind == "int":
        return ema.IntegerParameter(name, int(low), int(high), default=default)
    return ema.RealParameter(name, float(low), float(high), default=default)


def _named(items: Iterable[str] | Mapping[str, Bounds | None]) -> dict[str, Bounds | None]:
    if isinstance(items, str):
        items = [items]
    if isinstance(items, Mapping):
        return {k: (tuple(v) if v is not None else None) for k, v in items.items()}
    return dict.fromkeys(items)


# ---- outcomes ----------------------------------------------------------------------------
def numeric_metrics() -> tuple[str, ...]:
    """The names of the numeric metrics of a run summary, in its order (declared in
    :data:`govsim.metrics.NUMERIC_FIELDS`)."""
    return NUMERIC_FIELDS


def as_number(name: str, value: Any) -> float:
    """A summary metric as a float for EMA: ``None`` (undefined in this run) is NaN."""
    if value is None:
        return math.nan
    if isinstance(value, (bool, int, float)):
        return float(value)
    raise TypeError(f"run metric {name} = {value!r} is not a number: leave it out of "
                    f"the outcomes")


def mean_over_seeds(values: Iterable[float]) -> float:
    """An outcome over replications: the mean where it is defined, NaN where it never is
    (as :func:`govsim.runner.aggregate` does)."""
    defined = [v for v in values if not math.isnan(v)]
    return statistics.fmean(defined) if defined else math.nan


def _outcomes(outcomes, replicated: bool) -> list:
    known = numeric_metrics()
    chosen = known if outcomes is None else ([outcomes] if isinstance(outcomes, str)
                                             else list(outcomes))
    out = []
    for item in chosen:
        if isinstance(item, ema.em_framework.outcomes.Outcome):
            out.append(item)  # the caller's own (kind, function): used as given
            continue
        if item not in known:
            hint = (" (a text metric)" if item in TEXT_FIELDS else "")
            raise ValueError(f"outcome {item!r}{hint}: expected one of {', '.join(known)}")
        out.append(ema.ScalarOutcome(item, function=mean_over_seeds if replicated else None))
    return out


# ---- the model ---------------------------------------------------------------------------
def _native(name: str, value: Any) -> Any:
    """A sampled value (numpy scalar, category) in the type the table expects."""
    kind = PARAMETERS[name].kind
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(value) if float(value).is_integer() else float(value)
    if kind == "float":
        return float(value)
    return str(value)


class GovsimRun:
    """The function EMA calls: one :func:`govsim.runner.run` of ``scenario`` with the
    sampled values as overrides and the experiment's ``seed``; returns the ``metrics`` of
    its summary as floats (``None`` → NaN). ``regime`` is the preset that institution
    parameters which are neither levers nor uncertainties come from; ``None`` when the
    levers and uncertainties set them all."""

    def __init__(self, scenario: Scenario, regime: str | None, days: int | None,
                 metrics: Iterable[str]) -> None:
        self.scenario = scenario
        self.regime = regime
        self.days = days
        self.metrics = tuple(metrics)

    def __call__(self, seed: int = 0, **values: Any) -> dict[str, float]:
        overrides = {k: _native(k, v) for k, v in values.items()}
        if self.regime is None:
            missing = [k for k in institution_keys() if k not in overrides]
            if missing:
                named = ", ".join(missing[:3]) + (f", … ({len(missing)} in all)"
                                                  if len(missing) > 3 else "")
                raise ValueError(f"no value for {named}: run the model with policies "
                                 "(regime_policies(model)), or make it with "
                                 "ema_model(..., regime=...)")
        # With regime=None every institution value is an override: the preset named here
        # is overridden entirely and changes nothing.
        summary = run(self.scenario, self.regime or REGIMES[-1], int(seed), overrides,
                      self.days).summary
        return {k: as_number(k, summary[k]) for k in self.metrics}


def _model_name(scenario: Scenario) -> str:
    name = re.sub(r"\W", "_", scenario.name) or "govsim"
    return name if name.isidentifier() else f"m_{name}"


def ema_model(scenario: Scenario,
              uncertainties: Iterable[str] | Mapping[str, Bounds | None] | None = None,
              levers: Iterable[str] | Mapping[str, Bounds | None] | None = None,
              outcomes: Iterable[Any] | None = None, days: int | None = None,
              seeds: Iterable[int] = (0,), regime: str | None = None,
              name: str | None = None):
    """An ``ema_workbench.Model`` (``ReplicatorModel`` for several ``seeds``) of ``scenario``,
    ready for ``perform_experiments``, ``optimize`` and the analysis tools.

    ``uncertainties`` and ``levers``: names, or ``{name: (low, high)}`` (``None`` as the
    bounds keeps the default range); see the module's docstring for the defaults.
    ``outcomes``: metric names of the run summary, or EMA outcomes used as given (for a
    ``kind`` to optimise). ``days``: the horizon (default: the scenario's). ``seeds``: the
    seeds every experiment is run with. ``regime``: the preset that institution parameters
    which are neither levers nor uncertainties take, and the levers' defaults (needed only
    when the levers do not cover every institution parameter)."""
    if regime is not None and regime not in REGIMES:
        raise ValueError(f"regime = {regime!r}: expected one of {', '.join(REGIMES)}")
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds: expected at least one seed")
    reference = scenario.model_params(regime) if regime else resolve(scenario.params)
    under = {r: scenario.model_params(r) for r in REGIMES}

    unc = _named(DEFAULT_UNCERTAINTIES if uncertainties is None else uncertainties)
    inst = institution_keys()
    lev = _named([k for k in inst if k not in unc] if levers is None else levers)
    for role, names in (("uncertainty", unc), ("lever", lev)):
        for k in names:
            _spec(k, role)
    both = sorted(set(unc) & set(lev))
    if both:
        raise ValueError(f"{', '.join(both)}: a parameter is an uncertainty or a lever, "
                         "not both")
    if days is not None and "days" in {**unc, **lev}:
        raise ValueError("days is sampled: leave out ema_model(days=...)")
    uncovered = [k for k in inst if k not in unc and k not in lev]
    if uncovered and regime is None:
        raise ValueError(f"{', '.join(uncovered)} are neither levers nor uncertainties: "
                         "name the regime whose values they take, ema_model(..., regime=...)")

    model_unc = [ema_parameter(k, [reference[k]], b, default=reference[k], role="uncertainty")
                 for k, b in unc.items()]
    model_lev = [ema_parameter(k, [under[r][k] for r in REGIMES], b,
                               default=reference[k] if regime else None, role="lever")
                 for k, b in lev.items()]
    model_out = _outcomes(outcomes, replicated=len(seeds) > 1)
    function = GovsimRun(scenario, regime, days,
                         [v for o in model_out for v in o.variable_name])

    model_name = name or _model_name(scenario)
    if len(seeds) == 1:
        model = ema.Model(model_name, function=function)
        model.constants = [ema.Constant("seed", seeds[0])]
    else:
        model = ema.ReplicatorModel(model_name, function=function)
        model.replications = [{"seed": s} for s in seeds]
    model.uncertainties = model_unc
    model.levers = model_lev
    model.outcomes = model_out
    return model


def regime_policies(model, regimes: Iterable[str] = REGIMES) -> list:
    """The regimes as EMA policies of ``model`` (made by :func:`ema_model`): for each, a
    ``Sample`` named after it with the value of every lever under that regime in the
    model's scenario. Refused when the regimes differ in an institution parameter that is
    neither a lever nor an uncertainty (the policy would not be the regime)."""
    function = getattr(model, "function", None)
    if not isinstance(function, GovsimRun):
        raise TypeError("regime_policies: expected a model made by govsim.ema.ema_model")
    scenario = function.scenario
    levers = [p.name for p in model.levers]
    covered = set(levers) | {p.name for p in model.uncertainties}
    base = scenario.model_params(function.regime) if function.regime else None
    policies = []
    for regime in regimes:
        params = scenario.model_params(regime)
        if base is not None:
            differ = [k for k in institution_keys()
                      if k not in covered and params[k] != base[k]]
            if differ:
                raise ValueError(f"{regime} differs from the model's base regime "
                                 f"({function.regime}) in {', '.join(differ)}: make them "
                                 "levers, or the policy would not be the regime")
        policies.append(ema.Sample(regime, **{k: params[k] for k in levers}))
    return policies
