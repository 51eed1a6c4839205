"""A participatory round of the parking game for a class (what NetLogo's HubNet does).

The lecturer opens a round and gets a short code; students join with it from their own
browsers as owners or as the developer, and choose in each round — the developer rent,
sell only or the dual track, owners accept or resist. Between rounds the lecturer may put
institutions in place, the terms of :class:`govsim.game.ParkingGame`:

* the street office's **order** (责令): selling only against it costs the developer the
  expected sanction q·F (our extension, as in the model);
* an **owners' assembly** that elects an owners' committee: a counterpart that binds the
  owners, so resisting an agreed deal costs them the agreement penalty, and the dual track
  becomes possible;
* the committee's **own property firm**: it no longer bars owners' cars, so selling only
  cannot be enforced (needs the assembly first);
* a **joint meeting**: it hears both sides but binds nobody, so no payoff changes.

Each round the game's prediction (the developer foreseeing the owners' best reply, and
the pure Nash equilibria) is set beside what the class chose. Owners are paired with the
developers round-robin; without a student developer the model's developer plays.

Rounds are shared between sessions (that is their point), kept in :data:`ROUNDS`, bounded
in number and size, and forgotten after hours without activity.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any

from govsim.game import DeveloperStrategy, OwnerStrategy, ParkingGame

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a projector
CODE_LENGTH = 4
MAX_ROUNDS = 50  # open at once on one server
MAX_PLAYERS = 300
MAX_NAME = 24
IDLE_SECONDS = 4 * 3600
ROLES = ("owner", "developer")
MODEL_DEVELOPER = "model"  # the group of owners without a student developer


class RoundError(ValueError):
    """A move the round does not allow now (the page says which, in the reader's words:
    ``key`` is a label key of :mod:`govsim.app.i18n`)."""

    def __init__(self, key: str, **fields: Any) -> None:
        super().__init__(key)
        self.key = key
        self.fields = fields


@dataclass(frozen=True)
class Terms:
    """The institutions in force in one round."""

    order: bool = False
    assembly: bool = False
    own_firm: bool = False
    joint_meeting: bool = False

    def game_terms(self, sanction: float, penalty: float) -> dict[str, Any]:
        """Keyword terms of :meth:`ParkingGame.payoff` (and its equilibria)."""
        return {"expected_sanction": sanction if self.order else 0.0,
                "binding": self.assembly, "agreement_penalty": penalty,
                "enforceable": not (self.assembly and self.own_firm)}


def game_from_params(params: dict[str, Any]) -> tuple[ParkingGame, float, float]:
    """The game of a scenario's parameters, the expected sanction of the order (q·F) and
    the agreement penalty."""
    game = ParkingGame(*(tuple(params[f"payoff_{cell}"]) for cell in (
        "rent_accept", "rent_resist", "sell_accept", "sell_resist", "dual_accept",
        "dual_resist")))
    return (game, float(params["order_sanction"]) * float(params["order_enforcement"]),
            float(params["agreement_penalty"]))


@dataclass
class Player:
    id: str
    name: str
    role: str
    total: float = 0.0


@dataclass(frozen=True)
class Prediction:
    """What the game predicts under some terms: the developer's move when it foresees the
    owners' best reply, that reply, and every pure Nash equilibrium."""

    developer: str
    owners: str
    equilibria: tuple[tuple[str, str], ...]
    strategies: tuple[str, ...]  # what a developer may choose under these terms


@dataclass(frozen=True)
class Result:
    """One revealed round: who chose what, what each got, and how close the class came to
    the prediction (shares of the players who chose what it predicts for their role)."""

    number: int
    terms: Terms
    prediction: Prediction
    choices: dict[str, str]  # player id -> choice
    payoffs: dict[str, float]  # player id -> payoff this round
    developer_choices: dict[str, str]  # group (a developer's id, or MODEL_DEVELOPER) -> choice
    groups: dict[str, str]  # owner id -> group
    developers_as_predicted: float | None
    owners_as_predicted: float | None
    owners_best_reply: float | None  # owners who chose the best reply to their developer

    @property
    def as_predicted(self) -> float | None:
        """Share of everyone who chose what the prediction says for their role."""
        hits = [c == self.prediction.developer for p, c in self.choices.items()
                if p not in self.groups] + [
            c == self.prediction.owners for p, c in self.choices.items() if p in self.groups]
        return sum(hits) / len(hits) if hits else None


def _share(hits: list[bool]) -> float | None:
    return sum(hits) / len(hits) if hits else None


@dataclass
class ClassRound:
    """One class's game: players, the round being played, and the rounds revealed."""

    code: str
    game: ParkingGame
    sanction: float
    penalty: float
    players: dict[str, Player] = field(default_factory=dict)
    number: int = 1
    phase: str = "choosing"  # or "revealed"
    terms: Terms = Terms()
    choices: dict[str, str] = field(default_factory=dict)
    history: list[Result] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._changed = threading.Condition()
        self.version = 0
        self.touched = time.monotonic()

    # ---- waiting for a change (each page waits in its own thread) ---------------------------
    def _bump(self) -> None:
        with self._changed:
            self.version += 1
            self.touched = time.monotonic()
            self._changed.notify_all()

    def wait_for_change(self, seen: int, timeout: float) -> int:
        """Block until the version differs from ``seen`` (or ``timeout``); return it."""
        with self._changed:
            self._changed.wait_for(lambda: self.version != seen, timeout=timeout)
            return self.version

    # ---- what the game says ---------------------------------------------------------------------
    def game_terms(self, terms: Terms | None = None) -> dict[str, Any]:
        return (terms or self.terms).game_terms(self.sanction, self.penalty)

    def predict(self, terms: Terms | None = None) -> Prediction:
        t = self.game_terms(terms)
        dev, owners = self.game.anticipating_choice(**t)
        found = self.game.pure_nash_equilibria(**t)
        allowed = self.game.strategies(t["binding"], t["enforceable"])
        return Prediction(dev.value, owners.value,
                          tuple((d.value, o.value) for d, o in found),
                          tuple(s.value for s in allowed))

    def options(self, role: str) -> tuple[str, ...]:
        if role == "developer":
            return self.predict().strategies
        return tuple(o.value for o in OwnerStrategy)

    # ---- students ------------------------------------------------------------------------------
    def join(self, name: str, role: str) -> Player:
        if role not in ROLES:
            raise RoundError("round_bad_role")
        with self._changed:
            if len(self.players) >= MAX_PLAYERS:
                raise RoundError("round_full", n=MAX_PLAYERS)
            pid = secrets.token_hex(6)
            number = 1 + sum(p.role == role for p in self.players.values())
            clean = " ".join(str(name or "").split())[:MAX_NAME]
            player = Player(pid, clean or f"{role} {number}", role)
            self.players[pid] = player
        self._bump()
        return player

    def choose(self, player_id: str, choice: str) -> None:
        with self._changed:
            player = self.players.get(player_id)
            if player is None:
                raise RoundError("round_not_joined")
            if self.phase != "choosing":
                raise RoundError("round_wait_next")
            if choice not in self.options(player.role):
                raise RoundError("round_not_allowed")
            self.choices[player_id] = choice
        self._bump()

    # ---- the lecturer ----------------------------------------------------------------------------
    def set_terms(self, terms: Terms) -> None:
        """Institutions change between rounds (or before anyone has chosen), never under a
        student's feet; the committee's own firm needs the assembly that elects it."""
        if terms.own_firm and not terms.assembly:
            terms = replace(terms, own_firm=False)
        with self._changed:
            if self.phase == "choosing" and self.choices:
                raise RoundError("round_terms_locked")
            self.terms = terms
        self._bump()

    def groups(self) -> dict[str, str]:
        """Owner id -> the developer it plays against (round-robin; the model's developer
        when no student plays one)."""
        devs = [p.id for p in self.players.values() if p.role == "developer"]
        owners = [p.id for p in self.players.values() if p.role == "owner"]
        return {o: devs[i % len(devs)] if devs else MODEL_DEVELOPER
                for i, o in enumerate(owners)}

    def reveal(self) -> Result:
        """Close the round: payoffs for every player who chose. A student developer who
        did not choose is replaced by the model's developer for the round."""
        with self._changed:
            if self.phase != "choosing":
                raise RoundError("round_already_revealed")
            result = self._score()
            for pid, pay in result.payoffs.items():
                self.players[pid].total += pay
            self.history.append(result)
            self.phase = "revealed"
        self._bump()
        return result

    def next_round(self) -> None:
        with self._changed:
            if self.phase != "revealed":
                raise RoundError("round_reveal_first")
            self.number += 1
            self.phase = "choosing"
            self.choices = {}
        self._bump()

    def _score(self) -> Result:
        t = self.game_terms()
        prediction = self.predict()
        groups = self.groups()
        dev_choice = {g: self.choices.get(g, prediction.developer)
                      for g in set(groups.values()) | {p.id for p in self.players.values()
                                                       if p.role == "developer"}}
        payoffs: dict[str, float] = {}
        by_group: dict[str, list[float]] = {g: [] for g in dev_choice}
        best_reply = []
        for owner, group in groups.items():
            choice = self.choices.get(owner)
            if choice is None:
                continue
            dev = DeveloperStrategy(dev_choice[group])
            d_pay, o_pay = self.game.payoff(dev, OwnerStrategy(choice), **t)
            payoffs[owner] = o_pay
            by_group[group].append(d_pay)
            best_reply.append(choice == self.game.owners_best_response(dev, **t).value)
        for group, pays in by_group.items():
            if group == MODEL_DEVELOPER or group not in self.choices:
                continue
            if not pays:  # nobody to play against: the owners' best reply stands in
                dev = DeveloperStrategy(dev_choice[group])
                reply = self.game.owners_best_response(dev, **t)
                pays = [self.game.payoff(dev, reply, **t)[0]]
            payoffs[group] = sum(pays) / len(pays)
        choices = dict(self.choices)
        devs = [c for p, c in choices.items() if self.players[p].role == "developer"]
        owners = [c for p, c in choices.items() if self.players[p].role == "owner"]
        return Result(self.number, self.terms, prediction, choices, payoffs, dev_choice,
                      groups, _share([c == prediction.developer for c in devs]),
                      _share([c == prediction.owners for c in owners]), _share(best_reply))


class Registry:
    """The rounds open on this server, by code."""

    def __init__(self) -> None:
        self._rounds: dict[str, ClassRound] = {}
        self._lock = threading.Lock()

    def open(self, params: dict[str, Any]) -> ClassRound:
        game, sanction, penalty = game_from_params(params)
        with self._lock:
            self._forget_idle()
            if len(self._rounds) >= MAX_ROUNDS:
                oldest = min(self._rounds.values(), key=lambda r: r.touched)
                del self._rounds[oldest.code]
            while True:
                code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
                if code not in self._rounds:
                    break
            self._rounds[code] = ClassRound(code, game, sanction, penalty)
            return self._rounds[code]

    def get(self, code: str) -> ClassRound | None:
        key = "".join(str(code or "").split()).upper()
        with self._lock:
            self._forget_idle()
            return self._rounds.get(key)

    def _forget_idle(self) -> None:
        now = time.monotonic()
        for code in [c for c, r in self._rounds.items() if now - r.touched > IDLE_SECONDS]:
            del self._rounds[code]


ROUNDS = Registry()
