"""Channels: the services disputes queue for (mediation, court, hotline, petition office, …).

A :class:`Channel` is a multi-server FIFO queue in the vocabulary of queueing theory
(servers, queue, waiting time, service time), in the spirit of SimPy's ``Resource``. The
model steps in whole days, but inside a day the channel keeps continuous time: a case
arriving at ``t`` starts service at ``max(t, earliest free server)`` and finishes after a
drawn service time. Cases are served **in the order they arrive**, whatever the order in
which they were submitted: the model submits a day's cases in the order of its dispute
list, each with its own arrival time inside the day, and a queue in submission order would
leave a server idle while an earlier arrival waits behind a later one. That makes one
channel an exact G/G/c queue, so with Poisson arrivals and exponential service it
reproduces Erlang-C waiting times (tested with the model's own submission pattern).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

HandlingTime = Callable[[np.random.Generator], float]


class _Drawn:
    """Service times drawn from a stream a block at a time: the same numbers, in the same
    order, as one draw per case (numpy's vector and scalar draws of a law agree), provided
    nothing else draws from that stream — each channel has its own, shared only by the
    estates' channels of one name, which share this law too. A year of a street starts
    tens of thousands of cases, and a scalar draw costs several times a vector draw's
    share."""

    __slots__ = ("_block", "_drawn")

    def __init__(self, block: Callable[[np.random.Generator, int], np.ndarray]) -> None:
        self._block = block
        # stream -> (drawn and not yet used, the next one last; the next block's size)
        self._drawn: dict[np.random.Generator, tuple[list[float], list[int]]] = {}

    def __call__(self, rng: np.random.Generator) -> float:
        drawn = self._drawn.get(rng)
        if drawn is None:
            drawn = self._drawn[rng] = ([], [8])
        left, size = drawn
        if not left:
            left.extend(self._block(rng, size[0]).tolist()[::-1])
            size[0] = min(2 * size[0], 1024)  # blocks double: few draws for a quiet channel
        return left.pop()


def exponential(mean: float) -> HandlingTime:
    """Memoryless service times (the M in M/M/c). Like :func:`lognormal`, drawn a block
    at a time: give the law a stream of its own, or other draws from that stream get
    other numbers than they would beside one draw per case."""
    return _Drawn(lambda rng, k: rng.exponential(mean, size=k))


def lognormal(mean: float, cv: float = 1.0) -> HandlingTime:
    """Right-skewed service times (courts, petitions): most quick, a few very slow."""
    sigma2 = math.log(1.0 + cv * cv)
    mu = math.log(mean) - sigma2 / 2.0
    sigma = math.sqrt(sigma2)
    return _Drawn(lambda rng, k: rng.lognormal(mu, sigma, size=k))


def fixed(duration: float) -> HandlingTime:
    """Deterministic service (the D in M/D/c)."""
    return lambda rng: float(duration)


class Completion(NamedTuple):
    """A case that left service: when it arrived, started and finished (a named tuple:
    a year of a street makes tens of thousands)."""

    case: Any
    arrival: float
    start: float
    finish: float

    @property
    def waiting(self) -> float:
        return self.start - self.arrival

    @property
    def service(self) -> float:
        return self.finish - self.start


class Channel:
    """A service with ``servers`` parallel handlers, a FIFO queue and a service-time law.

    ``servers=None`` means no capacity limit (every case starts at once), as for bilateral
    negotiation where the parties themselves are the servers. ``server`` is the
    organisation whose staff serve it, if it is an agent of the model; ``on_start`` is
    called with each case as it starts service.
    """

    def __init__(self, name: str, servers: int | None, handling: HandlingTime,
                 rng: np.random.Generator, server: Any = None,
                 on_start: Callable[[Any], None] | None = None) -> None:
        if servers is not None and servers < 1:
            raise ValueError(f"channel {name!r} needs at least one server, got {servers}")
        self.name = name
        self.server = server
        self.on_start = on_start  # told when a case starts service
        self.servers = servers
        self.handling = handling
        self.rng = rng
        # Waiting cases as a heap of (arrival, submission number, case, not before): the
        # earliest arrival is served first, ties in the order of submission; a case
        # submitted after the channel was served past its arrival starts no earlier than
        # where the channel had got to (time already simulated is not rewritten).
        self._queue: list[tuple[float, int, Any, float]] = []
        self._clock = 0.0  # how far the channel has been served
        # Cases in service as a heap of (finish, sequence number, case, start, arrival):
        # plain tuples, compared in C on (finish, number) — the number is unique (the
        # channel's counter), so the case itself is never compared.
        self._in_service: list[tuple[float, int, Any, float, float]] = []
        # (time a server frees, server index): the earliest-free server is on top, ties
        # going to the lowest index.
        self._free: list[tuple[float, int]] = [(0.0, i) for i in range(servers or 0)]
        self._seq = 0
        self._waiting: set[int] = set()
        self._withdrawn: set[int] = set()  # still in the deque, skipped when reached
        self.arrived = 0
        self.served = 0
        self.busy_time = 0.0
        self.max_in_service = 0

    def __repr__(self) -> str:
        return (f"Channel({self.name!r}, servers={self.servers}, queued={self.queued}, "
                f"in_service={len(self._in_service)})")

    @property
    def in_service(self) -> int:
        return len(self._in_service)

    @property
    def queued(self) -> int:
        """Cases waiting for a server."""
        return len(self._waiting)

    @property
    def load(self) -> int:
        """Cases waiting or being served."""
        return self.queued + len(self._in_service)

    def submit(self, case: Any, at: float) -> None:
        """A case joins the queue, arriving at time ``at`` (it is served after every case
        that arrived before it)."""
        self._seq += 1
        heapq.heappush(self._queue, (float(at), self._seq, case, self._clock))
        self._waiting.add(id(case))
        self.arrived += 1

    def withdraw(self, case: Any) -> bool:
        """Remove a case still waiting (reneging); cases in service stay. O(1): the entry
        stays in the heap, holding its case (so its id is not reused), and is skipped
        when it reaches the head."""
        key = id(case)
        if key not in self._waiting:
            return False
        self._waiting.discard(key)
        self._withdrawn.add(key)
        return True

    def is_waiting(self, case: Any) -> bool:
        return id(case) in self._waiting

    def advance(self, until: float) -> list[Completion]:
        """Serve the queue up to time ``until`` and return the cases finished by then.

        Alternates between starting every waiting case a server can take before
        ``until`` and finishing the earliest case in service, so that a server freed by a
        finish takes the next case at that moment. One loop with its state in locals: every
        channel runs it every day."""
        done: list[Completion] = []
        if until > self._clock:
            self._clock = until
        queue, in_service = self._queue, self._in_service
        if not queue and not in_service:  # idle all day: most channels, most days
            return done
        servers, free, withdrawn = self.servers, self._free, self._withdrawn
        while True:
            while queue:  # start what can start
                arrival, _, case, not_before = queue[0]
                key = id(case)
                if key in withdrawn:
                    heapq.heappop(queue)
                    withdrawn.discard(key)
                    continue
                start = arrival if arrival > not_before else not_before
                if servers is not None:
                    # a server frees only when its case finishes: finished ones are popped
                    # below first, so capacity is never exceeded
                    if len(in_service) >= servers:
                        break
                    if free[0][0] > start:
                        start = free[0][0]
                if start > until:
                    break
                heapq.heappop(queue)
                self._waiting.discard(key)
                service = self.handling(self.rng)
                if service < 0.0:
                    service = 0.0
                finish = start + service
                if servers is not None:
                    heapq.heapreplace(free, (finish, free[0][1]))
                self._seq += 1
                heapq.heappush(in_service, (finish, self._seq, case, start, arrival))
                if self.on_start is not None:
                    self.on_start(case)
                self.busy_time += service
                if len(in_service) > self.max_in_service:
                    self.max_in_service = len(in_service)
            if in_service and in_service[0][0] <= until:  # finish the earliest
                finish, _, case, start, arrival = heapq.heappop(in_service)
                self.served += 1
                done.append(Completion(case, arrival, start, finish))
                continue
            return done


def erlang_c_wait(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Mean waiting time in queue of an M/M/c queue (Erlang C); ``inf`` when unstable."""
    a = arrival_rate / service_rate
    rho = a / servers
    if rho >= 1:
        return math.inf
    terms = sum(a**k / math.factorial(k) for k in range(servers))
    top = a**servers / (math.factorial(servers) * (1 - rho))
    p_wait = top / (terms + top)
    return p_wait / (servers * service_rate - arrival_rate)
