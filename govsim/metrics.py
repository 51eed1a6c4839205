"""Run summaries (MODEL.md §7), read from a :class:`~govsim.record.RunRecord` — never from
the live model — so that a stored run can be summarised again.

Time to resolution follows the censoring rule of :mod:`govsim.statistics`: open and
abandoned disputes are censored at the horizon.
"""

from __future__ import annotations

from typing import Any

from govsim.events import EventKind, milestones
from govsim.record import RunRecord
from govsim.statistics import durations, kaplan_meier
from govsim.vocabulary import ORGANISATIONS, RESOLVED_OUTCOMES, DisputeType, Outcome

from govsim.vocabulary import CHANNEL_NAMES

# The run summary's fields, declared once: what a sweep may analyse, what EMA reads as
# outcomes, what the columns of a run table are.
BASE_FIELDS = ("days", "households", "disputes", "resolved_share", "abandoned_share", "censored_share",
               "median_days", "p90_days", "rmst_days", "median_days_from_report",
               "rmst_days_from_report", "escalated_share",
               "detected_first_share", "confrontations", "police_calls", "petitions",
               "repeat_petitions", "skip_level_petitions", "special_handlings",
               "satisfaction", "satisfaction_parking_claimants", "satisfaction_others",
               "staff_days", "staff_days_per_resolved",
               "household_days_in_dispute")
PARKING_KEYS = ("present", "closed", "closed_day", "outcome", "first_confrontation_day",
                "guards_day", "first_petition_day", "first_state_action_day",
                "assembly_called_day", "assembly_day", "firm_replaced_day", "detected_day",
                "settlement", "confrontations", "claimants")
SUMMARY_FIELDS: tuple[str, ...] = (
    *BASE_FIELDS, *(f"trust_{org}" for org in ORGANISATIONS),
    *(f"served_{name}" for name in CHANNEL_NAMES), *(f"parking_{k}" for k in PARKING_KEYS))
TEXT_FIELDS = ("parking_outcome", "parking_settlement")  # stored, but not numbers
NUMERIC_FIELDS = tuple(f for f in SUMMARY_FIELDS if f not in TEXT_FIELDS)


def parking_summary(record: RunRecord) -> dict[str, Any]:
    """What happened to the parking conflict in one run (empty keys when there is none)."""
    row = next((d for d in record.disputes if d["type"] == DisputeType.PARKING.value), None)
    if row is None:
        return {**dict.fromkeys(PARKING_KEYS), "present": False, "closed": False,
                "confrontations": 0, "claimants": 0}
    ms = milestones(record.episode_events, row["dispute_id"])
    closed = row["outcome"] in RESOLVED_OUTCOMES
    closing = next((e for e in reversed(record.episode_events) if e["dispute_id"] == row["dispute_id"]
                    and e["kind"] == EventKind.RESOLVED.value), None)
    return {
        "present": True,
        "closed": closed,
        "closed_day": row["closed"] if closed else None,
        "outcome": row["outcome"],
        "first_confrontation_day": ms.day(EventKind.CONFRONTATION),
        "guards_day": ms.day(EventKind.GUARDS_HIRED),
        "first_petition_day": ms.day(EventKind.PETITION),
        "first_state_action_day": ms.day(EventKind.STATE_ORDER),
        "assembly_called_day": ms.day(EventKind.ASSEMBLY_CALLED),
        "assembly_day": ms.day(EventKind.ASSEMBLY_HELD),
        # the owners' firm may take over after the dispute is settled: a fact of the estate
        "firm_replaced_day": record.extra.get("firms_replaced", {}).get(
            record.extra.get("parking_estate")),
        "detected_day": row["detected"],
        "settlement": (closing["detail"] or closing["channel"]) if closing else None,
        "confrontations": ms.count(EventKind.CONFRONTATION),
        "claimants": row["claimants"],
    }


def run_summary(record: RunRecord) -> dict[str, Any]:
    """Per-run metrics as a flat, JSON-friendly dict."""
    last = record.last_day
    rows = record.disputes
    t, e = durations(rows, last)
    km = kaplan_meier(t, e, horizon=last + 1)
    # from the first report (a complaint, or the grid's finding) of disputes that had one
    tr, er = durations(rows, last, since="reported")
    km_report = kaplan_meier(tr, er, horizon=last + 1)
    n = len(rows)
    outcomes = [r["outcome"] for r in rows]
    resolved = sum(o in RESOLVED_OUTCOMES for o in outcomes)
    known = [r for r in rows if r["detected"] is not None or r["complained"] is not None]
    detected_first = sum(1 for r in known if r["detected"] is not None and
                         (r["complained"] is None or r["detected"] <= r["complained"]))
    c = record.counters
    staff = c["staff_days_cases"] + c["staff_days_standing"]
    summary = {
        "days": record.days,
        "households": record.community["households"],
        "disputes": n,
        "resolved_share": resolved / n if n else None,
        "abandoned_share": outcomes.count(Outcome.ABANDONED.value) / n if n else None,
        "censored_share": outcomes.count(Outcome.CENSORED.value) / n if n else None,
        "median_days": km.median,
        "p90_days": km.p90,
        "rmst_days": km.rmst() if n else None,
        "median_days_from_report": km_report.median,
        "rmst_days_from_report": km_report.rmst() if len(tr) else None,
        "escalated_share": sum(r["escalated"] for r in rows) / n if n else None,
        "detected_first_share": detected_first / len(known) if known else None,
        "confrontations": c["confrontations"],
        "police_calls": c["police_calls"],
        "petitions": c["petitions"],
        "repeat_petitions": c["repeat_petitions"],
        "skip_level_petitions": c["skip_level_petitions"],
        "special_handlings": c["special_handlings"],
        "satisfaction": record.community["satisfied_share"],
        "satisfaction_parking_claimants": record.community.get("satisfied_share_parking"),
        "satisfaction_others": record.community.get("satisfied_share_others"),
        "staff_days": staff,
        "staff_days_per_resolved": staff / resolved if resolved else None,
        "household_days_in_dispute": c["household_days"],
    }
    for org in ORGANISATIONS:
        summary[f"trust_{org}"] = record.community["trust"][org]
    served = record.extra.get("served", {})
    for channel in CHANNEL_NAMES:
        summary[f"served_{channel}"] = served.get(channel, 0)
    summary.update({f"parking_{k}": v for k, v in parking_summary(record).items()})
    return summary
