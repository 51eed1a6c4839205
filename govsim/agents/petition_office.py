"""The petition office (信访) of the district: how a petition is answered.

Essay 7 describes petitions (信访) as a channel that "can draw on several administrative
resources at once and so get a case solved quickly", with pathologies: departments pass
cases to one another (踢皮球), petitioners haggle and petition again and again (缠访、反复
上访) or over the district's head (越级上访), leaders' special handling (特案特办) raises the
cost of resolving disputes and strains relations, and the apparatus is overwhelmed as
disputes multiply. Essay 6 names the state's logic: 不闹不解决，小闹小解决，大闹大解决 —
no fuss, no answer; a small fuss, a small answer; a big fuss, a big answer.

The office's rules give that shape: a petition's chance of a leader's attention grows with
its fuss (how many petition, how often, over whose head); a leader's case goes to special
handling — fast, effective, costly; every other case is referred to the departments, which
may pass it on instead of deciding it. Its queues are finite: when petitions multiply,
they wait.
"""

from __future__ import annotations

import math

from mesa.discrete_space import CellAgent

from govsim.events import EventKind
from govsim.vocabulary import Organisation

SPECIAL = "special_handling"
ROUTINE = "petition"
MAX_REFERRALS = 3  # then a department must decide (within the regulations' time limits)


class PetitionOffice(CellAgent):
    """Serves the routine petition channel and the leaders' special handling."""

    def __init__(self, model, cell=None) -> None:
        super().__init__(model)
        self.routine = model.channels.assign_server(ROUTINE, self)
        self.special = model.channels.assign_server(SPECIAL, self)
        self.received = 0
        self.taken_up = 0
        self.referrals = 0
        if cell is not None:
            self.cell = cell

    # ---- fuss and attention -------------------------------------------------------------
    def fuss(self, dispute, petitioners: int, level: str) -> float:
        """How big a fuss a petition makes: its petitioners, one more time for each earlier
        petition of the dispute, many times more over the district's head."""
        earlier = max(0, dispute.petitions - 1)
        factor = self.model.params.skip_level_factor if level == "city" else 1.0
        return max(1, petitioners) * (1 + earlier) * factor

    def attention(self, fuss: float) -> float:
        """Chance that a leader takes the petition up: the graded response."""
        return 1.0 - math.exp(-fuss / self.model.params.petition_attention_scale)

    # ---- the office's hooks on its channels ---------------------------------------------------
    def admit(self, case, queue):
        """A petition arrives: a leader takes it up (special handling) with a chance that
        grows with its fuss; otherwise it is referred to the departments."""
        if not self._taken_up(case.dispute, 1, case.level):
            return queue
        return self.special

    def _taken_up(self, dispute, petitioners: int, level: str) -> bool:
        m = self.model
        self.received += 1
        if level == "city":
            self.skip_level_strain(dispute)
        if m.rng.random() >= self.attention(self.fuss(dispute, petitioners, level)):
            return False
        self.taken_up += 1
        m.counts.special_handlings += 1
        m.book.record(dispute, EventKind.SPECIAL_HANDLING, channel=SPECIAL, actor="district")
        return True

    def refers(self, case) -> bool:
        """A department may pass a routine petition on instead of deciding it (less so
        where departments are held accountable)."""
        m = self.model
        if case.queue is not self.routine or case.referrals >= MAX_REFERRALS:
            return False
        p = m.params
        chance = p.accountable_buck_passing if m.institutions.assessment else p.buck_passing
        if m.rng.random() >= chance:
            return False
        case.referrals += 1
        self.referrals += 1
        m.counts.add_staff_days(case.dispute, p.petition_staff_days)
        m.book.record(case.dispute, EventKind.REFERRED, channel=ROUTINE)
        return True

    def heard(self, dispute) -> None:
        """Nothing more happens at the office when a petition is decided."""

    # ---- a crowd's petition ------------------------------------------------------------------
    def receive_collective(self, dispute, crowd: int, level: str = "district") -> None:
        """A crowd petitions about a collective dispute. Taken up by a leader (a big fuss),
        the district directs the street office at once (essay 6: on Sep 5 a deputy district
        head received the owners; on Sep 6 the street office gave its order). Otherwise the
        petition is referred down like any other, and the street office hears of it when a
        department has dealt with it."""
        m = self.model
        m.street_office.petition_pending_for(dispute)
        if self._taken_up(dispute, crowd, level):
            m.counts.add_staff_days(dispute, m.params.special_handling_staff_days)
            m.street_office.directed(dispute)
            return
        m.channels.raise_case(dispute, ROUTINE, self._referred_down)

    def _referred_down(self, case) -> None:
        self.model.street_office.petition_answered(case)

    # ---- petitions the office receives ---------------------------------------------------------
    def skip_level_strain(self, dispute) -> None:
        """Going over the district's head costs: the city sends the case down with a
        deadline, and the lower levels answer for it (essay 7: strained relations)."""
        m = self.model
        m.counts.skip_level_petitions += 1
        m.counts.add_staff_days(dispute, m.params.skip_level_staff_days)
        m.community.adjust_trust(dispute.claimants, Organisation.STREET_OFFICE,
                                 -m.params.minor_trust_step)
