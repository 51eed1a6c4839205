"""Run metrics: Kaplan–Meier time to resolution (censoring handled) and run summaries.

Time to resolution of a dispute is ``closed − opened`` in days. A dispute still open at
the horizon is right-censored at its time open. An abandoned dispute was never resolved:
it is censored at the horizon too (it can only count as unresolved), so abandoning a
dispute never makes a regime look faster.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from govsim.disputes import Dispute, DisputeType, Outcome, Stage


@dataclass(frozen=True)
class Survival:
    """Kaplan–Meier estimate of days to resolution."""

    times: np.ndarray  # distinct event times
    survival: np.ndarray  # S(t) just after each time
    n: int
    events: int
    horizon: float

    def quantile(self, q: float) -> float | None:
        """Smallest t with S(t) ≤ 1 − q; None when the curve never gets that low."""
        below = np.flatnonzero(self.survival <= 1.0 - q + 1e-12)
        return float(self.times[below[0]]) if len(below) else None

    @property
    def median(self) -> float | None:
        return self.quantile(0.5)

    @property
    def p90(self) -> float | None:
        return self.quantile(0.9)

    def rmst(self, tau: float | None = None) -> float:
        """Restricted mean time to resolution: the area under S(t) up to ``tau``."""
        tau = self.horizon if tau is None else tau
        edges = np.r_[0.0, self.times[self.times < tau], tau]
        levels = np.r_[1.0, self.survival[self.times < tau]]
        return float(np.sum(np.diff(edges) * levels))


RESOLVED = (Outcome.AGREEMENT.value, Outcome.ADJUDICATED.value)


def durations(records: list[dict], last_day: int) -> tuple[np.ndarray, np.ndarray]:
    """(days, resolved?) per dispute record, censoring open and abandoned ones at the
    horizon (``last_day``, the last simulated day)."""
    t = np.empty(len(records))
    e = np.zeros(len(records), dtype=bool)
    for i, r in enumerate(records):
        if r["outcome"] in RESOLVED:
            t[i] = r["closed"] - r["opened"]
            e[i] = True
        else:
            t[i] = last_day - r["opened"]
    return t, e


def kaplan_meier(times: np.ndarray, resolved: np.ndarray, horizon: float | None = None
                 ) -> Survival:
    """Kaplan–Meier via :func:`scipy.stats.ecdf` on right-censored data."""
    times = np.asarray(times, dtype=float)
    resolved = np.asarray(resolved, dtype=bool)
    horizon = float(times.max()) if horizon is None and len(times) else float(horizon or 0)
    if not resolved.any():
        return Survival(np.zeros(0), np.zeros(0), len(times), 0, horizon)
    data = stats.CensoredData(uncensored=times[resolved], right=times[~resolved])
    sf = stats.ecdf(data).sf
    return Survival(np.asarray(sf.quantiles), np.asarray(sf.probabilities), len(times),
                    int(resolved.sum()), horizon)


def _first_note(model, dispute: Dispute, text: str) -> int | None:
    for e in model.log.for_dispute(dispute.id):
        if text in e.note:
            return e.day
    return None


def _first_stage(model, dispute: Dispute, stage: Stage) -> int | None:
    for e in model.log.for_dispute(dispute.id):
        if e.stage is stage:
            return e.day
    return None


def parking_summary(model) -> dict:
    """What happened to the parking conflict in one run (empty keys when there is none)."""
    d = next((x for x in model.disputes if x.type is DisputeType.PARKING), None)
    if d is None:
        return {"present": False, "closed": False, "closed_day": None, "outcome": None,
                "first_confrontation_day": None, "first_petition_day": None,
                "first_state_action_day": None, "assembly_day": None, "settlement": None,
                "confrontations": 0, "claimants": 0}
    log = model.log.for_dispute(d.id)
    closed = d.outcome in (Outcome.AGREEMENT, Outcome.ADJUDICATED)
    settlement = None
    if closed:
        settlement = log[-1].note
    return {
        "present": True,
        "closed": closed,
        "closed_day": d.closed if closed else None,
        "outcome": d.outcome.value if d.outcome else None,
        "first_confrontation_day": next((e.day for e in log if "block the gate" in e.note),
                                        None),
        "first_petition_day": next((e.day for e in log if e.stage is Stage.PETITION
                                    or "petition" in e.note), None),
        "first_state_action_day": model.street_office.acted.get(d.id),
        "assembly_day": next((e.day for e in log if "owners' assembly" in e.note
                              and "elects" in e.note), None),
        "detected_day": d.detected,
        "settlement": settlement,
        "confrontations": sum(1 for e in log if "block the gate" in e.note),
        "claimants": int(len(d.claimants)),
    }


def run_summary(model) -> dict:
    """Per-run metrics (MODEL.md §7) as a flat, JSON-friendly dict."""
    last = model.today
    disputes = model.disputes
    t, e = durations([d.record() for d in disputes], last)
    km = kaplan_meier(t, e, horizon=last + 1)
    n = len(disputes)
    outcomes = [d.outcome for d in disputes]
    resolved = sum(o in (Outcome.AGREEMENT, Outcome.ADJUDICATED) for o in outcomes)
    known = [d for d in disputes if d.detected is not None or d.complained is not None]
    detected_first = sum(1 for d in known if d.detected is not None and
                         (d.complained is None or d.detected <= d.complained))
    staff = model.staff_days_cases + model.staff_days_standing
    summary = {
        "days": last + 1,
        "disputes": n,
        "resolved_share": resolved / n if n else None,
        "abandoned_share": outcomes.count(Outcome.ABANDONED) / n if n else None,
        "censored_share": outcomes.count(Outcome.CENSORED) / n if n else None,
        "median_days": km.median,
        "p90_days": km.p90,
        "rmst_days": km.rmst() if n else None,
        "escalated_share": sum(d.escalated for d in disputes) / n if n else None,
        "detected_first_share": detected_first / len(known) if known else None,
        "confrontations": model.confrontations,
        "police_calls": model.police_calls,
        "petitions": model.petitions,
        "satisfaction": model.community.satisfied_share,
        "staff_days": staff,
        "staff_days_per_resolved": staff / resolved if resolved else None,
        "household_days_in_dispute": model.household_days,
    }
    for org in ("committee", "owners_committee", "social_org", "street_office", "police",
                "court", "developer", "grid"):
        summary[f"trust_{org}"] = model.community.mean_trust(org)
    summary.update({f"parking_{k}": v for k, v in parking_summary(model).items()})
    return summary
