"""The claimants of a collective dispute acting together: anger that spreads through ties,
a Granovetter cascade into collective action, confrontation, petitions, giving up, and
organising an owners' assembly unaided."""

from __future__ import annotations

import numpy as np
import mesa

from govsim.agents.owners_assembly import OwnersAssembly
from govsim.agents.resident import GRIEVANCE_CAP, Resident, give_up_hazard
from govsim.collective import ThresholdMode, threshold_cascade
from govsim.disputes import Dispute
from govsim.events import EventKind, PetitionAgain
from govsim.vocabulary import Outcome, Stage


class Claimants(mesa.Agent):
    """The households of one collective dispute (业主们), as one actor with per-claimant
    arrays. What harms them and where they can confront their respondent come from the
    dispute's episode (the parking conflict's gate); without one there is no harm to
    confront."""

    def __init__(self, model, dispute: Dispute) -> None:
        super().__init__(model)
        self.dispute = dispute
        self._ties = None

    @property
    def ties(self):
        """The social network among the claimants (built once, when first needed)."""
        if self._ties is None:
            self._ties = self.model.community.ties_among(self.dispute.claimants)
        return self._ties

    @property
    def harmed(self) -> bool:
        episode = self.dispute.episode
        return episode is not None and episode.harming(self.dispute)

    @property
    def voiced_by_social_organisations(self) -> bool:
        """Funded social organisations work in the claimants' estate: they give the
        claimants' interests a voice and a place to negotiate (essay 1)."""
        m = self.model
        if not m.institutions.social_mediation:
            return False
        estate = m.estate_of(self.dispute)
        return any(o.estate == estate for o in m.social_organisations)

    def representative(self) -> Resident:
        """The claimant who speaks for the group: the first still active."""
        d = self.dispute
        idx = int(np.flatnonzero(d.active)[0]) if d.active.any() else 0
        return self.model.resident(int(d.claimants[idx]))

    # ---- one day ---------------------------------------------------------------------------
    def act(self) -> None:
        self._act()
        if self.dispute.is_open:
            self.model.counts.participants_today += self.dispute.participants

    def _act(self) -> None:
        """Grievance rises while the claimants are harmed and cools otherwise, and is pulled
        towards their ties' grievance; those angry enough (net of the fatigue earlier
        confrontations left) join by a Granovetter threshold on their ties; a large enough
        crowd confronts a respondent who harms them; after a confrontation, the group may
        petition the district; whoever speaks for them takes the dispute to a channel."""
        m = self.model
        p = m.params
        d = self.dispute
        active = d.active
        g = d.grievance
        harmed = self.harmed
        if harmed:
            g[active] += p.blocked_grievance_growth * d.severity
        else:
            g[active] *= 1.0 - p.grievance_cooling
        ties = self.ties
        deg = np.asarray(ties.sum(axis=1)).ravel()
        peers = np.divide(ties @ g, deg, out=g.copy(), where=deg > 0)
        g[active] += p.peer_influence * (peers[active] - g[active])
        np.clip(g, 0.0, GRIEVANCE_CAP, out=g)

        if self.give_up():
            return
        if d.stage is Stage.LATENT:
            if np.any(g[active] >= m.community.voice_threshold[d.claimants][active]):
                d.complained = m.today
                m.book.move(d, Stage.VOICED, EventKind.VOICED, actor="owners")
                if self.voiced_by_social_organisations:  # heard, in part, at once
                    g *= 1.0 - p.heard_relief * p.social_voice
            else:
                return

        # Willingness is anger net of tiredness: each confrontation that changes nothing
        # tires those who took part, and the tiredness wears off only slowly.
        d.fatigue *= 1.0 - p.fatigue_recovery
        eligible = active & (g - d.fatigue >= p.activation_grievance)
        d.participating = threshold_cascade(
            ties, m.community.participation_threshold[d.claimants], eligible,
            initially_active=d.participating & eligible, mode=ThresholdMode.FRACTION)
        crowd = d.participants

        today_stage = Stage.IN_HANDLING if d.channel else Stage.VOICED
        if crowd > 0:
            today_stage = Stage.COLLECTIVE_ACTION
        if harmed and crowd >= p.confrontation_min_participants:
            today_stage = Stage.CONFRONTATION
            self.confront(crowd)
            d.fatigue[d.participating] += p.confrontation_fatigue
        office = m.street_office
        if (m.institutions.petition and d.peak >= Stage.CONFRONTATION and harmed
                and not office.petition_pending(d)):
            mean_g = float(g[d.participating].mean()) if crowd else float(g[active].mean())
            voice = p.social_voice if self.voiced_by_social_organisations else 0.0
            if m.rng.random() < min(1.0, p.petition_propensity * mean_g * (1.0 - voice)):
                self.petition(crowd)
                today_stage = Stage.PETITION
        if office.petition_pending(d):
            today_stage = Stage.PETITION
        if today_stage != d.stage:
            m.book.move(d, today_stage, EventKind.COLLECTIVE_ACTION, crowd=crowd)

        if d.channel is None:
            choice = self.representative().choose(d, float(g[active].mean()))
            if choice is not None:
                m.channels.submit(d, choice)

    def give_up(self) -> bool:
        """Claimants drop out one by one; below the quorum, the dispute is abandoned."""
        m = self.model
        d = self.dispute
        hazard = give_up_hazard(m, d)
        active = np.flatnonzero(d.active)
        quit_ = active[m.rng.random(len(active)) < hazard]
        if len(quit_):
            d.active[quit_] = False
            d.participating[quit_] = False
        if d.active.sum() < m.params.collective_quorum_share * len(d.claimants):
            m.book.close(d, Outcome.ABANDONED, actor="owners")
            return True
        return False

    # ---- escalation -------------------------------------------------------------------------
    def confront(self, crowd: int) -> None:
        """The crowd confronts the respondent where it harms them; the police are called
        where there are police; the episode answers (guards, injuries)."""
        m = self.model
        d = self.dispute
        m.counts.confrontations += 1
        m.counts.confronting_today += crowd
        m.book.record(d, EventKind.CONFRONTATION, actor="owners", crowd=crowd)
        if m.institutions.police:
            m.counts.police_calls += 1
            m.book.record(d, EventKind.POLICE_CALL, channel="police")
            m.channels.raise_case(d, "police", _calmed)
            m.counts.add_staff_days(d, m.params.police_staff_days)
        d.episode.confronted(d, crowd)

    def petition(self, crowd: int) -> None:
        """The group takes its case to the district (信访) — after several petitions that
        changed nothing, perhaps over its head to the city (越级上访)."""
        m = self.model
        p = m.params
        d = self.dispute
        d.petitions += 1
        repeat = d.petitions > 1
        skip = (d.petitions > p.skip_level_after
                and m.rng.random() < p.skip_level_propensity)
        m.counts.petitions += 1
        m.counts.repeat_petitions += repeat
        m.counts.add_staff_days(d, p.petition_staff_days)
        m.book.record(d, EventKind.PETITION, channel="petition", actor="owners",
                      crowd=max(crowd, 1),
                      detail=PetitionAgain.SKIP_LEVEL if skip
                      else PetitionAgain.REPEAT if repeat else None)
        m.petition_office.receive_collective(d, max(crowd, 1), "city" if skip else "district")

    # ---- self-government ----------------------------------------------------------------------
    def self_organise(self) -> None:
        """Owners may start organising an assembly themselves — hard, so rare (MODEL.md §5):
        a daily chance in proportion to the share of claimants taking part."""
        m = self.model
        d = self.dispute
        estate = m.estate_of(d)
        if estate in m.owners_committees or estate in m.assemblies:
            return
        share = d.participants / len(d.claimants)
        if m.rng.random() < m.params.self_organisation_rate * share:
            m.assemblies[estate] = OwnersAssembly(m, estate, backed=False)
            m.book.record(d, EventKind.ASSEMBLY_ORGANISED, actor="owners")


def _calmed(case) -> None:
    """A police call ends when the officers leave; it settles nothing."""
