"""The 2010 parking conflict (车位门) in community X (essay 6), as an episode.

In August 2010 the developer announced that from Sep 1 owners without a bought
underground space could not drive in; the property firm it had hired (世豪物业) enforced
it at the gate — the developer–firm collusion (共谋) of the essay. The episode owns that
notice, the developer, the gate (owners are harmed while a colluding firm bars their cars
for a developer selling only), the developer's answer to a confrontation (hired toughs who
injure owners), and the parking game by which the conflict can be settled. The developer
owns one estate — the first; in a one-estate community (the case) that is everyone.
"""

from __future__ import annotations

import numpy as np

from govsim.agents.developer import Developer
from govsim.agents.resident import GRIEVANCE_CAP
from govsim.disputes import Dispute
from govsim.events import EventKind
from govsim.game import DeveloperStrategy, OwnerStrategy, ParkingGame
from govsim.vocabulary import DisputeType, Organisation, Outcome


class ParkingConflict:
    """The parking conflict of one estate: notice, developer and firm, gate, game."""

    ESTATE = 0
    # What a run of this episode is judged by: milestone -> the event kind that marks it.
    MILESTONES = {
        "first_confrontation": EventKind.CONFRONTATION,
        "guards": EventKind.GUARDS_HIRED,
        "petition": EventKind.PETITION,
        "state_order": EventKind.STATE_ORDER,
        "assembly": EventKind.ASSEMBLY_HELD,
        "settled": EventKind.RESOLVED,
    }

    def __init__(self, model, cell=None) -> None:
        p = model.params
        self.model = model
        game = ParkingGame(p.payoff_rent_accept, p.payoff_rent_resist, p.payoff_sell_accept,
                           p.payoff_sell_resist, p.payoff_dual_accept, p.payoff_dual_resist)
        self.developer = Developer(model, game, p.developer_inertia, p.guard_escalation, cell)
        self.dispute: Dispute | None = None

    @property
    def firm(self):
        """The property firm at the estate's gate (replaced once owners hire their own)."""
        return self.model.property_firms[self.ESTATE]

    # ---- the day's beginning: the notice ---------------------------------------------------
    def begin_day(self) -> None:
        if self.model.today == self.model.params.sell_only_day:
            self.notice()

    def notice(self) -> None:
        """Sell-only from today: every household of the estate renting a space is barred.
        Their anger at the August notice is drawn from the arrival stream."""
        m = self.model
        c = m.community
        claimants = np.flatnonzero(c.renter & (c.estate == self.ESTATE))
        if len(claimants) == 0:
            return
        g0 = m.arrivals_rng.uniform(0, 2 * m.params.notice_grievance, len(claimants))
        self.developer.announce_sell_only()
        self.dispute = m.book.open_dispute(DisputeType.PARKING, claimants, "developer", 1.0,
                                           g0, episode=self)
        m.book.record(self.dispute, EventKind.NOTICE, actor="developer",
                      crowd=len(claimants), detail=DeveloperStrategy.SELL_ONLY.value)

    # ---- what the claimants meet ---------------------------------------------------------------
    def harming(self, dispute: Dispute) -> bool:
        """The gate is closed to the barred owners while the firm enforces sell-only."""
        return self.firm.colluding and self.developer.sells_only

    def confronted(self, dispute: Dispute, crowd: int) -> None:
        """The developer may hire toughs; once it has, every confrontation injures those
        taking part: angrier, distrusting the developer, less satisfied."""
        m = self.model
        p = m.params
        self.developer.answer_confrontation(dispute)
        if not self.developer.guards_hired:
            return
        hurt = dispute.participating & dispute.active
        dispute.grievance[hurt] = np.minimum(GRIEVANCE_CAP,
                                             dispute.grievance[hurt] + p.injury_grievance)
        m.counts.injuries += 1
        m.community.adjust_trust(dispute.claimants[hurt], Organisation.DEVELOPER,
                                 -p.trust_step)
        m.community.adjust_satisfaction(dispute.claimants[hurt], -p.satisfaction_loss_injury)

    # ---- the game ---------------------------------------------------------------------------------
    def binding(self, dispute: Dispute) -> bool:
        """Is there a counterpart that can commit the owners to a deal? Only an owners'
        assembly and the committee it elects can (MODEL.md §2); a meeting convened by
        officials cannot."""
        return self.model.estate_of(dispute) in self.model.owners_committees

    def terms(self, dispute: Dispute) -> dict:
        """The institutional terms the game is played under for this dispute."""
        p = self.model.params
        ordered = self.model.street_office.ordered(dispute)
        return {"expected_sanction": p.order_sanction * p.order_enforcement if ordered else 0.0,
                "binding": self.binding(dispute), "agreement_penalty": p.agreement_penalty,
                "enforceable": self.firm.colluding}

    def step(self) -> None:
        """After the channels have served: the developer reviews its strategy, and a deal
        is struck when it has moved to the offer it prefers under the terms in force and
        the owners' best reply to that offer is to accept."""
        m = self.model
        dev = self.developer
        for d in m.book.open_collective:
            if d.episode is not self or not d.is_open:
                continue
            terms = self.terms(d)
            strategy = dev.review(d, terms)
            if (strategy in (DeveloperStrategy.RENT, DeveloperStrategy.DUAL_TRACK)
                    and strategy is dev.preferred(terms)
                    and dev.owners_response(terms) is OwnerStrategy.ACCEPT):
                m.book.record(d, EventKind.DEAL, actor="developer", detail=strategy.value)
                m.book.close(d, Outcome.AGREEMENT, actor="developer", detail=strategy.value)
                for org in (Organisation.OWNERS_COMMITTEE, Organisation.STREET_OFFICE):
                    m.community.adjust_trust(d.claimants, org, m.params.trust_step)
