"""Residents (households): how they voice, choose channels, wait, give up, and feel the end
of a dispute."""

from __future__ import annotations

from collections import Counter

import numpy as np
from mesa.discrete_space import CellAgent

from govsim.community import ORG_INDEX
from govsim.disputes import Dispute
from govsim.events import EventKind
from govsim.vocabulary import ChannelSpec, Organisation, Outcome, Stage

GRIEVANCE_CAP = 2.0  # grievance 1 is "angry enough to pay any cost"; 2 bounds it (ODD §4)


def channel_utilities(options: list[ChannelSpec], dispute_type: str, grievance: float,
                      trust_row: np.ndarray, failed: Counter, params) -> np.ndarray:
    """How good each open channel looks: fit to the dispute, trust in whoever runs it, and
    its cost — which anger discounts, so angry households climb to costly channels — minus
    one for every time the channel already failed this dispute."""
    anger = min(1.0, max(0.0, grievance))
    u = np.empty(len(options))
    for i, spec in enumerate(options):
        numbers = params.channel(spec.name)
        trust = trust_row[ORG_INDEX[spec.organisation]]
        u[i] = (numbers.success[dispute_type] + params.trust_weight * (trust - 0.5)
                - params.cost_weight * numbers.cost * (1.0 - anger) - failed[spec.name])
    return u


def choose_channel(options: list, utilities: np.ndarray, noise: float,
                   rng: np.random.Generator):
    """Multinomial logit choice with temperature ``noise``."""
    z = (utilities - utilities.max()) / noise
    w = np.exp(z)
    return options[int(rng.choice(len(options), p=w / w.sum()))]


class Resident(CellAgent):
    """A household (住户). Its state lives in the community's arrays; this is its view and
    its rules.

    Only households with an open dispute ever act: through :meth:`act_on` in their own
    dispute, and as claimants of a collective one (:class:`~govsim.agents.claimants.Claimants`)
    through :meth:`choose` on behalf of the group.
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
        for d in self.model.book.open_of(self.household):
            idx = np.flatnonzero(d.claimants == self.household)
            best = max(best, float(d.grievance[idx].max()))
        return best

    # ---- choosing a channel --------------------------------------------------------------
    def options(self, dispute: Dispute) -> list[ChannelSpec]:
        """The channels open to this dispute that a household may pick itself."""
        return [s for s in self.model.channels.open_to(dispute) if s.chosen]

    def choose(self, dispute: Dispute, grievance: float) -> str | None:
        opts = self.options(dispute)
        if not opts:
            return None
        m = self.model
        u = channel_utilities(opts, dispute.type.value, grievance,
                              m.community.trust[self.household], dispute.failed, m.params)
        return choose_channel(opts, u, m.params.choice_noise, m.rng).name

    # ---- one day in one's own dispute -------------------------------------------------------
    def act_on(self, dispute: Dispute) -> None:
        """One day of a household in its own dispute: wait while heard; otherwise grow
        angrier, perhaps give up, complain once angry enough, leave a queue after waiting
        past one's patience, and take the dispute to a channel."""
        m = self.model
        p = m.params
        h = self.household
        if m.channels.in_service(dispute):
            return  # being heard; nothing to do but wait
        g = dispute.grievance
        g[0] = min(GRIEVANCE_CAP, g[0] + p.grievance_growth * dispute.severity)
        if self.gives_up(dispute):
            m.book.close(dispute, Outcome.ABANDONED)
            return
        if dispute.stage is Stage.LATENT:
            if g[0] < m.community.voice_threshold[h]:
                return
            dispute.complained = m.today
            m.book.move(dispute, Stage.VOICED, EventKind.VOICED, actor="household")
        if dispute.channel is not None:  # waiting in a queue
            if m.today - dispute.waiting_since <= m.community.patience[h]:
                return
            m.channels.renege(dispute)
        if self.petitions_again(dispute, float(g[0])):
            return
        choice = self.choose(dispute, float(g[0]))
        if choice is not None:
            m.channels.submit(dispute, choice)

    def petitions_again(self, dispute: Dispute, grievance: float) -> bool:
        """A household whose petition failed may petition again at once — and after
        several failures, over the district's head to the city (essay 7: 缠访、反复上访,
        越级上访): each time the fuss is bigger."""
        m = self.model
        p = m.params
        failed = dispute.failed["petition"] + dispute.failed["special_handling"]
        if not failed or not m.institutions.petition:
            return False
        if m.rng.random() >= min(1.0, p.repeat_petition_propensity * grievance):
            return False
        skip = failed >= p.skip_level_after and m.rng.random() < p.skip_level_propensity
        m.counts.repeat_petitions += 1
        m.channels.submit(dispute, "petition", level="city" if skip else "district",
                          detail="skip-level" if skip else "repeat")
        return True

    def gives_up(self, dispute: Dispute) -> bool:
        """Giving up grows likelier with every failed channel and with time open."""
        return self.model.rng.random() < give_up_hazard(self.model, dispute)

    # ---- what open disputes cost ---------------------------------------------------------------
    @staticmethod
    def drain_satisfaction(model) -> None:
        """Open grievances wear satisfaction down — every claimant still pursuing an open
        dispute loses ``satisfaction_drain × grievance`` today, in one vector update — and
        each such claimant counts one household-day in dispute."""
        drain = model.params.satisfaction_drain
        households: list = []
        grievance: list = []
        for d in model.book.open:
            if not d.is_open:
                continue
            if d.collective:
                households.append(d.claimants[d.active])
                grievance.append(d.grievance[d.active])
            elif d.active[0]:
                households.append(d.claimants)
                grievance.append(d.grievance)
        if households:
            who = np.concatenate(households)
            model.counts.household_days += len(who)
            model.community.drain_satisfaction(who, -drain * np.concatenate(grievance))

    # ---- the end of a dispute ------------------------------------------------------------------
    @staticmethod
    def feel_outcome(model, dispute: Dispute) -> None:
        """Claimants whose dispute is resolved move part of the way to full satisfaction
        (more for an agreement than a decision); those who gave up lose satisfaction, and
        trust in the street office too if the state knew of their dispute."""
        p = model.params
        c = model.community
        outcome = dispute.outcome
        if outcome.resolved:
            gain = (p.satisfaction_gain_agreement if outcome is Outcome.AGREEMENT
                    else p.satisfaction_gain_adjudicated)
            c.adjust_satisfaction(dispute.pursuing, gain, towards_one=True)
        elif outcome is Outcome.ABANDONED:
            c.adjust_satisfaction(dispute.claimants, -p.satisfaction_loss_abandoned)
            if model.street_office.knows(dispute):
                c.adjust_trust(dispute.claimants, Organisation.STREET_OFFICE, -p.trust_step)


def give_up_hazard(model, dispute: Dispute) -> float:
    """Daily chance of giving up: ``give_up_rate × (1 + failures + days open / scale)``."""
    p = model.params
    days_open = model.today - dispute.opened
    return p.give_up_rate * (1 + dispute.failures + days_open / p.give_up_time_scale_days)
