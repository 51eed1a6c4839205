"""Episodes: a case a scenario switches on, with its own actors, events and milestones.

The general model knows nothing of gates or parking spaces. An episode opens its
disputes (marking them as its own), says whether its claimants are being harmed today and
how its respondent answers a confrontation, plays whatever game it has after the channels
have served, and names the milestones a run of it is judged by.
"""

from govsim.episodes.parking import ParkingConflict

__all__ = ["ParkingConflict"]
