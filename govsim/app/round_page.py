"""Class round: the lecturer's screen and the students' (see :mod:`govsim.app.classround`).

A round is shared by many sessions; each page waits for the round's changes in a thread of
its own session, so a student's choice appears on the lecturer's screen at once, and every
render happens in the session it belongs to.
"""

from __future__ import annotations

import html
import threading
from dataclasses import dataclass, replace

import solara

from govsim.app import charts as C
from govsim.app.classround import (MODEL_DEVELOPER, ROUNDS, ClassRound, Result, RoundError,
                                   Terms)
from govsim.app.components import Html
from govsim.app.i18n import strategy_name, tr
from govsim.app.widgets import Chart
from govsim.game import DeveloperStrategy, OwnerStrategy

TERMS = ("order", "assembly", "own_firm", "joint_meeting")


@dataclass
class Seat:
    """Where this browser session sits in the class round: the round's code, and whether
    it leads the round or which player it is."""

    code: str | None = None
    lecturer: bool = False
    player_id: str | None = None


def use_round(round_: ClassRound | None) -> int:
    """Re-render when the round changes: a thread of this session waits for it."""
    version, set_version = solara.use_state(0)

    def watch():
        if round_ is None:
            return None
        stop = threading.Event()

        def loop():
            seen = -1
            while not stop.is_set():
                now = round_.wait_for_change(seen, timeout=2.0)
                if stop.is_set():
                    return
                if now != seen:
                    seen = now
                    try:
                        set_version(now)
                    except Exception:  # the page is gone
                        return

        threading.Thread(target=loop, daemon=True, name="govsim-round").start()
        return stop.set

    solara.use_effect(watch, [round_])
    return version


def choice_name(choice: str, lang: str) -> str:
    if choice in (o.value for o in OwnerStrategy):
        return tr(f"choice_{choice}", lang)
    return strategy_name(choice, lang)


def terms_text(terms: Terms, lang: str) -> str:
    on = [tr(f"term_{t}", lang) for t in TERMS if getattr(terms, t)]
    return tr("list_sep", lang).join(on) if on else tr("term_none", lang)


def matrix(r: ClassRound, lang: str) -> str:
    """The payoffs (developer, owners) under the terms in force."""
    t = r.game_terms()
    owners = list(OwnerStrategy)
    head = "".join(f"<th>{html.escape(tr('owners', lang))}: "
                   f"{html.escape(choice_name(o.value, lang))}</th>" for o in owners)
    rows = []
    allowed = r.options("developer")
    for d in DeveloperStrategy:
        cells = "".join("<td>({:g}, {:g})</td>".format(*r.game.payoff(d, o, **t))
                        for o in owners)
        note = "" if d.value in allowed else f" <i>({html.escape(unavailable(d.value, lang))})</i>"
        rows.append(f"<tr><td>{html.escape(tr('developer', lang))}: "
                    f"{html.escape(strategy_name(d.value, lang))}{note}</td>{cells}</tr>")
    return f"<table><tr><th></th>{head}</tr>{''.join(rows)}</table>"


def unavailable(choice: str, lang: str) -> str:
    return tr("round_no_sell" if choice == DeveloperStrategy.SELL_ONLY.value
              else "round_no_dual", lang)


def prediction_text(r: ClassRound, lang: str, terms: Terms | None = None) -> str:
    p = r.predict(terms)
    eq = tr("list_sep", lang).join(f"({choice_name(d, lang)}, {choice_name(o, lang)})"
                                    for d, o in p.equilibria) or tr("round_no_equilibrium", lang)
    return tr("round_prediction", lang, developer=choice_name(p.developer, lang),
              owners=choice_name(p.owners, lang), equilibria=eq)


def _counts(choices: list[str], lang: str) -> str:
    if not choices:
        return "—"
    found = {c: choices.count(c) for c in dict.fromkeys(choices)}
    return tr("list_sep", lang).join(f"{choice_name(c, lang)} × {n}" for c, n in found.items())


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


def history_table(r: ClassRound, lang: str) -> str:
    keys = ("round_col_round", "round_col_terms", "round_col_predicted", "round_col_devs",
            "round_col_owners", "round_col_payoffs", "round_col_close")
    head = "".join(f"<th>{html.escape(tr(k, lang))}</th>" for k in keys)
    rows = []
    for res in r.history:
        devs = [c for p, c in res.choices.items() if p not in res.groups]
        owners = [c for p, c in res.choices.items() if p in res.groups]
        pays_d = [v for p, v in res.payoffs.items() if p not in res.groups]
        pays_o = [v for p, v in res.payoffs.items() if p in res.groups]
        if MODEL_DEVELOPER in res.developer_choices:
            devs_text = tr("round_model_played", lang,
                           choice=choice_name(res.developer_choices[MODEL_DEVELOPER], lang))
            devs_text = (_counts(devs, lang) + "; " if devs else "") + devs_text
        else:
            devs_text = _counts(devs, lang)
        mean = lambda xs: f"{sum(xs) / len(xs):.1f}" if xs else "—"  # noqa: E731
        cells = (str(res.number), terms_text(res.terms, lang),
                 f"{choice_name(res.prediction.developer, lang)} / "
                 f"{choice_name(res.prediction.owners, lang)}",
                 devs_text, _counts(owners, lang),
                 tr("round_mean_payoffs", lang, developer=mean(pays_d), owners=mean(pays_o)),
                 _pct(res.as_predicted))
        rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def closeness_chart(history: list[Result], lang: str, projector: bool) -> dict:
    t = lambda k, **kw: tr(k, lang, **kw)  # noqa: E731
    series = (("round_share_all", "as_predicted", "#000000"),
              ("round_share_devs", "developers_as_predicted", "#c62828"),
              ("round_share_owners", "owners_as_predicted", "#1565c0"),
              ("round_share_reply", "owners_best_reply", "#2e7d32"))
    names = [t(k) for k, _, _ in series]
    option = C.base(t("round_chart"), t("round_col_round"), t("axis_share"), names, projector,
                    x_max=max(3, len(history)), y_max=1)
    option["xAxis"]["min"] = 1
    for (key, attr, colour), name in zip(series, names):
        option["series"].append(C.line(name, [h.number for h in history],
                                       [getattr(h, attr) for h in history], colour,
                                       projector))
        option["series"][-1]["showSymbol"] = True
    return option


# ---- the lecturer ------------------------------------------------------------------------------
@solara.component
def Lecturer(r: ClassRound, lang: str, projector: bool):
    use_round(r)
    error, set_error = solara.use_state(None)

    def attempt(action):
        try:
            action()
            set_error(None)
        except RoundError as exc:
            set_error(tr(exc.key, lang, **exc.fields))

    Html(tr("round_code_big", lang, code=f"<span class='govsim-round-code'>{r.code}</span>"),
         classes=["govsim-round-banner"])
    solara.Text(tr("round_join_hint", lang, code=r.code), classes=["govsim-help"])
    locked = r.phase == "choosing" and bool(r.choices)
    upcoming = r.number + (1 if r.phase == "revealed" else 0)  # between rounds: the next one
    solara.Text(tr("round_terms_title", lang, n=upcoming), style={"font-weight": "600"})
    for term in TERMS:
        disabled = locked or (term == "own_firm" and not r.terms.assembly)
        solara.Switch(label=tr(f"term_{term}", lang), value=getattr(r.terms, term),
                      disabled=disabled, classes=[f"govsim-term-{term}"],
                      on_value=lambda v, term=term: attempt(
                          lambda: r.set_terms(replace(r.terms, **{term: v}))))
        solara.Text(tr(f"term_{term}_help", lang), classes=["govsim-help"])
    if locked:
        solara.Text(tr("round_terms_locked", lang), classes=["govsim-help"])
    Html(html.escape(prediction_text(r, lang)), classes=["govsim-round-prediction"])
    players = list(r.players.values())
    chosen = sum(p.id in r.choices for p in players)
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        if r.phase == "choosing":
            solara.Button(tr("round_reveal", lang, n=r.number), color="primary",
                          on_click=lambda: attempt(r.reveal), classes=["govsim-round-reveal"])
            solara.Text(tr("round_chosen_count", lang, n=chosen, total=len(players)),
                        classes=["govsim-round-count"])
        else:
            solara.Button(tr("round_next", lang, n=r.number + 1), color="primary",
                          on_click=lambda: attempt(r.next_round), classes=["govsim-round-next"])
    if error:
        solara.Warning(error, dense=True)
    last = r.history[-1] if r.history and r.phase == "revealed" else None
    rows = []
    for p in players:
        if last is not None:
            status = (choice_name(last.choices[p.id], lang) if p.id in last.choices
                      else tr("round_no_choice", lang))
            pay = f"{last.payoffs[p.id]:g}" if p.id in last.payoffs else "—"
        else:
            status = tr("round_has_chosen" if p.id in r.choices else "round_waiting", lang)
            pay = "—"
        rows.append((p.name, tr(f"role_{p.role}", lang), status, pay, f"{p.total:g}"))
    head = "".join(f"<th>{html.escape(tr(k, lang))}</th>" for k in (
        "round_col_name", "round_col_role", "round_col_choice", "round_col_payoff",
        "round_col_total"))
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    Html(f"<table><tr>{head}</tr>{body}</table>" if rows else
         html.escape(tr("round_nobody", lang)), classes=["govsim-table", "govsim-round-players"])
    if r.history:
        solara.Text(tr("round_history", lang), style={"font-weight": "600"})
        Html(history_table(r, lang), classes=["govsim-table", "govsim-round-history"])
        Chart(closeness_chart(r.history, lang, projector), "class_round.png", tr("png", lang),
              "420px" if projector else "300px", classes=["govsim-fig-round"])
    solara.Text(tr("round_matrix", lang), style={"font-weight": "600"})
    Html(matrix(r, lang), classes=["govsim-table", "govsim-round-matrix"])


# ---- a student ----------------------------------------------------------------------------------
@solara.component
def Student(r: ClassRound, player_id: str, lang: str):
    use_round(r)
    error, set_error = solara.use_state(None)
    player = r.players.get(player_id)
    if player is None:
        solara.Warning(tr("round_not_joined", lang))
        return

    def choose(choice):
        try:
            r.choose(player_id, choice)
            set_error(None)
        except RoundError as exc:
            set_error(tr(exc.key, lang, **exc.fields))

    Html(html.escape(tr("round_you_are", lang, name=player.name,
                        role=tr(f"role_{player.role}", lang), code=r.code)),
         classes=["govsim-round-you"])
    Html(html.escape(tr("round_n_terms", lang, n=r.number, terms=terms_text(r.terms, lang))),
         classes=["govsim-round-terms"])
    if r.terms.joint_meeting:
        solara.Text(tr("term_joint_meeting_help", lang), classes=["govsim-help"])
    allowed = r.options(player.role)
    options = ([d.value for d in DeveloperStrategy] if player.role == "developer"
               else [o.value for o in OwnerStrategy])
    mine = r.choices.get(player_id)
    if r.phase == "choosing":
        solara.Text(tr("round_choose", lang), style={"font-weight": "600"})
        with solara.Row(style={"flex-wrap": "wrap"}):
            for choice in options:
                solara.Button(choice_name(choice, lang), on_click=lambda c=choice: choose(c),
                              disabled=choice not in allowed,
                              color="primary" if choice == mine else None,
                              outlined=choice != mine, classes=[f"govsim-choice-{choice}"])
        for choice in options:
            if choice not in allowed:
                solara.Text(f"{choice_name(choice, lang)}{tr('colon', lang)}"
                            f"{unavailable(choice, lang)}", classes=["govsim-help"])
        if mine:
            solara.Success(tr("round_your_choice", lang, choice=choice_name(mine, lang)),
                           dense=True, classes=["govsim-round-mine"])
    else:
        res = r.history[-1]
        got = res.payoffs.get(player_id)
        lines = [tr("round_revealed", lang, n=res.number)]
        if player.role == "owner":
            group = res.groups.get(player_id)
            lines.append(tr("round_your_developer", lang, choice=choice_name(
                res.developer_choices.get(group, res.prediction.developer), lang)))
        lines.append(tr("round_your_payoff", lang, pay="—" if got is None else f"{got:g}",
                        total=f"{player.total:g}"))
        Html("<br>".join(html.escape(x) for x in lines), classes=["govsim-round-result"])
        solara.Text(tr("round_wait_next", lang), classes=["govsim-help"])
    if error:
        solara.Warning(error, dense=True)
    solara.Text(tr("round_matrix", lang), style={"font-weight": "600"})
    Html(matrix(r, lang), classes=["govsim-table", "govsim-round-matrix"])


@solara.component
def JoinForm(seat: Seat, on_seat, lang: str):
    code = solara.use_reactive(seat.code or "")
    name = solara.use_reactive("")
    role = solara.use_reactive("owner")
    error, set_error = solara.use_state(None)

    def join():
        r = ROUNDS.get(code.value)
        if r is None:
            set_error(tr("round_unknown_code", lang, code=code.value.strip().upper()))
            return
        try:
            player = r.join(name.value, role.value)
        except RoundError as exc:
            set_error(tr(exc.key, lang, **exc.fields))
            return
        on_seat(Seat(r.code, False, player.id))

    solara.Text(tr("round_join_title", lang), style={"font-weight": "600"})
    solara.InputText(tr("round_code_input", lang), value=code, classes=["govsim-round-code-in"])
    solara.InputText(tr("round_name", lang), value=name, classes=["govsim-round-name"])
    roles = {tr("role_owner", lang): "owner", tr("role_developer", lang): "developer"}
    solara.ToggleButtonsSingle(value={v: k for k, v in roles.items()}[role.value],
                               values=list(roles), on_value=lambda k: role.set(roles[k]),
                               classes=["govsim-round-role"])
    solara.Button(tr("round_join", lang), on_click=join, color="primary",
                  classes=["govsim-round-join"])
    if error:
        solara.Warning(error, dense=True, classes=["govsim-round-error"])


@solara.component
def RoundPage(scenario, seat: Seat, on_seat, lang: str, projector: bool):
    solara.Text(tr("round_intro", lang), classes=["govsim-help"])
    r = ROUNDS.get(seat.code) if seat.code else None
    if r is not None and seat.lecturer:
        Lecturer(r, lang, projector)
    elif r is not None and seat.player_id:
        Student(r, seat.player_id, lang)
    else:
        if seat.code:
            solara.Warning(tr("round_gone", lang))
        with solara.Columns([1, 1]):
            with solara.Column():
                solara.Text(tr("round_lead_title", lang), style={"font-weight": "600"})
                solara.Text(tr("round_lead_help", lang), classes=["govsim-help"])
                solara.Button(tr("round_open", lang), color="primary",
                              on_click=lambda: on_seat(Seat(ROUNDS.open(
                                  scenario.model_params("state")).code, True)),
                              classes=["govsim-round-open"])
            with solara.Column():
                JoinForm(seat, on_seat, lang)
    if r is not None:
        solara.Button(tr("round_leave", lang), text=True, on_click=lambda: on_seat(Seat()),
                      classes=["govsim-round-leave"])
