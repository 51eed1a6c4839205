"""Property firms (物业公司): who runs each estate's gate, and for whom."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class PropertyFirm:
    """The property firm serving one estate — plain data, not an agent. Until owners
    elect a committee, the firm is the one the developer hired (前期物业, our reading of
    Chinese practice) and enforces the developer's rules at the gate: the collusion
    (共谋) of essay 6. An owners' committee may hire its own (essay 6: 名城物业)."""

    estate: int
    hired_by: str = "developer"
    since: int = 0

    @property
    def colluding(self) -> bool:
        """Does the firm enforce the developer's rules against the owners?"""
        return self.hired_by == "developer"
