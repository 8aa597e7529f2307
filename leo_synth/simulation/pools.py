"""Organisation and area pools shared by every block: LAs, areas, schools, providers, employers.

Pools are a pure function of (seed, number of persons, parameters), drawn from the static
stream block, so every worker builds the identical pool. Their sizes follow scaling laws: areas
are fixed, schools and providers grow sub-linearly, employers roughly linearly (capped at
England's counts).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from leo_synth.engine.rng import STATIC_BLOCK, stream
from leo_synth.simulation.calendar import ymd
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.parameters import Parameters
from leo_synth.simulation.place_names import place_names
from leo_synth.simulation.school_types import school_type_columns
from leo_synth.simulation.stats import logistic, logit
from leo_synth.simulation.text import zfill

OAS_PER_LSOA = 5
"""Output areas per lower layer super output area (LSOA): ``Pools.output_areas`` holds an LSOA's
output areas in a run, so output area ``i`` lies in LSOA ``i // OAS_PER_LSOA``."""
PRIMARY_PHASE, SECONDARY_PHASE, SPECIAL_PHASE = 0, 1, 2
"""Codes of ``Pools.schools["phase"]``."""

SIC_SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("A", "Agriculture, forestry and fishing", ("01110", "01410", "02100")),
    ("B", "Mining and quarrying", ("05101", "08110")),
    ("C", "Manufacturing", ("10710", "25110", "29100", "20130", "28990")),
    ("D", "Electricity, gas, steam and air conditioning supply", ("35110", "35220")),
    ("E", "Water supply; sewerage, waste management and remediation activities",
     ("36000", "38110")),
    ("F", "Construction", ("41201", "42110", "43210", "43999")),
    ("G", "Wholesale and retail trade; repair of motor vehicles and motorcycles",
     ("47110", "47190", "45200", "46900", "47710")),
    ("H", "Transportation and storage", ("49410", "52290", "53100")),
    ("I", "Accommodation and food service activities", ("56101", "56102", "55100", "56302")),
    ("J", "Information and communication", ("62012", "62020", "58110", "61100")),
    ("K", "Financial and insurance activities", ("64191", "65110", "66220")),
    ("L", "Real estate activities", ("68100", "68320")),
    ("M", "Professional, scientific and technical activities", ("69201", "71121", "70229",
                                                               "73110")),
    ("N", "Administrative and support service activities", ("78200", "81210", "82990")),
    ("O", "Public administration and defence; compulsory social security", ("84110", "84240")),
    ("P", "Education", ("85200", "85310", "85421")),
    ("Q", "Human health and social work activities", ("86101", "87100", "88990")),
    ("R", "Arts, entertainment and recreation", ("90010", "93110", "93290")),
    ("S", "Other service activities", ("94110", "96020")),
    ("T", "Activities of households as employers", ("97000",)),
    ("U", "Activities of extraterritorial organisations and bodies", ("99000",)),
)
"""SIC 2007 sections with a few real five-digit classes each (used for enterprise codes)."""

# Share of employee jobs by SIC section (ONS workforce jobs, rounded), same order as above.
SECTION_JOB_SHARES = np.array([0.4, 0.2, 8.0, 0.5, 0.7, 4.8, 15.0, 5.0, 7.5, 4.3, 3.6, 1.5, 7.5,
                               8.8, 4.8, 9.0, 13.5, 2.4, 1.9, 0.1, 0.05])


@dataclass(frozen=True)
class EnterpriseIndex:
    """The enterprises sorted by section, then birth year (``order``), with ``key`` (section *
    10,000 + birth year) and the cumulative sizes ``cum`` in that order, the sections
    ``present`` and each one's ``largest`` enterprise: made once per pool, as a block's two
    draws of employers search them (sorting a pool of up to 2.5 million enterprises per block
    made each block's work grow with the run's persons)."""

    order: np.ndarray
    key: np.ndarray
    cum: np.ndarray
    present: np.ndarray
    largest: np.ndarray  # per section present, its largest enterprise (which never closes)

    @classmethod
    def of(cls, enterprises: Frame) -> EnterpriseIndex:
        order = np.lexsort((enterprises["birth_year"], enterprises["section"]))
        largest = np.flatnonzero(enterprises["largest"])
        return cls(order=order,
                   key=enterprises["section"][order] * 10_000 + enterprises["birth_year"][order],
                   cum=np.concatenate([[0.0], np.cumsum(enterprises["weight"][order])]),
                   present=np.unique(enterprises["section"]),
                   largest=largest[np.argsort(enterprises["section"][largest])])


@dataclass
class Pools:
    """Everything that is shared between persons."""

    regions: Frame  # code, name, idaci
    las: Frame  # region
    constituencies: Frame  # la, code, name
    output_areas: Frame  # la, coa, lsoa, idaci (the LSOA's), pcon
    schools: Frame  # la, phase (0 primary, 1 secondary, 2 special), effect, and the type
    # (maintained, academy_rank, sponsored, admissions: simulation/school_types.py)
    fe_providers: Frame  # region, college (bool), effect
    he_providers: Frame  # tariff (0 high, 1 medium, 2 low), effect, region
    enterprises: Frame  # section, sic, region, weight, employees_band, birth_year, birth
    # (IDBR Birth_month), death (IDBR Death_month; NaT for an enterprise that does not close)
    enterprise_index: EnterpriseIndex  # the enterprises as sample_enterprises searches them
    la_first_school: np.ndarray  # [phase, la] -> first school index
    la_school_count: np.ndarray  # [phase, la] -> number of schools
    la_grammar: np.ndarray  # [la] -> the LA's grammar school, -1 where it has none


def _count(persons: int, per: float, low: int, high: int) -> int:
    return int(np.clip(round(persons / per), low, high))


def build_pools(seed: int, persons: int, params: Parameters) -> Pools:
    """Build every pool for a run of ``persons`` persons."""
    rng = stream(seed, "pools", STATIC_BLOCK)
    regions = params["geography.regions"]
    region_frame = Frame(
        code=np.array([r["code"] for r in regions]),
        name=np.array([r["name"] for r in regions]),
        idaci=np.array([r["idaci"] for r in regions], dtype=float),
    )
    las = Frame(region=np.repeat(np.arange(len(regions)), [r["las"] for r in regions]))
    n_la = len(las)
    constituencies = _constituencies(seed, n_la, params, rng)
    output_areas = _output_areas(n_la, int(params["geography.output_areas_per_la"]))
    output_areas["idaci"] = _lsoa_idaci(seed, region_frame["idaci"][las["region"][
        output_areas["la"]]])
    output_areas["pcon"] = pick_member(constituencies["la"], output_areas["la"],
                                       rng.random(len(output_areas)))
    schools, first, count = _schools(seed, persons, params, las, rng)
    for name, values in school_type_columns(seed, schools, params).items():
        schools[name] = values
    la_grammar = np.full(n_la, -1, dtype=np.int64)
    la_grammar[schools["la"][schools["grammar"]]] = np.flatnonzero(schools["grammar"])
    fe = params["pools.fe_providers"]
    n_fe = _count(persons, fe["per_persons"], fe["min"], fe["max"])
    fe_providers = Frame(
        region=rng.integers(0, len(regions), n_fe),
        college=rng.random(n_fe) < 0.35,
        effect=rng.normal(0, 0.1, n_fe),
    )
    n_he = int(params["pools.he_providers"])
    tariff = np.sort(rng.choice(3, size=n_he, p=[0.2, 0.35, 0.45]))
    he_providers = Frame(tariff=tariff, effect=np.choose(tariff, [0.10, 0.0, -0.07])
                         + rng.normal(0, 0.03, n_he))
    he_providers["region"] = _provider_regions(seed, n_he, las["region"])
    enterprises = _enterprises(persons, params, len(regions), rng)
    enterprises["birth"], enterprises["death"] = _enterprise_dates(seed, enterprises, params)
    return Pools(region_frame, las, constituencies, output_areas, schools, fe_providers,
                 he_providers, enterprises, EnterpriseIndex.of(enterprises), first, count,
                 la_grammar)


def _provider_regions(seed: int, n: int, la_region: np.ndarray) -> np.ndarray:
    """The English region of each HE provider, in proportion to the regions' LAs (London's
    many providers). From a stream of its own, so the other pools do not move with it."""
    shares = np.bincount(la_region) / len(la_region)
    u = stream(seed, "pools.he_provider_regions", STATIC_BLOCK).random(n)
    return np.minimum(np.searchsorted(np.cumsum(shares), u, side="right"),
                      len(shares) - 1).astype(np.int64)


def _constituencies(seed: int, n_la: int, params: Parameters,
                    rng: np.random.Generator) -> Frame:
    """Constituencies: synthetic names built from a Faker pool (never per row)."""
    per_la = float(params["geography.constituencies_per_la"])
    counts = np.maximum(1, rng.poisson(per_la, n_la))
    total = int(counts.sum())
    names = place_names(seed, total, rng)
    codes = np.array([f"E14{900000 + i:06d}" for i in range(total)])
    return Frame(la=np.repeat(np.arange(n_la), counts), code=codes, name=np.array(names))


def pick_member(member_group: np.ndarray, group: np.ndarray, u: np.ndarray) -> np.ndarray:
    """For each requested group, the member at uniform position ``u`` (members sorted by group).

    ``group`` may be empty (a block whose persons are all too young to have a residence row).
    """
    counts = np.bincount(member_group, minlength=int(group.max()) + 1 if group.size else 0)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    offset = np.minimum((u * counts[group]).astype(np.int64), counts[group] - 1)
    return starts[group] + offset


def home_output_area(output_areas: Frame, la: np.ndarray, deprivation: np.ndarray,
                     u: np.ndarray) -> np.ndarray:
    """The output area of a home in LA ``la``: the LSOA at quantile ``deprivation`` (0-1) of the
    LA's LSOAs ordered by IDACI score, and among its output areas the one at ``u`` (0-1).

    So a person's IDACI score is their LSOA's, as in the NPD, and still follows their own
    deprivation (rather than an output area drawn at random and a score of the person's own,
    which gave one LSOA several scores)."""
    first_oa = np.arange(0, len(output_areas), OAS_PER_LSOA)
    lsoa_la = output_areas["la"][first_oa]
    order = np.lexsort((output_areas["idaci"][first_oa], lsoa_la))  # by LA, then IDACI
    lsoa = order[pick_member(lsoa_la[order], la, deprivation)]
    within = np.minimum((u * OAS_PER_LSOA).astype(np.int64), OAS_PER_LSOA - 1)
    return lsoa * OAS_PER_LSOA + within


def _output_areas(n_la: int, per_la: int) -> Frame:
    """Output areas (E00...) and their LSOAs (E01..., five OAs each, never across two LAs), in
    synthetic code ranges."""
    if per_la % OAS_PER_LSOA:
        raise ValueError(f"geography.output_areas_per_la must be a multiple of {OAS_PER_LSOA} "
                         f"(the output areas of an LSOA), not {per_la}")
    la = np.repeat(np.arange(n_la), per_la)
    idx = np.arange(n_la * per_la)
    coa = np.char.add("E00", zfill((900000 + idx).astype(str), 6))
    lsoa = np.char.add("E01", zfill((900000 + idx // OAS_PER_LSOA).astype(str), 6))
    return Frame(la=la, coa=coa, lsoa=lsoa)


LSOA_IDACI_SPREAD = float(np.hypot(0.75, 0.35))
"""Spread of LSOAs' IDACI scores about their region's mean (logit scale): that of the persons'
neighbourhood deprivation (0.75 x disadvantage plus 0.35 x noise, both standard normal), so the
persons, placed in their LA's LSOAs by that deprivation, keep its distribution."""


def _lsoa_idaci(seed: int, region_mean: np.ndarray) -> np.ndarray:
    """Each output area's IDACI score: its LSOA's, one value per LSOA (IDACI is a property of
    the LSOA a postcode lies in), about the mean of its region (``region_mean``, per output
    area). Drawn from a stream of its own, so the other pools do not move with it."""
    rng = stream(seed, "pools.lsoa_idaci", STATIC_BLOCK)
    first = region_mean[::OAS_PER_LSOA]
    score = logistic(logit(first) + LSOA_IDACI_SPREAD * rng.standard_normal(len(first)))
    return np.repeat(np.round(score, 3), OAS_PER_LSOA)


MAINSTREAM_FLOOR = 2
"""Primary and secondary schools per LA at least, however small the run: a pupil who changes
school within a phase then finds another school in the home LA, as most movers do, instead of
one in another LA (with one school per LA, about 11% of a 20,000-person run's pupil-years
were outside the home LA against the 5% drawn at entry). Special schools: one per LA."""


def _schools(seed: int, persons: int, params: Parameters, las: Frame,
             rng: np.random.Generator) -> tuple[Frame, np.ndarray, np.ndarray]:
    """Primary, secondary and special schools, at least :data:`MAINSTREAM_FLOOR` primary and
    secondary schools and one special school per LA, and a grammar school beside the others
    in each selective LA (``grammar``)."""
    n_la = len(las)
    kinds = params["population.kinds"]
    per_cohort = persons * kinds["school"] / len(params["population.cohort_births"])
    n_primary = int(np.clip(per_cohort / params["pools.pupils_per_primary_cohort"], 0,
                            params["pools.max_primary_schools"]))
    n_secondary = int(np.clip(per_cohort / params["pools.pupils_per_secondary_cohort"], 0,
                              params["pools.max_secondary_schools"]))
    n_special = round((n_primary + n_secondary) * params["pools.special_school_share"])
    frames = []
    for phase, n in enumerate((n_primary, n_secondary, n_special)):
        floor = MAINSTREAM_FLOOR if phase < SPECIAL_PHASE else 1
        extra = max(0, n - floor * n_la)
        la = np.concatenate([np.tile(np.arange(n_la), floor), rng.integers(0, n_la, extra)])
        la.sort()
        # Centred, so the national mean does not depend on the seed's few schools.
        effect = rng.normal(0, 0.25 if phase < 2 else 0.1, len(la))
        frame = Frame(la=la, phase=np.full(len(la), phase, dtype=np.int8),
                      effect=effect - effect.mean(), grammar=np.zeros(len(la), dtype=bool))
        if phase == SECONDARY_PHASE:
            frame = _with_grammar_schools(seed, frame, n_la, params)
        frames.append(frame)
    schools = Frame.concat(frames)
    first = np.zeros((3, n_la), dtype=np.int64)
    count = np.zeros((3, n_la), dtype=np.int64)
    offset = 0
    for phase, frame in enumerate(frames):
        count[phase] = np.bincount(frame["la"], minlength=n_la)
        first[phase] = offset + np.concatenate([[0], np.cumsum(count[phase])[:-1]])
        offset += len(frame)
    return schools, first, count


def _with_grammar_schools(seed: int, secondary: Frame, n_la: int, params: Parameters) -> Frame:
    """The secondary schools with a grammar school added to each selective LA (a share of the
    LAs, ``school_types.selective_la_share``), placed among its LA's schools. From a stream of
    its own, so the other schools and pools do not move with it."""
    rng = stream(seed, "pools.grammar_schools", STATIC_BLOCK)
    selective = np.flatnonzero(rng.random(n_la) < params["school_types.selective_la_share"])
    la = np.concatenate([secondary["la"], selective])
    order = np.argsort(la, kind="stable")
    return Frame(la=la[order], phase=np.full(len(la), SECONDARY_PHASE, dtype=np.int8),
                 effect=np.concatenate([secondary["effect"],
                                        rng.normal(0, 0.25, len(selective))])[order],
                 grammar=np.concatenate([secondary["grammar"],
                                         np.ones(len(selective), dtype=bool)])[order])


def _enterprises(persons: int, params: Parameters, n_regions: int,
                 rng: np.random.Generator) -> Frame:
    """Employers (IDBR enterprises) with Zipf-like sizes, sorted by SIC section."""
    cfg = params["pools.enterprises"]
    n = _count(persons, cfg["per_persons"], cfg["min"], cfg["max"])
    section = np.sort(rng.choice(len(SIC_SECTIONS), size=n,
                                 p=SECTION_JOB_SHARES / SECTION_JOB_SHARES.sum()))
    size = 1.0 / rng.permutation(np.arange(1, n + 1)) ** float(cfg["zipf"])
    codes = np.array([code for _, _, classes in SIC_SECTIONS for code in classes])
    lengths = np.array([len(classes) for _, _, classes in SIC_SECTIONS])
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    sic = codes[starts[section] + rng.integers(0, 1 << 20, n) % lengths[section]]
    band = np.digitize(size / size.max() * 5000, [5, 10, 20, 50, 100, 250, 500, 1000])
    birth_year = 2018 - np.minimum(rng.exponential(12, n).astype(int), 70)
    # each section's largest employer is among the oldest, so every spell, however early,
    # has an employer of its section already commenced (sample_enterprises)
    by_size = np.lexsort((-size, section))
    largest = by_size[np.r_[True, section[by_size][1:] != section[by_size][:-1]]]
    birth_year[largest] = 2018 - 70
    return Frame(section=section, sic=sic, region=rng.integers(0, n_regions, n), weight=size,
                 employees_band=band, birth_year=birth_year,
                 largest=np.isin(np.arange(n), largest))


def _enterprise_dates(seed: int, enterprises: Frame,
                      params: Parameters) -> tuple[np.ndarray, np.ndarray]:
    """Each enterprise's IDBR birth month (in its birth year) and death month: a share of
    them (``pools.enterprise_death_share``) closes between January 2018 and December 2020,
    never a section's largest, to which an employer draw falls back (sample_enterprises).
    Drawn with the pool, so the employer draws know the closures (the stream, ``idbr``, is
    the one the IDBR relation drew them from before)."""
    n = len(enterprises)
    rng = stream(seed, "idbr", STATIC_BLOCK)
    birth = ymd(enterprises["birth_year"], rng.integers(1, 13, n), 1)
    dies = rng.random(n) < params["pools.enterprise_death_share"]
    death = ymd(2018 + rng.integers(0, 3, n), rng.integers(1, 13, n), 1)
    return birth, np.where(dies & ~enterprises["largest"], death, np.datetime64("NaT"))


def sample_enterprises(pools: Pools, section: np.ndarray, u: np.ndarray,
                       start_year: np.ndarray, end: np.ndarray,
                       redraw: np.random.Generator) -> np.ndarray:
    """Pick an employer of each requested section, with probability proportional to its size,
    among the section's enterprises born (IDBR ``Birth_month``) before the year the spell
    starts (``start_year``) and not closed (IDBR ``Death_month``) by the day it ends
    (``end``), so no one is paid by an enterprise not yet commenced or already closed; a
    spell older than every enterprise of its section goes to the section's oldest.

    The first pick reads ``u``; a pick closed before the spell's end is drawn again from
    ``redraw`` (the closures are few, so a few rounds settle almost all), and the rare spell
    still unsettled goes to its section's largest enterprise, which never closes.
    Sections without any employer in a small pool fall back to the nearest section present.
    """
    index = pools.enterprise_index
    present, order, key, cum = index.present, index.order, index.key, index.cum
    pos = np.clip(np.searchsorted(present, section), 0, len(present) - 1)
    section = present[pos]
    # the enterprises by section, then birth year: those alive in a year are a prefix of the
    # section's run, and a size-weighted draw is a search in the cumulative sizes
    first = np.searchsorted(key, section * 10_000, side="left")
    last = np.searchsorted(key, section * 10_000 + 9_999, side="right")
    born = np.searchsorted(key, section * 10_000 + np.asarray(start_year) - 1, side="right")
    stop = np.clip(born, first + 1, last)

    def pick(at: np.ndarray, uniform: np.ndarray) -> np.ndarray:
        target = cum[first[at]] + np.clip(uniform, 1e-9, 1 - 1e-9) * (cum[stop[at]]
                                                                      - cum[first[at]])
        found = np.searchsorted(cum, target, side="left") - 1
        return order[np.clip(found, first[at], stop[at] - 1)]

    chosen = pick(np.arange(len(section)), np.asarray(u))
    death = pools.enterprises["death"]
    for _ in range(CLOSED_REDRAWS):  # rounds of redraws, each vectorised over the spells
        closed = np.flatnonzero(death[chosen] <= end)  # (NaT, never closing, compares False)
        if len(closed) == 0:
            return chosen
        chosen[closed] = pick(closed, redraw.random(len(closed)))
    closed = np.flatnonzero(death[chosen] <= end)
    chosen[closed] = index.largest[pos[closed]]
    return chosen


CLOSED_REDRAWS = 8
"""Rounds of redrawing an employer closed before the spell's end (``sample_enterprises``)."""
