"""Residents (households): how they voice, choose channels, act together, and give up."""

from __future__ import annotations

from collections import Counter

import numpy as np
from mesa.discrete_space import CellAgent

from govsim.collective import ThresholdMode, threshold_cascade
from govsim.community import ORG_INDEX
from govsim.disputes import Dispute, Outcome, Stage
from govsim.parameters import CHANNEL_ORGANISATION

# Channels a household may pick itself; police and joint meetings are not chosen by them.
CHOSEN_BY_RESIDENTS = ("negotiation", "committee_mediation", "social_mediation", "hotline",
                       "owners_committee", "court", "petition")


def channel_utilities(options: list[str], dispute_type: str, grievance: float,
                      trust_row: np.ndarray, failed: Counter, params: dict) -> np.ndarray:
    """How good each open channel looks: fit to the dispute, trust in whoever runs it, and
    its cost — which anger discounts, so angry households climb to costly channels — minus
    one for every time the channel already failed this dispute."""
    anger = min(1.0, max(0.0, grievance))
    u = np.empty(len(options))
    for i, name in enumerate(options):
        fit = params[f"{name}_success"][dispute_type]
        trust = trust_row[ORG_INDEX[CHANNEL_ORGANISATION[name]]]
        cost = params[f"{name}_cost"]
        u[i] = (fit + params["trust_weight"] * (trust - 0.5)
                - params["cost_weight"] * cost * (1.0 - anger) - failed[name])
    return u


def choose_channel(options: list[str], utilities: np.ndarray, noise: float,
                   rng: np.random.Generator) -> str:
    """Multinomial logit choice with temperature ``noise``."""
    z = (utilities - utilities.max()) / noise
    w = np.exp(z)
    return options[int(rng.choice(len(options), p=w / w.sum()))]


class Resident(CellAgent):
    """A household (住户). Its state lives in the community's arrays; this is its view.

    Only households with an open dispute ever act, and only through :meth:`act_on`
    (individual disputes) or :func:`act_collectively` (collective ones).
    """

    def __init__(self, model, household: int, cell=None) -> None:
        super().__init__(model)
        self.household = household
        if cell is not None:
            self.cell = cell

    @property
    def building(self) -> int:
        return int(self.model.community.building[self.household])

    @property
    def grid_cell(self) -> int:
        return int(self.model.community.grid_cell[self.household])

    @property
    def rents_parking_space(self) -> bool:
        return bool(self.model.community.renter[self.household])

    @property
    def satisfaction(self) -> float:
        return float(self.model.community.satisfaction[self.household])

    @property
    def trust(self) -> dict[str, float]:
        row = self.model.community.trust[self.household]
        return {org: float(row[i]) for org, i in ORG_INDEX.items()}

    @property
    def grievance(self) -> float:
        """Highest grievance over this household's open disputes (0 when it has none)."""
        best = 0.0
        for d in self.model.open_disputes_of(self.household):
            idx = np.flatnonzero(d.claimants == self.household)
            best = max(best, float(d.grievance[idx].max()))
        return best

    def options(self, dispute: Dispute) -> list[str]:
        m = self.model
        open_ = m.channels_open_to(dispute)
        return [c for c in CHOSEN_BY_RESIDENTS if c in open_]

    def choose(self, dispute: Dispute, grievance: float) -> str | None:
        opts = self.options(dispute)
        if not opts:
            return None
        u = channel_utilities(opts, dispute.type.value, grievance,
                              self.model.community.trust[self.household], dispute.failed,
                              self.model.params)
        return choose_channel(opts, u, self.model.params["choice_noise"], self.model.rng)

    def act_on(self, dispute: Dispute) -> None:
        """One day of a household in its own dispute."""
        m = self.model
        p = m.params
        h = self.household
        if m.in_service(dispute):
            return  # being heard; nothing to do but wait
        g = dispute.grievance
        g[0] = min(2.0, g[0] + p["grievance_growth"] * dispute.severity)
        if m.gives_up(dispute):
            m.close(dispute, Outcome.ABANDONED)
            return
        if dispute.stage is Stage.LATENT:
            if g[0] < m.community.voice_threshold[h]:
                return
            dispute.complained = m.today
            m.transition(dispute, Stage.VOICED, note="complaint")
        if dispute.channel is not None:  # waiting in a queue
            if m.today - dispute.waiting_since <= m.community.patience[h]:
                return
            m.renege(dispute)
        choice = self.choose(dispute, float(g[0]))
        if choice is not None:
            m.submit(dispute, choice)


def act_collectively(model, dispute: Dispute) -> None:
    """One day of the claimants of a collective dispute, as vector operations.

    Grievance rises while the developer bars cars and cools otherwise, and is pulled
    towards ties' grievance; those angry enough (net of the fatigue earlier confrontations
    left) join by a Granovetter threshold on their ties; a large enough crowd at a barred gate confronts the property firm; after a
    confrontation, the group may petition the district.
    """
    m = model
    p = m.params
    active = dispute.active
    g = dispute.grievance
    developer = m.developer
    barred = developer is not None and developer.barring_cars
    if barred:
        g[active] += p["blocked_grievance_growth"] * dispute.severity
    else:
        g[active] *= 1.0 - p["grievance_cooling"]
    ties = m.ties_of(dispute)
    deg = np.asarray(ties.sum(axis=1)).ravel()
    peers = np.divide(ties @ g, deg, out=g.copy(), where=deg > 0)
    g[active] += p["peer_influence"] * (peers[active] - g[active])
    np.clip(g, 0.0, 2.0, out=g)

    if m.gives_up_collectively(dispute):
        return
    if dispute.stage is Stage.LATENT:
        if np.any(g[active] >= m.community.voice_threshold[dispute.claimants][active]):
            dispute.complained = m.today
            m.transition(dispute, Stage.VOICED, note="owners complain")
        else:
            return

    # Willingness is anger net of tiredness: each confrontation that changes nothing tires
    # those who took part, and the tiredness wears off only slowly.
    dispute.fatigue *= 1.0 - p["fatigue_recovery"]
    eligible = active & (g - dispute.fatigue >= p["activation_grievance"])
    dispute.participating = threshold_cascade(
        ties, m.community.participation_threshold[dispute.claimants], eligible,
        initially_active=dispute.participating & eligible, mode=ThresholdMode.FRACTION)
    crowd = dispute.participants

    today_stage = Stage.IN_HANDLING if dispute.channel else Stage.VOICED
    if crowd > 0:
        today_stage = Stage.COLLECTIVE_ACTION
    if barred and crowd >= p["confrontation_min_participants"]:
        today_stage = Stage.CONFRONTATION
        m.confront(dispute, crowd)
        dispute.fatigue[dispute.participating] += p["confrontation_fatigue"]
    if (m.institutions.petition and dispute.peak >= Stage.CONFRONTATION and barred
            and not m.petition_pending(dispute)):
        mean_g = float(g[dispute.participating].mean()) if crowd else float(g[active].mean())
        if m.rng.random() < min(1.0, p["petition_propensity"] * mean_g):
            m.petition(dispute, crowd)
            today_stage = Stage.PETITION
    if m.petition_pending(dispute):
        today_stage = Stage.PETITION
    if today_stage != dispute.stage:
        m.transition(dispute, today_stage, note=f"{crowd} owners take part" if crowd else "")

    if dispute.channel is None:
        rep = m.representative(dispute)
        choice = rep.choose(dispute, float(g[active].mean()))
        if choice is not None:
            m.submit(dispute, choice)
