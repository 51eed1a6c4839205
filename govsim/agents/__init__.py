"""The model's agents, one module per type: each owns its rules."""

from govsim.agents.claimants import Claimants
from govsim.agents.committee import NeighbourhoodCommittee, OwnersCommittee
from govsim.agents.developer import Developer
from govsim.agents.grid_worker import GridWorker
from govsim.agents.resident import Resident
from govsim.agents.social_org import SocialOrganisation
from govsim.agents.street_office import StreetOffice

__all__ = ["Claimants", "Developer", "GridWorker", "NeighbourhoodCommittee", "OwnersCommittee",
           "Resident", "SocialOrganisation", "StreetOffice"]
