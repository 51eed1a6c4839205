"""Residents (households): how they voice, choose channels, wait, give up, and feel the end
of a dispute."""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Sequence

import numpy as np
from mesa.discrete_space import CellAgent

from govsim.community import ORG_INDEX
from govsim.disputes import Dispute
from govsim.events import EventKind, PetitionAgain
from govsim.vocabulary import PETITION_CHANNELS, ChannelSpec, Organisation, Outcome, Stage

GRIEVANCE_CAP = 2.0  # grievance 1 is "angry enough to pay any cost"; 2 bounds it (ODD §4)


def channel_terms(options: Sequence[ChannelSpec], dispute_type: str, params,
                  numbers) -> tuple[tuple[float, int, float, str], ...]:
    """What :func:`channel_utilities` needs of each option that does not change during a
    run: its chance of settling this type of dispute, the trust column of whoever runs it,
    its weighted cost and its name. ``numbers``: each channel's parameters by name."""
    return tuple((numbers[spec.name].success[dispute_type], ORG_INDEX[spec.organisation],
                  params.cost_weight * numbers[spec.name].cost, spec.name)
                 for spec in options)


def channel_utilities(terms: Sequence[tuple[float, int, float, str]], grievance: float,
                      trust_row: np.ndarray, failed: dict[str, int], params) -> list[float]:
    """How good each open channel (its :func:`channel_terms`) looks: fit to the dispute,
    trust in whoever runs it, and its cost — which anger discounts, so angry households
    climb to costly channels — minus one for every time the channel already failed this
    dispute."""
    calm = 1.0 - min(1.0, max(0.0, grievance))
    trust_weight = params.trust_weight
    trust = trust_row.tolist()
    return [success + trust_weight * (trust[org] - 0.5) - cost * calm - failed.get(name, 0)
            for success, org, cost, name in terms]


def choose_channel(options: Sequence, utilities: list[float], noise: float,
                   rng: np.random.Generator):
    """Multinomial logit choice with temperature ``noise``: one uniform draw against the
    cumulative weights (what ``Generator.choice`` does, without its overhead for a
    handful of options)."""
    top = max(utilities)
    cumulative = list(itertools.accumulate([math.exp((u - top) / noise) for u in utilities]))
    u = rng.random() * cumulative[-1]
    return options[min(bisect.bisect_right(cumulative, u), len(options) - 1)]


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
    def options(self, dispute: Dispute) -> tuple[ChannelSpec, ...]:
        """The channels open to this dispute that a household may pick itself."""
        return self.model.channels.open_to(dispute, "chosen")

    def choose(self, dispute: Dispute, grievance: float) -> str | None:
        m = self.model
        # the options and their terms are the same for every dispute of a type in an estate
        memo = m.channels.memo(dispute)
        choice = memo.get(("choice", dispute.type))
        if choice is None:
            opts = self.options(dispute)
            choice = memo[("choice", dispute.type)] = (
                opts, channel_terms(opts, dispute.type, m.params, m.channels.numbers))
        opts, terms = choice
        if not opts:
            return None
        u = channel_utilities(terms, grievance, m.community.trust[self.household],
                              dispute.failed, m.params)
        return choose_channel(opts, u, m.params.choice_noise, m.rng).name

    # ---- one day in one's own dispute -------------------------------------------------------
    @staticmethod
    def act_all(model, rows: np.ndarray | None = None) -> None:
        """One day of every household in its own open dispute (``rows``: dispute ids; by
        default all open individual disputes), as array operations over the book's table.

        While its case is being heard a household only waits. Otherwise its grievance
        grows with the dispute's severity; it may give up (more likely with every failed
        channel and with time); once angry enough it complains; waiting in a queue past its
        patience it leaves; and with no case anywhere it takes the dispute to a channel.
        Only a household that does one of those things goes through Python."""
        m = model
        p = m.params
        t = m.book.table
        c = m.community
        today = m.today
        if rows is None:
            rows = t.open_rows(collective=False)
        idle = rows[~t.in_service[rows]]
        if not len(idle):
            return
        g = t.grievance
        g[idle] = np.minimum(GRIEVANCE_CAP, g[idle] + p.grievance_growth * t.severity[idle])
        hazard = p.give_up_rate * (1.0 + t.failures[idle]
                                   + (today - t.opened[idle]) / p.give_up_time_scale_days)
        quits = m.rng.random(len(idle)) < hazard
        for i in idle[quits].tolist():
            m.book.close(m.book.all[i], Outcome.ABANDONED)
        idle = idle[~quits]
        households = t.household[idle]
        latent = t.stage[idle] == Stage.LATENT
        speaks = latent & (g[idle] >= c.voice_threshold[households])
        for i, h in zip(idle[speaks].tolist(), households[speaks].tolist()):
            m.resident(h).complain(m.book.all[i])
        acting = ~latent | speaks
        idle, households = idle[acting], households[acting]
        waiting = t.has_case[idle]
        impatient = waiting & (today - t.waiting_since[idle] > c.patience[households])
        for i, h in zip(idle[~waiting | impatient].tolist(),
                        households[~waiting | impatient].tolist()):
            d = m.book.all[i]
            if d.channel is not None:
                m.channels.renege(d)
            m.resident(h).seek_channel(d)

    def act_on(self, dispute: Dispute) -> None:
        """One day of this household in its own dispute: the rule of :meth:`act_all` for
        one dispute."""
        Resident.act_all(self.model, np.array([dispute.id]))

    def complain(self, dispute: Dispute) -> None:
        dispute.complained = self.model.today
        self.model.book.move(dispute, Stage.VOICED, EventKind.VOICED, actor="household")

    def seek_channel(self, dispute: Dispute) -> None:
        """With no case anywhere: petition again after a failed petition, or choose a
        channel and take the dispute there."""
        grievance = float(dispute.grievance[0])
        if self.petitions_again(dispute, grievance):
            return
        choice = self.choose(dispute, grievance)
        if choice is not None:
            self.model.channels.submit(dispute, choice)

    def petitions_again(self, dispute: Dispute, grievance: float) -> bool:
        """A household whose petition failed may petition again at once — and after
        several failures, over the district's head to the city (essay 7: 缠访、反复上访,
        越级上访): each time the fuss is bigger."""
        if not dispute.failed:  # nothing failed it yet, a petition least of all
            return False
        m = self.model
        p = m.params
        failed = sum(dispute.failed.get(name, 0) for name in PETITION_CHANNELS)
        if not failed or not m.institutions.petition:
            return False
        if m.rng.random() >= min(1.0, p.repeat_petition_propensity * grievance):
            return False
        skip = failed >= p.skip_level_after and m.rng.random() < p.skip_level_propensity
        m.counts.repeat_petitions += 1
        m.channels.submit(dispute, "petition", level="city" if skip else "district",
                          detail=PetitionAgain.SKIP_LEVEL if skip else PetitionAgain.REPEAT)
        return True

    # ---- what open disputes cost ---------------------------------------------------------------
    @staticmethod
    def drain_satisfaction(model) -> None:
        """Open grievances wear satisfaction down — every claimant still pursuing an open
        dispute loses ``satisfaction_drain × grievance`` today, in one vector update — and
        each such claimant counts one household-day in dispute."""
        drain = model.params.satisfaction_drain
        t = model.book.table
        rows = t.open_rows(collective=False)
        households = [t.household[rows]]
        grievance = [t.grievance[rows]]
        for d in model.book.open_collective:
            if d.is_open:
                households.append(d.claimants[d.active])
                grievance.append(d.grievance[d.active])
        who = np.concatenate(households)
        if len(who):
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
