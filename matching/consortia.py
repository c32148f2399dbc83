"""A consortium per project: a local company, an investor or financier, a technology firm.

Each partner fills exactly one role, given by its kind, so a partner's capacity only
ever couples projects within one role. Two models follow:

- ``complete_only=False``: a project may get some roles without the others. The three
  roles then share no constraint and the problem splits, provably, into three
  bipartite b-matchings, each solved exactly by :func:`matching.assignment.assign`.
- ``complete_only=True`` (default): a project gets all three members or none, because
  a consortium missing its financier cannot sign. The "all or none" link between the
  roles of a project breaks total unimodularity (LP vertices can be fractional), so it
  is solved as a MILP with :func:`scipy.optimize.milp`: first the most complete
  consortia, then the highest total fit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import LinearConstraint

from matching.assignment import assign, resolve_loads
from matching.bmatching import solve_milp
from matching.errors import InvalidProfileError, UnknownIdError
from matching.pairs import PairScores
from matching.scoring import PartnerProfile, ProjectProfile, score_pair
from matching.scoring_batch import score_pairs

__all__ = [
    "ROLES",
    "WEAK_FIT",
    "Member",
    "Consortium",
    "ConsortiumPlan",
    "Assessment",
    "assess_consortium",
    "form_consortia",
]

#: Role name -> partner kinds that can fill it.
ROLES = {
    "local": ("local company",),
    "finance": ("international investor", "financial institution"),
    "technology": ("technology company",),
}
_ROLE_OF_KIND = {kind: role for role, kinds in ROLES.items() for kind in kinds}


#: A member whose fit is below this is proposed with a warning: it is the best the role
#: has among the partners that can act, not a good fit.
WEAK_FIT = 0.5


@dataclass(frozen=True)
class Member:
    """A partner in a consortium, with the reasons it fits the project."""

    role: str
    partner: str
    kind: str
    score: float
    confidence: float
    reasons: tuple[str, ...]

    @property
    def weak(self) -> bool:
        """True when the fit is below :data:`WEAK_FIT`."""
        return self.score < WEAK_FIT


@dataclass(frozen=True)
class Consortium:
    """The members chosen for one project (in the order of :data:`ROLES`)."""

    project: str
    members: tuple[Member, ...]

    @property
    def total(self) -> float:
        """Sum of the members' fit scores."""
        return sum(m.score for m in self.members)

    @property
    def complete(self) -> bool:
        """Whether every role is filled."""
        return {m.role for m in self.members} == set(ROLES)


@dataclass(frozen=True)
class ConsortiumPlan:
    """Consortia for a set of projects and, for the others, why they have none.

    Attributes
    ----------
    consortia : tuple of Consortium
    missing : dict of str to str
        Per project short of a complete consortium, what is missing and why.
    total_fit : float
        Sum of all members' scores.
    method : str
        "milp" (complete only) or "assign per role".
    """

    consortia: tuple[Consortium, ...]
    missing: dict[str, str]
    total_fit: float
    method: str


@dataclass(frozen=True)
class Assessment:
    """A consortium proposed by its members, judged against one project.

    ``fit`` is the mean of the members' fit scores; ``missing_roles`` the roles no member
    fills; ``shared_roles`` the roles two or more members fill (role -> partner ids).
    """

    consortium: Consortium
    fit: float
    missing_roles: tuple[str, ...]
    shared_roles: dict[str, tuple[str, ...]]

    def warnings(self, names: Mapping[str, str] | None = None) -> list[str]:
        """What holds the consortium back, in words (partners by ``names`` when given)."""
        name = (names or {}).get
        said = [
            f"{name(m.partner, m.partner)} fits the project at {m.score:.2f}, below "
            f"{WEAK_FIT:.2f}: a weak fit for the {m.role} role"
            for m in self.consortium.members
            if m.weak
        ]
        said += [
            f"no member fills the {role} role (a {' or '.join(ROLES[role])})"
            for role in self.missing_roles
        ]
        said += [
            f"{' and '.join(name(p, p) for p in ids)} all fill the {role} role"
            for role, ids in self.shared_roles.items()
        ]
        return said


def assess_consortium(
    project: ProjectProfile,
    partners: Sequence[PartnerProfile],
    *,
    weights: Mapping[str, float] | None = None,
    fx: Mapping[str, float] | None = None,
) -> Assessment:
    """Judge the consortium ``partners`` propose for ``project``: each member's fit and
    role (by its kind), the roles left empty or filled twice, and the weak members.

    >>> p = ProjectProfile("p1", sector="Energy", country="KE")
    >>> qs = [PartnerProfile("tec", "technology company", sectors={"Energy"}),
    ...       PartnerProfile("inv", "financial institution", countries={"KE"})]
    >>> a = assess_consortium(p, qs)
    >>> [m.role for m in a.consortium.members], a.missing_roles
    (['finance', 'technology'], ('local',))
    >>> a.warnings()[-1]
    'no member fills the local role (a local company)'
    """
    if not partners:
        raise InvalidProfileError("a consortium needs at least one partner")
    _index(partners, "partners")
    order = list(ROLES)
    members = []
    for partner in partners:
        if partner.kind not in _ROLE_OF_KIND:
            raise InvalidProfileError(f"{partner.id}: kind {partner.kind!r} fills no role")
        fit = score_pair(project, partner, weights=weights, fx=fx)
        role = _ROLE_OF_KIND[partner.kind]
        reasons = (f"{partner.kind} in the {role} role", *fit.reasons)
        members.append(Member(role, partner.id, partner.kind, fit.score, fit.confidence, reasons))
    members.sort(key=lambda m: (order.index(m.role), -m.score, m.partner))
    by_role: dict[str, list[str]] = {}
    for m in members:
        by_role.setdefault(m.role, []).append(m.partner)
    return Assessment(
        consortium=Consortium(project.id, tuple(members)),
        fit=float(np.mean([m.score for m in members])),
        missing_roles=tuple(r for r in ROLES if r not in by_role),
        shared_roles={r: tuple(ids) for r, ids in by_role.items() if len(ids) > 1},
    )


def _index(profiles: Sequence, what: str) -> dict[str, int]:
    index = {p.id: i for i, p in enumerate(profiles)}
    if len(index) != len(profiles):
        raise InvalidProfileError(f"two {what} share an id; give each a unique id")
    return index


def _candidate_array(
    projects: Sequence[ProjectProfile],
    partners: Sequence[PartnerProfile],
    candidates: Mapping[str, Iterable[str]] | None,
) -> np.ndarray:
    if candidates is None:
        return np.array(
            [(i, j) for i in range(len(projects)) for j in range(len(partners))], dtype=np.int64
        )
    project_at, partner_at = _index(projects, "projects"), _index(partners, "partners")
    rows = []
    for project, names in candidates.items():
        for name in names:
            if project not in project_at or name not in partner_at:
                raise UnknownIdError(
                    f"candidate ({project!r}, {name!r}) names an unknown project or "
                    "partner; give profiles for both"
                )
            rows.append((project_at[project], partner_at[name]))
    return np.array(rows, dtype=np.int64).reshape(-1, 2)


def _by_role(chosen, projects, partners, ps, *, weights, fx):
    """Consortia from chosen edges, each member explained by the reference scorer."""
    members: dict[int, list[Member]] = {}
    for e in chosen:
        project, partner = projects[ps.project_index[e]], partners[ps.partner_index[e]]
        fit = score_pair(project, partner, weights=weights, fx=fx)
        role = _ROLE_OF_KIND[partner.kind]
        reasons = (f"{partner.kind} in the {role} role", *fit.reasons)
        member = Member(role, partner.id, partner.kind, fit.score, fit.confidence, reasons)
        members.setdefault(int(ps.project_index[e]), []).append(member)
    order = list(ROLES)
    return tuple(
        Consortium(projects[p].id, tuple(sorted(ms, key=lambda m: order.index(m.role))))
        for p, ms in sorted(members.items())
    )


def _why_missing(roles_present: set[str], filled: set[str]) -> str:
    absent = [r for r in ROLES if r not in roles_present]
    if absent:
        return "no candidate for the " + ", ".join(absent) + " role"
    if filled:
        unfilled = [r for r in ROLES if r not in filled]
        return "capacity used up elsewhere for the " + ", ".join(unfilled) + " role"
    return "candidates' capacities used up by other projects' consortia"


def form_consortia(
    projects: Sequence[ProjectProfile],
    partners: Sequence[PartnerProfile],
    *,
    candidates: Mapping[str, Iterable[str]] | None = None,
    capacity: int | Mapping[str, int] = 1,
    blocked: Iterable[tuple[str, str]] = (),
    complete_only: bool = True,
    weights: Mapping[str, float] | None = None,
    fx: Mapping[str, float] | None = None,
    time_limit: float | None = None,
) -> ConsortiumPlan:
    """Choose one local company, one investor or financier and one technology company
    per project, within partner capacities, maximising the total fit.

    Parameters
    ----------
    projects, partners : sequence of profiles
    candidates : mapping of project id to partner ids, optional
        The partners considered per project; every partner when omitted.
    capacity : int or mapping, default 1
        Most consortia per partner.
    blocked : iterable of (project_id, partner_id)
        Conflicts of interest, never chosen.
    complete_only : bool, default True
        A project gets a full consortium or none (MILP); False allows partial ones
        (three exact assignments, one per role).
    weights, fx : mapping, optional
        Passed to the scorer (:func:`matching.scoring.score_pair`).
    time_limit : float, optional
        Seconds allowed to the MILP.

    Returns
    -------
    ConsortiumPlan

    Examples
    --------
    >>> p = ProjectProfile("p1", sector="Energy", country="KE")
    >>> qs = [PartnerProfile("loc", "local company", sectors={"Energy"}, countries={"KE"}),
    ...       PartnerProfile("inv", "financial institution", countries={"KE"}),
    ...       PartnerProfile("tec", "technology company", sectors={"Energy"})]
    >>> plan = form_consortia([p], qs)
    >>> [(m.role, m.partner) for m in plan.consortia[0].members]
    [('local', 'loc'), ('finance', 'inv'), ('technology', 'tec')]
    >>> plan.consortia[0].members[0].reasons[:2]
    ('local company in the local role', "works in Energy (the project's sector)")
    """
    project_at, partner_at = _index(projects, "projects"), _index(partners, "partners")
    ps = score_pairs(
        projects, partners, _candidate_array(projects, partners, candidates), weights=weights, fx=fx
    )
    blocked_keys = set()
    for project, partner in blocked:
        if project not in project_at or partner not in partner_at:
            raise UnknownIdError(
                f"blocked pair ({project!r}, {partner!r}) names an unknown project or partner"
            )
        blocked_keys.add((project_at[project], partner_at[partner]))
    keep = np.array(
        [
            (p, q) not in blocked_keys
            for p, q in zip(ps.project_index.tolist(), ps.partner_index.tolist(), strict=True)
        ],
        dtype=bool,
    )
    role_of_partner = np.array([list(ROLES).index(_ROLE_OF_KIND[q.kind]) for q in partners])
    edges = np.flatnonzero(keep)
    edge_role = role_of_partner[ps.partner_index[edges]]
    caps = resolve_loads(capacity, [q.id for q in partners], "capacity")

    if complete_only:
        chosen, method = _complete(ps, edges, edge_role, caps, len(projects), time_limit), "milp"
    else:
        chosen, method = _per_role(ps, edges, edge_role, caps), "assign per role"
    consortia = _by_role(chosen, projects, partners, ps, weights=weights, fx=fx)

    present: dict[int, set[str]] = {}
    for e, r in zip(edges, edge_role, strict=True):
        present.setdefault(int(ps.project_index[e]), set()).add(list(ROLES)[r])
    filled = {c.project: {m.role for m in c.members} for c in consortia}
    missing = {
        p.id: _why_missing(present.get(i, set()), filled.get(p.id, set()))
        for i, p in enumerate(projects)
        if filled.get(p.id, set()) != set(ROLES)
    }
    total = float(sum(c.total for c in consortia))
    return ConsortiumPlan(consortia, missing, total, method)


def _complete(ps, edges, edge_role, caps, n_projects, time_limit) -> np.ndarray:
    """MILP over x (edges) and y (projects): each role of p filled iff y_p = 1."""
    n, roles = len(edges), len(ROLES)
    cols = np.arange(n)
    project = ps.project_index[edges]
    role_rows = sp.csr_matrix(
        (np.ones(n), (project * roles + edge_role, cols)), shape=(n_projects * roles, n)
    )
    link = sp.kron(sp.identity(n_projects), -np.ones((roles, 1)))
    partner_rows = sp.csr_matrix(
        (np.ones(n), (ps.partner_index[edges], cols)), shape=(len(caps), n)
    )
    constraints = [
        LinearConstraint(sp.hstack([role_rows, link]), 0.0, 0.0),
        LinearConstraint(
            sp.hstack([partner_rows, sp.csr_matrix((len(caps), n_projects))]), -np.inf, caps
        ),
    ]
    lower, upper = np.zeros(n + n_projects), np.ones(n + n_projects)
    count = np.concatenate([np.zeros(n), -np.ones(n_projects)])
    most = round(solve_milp(count, constraints, lower, upper, n + n_projects, time_limit)[n:].sum())
    constraints.append(LinearConstraint(-count[None, :], most, np.inf))
    fit = np.concatenate([-ps.score[edges], np.zeros(n_projects)])
    z = solve_milp(fit, constraints, lower, upper, n + n_projects, time_limit)
    return edges[np.round(z[:n]).astype(bool)]


def _per_role(ps, edges, edge_role, caps) -> np.ndarray:
    """Three independent exact assignments, one per role (see the module docstring)."""
    chosen = []
    for r in range(len(ROLES)):
        mine = edges[edge_role == r]
        if len(mine) == 0:
            continue
        sub = PairScores(
            ps.project_ids,
            ps.partner_ids,
            ps.project_index[mine],
            ps.partner_index[mine],
            ps.score[mine],
        )
        capacity = dict(zip(ps.partner_ids, caps.tolist(), strict=True))
        picked = {(a.project, a.partner) for a in assign(sub, capacity=capacity)}
        chosen.extend(
            e
            for e in mine
            if (ps.project_ids[ps.project_index[e]], ps.partner_ids[ps.partner_index[e]]) in picked
        )
    return np.array(sorted(chosen), dtype=np.int64)
