"""The type of each simulated school, year by year, and its admissions policy.

A school is maintained (community, voluntary aided, voluntary controlled or foundation; a
special school community or foundation special) until the year it opens as an academy, if it
does. The academies' share of each phase follows DfE's *Schools, pupils and their
characteristics* (``school_types.academy_share``): a school's fixed rank ``academy_rank``
against that rising share gives its conversion year, so a school once an academy stays one and
the share of every year is met without a per-year draw. The first academies (to 2009/10) were
sponsored; later ones convert, a share of them under a sponsor. A secondary school admits
comprehensively, by ability (the grammar school of a selective LA, which takes the LA's most
able pupils: simulation/schooling.py), or is a secondary modern beside a grammar school.

Every key stage table's NFTYPE, ToE_CODE, school type (NEW_TYPE, NEWER_TYPE) and admissions
policy (ADMPOL) come from :func:`school_codes`, so a school's codes agree with each other in
every table and year. Rejected: a draw of each code per school (the codes contradicted each
other: an "independent school" with a maintained NFTYPE).
"""

from __future__ import annotations

import numpy as np

from leo_synth.engine.rng import STATIC_BLOCK, stream
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.parameters import Parameters

PRIMARY, SECONDARY, SPECIAL = 0, 1, 2  # as pools.PRIMARY_PHASE ... (no import: pools uses us)

COMMUNITY, VOLUNTARY_AIDED, VOLUNTARY_CONTROLLED, FOUNDATION = 21, 22, 23, 24
COMMUNITY_SPECIAL, FOUNDATION_SPECIAL = 26, 27
SPONSORED_ACADEMY, CONVERTER_ACADEMY, SPECIAL_ACADEMY = 20, 51, 53
ACADEMY_TYPES = (SPONSORED_ACADEMY, CONVERTER_ACADEMY, SPECIAL_ACADEMY)
MAINTAINED_TYPES = {PRIMARY: (COMMUNITY, VOLUNTARY_AIDED, VOLUNTARY_CONTROLLED, FOUNDATION),
                    SECONDARY: (COMMUNITY, VOLUNTARY_AIDED, VOLUNTARY_CONTROLLED, FOUNDATION),
                    SPECIAL: (COMMUNITY_SPECIAL, FOUNDATION_SPECIAL)}
"""NFTYPE codes of maintained schools by phase, in the order of ``maintained_shares``. The VRF's
definitions place them: MMSCH2 (maintained mainstream, academies excluded) is NFTYPE 21-24,
MSCH2 adds the maintained special schools 26-27; 20 (sponsored academy) and 51 (converter)
count as mainstream, 53 (special academy) only as maintained."""

TOE_OF_NFTYPE = {COMMUNITY: 1, VOLUNTARY_AIDED: 2, VOLUNTARY_CONTROLLED: 3, FOUNDATION: 5,
                 COMMUNITY_SPECIAL: 7, FOUNDATION_SPECIAL: 12, SPONSORED_ACADEMY: 28,
                 CONVERTER_ACADEMY: 34}
"""Edubase (Get Information about Schools) type of establishment of each NFTYPE; a special
academy is 44 (converter) or 33 (sponsored). KS1_ToE_DESC's rule (schemas/rules/ks1.yaml)
labels them."""
_TOE_TABLE = np.zeros(64, dtype=np.int64)
_TOE_TABLE[list(TOE_OF_NFTYPE)] = list(TOE_OF_NFTYPE.values())


NOT_APPLICABLE, COMPREHENSIVE, SELECTIVE, MODERN = 0, 1, 2, 3
"""Admissions policy codes, as NEW_TYPE and NEWER_TYPE number them (1 comprehensive, 2 selective,
3 modern); 0: not applicable (primary and special schools)."""
OTHER_MAINTAINED, MAINTAINED_SPECIAL = 4, 5
"""NEW_TYPE 4 (other maintained) and NEWER_TYPE 5 (maintained special) of a special school."""


def school_type_columns(seed: int, schools: Frame, params: Parameters) -> dict[str, np.ndarray]:
    """The schools' fixed type attributes: ``maintained`` (NFTYPE before any conversion),
    ``academy_rank`` (uniform; an academy in the years its phase's share exceeds it),
    ``sponsored`` and ``admissions`` (a grammar school selective; beside it, in its LA, a share
    of secondary moderns). From a stream of its own, so other pools do not move."""
    cfg = params["school_types"]
    rng = stream(seed, "pools.school_types", STATIC_BLOCK)
    phase = schools["phase"]
    n = len(phase)
    u_type, rank, u_sponsor, u_admit = rng.random((4, n))
    maintained = np.zeros(n, dtype=np.int64)
    sponsored = np.zeros(n, dtype=bool)
    for code, name in ((PRIMARY, "primary"), (SECONDARY, "secondary"), (SPECIAL, "special")):
        here = phase == code
        shares = np.asarray(cfg["maintained_shares"][name], dtype=float)
        pick = np.searchsorted(np.cumsum(shares / shares.sum()), u_type[here], side="right")
        maintained[here] = np.asarray(MAINTAINED_TYPES[code])[np.minimum(pick, len(shares) - 1)]
        early = _share(cfg["academy_share"][name], np.full(here.sum(), cfg["sponsored_until"]))
        sponsored[here] = (rank[here] < early) | (u_sponsor[here] < cfg["sponsored_share"][name])
    grammar = schools["grammar"]
    selective_la = np.zeros(int(schools["la"].max(initial=-1)) + 1, dtype=bool)
    selective_la[schools["la"][grammar]] = True
    modern = selective_la[schools["la"]] & (u_admit < cfg["modern_share"])
    admissions = np.where(phase != SECONDARY, NOT_APPLICABLE,
                          np.where(grammar, SELECTIVE, np.where(modern, MODERN, COMPREHENSIVE)))
    return {"maintained": maintained, "academy_rank": rank, "sponsored": sponsored,
            "admissions": admissions.astype(np.int64)}


def _share(by_year: dict[int, float], year: np.ndarray) -> np.ndarray:
    """A phase's academy share in each academic year (start year), linear between the stated
    years, 0 before the first and flat after the last."""
    years = np.array(sorted(by_year), dtype=float)
    shares = np.array([by_year[y] for y in sorted(by_year)], dtype=float)
    return np.interp(year, years, shares, left=0.0, right=float(shares[-1]))


def academy_year(schools: Frame, params: Parameters, school: np.ndarray) -> np.ndarray:
    """The academic year (start) each school opened as an academy; 0 if it has not by the
    last year of the shares."""
    cfg = params["school_types"]["academy_share"]
    school = np.asarray(school, dtype=np.int64)
    phase, rank = schools["phase"][school], schools["academy_rank"][school]
    out = np.zeros(len(school), dtype=np.int64)
    for code, name in ((PRIMARY, "primary"), (SECONDARY, "secondary"), (SPECIAL, "special")):
        years = np.arange(min(cfg[name]), max(cfg[name]) + 1)
        share = _share(cfg[name], years)  # non-decreasing: the first year above the rank
        here = phase == code
        first = np.searchsorted(share, rank[here], side="right")
        out[here] = np.where(first < len(years), years[np.minimum(first, len(years) - 1)], 0)
    return out


def is_academy(schools: Frame, params: Parameters, school: np.ndarray,
               year: np.ndarray) -> np.ndarray:
    """Is each school an academy in each academic year (start year)? (Opened by then.)"""
    opened = academy_year(schools, params, school)
    return (opened > 0) & (opened <= np.asarray(year))


def school_codes(schools: Frame, params: Parameters, school: np.ndarray,
                 year: np.ndarray) -> dict[str, np.ndarray]:
    """The key stage tables' codes of each school in each academic year (start year):
    ``nftype``, ``toe_code`` (Edubase type of establishment), ``new_type``, ``newer_type`` and
    ``admpol`` (the admissions policy: 0 not applicable, 1 comprehensive, 2 selective,
    3 modern)."""
    school = np.asarray(school, dtype=np.int64)
    academy = is_academy(schools, params, school, year)
    special = schools["phase"][school] == SPECIAL
    sponsored = schools["sponsored"][school]
    nftype = np.where(~academy, schools["maintained"][school],
                      np.where(special, SPECIAL_ACADEMY,
                               np.where(sponsored, SPONSORED_ACADEMY, CONVERTER_ACADEMY)))
    toe = np.where(nftype == SPECIAL_ACADEMY, np.where(sponsored, 33, 44), _TOE_TABLE[nftype])
    admissions = schools["admissions"][school]
    return {"nftype": nftype.astype(np.int64), "toe_code": toe.astype(np.int64),
            "new_type": np.where(special, OTHER_MAINTAINED, admissions).astype(np.int64),
            "newer_type": np.where(special, MAINTAINED_SPECIAL, admissions).astype(np.int64),
            "admpol": admissions}
