"""The Mesa network space every agent lives on: households, then organisation nodes, with
their institutional ties and a fixed, seeded layout.

Up to ``agent_network_max_households`` every household is a node (and a ``Resident``
agent on it); above it the space holds the organisations only and positions of households
are served from the community's position array — same results, a fraction of the build
time and memory (docs/ODD.md, "Scale").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
from mesa.discrete_space import Network

from govsim.agents.grid_worker import coverage, worker_of_cell
from govsim.community import Community, community_graph


@dataclass
class Nodes:
    """Node ids of the organisations, in the order they were allocated after the
    households (``kinds`` lists every one with its kind)."""

    committees: list[int] = field(default_factory=list)
    social_orgs: list[int] = field(default_factory=list)
    developer: int | None = None
    street_office: int = -1
    petition_office: int = -1
    grid_workers: list[int] = field(default_factory=list)
    owners_committees: list[int] = field(default_factory=list)
    kinds: list[tuple[int, str]] = field(default_factory=list)

    @classmethod
    def allocate(cls, households: int, estates: int, social_orgs: int, developer: bool,
                 grid_workers: int) -> "Nodes":
        nodes = cls()
        next_id = households

        def node(kind: str) -> int:
            nonlocal next_id
            nodes.kinds.append((next_id, kind))
            next_id += 1
            return next_id - 1

        nodes.committees = [node("committee") for _ in range(estates)]
        nodes.social_orgs = [node("social_org") for _ in range(social_orgs)]
        nodes.developer = node("developer") if developer else None
        nodes.street_office = node("street_office")
        nodes.petition_office = node("petition_office")
        nodes.grid_workers = [node("grid_worker") for _ in range(grid_workers)]
        nodes.owners_committees = [node("owners_committee") for _ in range(estates)]
        return nodes


class Layout(Mapping):
    """Node id -> (x, y) for households (from the community's position array) and
    organisations, without a Python tuple per household until one is asked for."""

    def __init__(self, positions: np.ndarray, organisations: dict[int, tuple[float, float]]):
        self._positions = positions
        self._organisations = organisations

    def __getitem__(self, node: int) -> tuple[float, float]:
        if 0 <= node < len(self._positions):
            x, y = self._positions[node]
            return (float(x), float(y))
        return self._organisations[node]

    def __iter__(self):
        yield from range(len(self._positions))
        yield from self._organisations

    def __len__(self) -> int:
        return len(self._positions) + len(self._organisations)


def build_space(community: Community, nodes: Nodes, households_on_space: bool, random
                ) -> tuple[Network, Mapping]:
    """The network space and the layout of every node. Organisations sit in rows above the
    buildings; the layout is never a spring layout (seconds at a few thousand nodes)."""
    c = community
    top = float(c.positions[:, 1].max()) + 1.5
    org_positions = {nid: (float(i % 12), top + i // 12)
                     for i, (nid, _) in enumerate(nodes.kinds)}
    if households_on_space:
        g = community_graph(c, nodes.kinds)
        positions = {i: tuple(xy) for i, xy in enumerate(c.positions.tolist())}
        positions.update(org_positions)
        layout: Mapping = positions
    else:
        g = nx.Graph()
        g.add_nodes_from((nid, {"kind": kind}) for nid, kind in nodes.kinds)
        positions = org_positions
        layout = Layout(c.positions, org_positions)
    _wire_institutional_ties(g, c, nodes, households_on_space)
    return Network(g, layout=positions, random=random), layout


def _wire_institutional_ties(g: nx.Graph, c: Community, nodes: Nodes,
                             households_on_space: bool) -> None:
    street = nodes.street_office
    for nid in nodes.committees:
        g.add_edge(nid, street, layer="institutional")
    for nid in nodes.social_orgs:
        g.add_edge(nid, street, layer="institutional")
        for cn in nodes.committees:
            g.add_edge(nid, cn, layer="institutional")
    if nodes.developer is not None:
        g.add_edge(nodes.developer, street, layer="institutional")
    g.add_edge(nodes.petition_office, street, layer="institutional")
    workers = nodes.grid_workers
    runs, sharers = coverage(len(workers), c.n_cells)
    for i, (nid, cells) in enumerate(zip(workers, runs)):
        g.add_edge(nid, street, layer="institutional")
        if not households_on_space:
            continue
        # the households of its cells; a cell shared by k workers is split k ways, this
        # worker taking every k-th household from its place among them
        k = int(sharers[cells.start])
        place = i - int(worker_of_cell(cells.start, len(workers), c.n_cells))
        mine = np.flatnonzero((c.grid_cell >= cells.start) & (c.grid_cell < cells.stop))
        for h in mine[place % k:: k]:
            g.add_edge(nid, int(h), layer="grid")
