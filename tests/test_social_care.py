"""Children in need and children looked after against the DfE collections, on one block of
60,000 persons (about 30,000 children at a time; every age 0-17 exists in 2012/13)."""

from __future__ import annotations

import numpy as np
import pytest

from leo_synth.engine.keys import KeyMaker
from leo_synth.relations import hesa
from leo_synth.relations import social_care as relations
from leo_synth.simulation import key_stages, social_care
from leo_synth.simulation.calendar import age_on, ymd
from leo_synth.simulation.context import BlockContext
from leo_synth.simulation.frame import Frame, Masked
from leo_synth.simulation.life import LifeCourse, simulate_block
from leo_synth.simulation.parameters import load_parameters
from leo_synth.simulation.pools import build_pools
from leo_synth.simulation.population import KIND_SCHOOL

PERSONS = 60_000
YEAR = 2012
"""Census year 2012/13: 31 March 2013, when the simulated cohorts hold every age 0-17."""


@pytest.fixture(scope="module")
def life(catalog) -> LifeCourse:
    params = load_parameters(None)
    pools = build_pools(5, PERSONS, params)
    return simulate_block(BlockContext(5, 0, 0, PERSONS, params, pools,
                                       KeyMaker(catalog.keyspaces, 5)))


def _relation(catalog, name: str):
    return next(rel for rel in catalog.relations(2) if rel.name == name)


@pytest.fixture(scope="module")
def details(life, catalog) -> Frame:
    return relations.cin(life, _relation(catalog, "cin_2009_to_2021"))


@pytest.fixture(scope="module")
def cla_rows(life, catalog) -> Frame:
    return relations.cla(life, _relation(catalog, "cla_2006_to_2021"))


def _children(life: LifeCourse, date: np.datetime64) -> int:
    """School persons aged 0-17 on a date (the simulated children)."""
    persons = life.persons
    birth = persons["birth"]
    return int(((persons["kind"] == KIND_SCHOOL) & (birth <= date)
                & (age_on(birth, np.full(len(birth), date)) < 18)).sum())


def _values(column) -> np.ndarray:
    return column.values if isinstance(column, Masked) else column


def _nulls(column) -> np.ndarray:
    return column.null if isinstance(column, Masked) else np.zeros(len(column), dtype=bool)


def test_children_in_need_at_31_march_are_about_one_in_thirty(life, details) -> None:
    """A census year's return holds every episode open in it, so counting its rows open at 31
    March finds the children in need then: DfE 2019, 3.3% of children (old: 1.5%, episodes only
    in their referral year's return)."""
    in_year = details[relations.YEAR_ATTRIBUTE] == YEAR
    share = (details["caseopen31march"][in_year] == 1).sum() / _children(
        life, ymd(YEAR + 1, 3, 31))
    referred = (details["cinreferraldate"][in_year] >= ymd(YEAR, 4, 1)).sum() / _children(
        life, ymd(YEAR + 1, 3, 31))
    assert 0.028 < share < 0.042, share
    assert 0.045 < referred < 0.065, referred  # 655,630 referrals a year, 5.5% of children


def test_an_episode_appears_in_every_year_it_is_open_in(life, details) -> None:
    """An episode open on 31 March is in the next year's return too, its closure unknown (NULL)
    until the return of the year it closes in; some last several years."""
    pid = details["childtableid"] // 100
    key = pid * 100_000 + (details["cinreferraldate"] - np.datetime64(
        "1980-01-01")).astype(np.int64)
    _, years = np.unique(key, return_counts=True)
    assert (years >= 2).mean() > 0.15 and (years >= 4).any()
    open_march = details["caseopen31march"] == 1
    closure = details["cinclosuredate"]
    assert (_nulls(closure) == open_march).all()
    assert (_nulls(details["reasonforclosure"]) == open_march).all()
    march = ymd(details[relations.YEAR_ATTRIBUTE] + 1, 3, 31)
    closed = ~_nulls(closure)
    assert (_values(closure)[closed] <= march[closed]).all()
    assert (_values(closure)[closed] >= ymd(details[relations.YEAR_ATTRIBUTE], 4, 1)[closed]).all()
    assert (details["cin_any_point"] == 1).all()


def test_the_child_views_hold_one_row_per_child_and_year(life, catalog, details) -> None:
    """CIN child and overall: one row per child in need and year, in need at 31 March when any
    of the child's episodes is open then (CIN_CINAt31March was 1 for every row)."""
    child = relations.cin(life, _relation(catalog, "cin_child_2009_to_2021"))
    ids = child["childtableid"]
    assert len(np.unique(ids)) == len(ids)
    open_ids = np.unique(details["childtableid"][details["caseopen31march"] == 1])
    assert (np.isin(ids, open_ids) == (child["anycasesopen31march"] == 1)).all()
    assert (child["cinat31march"] == child["anycasesopen31march"]).all()
    assert 0.2 < child["cinat31march"].mean() < 0.8
    assert len(np.unique(details["cindetailstableid"])) == len(details)


def test_cin_codes_are_drawn_with_their_published_shares(life, catalog, details) -> None:
    """Referral source, closure reason, NFA and the plans' categories of abuse are drawn with
    DfE's shares (they were the person id modulo 5, 7, 8 or 10: uniform, one per child)."""
    first = details["cinreferraldate"] >= ymd(details[relations.YEAR_ATTRIBUTE], 4, 1)
    source = details["referralsource"][first]
    assert 0.25 < (source == "6").mean() < 0.33  # police 29%
    assert 0.12 < (source == "2A").mean() < 0.22  # schools 18% (none under 5)
    assert not ((source == "2A") & (details["age_referral"][first] < 5)).any()
    assert 0.06 < details["referralnfa"][first].mean() < 0.10
    need = details["primaryneedcode"][details["caseopen31march"] == 1]
    assert 0.45 < (need == "N1").mean() < 0.62
    reason = _values(details["reasonforclosure"])[~_nulls(details["reasonforclosure"])]
    assert 0.25 < (reason == "RC8").mean() < 0.5 and 0.4 < (reason == "RC7").mean() < 0.7
    # a child's episodes do not all share one source
    person = details["person"][first]
    many = np.flatnonzero(np.bincount(person) >= 3)
    varied = [len(set(source[person == p])) > 1 for p in many[:200]]
    assert np.mean(varied) > 0.5
    plans = relations.cin(life, _relation(catalog, "cin_cpp_2009_to_2021"))
    initial = plans["initialcategoryofabuse"]
    assert 0.42 < (initial == "NEG").mean() < 0.54 and 0.29 < (initial == "EMO").mean() < 0.41
    assert (plans["numberofpreviouscpp"] >= 1).mean() < 0.4


def test_periods_of_care_lie_within_episodes_of_need_and_childhood(life, details,
                                                                   cla_rows) -> None:
    """A looked-after child is a child in need: every period of care lies within one of the
    child's episodes; no episode or period runs past the 18th birthday, and a child's episodes
    do not overlap."""
    in_care = (cla_rows["cla_31_march"] == 1) & (
        cla_rows[relations.YEAR_ATTRIBUTE] >= social_care.CIN_FIRST)
    looked_after = np.char.add(cla_rows["pmr"][in_care].astype(str),
                               cla_rows[relations.YEAR_ATTRIBUTE][in_care].astype(str))
    open_march = details["caseopen31march"] == 1
    in_need = np.char.add(details["pmr"][open_march].astype(str),
                          details[relations.YEAR_ATTRIBUTE][open_march].astype(str))
    assert np.isin(looked_after, in_need).all()
    episodes = social_care.children_in_need(life)
    periods = social_care.looked_after(life)
    care = episodes.take(episodes["care"])
    assert len(care) == len(periods) > 100
    assert (care["referral"] <= periods["start"]).all()
    end = np.where(np.isnat(periods["end"]), np.datetime64("9999-12-31"), periods["end"])
    closure = np.where(np.isnat(care["closure"]), np.datetime64("9999-12-31"), care["closure"])
    assert (end <= closure).all()
    adult = social_care.eighteenth_birthday(life.persons["birth"][episodes["person"]])
    assert (episodes["referral"] >= life.persons["birth"][episodes["person"]]).all()
    assert (np.where(np.isnat(episodes["closure"]), episodes["referral"],
                     episodes["closure"]) <= adult).all()
    same = episodes["person"][1:] == episodes["person"][:-1]
    previous_closure = np.where(np.isnat(episodes["closure"]), np.datetime64("9999-12-31"),
                                episodes["closure"])[:-1]
    assert (episodes["referral"][1:][same] > previous_closure[same]).all()


def test_looked_after_children_match_the_ssda903_return(life, cla_rows) -> None:
    """One row per child and year looked after in it: about 65 per 10,000 children at 31 March,
    a period in every year it covers; care orders (C1, C2) most of those at 31 March, section
    20 (V2) about a fifth, foster placements about 70%; under-1s and teenagers start most."""
    year = cla_rows[relations.YEAR_ATTRIBUTE]
    key = np.char.add(cla_rows["pmr"].astype(str), year.astype(str))
    assert len(np.unique(key)) == len(key)
    march = cla_rows["cla_31_march"] == 1
    at = march & (year == YEAR)
    per_10000 = 1e4 * at.sum() / _children(life, ymd(YEAR + 1, 3, 31))
    assert 45 < per_10000 < 85, per_10000
    status = cla_rows["legal_status"][march]
    assert 0.45 < (status == "C2").mean() < 0.72
    assert np.isin(status, ("C1", "C2")).mean() > 0.6
    assert 0.1 < (status == "V2").mean() < 0.35
    placement = cla_rows["placement"][march]
    foster = np.isin(placement, ("Q1", "Q2", "U1", "U2", "U3", "U4", "U5", "U6"))
    assert 0.6 < foster.mean() < 0.85, foster.mean()
    assert (cla_rows["rec"][march] == "-10").all() and (cla_rows["rec"][~march] != "-10").all()
    periods = social_care.looked_after(life)
    # started in the five years around 2012/13 (about 400 periods)
    started = (periods["start"] >= ymd(YEAR - 2, 4, 1)) & (
        periods["start"] <= ymd(YEAR + 3, 3, 31))
    age = periods["age"][started]
    assert 0.12 < (age < 1).mean() < 0.3 and 0.3 < (age >= 10).mean() < 0.6
    # a period spanning years has a row in each: rows per period start match the years covered
    spans = (cla_rows["poc_start"] < ymd(year, 4, 1)).mean()
    assert spans > 0.5
    assert (cla_rows["poc_length"] >= 0).all()


def test_about_two_in_five_looked_after_children_are_placed_outside_their_la(cla_rows) -> None:
    """cla_PLACE_LOCATION: OUT for about 41% of children (DfE, 31 March 2019), their placement
    LA another LA then, their home LA when IN; the same for a child in every year."""
    out = cla_rows["place_location"] == "OUT"
    assert 0.33 < out.mean() < 0.5, out.mean()
    home = cla_rows["la_placement_anon"] == cla_rows["cla_la_anon"]
    assert (home == ~out).all()
    pmr = cla_rows["pmr"].astype(str)
    for child in np.unique(pmr[out])[:50]:
        assert (out[pmr == child]).all()



def test_care_leavers_were_looked_after_three_months_from_14_and_at_16(life, catalog) -> None:
    """A care leaver (care_leavers) was looked after for 91 days or more after the 14th
    birthday in a period of care lasting to the 16th (checked period by period here), and
    HESA's care leaver marker is 1 for exactly the care leavers among the students, 3 for the
    others."""
    periods = social_care.looked_after(life)
    expected = np.zeros(len(life.persons), dtype=bool)
    for person, start, end in zip(periods["person"], periods["start"], periods["end"],
                                  strict=True):
        birth = life.persons["birth"][person]
        fourteen, sixteen = (social_care.birthday(np.array([birth]), age)[0] for age in (14, 16))
        last = np.datetime64("9999-12-31") if np.isnat(end) else end
        if last >= sixteen and (last - max(start, fourteen)) // np.timedelta64(1, "D") >= 91:
            expected[person] = True
    leavers = social_care.care_leavers(life)
    assert leavers.sum() > 50 and (leavers == expected).all()
    view = _relation(catalog, "hesa_2016")  # (2015/16)
    marker = np.asarray(hesa.student(life, view)["careleaver"])
    years = life.he.years  # (the view's rows: the year's, in order)
    person = years["person"][years["year"] == view.year]
    assert (marker == np.where(leavers[person], "1", "3")).all()
    assert (marker == "1").sum() > 0


def test_children_in_need_over_six_years_are_about_twice_those_of_one_year(life) -> None:
    """Referrals recur for the same children (a child's own term in the hazard): DfE's review
    of children in need (2019) counts 1.6 million children in need at some point from 2012/13
    to 2017/18, about twice the 0.7-0.8 million of one year. Yearly draws alone gave 3.4 times
    as many over six years as in one (30% of children), and the disadvantaged stay most of
    them."""
    episodes = social_care.children_in_need(life)
    closure = np.where(np.isnat(episodes["closure"]), np.datetime64("2100-01-01"),
                       episodes["closure"])
    assessed = ~episodes["nfa"]

    def ever(first: int, last: int) -> np.ndarray:
        open_ = (episodes["referral"] <= ymd(last + 1, 3, 31)) & (closure >= ymd(first, 4, 1))
        return np.unique(episodes["person"][open_ & assessed])

    six, one = ever(2012, 2017), ever(2012, 2012)
    ratio = len(six) / len(one)
    assert 1.6 < ratio < 2.8, ratio
    disadvantage = life.persons["disadvantage"]
    children = disadvantage[life.persons["kind"] == KIND_SCHOOL]
    top_fifth = disadvantage[six] > np.quantile(children, 0.8)
    assert 0.4 < top_fifth.mean() < 0.65, top_fifth.mean()


def _open_on_31_march(spans: Frame, start: str, end: str, person: np.ndarray,
                      year: np.ndarray) -> np.ndarray:
    """For (person, academic year) rows: one of the person's spans (rows of ``spans``, from
    column ``start`` to ``end``, NaT while open) open on 31 March of the year."""
    closure = np.where(np.isnat(spans[end]), np.datetime64("2100-01-01"), spans[end])
    out = np.zeros(len(person), dtype=bool)
    for y in np.unique(year):
        march = ymd(y + 1, 3, 31)
        open_ = (spans[start] <= march) & (closure > march)
        out |= (year == y) & np.isin(person, spans["person"][open_])
    return out


def _in_need_on_31_march(life: LifeCourse, person: np.ndarray, year: np.ndarray) -> np.ndarray:
    """For (person, academic year) rows: in need on 31 March of the year (an episode open then,
    as DfE's outcomes of children in need count them)."""
    return _open_on_31_march(social_care.children_in_need(life), "referral", "closure", person,
                             year)


def test_children_in_need_do_far_worse_at_school(life) -> None:
    """DfE's outcomes of children in need (2018/19): pupils in need on 31 March of their KS4
    year average Attainment 8 of about 21 (looked after 19, on a protection plan 20, other
    children in need 22) against 45-47 for others, and at KS2 (2019) about a quarter of them
    reach the expected standard in reading, writing and maths against two thirds of pupils.
    The family circumstances behind a child's referrals (the child's own term in the hazard)
    go with lower latent ability (``social_care.frailty_ability``); before, the gap came from
    disadvantage and the need trait alone: 10.6 A8 points and 18 pp at KS2 (level 4 in
    English and maths) on this block, 20.5 and 37 pp now."""
    ks4 = life.ks4
    keep = (ks4["year"] >= 2010) & (ks4["year"] <= 2018)
    in_need = _in_need_on_31_march(life, ks4["person"][keep], ks4["year"][keep])
    att8 = ks4["att8"][keep]
    gap = att8[~in_need].mean() - att8[in_need].mean()
    assert in_need.sum() > 300, in_need.sum()
    assert 15 < gap < 32, gap
    em95 = ks4["em_5"][keep]
    assert em95[in_need].mean() < 0.5 * em95[~in_need].mean()
    ks2 = key_stages.assessed_pupils(life, "ks2")
    levels = key_stages.subject_levels(ks2, "ks2")
    years = (ks2["year"] >= 2009) & (ks2["year"] <= 2014)
    level4 = ((levels["english"] >= 4) & (levels["maths"] >= 4))[years]
    in_need = _in_need_on_31_march(life, ks2["person"][years], ks2["year"][years])
    assert 0.22 < level4[~in_need].mean() - level4[in_need].mean() < 0.5


def _looked_after_on_31_march(life: LifeCourse, person: np.ndarray,
                              year: np.ndarray) -> np.ndarray:
    """For (person, academic year) rows: in a period of care on 31 March of the year."""
    return _open_on_31_march(social_care.looked_after(life), "start", "end", person, year)


def test_looked_after_pupils_do_worse_than_other_children_in_need(life) -> None:
    """DfE's outcomes of children in need (2018/19): Attainment 8 about 19 for looked-after
    pupils against 22 for other children in need. Entry to care follows the family's part of
    the referral hazard (``social_care.care_family``); with care by age alone the looked-after
    averaged 26.0 against 26.7 on this block, now 18.6 against 25.9."""
    ks4 = life.ks4
    keep = (ks4["year"] >= 2010) & (ks4["year"] <= 2018)
    person, year, att8 = ks4["person"][keep], ks4["year"][keep], ks4["att8"][keep]
    looked_after = _looked_after_on_31_march(life, person, year)
    other_in_need = _in_need_on_31_march(life, person, year) & ~looked_after
    assert looked_after.sum() > 80, looked_after.sum()
    gap = att8[other_in_need].mean() - att8[looked_after].mean()
    assert 2 < gap < 9, gap
    # both far below other pupils, and the looked-after the more disadvantaged
    others = ~(looked_after | other_in_need)
    assert att8[others].mean() - att8[other_in_need].mean() > 15
    disadvantage = life.persons["disadvantage"][person]
    assert disadvantage[looked_after].mean() > disadvantage[other_in_need].mean()
