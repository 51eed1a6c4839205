"""Only residents in open disputes act: a quiet household costs nothing per day."""

from govsim import GovernanceModel
from govsim.agents import Resident


def test_only_claimants_of_open_disputes_act(monkeypatch, small):
    calls = []
    original = Resident.act_all

    def spy(model, rows=None):
        rows = model.book.table.open_rows(collective=False) if rows is None else rows
        for i in rows.tolist():
            dispute = model.book.all[i]
            assert dispute.is_open and not dispute.collective
            calls.append((model.today, int(dispute.claimants[0])))
        return original(model, rows)

    monkeypatch.setattr(Resident, "act_all", staticmethod(spy))
    m = GovernanceModel(regime="state", rng=8, **(small | {"parking_conflict": False}))
    for _ in range(small["days"]):
        m.step()
    acting = {h for _, h in calls}
    claimants = {int(d.claimants[0]) for d in m.disputes}
    assert acting <= claimants
    assert len(acting) < m.community.n / 4  # most households never act at all
    # each day, exactly one act per open individual dispute
    per_day = {}
    for day, _ in calls:
        per_day[day] = per_day.get(day, 0) + 1
    open_on = {day: sum(1 for d in m.disputes if d.opened <= day and
                        (d.closed is None or d.closed >= day) and not d.collective)
               for day in per_day}
    assert all(per_day[day] <= open_on[day] for day in per_day)


def test_residents_are_never_stepped_as_a_population(monkeypatch, small):
    def boom(*args, **kwargs):
        raise AssertionError("the whole population was stepped")

    m = GovernanceModel(regime="grid", rng=1, **small)
    monkeypatch.setattr(type(m.agents), "do", boom)
    monkeypatch.setattr(type(m.agents), "shuffle_do", boom)
    for _ in range(10):
        m.step()
