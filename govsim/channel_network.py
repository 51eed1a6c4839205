"""The network of channels a community's disputes queue for, and what a hearing does.

Each channel of :data:`govsim.vocabulary.CHANNEL_SPECS` exists once for the community,
or once per estate (a committee's mediation, an owners' committee). A case — the
:class:`Case` token — is either the claimants' own (they chose the channel, or a grid
worker routed them there) or raised around a dispute by someone else (a police call, a
joint meeting, a crowd's petition); a raised case names the handler that runs when it is
done. Handling times come from one random stream per channel; the day's arrival times and
the success of hearings from the model's own stream.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from govsim import channels as ch
from govsim.disputes import Dispute
from govsim.events import EventKind
from govsim.vocabulary import CHANNEL_NAMES, CHANNELS, ChannelSpec, Stage, StateNotice



@dataclass(eq=False, slots=True)
class Case:
    """A dispute's place in one channel's queue: submitting returns it, withdrawing takes
    it. ``on_done`` runs when the case leaves service. A petition also says how many
    petition, to which level (``district`` or, over its head, ``city``), and how often a
    department has passed it on."""

    dispute: Dispute
    channel: str
    queue: ch.Channel
    on_done: Callable[["Case"], None]
    petitioners: int = 1
    level: str = "district"
    referrals: int = 0
    redispatched: int = 0


_FIRST_THREE = operator.itemgetter(0, 1, 2)


def _started(case: Case) -> None:
    """A handler took the case up: if it is the claimants' own case, they are being heard."""
    if case.dispute.case is case:
        case.dispute.started()


def servers_for(per_10k: float, households: int) -> int | None:
    """Handlers of a channel serving ``households``: ``per_10k`` per 10,000 households,
    at least one; ``None`` (no limit) when ``per_10k`` is 0 — the parties are the servers."""
    if per_10k <= 0:
        return None
    return max(1, int(round(per_10k * households / 10_000)))


@dataclass
class _Instances:
    """The channels of one spec: one for the community, or one per estate."""

    spec: ChannelSpec
    community: ch.Channel | None = None
    by_estate: dict[int, ch.Channel] = field(default_factory=dict)

    def all(self) -> list[ch.Channel]:
        return [self.community] if self.community is not None else list(
            self.by_estate.values())


class ChannelNetwork:
    """Every channel of one run, and the rules of submitting to, leaving and being heard
    in one."""

    def __init__(self, model, rng: np.random.Generator) -> None:
        self.model = model
        # each channel's numbers, read once (the parameters of a run never change)
        self.numbers = {name: model.params.channel(name) for name in CHANNEL_NAMES}
        self._streams = dict(zip(CHANNEL_NAMES, rng.spawn(len(CHANNEL_NAMES))))
        self._handling: dict[str, ch.HandlingTime] = {}  # each name's service-time law
        self._channels = {name: _Instances(spec) for name, spec in CHANNELS.items()}
        # estate -> what is worked out from the channels open there (see memo)
        self._open: dict[int, dict[Any, Any]] = {}
        self._raised: dict[int, list[Case]] = {}  # dispute -> cases others raised about it
        self._now: float | None = None  # while serving: when the case being dealt with ended
        n = model.community.n
        for name, spec in CHANNELS.items():
            if not spec.per_estate:
                self._channels[name].community = self.build(name, n)

    # ---- building ---------------------------------------------------------------------
    def build(self, name: str, households: int, server: Any = None,
              estate: int | None = None) -> ch.Channel:
        """A channel of ``name`` serving ``households``; an estate's own channel is
        registered under its estate. ``server`` is the organisation whose staff serve it
        (told of every case it hears)."""
        spec = CHANNELS[name]
        p = self.numbers[name]
        handling = self._handling.get(name)
        if handling is None:  # one law for all channels of a name, as they share a stream
            mean = p.handling_days
            if spec.burdened:
                mean /= 1.0 - self.model.params.committee_admin_burden
            handling = self._handling[name] = {
                "exponential": lambda: ch.exponential(mean),
                "lognormal": lambda: ch.lognormal(mean, p.handling_cv),
                "fixed": lambda: ch.fixed(mean)}[p.handling]()
        per_10k = p.servers_per_10k * (self.model.params.public_funding if spec.funded else 1.0)
        channel = ch.Channel(name, servers_for(per_10k, households), handling,
                             self._streams[name], server, on_start=_started)
        if estate is not None:
            self._channels[name].by_estate[estate] = channel
            self._open.pop(estate, None)
        return channel

    def assign_server(self, name: str, server: Any) -> ch.Channel:
        """Make ``server`` the organisation serving the community's channel ``name``."""
        channel = self._channels[name].community
        channel.server = server
        return channel

    def room(self, name: str, estate: int) -> ch.Channel | None:
        """An estate's own channel of ``name``, if it has one."""
        return self._channels[name].by_estate.get(estate)

    @staticmethod
    def spec(name: str) -> ChannelSpec:
        return CHANNELS[name]

    def channel(self, name: str, dispute: Dispute) -> ch.Channel:
        inst = self._channels[name]
        if inst.community is not None:
            return inst.community
        return inst.by_estate[self.model.estate_of(dispute)]

    def all(self) -> dict[str, list[ch.Channel]]:
        return {name: inst.all() for name, inst in self._channels.items()}

    def served(self) -> dict[str, int]:
        """Cases each channel has finished, summed over estates."""
        return {name: sum(c.served for c in chans) for name, chans in self.all().items()}

    # ---- which channels a dispute may use -------------------------------------------------
    def open_to(self, dispute: Dispute, flag: Literal["chosen", "routed"] | None = None
                ) -> tuple[ChannelSpec, ...]:
        """The channels open to this dispute's claimants, in the vocabulary's order (the
        same for every dispute of an estate until a channel is built there); with ``flag``
        only those with that :class:`ChannelSpec` flag (a household may choose them, a
        grid worker may route to them). Kept per estate: households and grid workers ask
        every day."""
        lists = self.memo(dispute)
        cached = lists.get(flag)
        if cached is None:
            if flag is None:
                institutions = self.model.institutions
                estate = self.model.estate_of(dispute)
                cached = tuple(inst.spec for inst in self._channels.values()
                               if not (inst.spec.per_estate and estate not in inst.by_estate)
                               and (inst.spec.needs_owners_committee
                                    or institutions.opens(inst.spec)))
            else:
                cached = tuple(s for s in self.open_to(dispute) if getattr(s, flag))
            lists[flag] = cached
        return cached

    def memo(self, dispute: Dispute) -> dict:
        """What is worked out from the channels open in this dispute's estate and holds
        until a channel is built there (:meth:`open_to`'s lists, a grid worker's route, the
        terms of a household's choice): one dict per estate, emptied by :meth:`build`."""
        estate = self.model.estate_of(dispute)
        memo = self._open.get(estate)
        if memo is None:
            memo = self._open[estate] = {}
        return memo

    # ---- the claimants' own case ------------------------------------------------------------
    def submit(self, dispute: Dispute, name: str, level: str = "district",
               detail: str | None = None) -> None:
        """The claimants take their dispute to a channel; their arrival falls somewhere in
        today. The organisation serving it may admit the case to another of its queues
        (a leader may take a petition up)."""
        m = self.model
        at = self._arrival()
        spec = CHANNELS[name]
        queue = self.channel(name, dispute)
        case = Case(dispute, name, queue, self._hear, 1, level)
        stage = spec.stage
        petition = stage is Stage.PETITION
        if petition:
            dispute.petitions += 1
            m.counts.petitions += 1
        dispute.queued(case, name, m.today)
        dispute.path.append(name)
        if dispute.collective and dispute.is_open and dispute.stage > stage:
            stage = dispute.stage
        if spec.tells_state is StateNotice.ALWAYS or (
                spec.tells_state is StateNotice.COLLECTIVE and dispute.collective):
            m.street_office.learn(dispute)
        m.book.move(dispute, stage, EventKind.PETITION if petition else EventKind.SUBMITTED,
                    channel=name, detail=detail)
        admit = getattr(queue.server, "admit", None)
        if admit is not None and (admitted := admit(case, queue)) is not queue:
            case.queue = admitted  # heard there, by that channel's numbers
            case.channel = dispute.channel = admitted.name
            dispute.path.append(admitted.name)
        case.queue.submit(case, at)

    def raise_case(self, dispute: Dispute, name: str, on_done: Callable[[Case], None],
                   at: float | None = None) -> Case:
        """A case raised around a dispute by someone else (a police call, a joint meeting,
        a crowd's petition): it does not take the claimants' place in any queue."""
        at = self._arrival() if at is None else at
        queue = self.channel(name, dispute)
        case = Case(dispute, name, queue, on_done)
        queue.submit(case, at)
        self._raised.setdefault(dispute.id, []).append(case)
        return case

    def _arrival(self) -> float:
        """When a new case arrives: at a random moment of today — or, when it follows from
        a case that just ended (a grid level hands a failed case up), at that moment, so it
        never arrives before what caused it."""
        if self._now is not None:
            return self._now
        return self.model.today + self.model.rng.random()

    def resubmit(self, case: Case) -> None:
        """The same case goes back into its queue tomorrow morning (sent back to a
        department by a supervising command centre)."""
        d = case.dispute
        d.queued(case, case.channel, self.model.today)
        case.queue.submit(case, self.model.today + 1.0)

    def renege(self, dispute: Dispute) -> None:
        """Stop waiting: leave the queue, count it against the channel, choose anew."""
        m = self.model
        name = dispute.channel
        dispute.case.queue.withdraw(dispute.case)
        m.book.fail(dispute, name)
        dispute.case = None
        dispute.channel = None
        m.community.adjust_trust(dispute.claimants, CHANNELS[name].organisation,
                                 -m.params.minor_trust_step)
        m.book.move(dispute, Stage.VOICED, EventKind.RENEGED, channel=name)

    def withdraw(self, dispute: Dispute) -> None:
        """A closed dispute leaves whatever queue it waits in, and so do the cases others
        raised about it (a crowd's petition, a police call, a joint meeting): nobody waits
        on a settled dispute. Cases already being heard finish (see :meth:`serve`)."""
        if dispute.case is not None:
            dispute.case.queue.withdraw(dispute.case)
            dispute.case = None
        for case in self._raised.pop(dispute.id, ()):
            case.queue.withdraw(case)

    # ---- serving ---------------------------------------------------------------------------
    def serve(self) -> None:
        """Every channel serves its queue to the end of today; what finished is dealt with
        in the order it finished, across channels."""
        until = self.model.today + 1
        finished = [(done.finish, order, i, done)
                    for order, inst in enumerate(self._channels.values())
                    for queue in inst.all()
                    for i, done in enumerate(queue.advance(until))]
        # by (finish, channel, place in its queue's list); estates' channels of one name
        # share ``order`` and may finish at the same moment (fixed handling times), and the
        # stable sort keeps such ties in the order of the estates
        finished.sort(key=_FIRST_THREE)
        try:
            for *_, done in finished:
                case = done.case
                self._now = done.finish
                refers = getattr(case.queue.server, "refers", None)
                # a department passes on only what is still in dispute
                if refers is not None and case.dispute.is_open and refers(case):
                    case.queue.submit(case, done.finish)  # passed on: it waits again
                    if case.dispute.case is case:
                        case.dispute.waiting()
                    continue
                case.on_done(case)
        finally:
            self._now = None  # later submissions arrive at a moment of their own day

    def _hear(self, case: Case) -> None:
        """The claimants' case was heard: it settles the dispute or fails."""
        m = self.model
        p = m.params
        d = case.dispute
        if not d.is_open or d.case is not case:
            return
        spec = CHANNELS[case.channel]
        numbers = self.numbers[case.channel]
        m.counts.add_staff_days(d, numbers.staff_days)
        if d.first_handled is None:
            d.first_handled = m.today
            d.relieve(p.heard_relief)
        server = case.queue.server
        if server is not None:
            server.heard(d)
        chance = numbers.success[d.type] * (p.legal_support if spec.legal else 1.0)
        success = m.rng.random() < chance
        who = d.pursuing
        d.case = None
        if success:
            m.community.adjust_trust(who, spec.organisation, p.trust_step)
            m.book.close(d, spec.settles)
            return
        m.community.adjust_trust(who, spec.organisation, -p.trust_step)
        m.book.fail(d, case.channel)
        d.aggrieve(p.failure_grievance)
        after_failure = getattr(server, "after_failure", None)
        if after_failure is not None and after_failure(case):  # sent back or handed up
            m.book.record(d, EventKind.NOT_SETTLED, channel=case.channel)
            return
        d.channel = None
        if d.collective:
            m.book.record(d, EventKind.NOT_SETTLED, channel=case.channel)
        else:
            m.book.move(d, Stage.VOICED, EventKind.NOT_SETTLED, channel=case.channel)
