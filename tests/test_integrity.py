"""Integrity of a generated extract: keys, references, dates, and coherent life courses."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from leo_synth.engine.generate import BlockState, _init_worker, compute_block
from leo_synth.engine.keys import KeyMaker
from leo_synth.relations.ucas import course_identifier
from leo_synth.simulation.parameters import load_parameters
from leo_synth.simulation.pools import build_pools

PARAMS = load_parameters()


def db_rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def _one(db: Path, sql: str) -> tuple:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchone()


def test_primary_keys_are_unique(small_sqlite) -> None:
    db, summary = small_sqlite
    checked = 0
    for rel in summary.relations:
        if not rel.primary_key:
            continue
        cols = ", ".join(f'"{c}"' for c in rel.primary_key)
        rows, distinct = _one(db, f'SELECT COUNT(*), (SELECT COUNT(*) FROM (SELECT DISTINCT '
                                  f'{cols} FROM "{rel.name}")) FROM "{rel.name}"')
        assert rows == distinct, rel.name
        checked += 1
    assert checked >= 5


RARE = {"exclusions_2005": "2004/05's permanent exclusions only: about 0.13% of pupils, 0.4 "
                           "rows expected at 1,000 persons"}
"""Relations a 1,000-person run may leave empty, as the real extract's rates have it; each has
rows at 10,000 persons (:func:`test_rare_relations_have_rows_in_a_larger_run`)."""


def test_every_relation_has_rows(small_sqlite) -> None:
    _db, summary = small_sqlite
    empty = [name for name, rows in summary.rows.items() if rows == 0]
    assert set(empty) <= set(RARE), empty


def test_rare_relations_have_rows_in_a_larger_run(catalog) -> None:
    persons = 10_000
    relations = [rel for rel in catalog.relations(2) if rel.name in RARE]
    assert len(relations) == len(RARE)
    params = load_parameters(None)
    state = BlockState(7, persons, persons, params, build_pools(7, persons, params),
                       KeyMaker(catalog.keyspaces, 7), relations)
    state.person_relations = list(range(len(relations)))
    _init_worker(state)
    built = compute_block(0)
    assert all(batch.num_rows > 0 for _index, batch, _checksum, _encoded in built), built


@pytest.mark.parametrize("space,lookup,allowed", [
    ("edukey", "learner_ae_id_to_edukey_lookup.EDUKEY", 0.0),
    ("pmr", "learner_ae_id_to_pmr_lookup.PUPILMATCHINGREFANONYMOUS",
     PARAMS["linkage.unmatched_pmr_share"] * 3),
    ("recordid", "education_records_lookup.RECORDID",
     PARAMS["linkage.unmatched_recordid_share"] * 3),
])
def test_keys_resolve_apart_from_designed_unmatched_records(small_sqlite, space, lookup,
                                                            allowed) -> None:
    db, summary = small_sqlite
    table, column = lookup.split(".")
    total = unmatched = 0
    for rel in summary.relations:
        if rel.name == table:
            continue
        for col in rel.columns:
            if col.spec.key != space:
                continue
            rows, missing = _one(db, f'''
                SELECT COUNT(*), COALESCE(SUM(CASE WHEN l."{column}" IS NULL THEN 1 END), 0)
                FROM "{rel.name}" AS r LEFT JOIN "{table}" AS l ON l."{column}" = r."{col.name}"
                WHERE r."{col.name}" IS NOT NULL AND r."{col.name}" <> ''
            ''')
            total += rows
            unmatched += missing
    # Pooled over every relation carrying the key (single small relations are too noisy).
    assert total > 0 and unmatched / total <= allowed, (space, unmatched, total)


def test_some_education_records_stay_unmatched(small_sqlite) -> None:
    db, _ = small_sqlite
    total, unmatched = _one(db, '''
        SELECT COUNT(*), SUM(CASE WHEN l.PUPILMATCHINGREFANONYMOUS IS NULL THEN 1 ELSE 0 END)
        FROM spring_census_2011 c LEFT JOIN learner_ae_id_to_pmr_lookup l
          ON l.PUPILMATCHINGREFANONYMOUS = c.PupilMatchingRefAnonymous_spr11''')
    assert 0 < unmatched < total * 0.05


def test_references_resolve(small_sqlite) -> None:
    db, summary = small_sqlite
    checked = 0
    for rel in summary.relations:
        for col in rel.columns:
            if not col.spec.references:
                continue
            target_table, target_col = col.spec.references.split(".")
            target = next(r for r in summary.relations if r.table.name == target_table)
            dangling = _one(db, f'''
                SELECT COUNT(*) FROM "{rel.name}" r
                WHERE r."{col.name}" IS NOT NULL AND NOT EXISTS (
                    SELECT 1 FROM "{target.name}" t WHERE t."{target_col}" = r."{col.name}")''')[0]
            assert dangling == 0, (rel.name, col.name)
            checked += 1
    assert checked >= 2  # the specs declare references (ILR aims -> learners ...)


def test_several_keys_per_person(small_sqlite) -> None:
    db, _ = small_sqlite
    multi_pmr = _one(db, "SELECT COUNT(*) FROM (SELECT AE_ID FROM learner_ae_id_to_pmr_lookup "
                         "GROUP BY AE_ID HAVING COUNT(*) > 1)")[0]
    multi_edukey = _one(db, "SELECT COUNT(*) FROM (SELECT AE_ID FROM "
                            "learner_ae_id_to_edukey_lookup GROUP BY AE_ID HAVING COUNT(*) > 1)")[0]
    multi_ilr = _one(db, "SELECT COUNT(*) FROM (SELECT AE_ID FROM education_records_lookup "
                         "GROUP BY AE_ID HAVING COUNT(*) > 1)")[0]
    assert multi_pmr > 0 and multi_edukey > 0 and multi_ilr > 0


def test_spells_end_after_they_start(small_sqlite) -> None:
    db, _ = small_sqlite
    assert _one(db, "SELECT COUNT(*) FROM leo_employment WHERE EndDate < StartDate")[0] == 0
    # ... except the benefit spells the realistic profile makes end first, each in the key
    assert (_one(db, "SELECT COUNT(*) FROM leo_benefit WHERE EndDate < StartDate")[0]
            == _one(db, "SELECT COUNT(*) FROM _leo_synth_defects "
                        "WHERE quirk = 'benefit_end_before_start'")[0])
    # ... except the ILR's 1900-01-01 placeholder end dates, each one in the answer key
    assert _one(db, "SELECT COUNT(*) FROM aims WHERE end_date < start_date "
                    "AND end_date <> '1900-01-01'")[0] == 0
    assert (_one(db, "SELECT COUNT(*) FROM aims WHERE end_date = '1900-01-01'")[0]
            == _one(db, "SELECT COUNT(*) FROM _leo_synth_defects WHERE quirk = 'ilr_end_1900'")[0])
    open_ended = _one(db, "SELECT COUNT(*) FROM leo_employment WHERE EndDate = '9999-12-31'")[0]
    assert open_ended > 0


def test_no_spell_starts_after_the_extract_ends(small_sqlite) -> None:
    # the life course runs on past 5 April 2021 (students' part-time jobs began as late as
    # the 2050s), but the extract holds nothing that had not begun by then
    db, _ = small_sqlite
    for relation in ("leo_employment", "leo_benefit"):
        late = _one(db, f"SELECT COUNT(*), MAX(StartDate) FROM {relation} "
                        f"WHERE StartDate > '2021-04-05'")
        assert late[0] == 0, (relation, late)


def test_no_benefit_spell_starts_before_the_benefit_began(small_sqlite) -> None:
    # JSA began in October 1996, IB in April 1995, DLA in April 1992: claims of older
    # learners' earlier unemployment or ill health started in 1969-1980 before
    db, _ = small_sqlite
    began = {"JSA": "1996-10-07", "IB": "1995-04-13", "DLA": "1992-04-06", "IS": "1988-04-11",
             "ESA": "2008-10-27", "PIP": "2013-04-08"}
    for code, day in began.items():
        early = _one(db, f"SELECT COUNT(*), MIN(StartDate) FROM leo_benefit "
                         f"WHERE Benefit_type = '{code}' AND StartDate < '{day}'")
        assert early[0] == 0, (code, early)


def test_only_pupils_no_longer_on_roll_have_left(small_sqlite) -> None:
    # every census record had a leaving date drawn in the year, 35% of them before census day
    # although the pupil was on roll
    db, _ = small_sqlite
    for table, y in (("spring_census_2015", "spr15"), ("autumn_census_2012", "aut12"),
                     ("summer_census_2010", "sum10")):
        on_roll, left = _one(db, f"SELECT SUM(OnRoll_{y} = 1 AND LeavingDate_{y} IS NOT NULL), "
                                 f"SUM(OnRoll_{y} = 0 AND LeavingDate_{y} IS NULL) FROM {table}")
        assert (on_roll, left) == (0, 0), table
        assert _one(db, f"SELECT COUNT(*) FROM {table} WHERE LeavingDate_{y} >= CensusDate_{y} "
                        f"OR LeavingDate_{y} < EntryDate_{y}")[0] == 0
    # an absence record has a leaving date only where a move within the year ended it
    # (test_a_move_within_the_year_ends_the_record_of_the_school_left)
    assert _one(db, "SELECT COUNT(*) FROM Absence_2015_3term WHERE LeavingDate_ab15 IS NOT NULL "
                    "AND (LeavingDate_ab15 < EntryDate_ab15 OR LeavingDate_ab15 > '2015-08-31' "
                    "OR OnRoll_3_ab15 = 1)")[0] == 0


def test_child_protection_conferences_and_services_fall_in_their_episode(small_sqlite) -> None:
    db, _ = small_sqlite
    outside = _one(db, "SELECT COUNT(*) FROM cin_2009_to_2021 WHERE CIN_DateOfInitialCPC "
                       "< CIN_CINReferralDate OR CIN_DateOfInitialCPC > CIN_CINClosureDate")[0]
    # a conference starts each plan: no more of them than the plans' table has rows (every
    # episode had one before, 60% of them)
    conferences = _one(db, "SELECT COUNT(CIN_DateOfInitialCPC) FROM cin_2009_to_2021")[0]
    without_plan = max(conferences - _one(db, "SELECT COUNT(*) FROM cin_cpp_2009_to_2021")[0], 0)
    backwards = _one(db, "SELECT COUNT(*) FROM cin_service_provision_2009_to_2021 "
                         "WHERE ServiceProvisionEndDate < ServiceProvisionStartDate")[0]
    assert (outside, without_plan, backwards) == (0, 0, 0)


def test_ilr_aims_start_by_the_end_of_their_academic_year(small_sqlite) -> None:
    # the start months ran September to August: a month late, and some aims of a year's
    # return started in the next academic year
    db, _ = small_sqlite
    late = _one(db, "SELECT COUNT(*) FROM aims WHERE start_date > (Year + 1) || '-07-31'")[0]
    september = _one(db, "SELECT COUNT(*) FROM aims WHERE strftime('%m', start_date) = '09'")[0]
    october = _one(db, "SELECT COUNT(*) FROM aims WHERE strftime('%m', start_date) = '10'")[0]
    assert late == 0 and september > 2 * october


def test_an_ilr_aim_continuing_at_the_years_end_is_returned_the_next_year(small_sqlite) -> None:
    # an aim ending in August was continuing at 31 July (the ILR's year end) but was repeated
    # only into the school year's years (September to August), so it had no row in the next
    # year: continuing for ever, its completion and outcome never returned (no aim ended in
    # an August)
    db, _ = small_sqlite
    lost = _one(db, """SELECT COUNT(*) FROM aims a WHERE a.Compstatus = 1 AND a.Year < 2020
                         AND NOT EXISTS (SELECT 1 FROM aims b WHERE b.learner_id = a.learner_id
                                         AND b.learning_aim_id = a.learning_aim_id
                                         AND b.start_date = a.start_date
                                         AND b.Year = a.Year + 1)""")[0]
    august, july = _one(db, """SELECT SUM(strftime('%m', end_date) = '08'),
                                      SUM(strftime('%m', end_date) = '07')
                               FROM aims WHERE end_date > '1901-01-01'""")
    assert lost == 0 and 0 < july < 20 * august


def test_no_one_is_paid_by_an_enterprise_before_it_commenced(small_sqlite) -> None:
    # employers were drawn from the whole IDBR pool whatever the year, their birth months
    # from today's ages: most 2003/04 earnings were paid by an enterprise born years later
    db, _ = small_sqlite
    early, rows = _one(db, """SELECT SUM(i.Birth_month > (CAST(substr(e.TaxYear, 1, 4) AS INT)
                                                          + 1) || '-04-05'), COUNT(*)
                              FROM leo_earnings e JOIN idbr_lookup i
                                ON i.ENTKEY = e.main_enterprise AND i.SourceYear = '2020'""")
    years = _one(db, "SELECT COUNT(DISTINCT substr(Birth_month, 1, 4)) FROM idbr_lookup")[0]
    assert rows > 0 and early == 0 and years > 10


def test_ucas_applicants_are_of_their_school_aligned_age(small_sqlite) -> None:
    # every applicant was 18, gap-year applicants too
    db, _ = small_sqlite
    ages = _one(db, """SELECT SUM(u.applicant_age <> u.application_cycle - c.YearOfBirth_spr10
                                  - (c.MonthOfBirth_spr10 > 8)),
                              COUNT(*), COUNT(DISTINCT u.applicant_age)
                       FROM ucas_2007_to_2021 u JOIN spring_census_2010 c
                         ON c.PupilMatchingRefAnonymous_spr10 = u.PupilMatchingRefAnonymous""")
    assert ages[0] == 0 and ages[1] > 0 and ages[2] > 1


def test_a_ucas_course_is_one_providers_course_in_one_subject(small_sqlite) -> None:
    """course_identifier names a provider's course: one tariff group, region and subject per
    code; an applicant's choices are mostly different courses, and courses are shared."""
    db, _ = small_sqlite
    row = _one(db, """SELECT count(*), max(t), max(r), max(s) FROM (
                          SELECT course_identifier, count(DISTINCT he_provider_tariff_group) t,
                                 count(DISTINCT he_provider_uk_region) r,
                                 count(DISTINCT jacs3_sub_line_code) s
                          FROM ucas_2007_to_2021 GROUP BY course_identifier)""")
    assert row[0] > 50 and row[1:] == (1, 1, 1), row
    row = _one(db, """SELECT avg(courses * 1.0 / choices), max(applicants) FROM (
                          SELECT count(DISTINCT course_identifier) courses, count(*) choices,
                                 0 applicants
                          FROM ucas_2007_to_2021 GROUP BY applicant_id, application_cycle
                          UNION ALL SELECT NULL, NULL, count(DISTINCT applicant_id)
                          FROM ucas_2007_to_2021 GROUP BY course_identifier)""")
    assert row[0] > 0.9 and row[1] > 1, row
    assert _one(db, """SELECT sum(course_identifier <> course_identifier_june30_deadline)
                       FROM ucas_2007_to_2021""")[0] == 0


def test_a_ucas_decision_and_its_code_agree(small_sqlite) -> None:
    db, _ = small_sqlite
    # (the label was drawn apart from the code: a third of the choices were "Unconditional
    # offer" in every cycle, and "Rejected" sat beside the code C)
    rows, disagree, early = _one(db, """
        SELECT COUNT(*),
               SUM(CASE june30_hep_decision_code WHEN 'C' THEN 'Conditional offer'
                   WHEN 'U' THEN 'Unconditional offer' ELSE 'Rejected' END
                   <> provider_decision_june30),
               SUM(application_cycle < 2013
                   AND provider_decision_june30 = 'Unconditional offer')
        FROM ucas_2007_to_2021""")
    assert rows > 100 and disagree == 0 and early == 0


def test_a_placed_ucas_applicant_has_one_acceptance_by_its_route(small_sqlite) -> None:
    """Each placed applicant's place is held by one application, whose route says how: mostly
    the firm choice, also insurance, Clearing and others (every place was the firm choice);
    an application made after June 30 has no decision at the deadline; mature applicants
    apply too (every applicant was 18 or 19)."""
    db, _ = small_sqlite
    row = _one(db, """SELECT count(*), sum(places <> 1) FROM (
                          SELECT sum(acceptance_route <> '') places FROM ucas_2007_to_2021
                          WHERE accept_flag = 1 GROUP BY applicant_id, application_cycle)""")
    assert row[0] > 50 and row[1] == 0, row
    routes = dict(db_rows(db, """SELECT acceptance_route, count(*) FROM ucas_2007_to_2021
                                 WHERE acceptance_route <> '' GROUP BY 1"""))
    placed = sum(routes.values())
    assert 0.6 < routes["Firm choice"] / placed < 0.9
    assert {"Insurance choice", "Main Scheme Clearing"} <= set(routes)
    row = _one(db, """SELECT count(*), sum(june30_hep_decision_code IS NOT NULL),
                             sum(main_scheme_application_flag)
                      FROM ucas_2007_to_2021
                      WHERE application_route IN ('Clearing', 'Extra', 'Adjustment')
                        AND acceptance_route <> ''""")
    assert row[0] > 5 and row[1:] == (0, 0), row
    assert _one(db, "SELECT count(*) FROM ucas_2007_to_2021 WHERE applicant_age > 20")[0] > 0


def test_a_ucas_applicant_accepts_only_offers(small_sqlite) -> None:
    """At June 30 an applicant holds firm and insurance only offers, an insurance only beside
    a firm choice, and makes no reply to a rejection (a twelfth of choices held a rejection
    firm or as insurance, and unplaced applicants an insurance without a firm choice); the
    application holding a place was not declined."""
    db, _ = small_sqlite
    row = _one(db, """SELECT count(*),
                             sum(june30_app_response_code IS NOT NULL
                                 AND june30_hep_decision_code = 'R'),
                             sum(app_response_june30 IN ('Firm', 'Insurance')
                                 AND provider_decision_june30 = 'Rejected'),
                             sum(acceptance_route <> '' AND app_response_june30 = 'Declined'),
                             sum(june30_app_response_code = 'F'),
                             sum(june30_app_response_code = 'I')
                      FROM ucas_2007_to_2021""")
    assert row[0] > 500 and row[1:4] == (0, 0, 0) and row[4] > 50 and row[5] > 20, row
    row = _one(db, """SELECT count(*), sum(f > 1 OR i > 1), sum(i = 1 AND f = 0) FROM (
                          SELECT sum(june30_app_response_code = 'F') f,
                                 sum(june30_app_response_code = 'I') i
                          FROM ucas_2007_to_2021 GROUP BY applicant_id, application_cycle)""")
    assert row[0] > 50 and row[1:] == (0, 0), row


def test_a_ucas_applicant_sends_one_form_from_their_school(small_sqlite) -> None:
    """The applicant's characteristics are the applicant's: one class (NS-SEC) and one centre
    type in every application and cycle, one date for the main scheme choices of a cycle; the
    centre is the KS5 school (an academy in its KS5 year is "Academy" unless selective; a
    vocational student's is an FE college, an A level student's of a sixth-form college that
    college), and a person the NPD never held applied from an independent school."""
    db, _ = small_sqlite
    row = _one(db, """SELECT count(*), max(classes), max(centres) FROM (
                          SELECT count(DISTINCT applicant_socioecon2010_code) classes,
                                 count(DISTINCT apply_centre_type) centres
                          FROM ucas_2007_to_2021 GROUP BY PupilMatchingRefAnonymous)""")
    assert row[0] > 50 and row[1:] == (1, 1), row
    row = _one(db, """SELECT count(*), max(dates) FROM (
                          SELECT count(DISTINCT application_date) dates FROM ucas_2007_to_2021
                          WHERE application_route = 'Main scheme'
                          GROUP BY applicant_id, application_cycle)""")
    assert row[0] > 50 and row[1] == 1, row
    row = _one(db, """
        SELECT count(*),
               sum(CASE WHEN CAST(coalesce(nullif(k.KS5_ADMPOL, ''), k.KS5_NEW_TYPE) AS TEXT)
                             = '2'
                        THEN u.apply_centre_type <> 'State: Grammar'
                        WHEN k.KS5_NFTYPE IN (20, 51, 53) THEN u.apply_centre_type <> 'Academy'
                        ELSE u.apply_centre_type <> 'State: Comprehensive' END)
        FROM (SELECT DISTINCT PupilMatchingRefAnonymous, apply_centre_type
              FROM ucas_2007_to_2021) u
        JOIN KS5Student_2002_to_2021 k
          ON k.KS5_PupilMatchingRefAnonymous = u.PupilMatchingRefAnonymous
        WHERE u.apply_centre_type NOT IN ('FE college', 'Sixth form college')
          AND k.KS5_NFTYPE IS NOT NULL
          AND coalesce(nullif(k.KS5_ADMPOL, ''), k.KS5_NEW_TYPE) IS NOT NULL""")
    assert row[0] > 20 and row[1] == 0, row
    row = _one(db, """
        SELECT sum(k.KS5_NEW_TYPE = 6),
               sum((k.KS5_NEW_TYPE = 6) <> (u.apply_centre_type = 'Sixth form college'))
        FROM (SELECT DISTINCT PupilMatchingRefAnonymous, apply_centre_type
              FROM ucas_2007_to_2021) u
        JOIN KS5Student_2002_to_2021 k
          ON k.KS5_PupilMatchingRefAnonymous = u.PupilMatchingRefAnonymous
        WHERE k.KS5_NEW_TYPE IS NOT NULL""")
    assert row[0] > 5 and row[1] == 0, row
    row = _one(db, """
        SELECT count(*), sum(u.apply_centre_type <> 'Independent')
        FROM (SELECT DISTINCT PupilMatchingRefAnonymous, apply_centre_type
              FROM ucas_2007_to_2021) u
        WHERE NOT EXISTS (SELECT 1 FROM KS4Pupil_2015_to_2021 k
                          WHERE k.KS4_PupilMatchingRefAnonymous = u.PupilMatchingRefAnonymous)
          AND NOT EXISTS (SELECT 1 FROM KS4Pupil_2002_to_2014 k
                          WHERE k.KS4_PupilMatchingRefAnonymous = u.PupilMatchingRefAnonymous)
          AND NOT EXISTS (SELECT 1 FROM KS5Student_2002_to_2021 k
                          WHERE k.KS5_PupilMatchingRefAnonymous = u.PupilMatchingRefAnonymous)""")
    assert row[0] > 5 and row[1] <= row[0] * 0.3, row


def test_course_codes_are_one_per_provider_and_subject() -> None:
    provider, subject = np.repeat(np.arange(400), 160), np.tile(np.arange(160), 400)
    codes = course_identifier(provider, subject, 160)
    assert len(set(codes.tolist())) == len(codes)
    assert all(len(c) == 8 and c.startswith("SYNC") and c[4:].isalnum() for c in codes[::97])
    with pytest.raises(ValueError, match="course codes"):
        course_identifier(np.array([36**4]), np.array([0]), 1)


def test_nccis_dates_follow_the_activity(small_sqlite) -> None:
    # each was a date drawn in the year: course end dates for NEETs, Youth Contract starts
    # for those not on it, currency lapsing before the activity was verified
    db, _ = small_sqlite
    wrong = _one(db, """SELECT
        SUM(NCCIS_Expected_Course_End_Date IS NOT NULL
            AND NOT (NCCIS_Current_Activity_Code BETWEEN 200 AND 399)),
        SUM(NCCIS_Youth_Contract_start_date IS NOT NULL
            AND NCCIS_Youth_Contract_Indicator <> 'Y'),
        SUM(NCCIS_Currency_Due_to_Lapse_Date <= NCCIS_Current_Activity_Verification_Date)
        FROM nccis_2011_to_2021""")
    # ... but the realistic profile's conflicting second activities (each in the answer key)
    conflicts = _one(db, "SELECT COUNT(*) FROM _leo_synth_defects "
                         "WHERE quirk = 'nccis_conflict'")[0]
    assert wrong[0] <= conflicts and wrong[1:] == (0, 0)


def test_a_move_within_the_year_makes_an_absence_record_at_each_school(small_sqlite) -> None:
    """A pupil who changes school within a year has two absence records that year, one at each
    school: the school left (on roll up to the day of the move) and the school joined (its
    EntryDate the day of the move). Their sessions possible add up to about a whole year's
    (380 less the days a school is closed); exactly one record of every pupil-year is the main
    record, the one with more sessions possible; and exactly one of a mover's records is on
    roll on spring census day (OnRoll_1 = 1): the other had left before it (0, the autumn term
    at the school left) or joined after it (NULL: the spring census did not return it)."""
    db, _ = small_sqlite
    movers = 0
    for year in range(2008, 2019):
        yy = f"{(year + 1) % 100:02d}"
        # (the summer term's second half has a column of its own from 2012/13)
        sessions = " + ".join(f"a.SessionsPossible_{term}_ab{yy}" for term in (
            "Autumn", "Spring", "Summer", *(("Summer6th",) if year >= 2012 else ())))
        pupils = f"""SELECT PupilMatchingRefAnonymous_ab{yy} AS pmr, COUNT(*) AS records,
                            SUM(MainRecord_ab{yy}) AS main,
                            COUNT(DISTINCT LAEstab_ANON_ab{yy}) AS schools,
                            SUM({sessions}) AS possible,
                            SUM(OnRoll_1_ab{yy} = 1) AS on_census_day,
                            MAX({sessions}) AS most, MAX(EntryDate_ab{yy}) AS joined
                     FROM Absence_{year + 1}_3term a GROUP BY 1"""
        n, two, bad_main, bad_pair = _one(db, f"""
            SELECT COUNT(*), SUM(records = 2), SUM(main <> 1),
                   SUM(records = 2 AND (schools <> 2 OR possible NOT BETWEEN 360 AND 382
                                        OR on_census_day <> 1))
            FROM ({pupils})""")
        assert n > 0 and (bad_main, bad_pair) == (0, 0), year
        # the main record has the most sessions possible; the record left before census day
        # has no sessions after it; the school joined's entry date is within the year
        wrong = _one(db, f"""
            SELECT SUM(a.MainRecord_ab{yy} = 1 AND {sessions} < p.most),
                   SUM(a.OnRoll_1_ab{yy} = 0 AND a.SessionsPossible_Summer_ab{yy} > 0),
                   SUM(a.EntryDate_ab{yy} = p.joined
                       AND a.EntryDate_ab{yy} NOT BETWEEN '{year}-09-02' AND '{year + 1}-07-31')
            FROM Absence_{year + 1}_3term a
            JOIN ({pupils}) p ON p.pmr = a.PupilMatchingRefAnonymous_ab{yy} AND p.records = 2""")
        assert all(value in (0, None) for value in wrong), (year, wrong)
        movers += two
    assert movers > 15


def test_a_move_within_the_year_ends_the_record_of_the_school_left(small_sqlite) -> None:
    """The absence record of the school a pupil left within the year has its leaving date,
    the day before the pupil's entry date at the school joined (the year's other record);
    every other record's is NULL (an enrolment that goes on after the year or ends with it).
    Every record's was NULL, for a reason that was not so (no move within the year)."""
    db, _ = small_sqlite
    moves = 0
    for year in range(2005, 2021):
        if year == 2019:  # 2019/20 absence is not shared
            continue
        yy = f"{(year + 1) % 100:02d}"
        view = f"Absence_{year + 1}_3term"
        pupils = f"""SELECT PupilMatchingRefAnonymous_ab{yy} AS pmr, COUNT(*) AS records,
                            COUNT(LeavingDate_ab{yy}) AS left_dated
                     FROM {view} GROUP BY 1"""
        pairs, dated, single_dated = _one(db, f"""
            SELECT SUM(records = 2), SUM(records = 2 AND left_dated = 1),
                   SUM(records = 1 AND left_dated > 0) FROM ({pupils})""")
        apart = _one(db, f"""
            SELECT COUNT(*) FROM {view} l JOIN {view} j
              ON j.PupilMatchingRefAnonymous_ab{yy} = l.PupilMatchingRefAnonymous_ab{yy}
             AND j.LeavingDate_ab{yy} IS NULL
            WHERE l.LeavingDate_ab{yy} IS NOT NULL
              AND l.LeavingDate_ab{yy} <> date(j.EntryDate_ab{yy}, '-1 day')""")[0]
        assert (dated, single_dated, apart) == (pairs, 0, 0), year
        moves += pairs or 0
    assert moves > 15


def test_the_autumn_census_returns_a_leavers_summer_term_as_no_longer_on_roll(
        small_sqlite) -> None:
    """The summer term's absence is collected by the next autumn census: a primary school's
    Year 6 pupils, who have gone on to secondary school, are in its "no longer on roll" table
    (OnRoll_3 = 0), and nearly all Year 1 to 5 pupils are still on roll (1)."""
    db, _ = small_sqlite
    year_6 = 0
    for year in range(2013, 2019):
        yy = f"{(year + 1) % 100:02d}"
        leavers, left, younger, staying = _one(db, f"""
            SELECT SUM(NCyearActual_ab{yy} = '6'),
                   SUM(NCyearActual_ab{yy} = '6' AND OnRoll_3_ab{yy} = 0),
                   SUM(NCyearActual_ab{yy} IN ('1', '2', '3', '4', '5')),
                   SUM(NCyearActual_ab{yy} IN ('1', '2', '3', '4', '5') AND OnRoll_3_ab{yy} = 1)
            FROM Absence_{year + 1}_3term WHERE Phase_ab{yy} = 'PS'""")
        assert left == leavers and staying > 0.9 * younger, year
        year_6 += leavers
    assert year_6 > 50


def test_sixth_formers_keep_free_school_meals_from_year_11(small_sqlite) -> None:
    """A sixth former (Year 12 or 13 in the spring census) is eligible for free school meals
    only if eligible in the year before (Year 11 or 12), and some are: sixth formers were all
    recorded ineligible."""
    db, _ = small_sqlite
    eligible = pupils = 0
    for year in range(2012, 2020):
        yy, prev = f"{(year + 1) % 100:02d}", f"{year % 100:02d}"
        n, fsm, newly = _one(db, f"""
            SELECT count(*), sum(c.FSMeligible_spr{yy} = 1),
                   sum(c.FSMeligible_spr{yy} = 1 AND p.FSMeligible_spr{prev} = 0)
            FROM spring_census_{year + 1} c
            JOIN spring_census_{year} p
              ON p.PupilMatchingRefAnonymous_spr{prev} = c.PupilMatchingRefAnonymous_spr{yy}
             AND p.RecordStatus_spr{prev} IS NOT 101
            WHERE c.NCyearActual_spr{yy} IN ('12', '13') AND c.RecordStatus_spr{yy} IS NOT 101""")
        assert newly in (0, None), year
        eligible, pupils = eligible + (fsm or 0), pupils + n
    assert pupils > 100 and eligible > 5


def test_absence_and_exclusions_have_the_census_entry_date(small_sqlite) -> None:
    db, _ = small_sqlite
    for table, column, pmr in (("Absence_2015_3term", "EntryDate_ab15",
                                "PupilMatchingRefAnonymous_ab15"),
                               ("exclusions_table_2_2015", "EntryDate_ex15",
                                "PupilMatchingRefAnonymous_ex15")):
        # (an absence record per enrolment: the one on roll on spring census day)
        on_roll = " AND t.OnRoll_1_ab15 = 1" if table.startswith("Absence") else ""
        differ = _one(db, f"SELECT COUNT(*), SUM(t.{column} <> c.EntryDate_spr15) FROM {table} t "
                          f"JOIN spring_census_2015 c ON c.PupilMatchingRefAnonymous_spr15 = "
                          f"t.{pmr} AND c.RecordStatus_spr15 IS NOT 101{on_roll}")
        assert differ[0] > 0 and differ[1] == 0, table


def test_only_excluded_pupils_have_an_exclusion_date(small_sqlite) -> None:
    # every KS4 pupil and KS5 student had one, drawn in the year
    db, _ = small_sqlite
    dated, excluded, pupils = _one(db, "SELECT COUNT(KS4_EXCLDATE), SUM(KS4_NORFLAGE = 1), "
                                       "COUNT(*) FROM KS4Pupil_2015_to_2021")
    assert pupils > 0 and dated == excluded
    assert _one(db, "SELECT COUNT(KS5_EXCLDATE) FROM KS5Student_2002_to_2021")[0] == 0


def test_uncertain_dates_use_the_tax_year_defaults(small_sqlite) -> None:
    db, _ = small_sqlite
    bad_start = _one(db, "SELECT COUNT(*) FROM leo_employment WHERE UncertainStartDate = 1 "
                         "AND strftime('%m-%d', StartDate) <> '04-06'")[0]
    bad_end = _one(db, "SELECT COUNT(*) FROM leo_employment WHERE UncertainEndDate = 1 "
                       "AND strftime('%m-%d', EndDate) <> '04-05'")[0]
    assert bad_start == 0 and bad_end == 0


def test_pupils_sit_ks4_at_15_at_the_start_of_the_year(small_sqlite) -> None:
    db, _ = small_sqlite
    rows = _one(db, """SELECT COUNT(*), SUM(CASE WHEN
        CAST(substr(KS4_ACADYR, 1, 4) AS INT) - KS4_YEAROFBIRTH - (KS4_MONTHOFBIRTH >= 9)
        = 15 THEN 1 ELSE 0 END) FROM KS4Pupil_2015_to_2021""")
    assert rows[0] > 0 and rows[0] == rows[1]


def test_ks4_pupils_are_in_year_11_of_that_years_census(small_sqlite) -> None:
    db, _ = small_sqlite
    total, found = _one(db, """SELECT COUNT(*), SUM(CASE WHEN c.PupilMatchingRefAnonymous_spr17
        IS NOT NULL THEN 1 ELSE 0 END) FROM KS4Pupil_2015_to_2021 k
        LEFT JOIN (SELECT DISTINCT PupilMatchingRefAnonymous_spr17 FROM spring_census_2017
                   WHERE NCyearActual_spr17 = '11') c
          ON c.PupilMatchingRefAnonymous_spr17 = k.KS4_PupilMatchingRefAnonymous
        WHERE k.KS4_ACADYR = '2016/2017'""")
    assert total > 0 and found == total


PERSON_BIRTH = """
    WITH birth AS (
        SELECT l.AE_ID, MIN(c.YearOfBirth_spr11 * 12 + c.MonthOfBirth_spr11 - 1) AS born
        FROM spring_census_2011 c
        JOIN learner_ae_id_to_pmr_lookup l
          ON l.PUPILMATCHINGREFANONYMOUS = c.PupilMatchingRefAnonymous_spr11
        GROUP BY l.AE_ID)
"""


def test_employment_starts_after_age_16(small_sqlite) -> None:
    db, _ = small_sqlite
    total, too_young = _one(db, PERSON_BIRTH + """
        SELECT COUNT(*), SUM(CASE WHEN CAST(strftime('%Y', e.StartDate) AS INT) * 12
                   + CAST(strftime('%m', e.StartDate) AS INT) - 1 < b.born + 16 * 12
                 THEN 1 ELSE 0 END)
        FROM birth b JOIN learner_ae_id_to_edukey_lookup k ON k.AE_ID = b.AE_ID
        JOIN leo_employment e ON e.EduKey = k.EDUKEY""")
    assert total > 100 and too_young == 0


def test_earnings_only_in_tax_years_with_employment(small_sqlite) -> None:
    db, _ = small_sqlite
    total, orphan = _one(db, """
        SELECT COUNT(*), SUM(CASE WHEN NOT EXISTS (
            SELECT 1 FROM leo_employment e WHERE e.EduKey = r.Edukey
              AND e.StartDate <= (CAST(r.TaxYear / 100 + 1 AS TEXT) || '-04-05')
              AND e.EndDate >= (CAST(r.TaxYear / 100 AS TEXT) || '-04-06')) THEN 1 ELSE 0 END)
        FROM leo_earnings r""")
    assert total > 100 and orphan == 0


def test_no_part_of_a_years_earnings_exceeds_its_total(small_sqlite) -> None:
    db, _ = small_sqlite
    # (a total set to 0 beside a main enterprise that earned 17,000 pounds: the zeroed rows
    # kept their parts' positive pay; now their pay records are refunds, netting below 0)
    zeroed, above, negative = _one(db, """
        SELECT SUM(Earnings = 0),
               SUM(enterprise_earnings > Earnings OR Section_Earnings > Earnings
                   OR SIC_Earnings > Earnings),
               SUM(Earnings = 0 AND enterprise_earnings < 0 AND Section_Earnings < 0
                   AND SIC_Earnings < 0)
        FROM leo_earnings""")
    assert zeroed > 0 and above == 0 and negative == zeroed


def test_full_time_students_do_not_claim_out_of_work_benefits(small_sqlite) -> None:
    db, _ = small_sqlite
    # (gaps between the jobs students hold during full-time HE were claims: 3% of full-time
    # students were on an out-of-work benefit on 1 December, half of them on JSA)
    students, claiming = 0, 0
    for year in range(2010, 2020):
        found = _one(db, f"""
            WITH s AS (SELECT DISTINCT p.AE_ID FROM hesa_{year + 1} h
                       JOIN learner_ae_id_to_pmr_lookup p
                         ON p.PUPILMATCHINGREFANONYMOUS = h.HE_PUPILMATCHINGREFANONYMOUS
                       WHERE h.HE_XMODE01 = 1)
            SELECT COUNT(*), SUM(EXISTS (
                SELECT 1 FROM leo_benefit b
                JOIN learner_ae_id_to_edukey_lookup k ON k.EDUKEY = b.EduKey
                WHERE k.AE_ID = s.AE_ID AND b.Out_of_work_benefit = 1
                  AND b.StartDate <= '{year}-12-01' AND b.EndDate >= '{year}-12-01'))
            FROM s""")
        students, claiming = students + found[0], claiming + (found[1] or 0)
    assert students > 100 and claiming <= students * 0.005


def test_seiss_holds_the_three_grants_paid_in_2020_21(small_sqlite) -> None:
    db, _ = small_sqlite
    # (grants 4 and 5 were claimed from April and July 2021; rows held five grants, claimed
    # in February and March 2021, and totals up to 5 x 7,500 pounds)
    rows, outside, over, weeks = _one(db, """
        SELECT COUNT(*),
               SUM(SUBSTR(SEISS_EOM_IND, 1, 1) || SUBSTR(SEISS_EOM_IND, 3, 2)
                   || SUBSTR(SEISS_EOM_IND, 6, 2) || SUBSTR(SEISS_EOM_IND, 9) <> '000000000'),
               SUM(SEISS_TOT_AMT > 7500 + 6570 + 7500),
               SUM(SEISS_TOT_WKS NOT IN (12, 24, 36))
        FROM leo_seiss""")
    assert rows > 5 and outside == 0 and over == 0 and weeks == 0


def test_out_of_work_benefits_are_mostly_not_during_employment(small_sqlite) -> None:
    db, _ = small_sqlite
    total, overlapping = _one(db, """
        SELECT COUNT(*), SUM(CASE WHEN EXISTS (
            SELECT 1 FROM leo_employment e WHERE e.EduKey = b.EduKey
              AND e.StartDate <= date(b.StartDate, '+30 days')
              AND e.EndDate >= date(b.StartDate, '+30 days')) THEN 1 ELSE 0 END)
        FROM leo_benefit b WHERE b.Out_of_work_benefit = 1
          AND b.Benefit_type IN ('JSA', 'UAA')""")
    assert total > 20 and overlapping / total < 0.15


def _with_census(stage: str, year: int, school: str = "LAESTAB_anon",
                 pmr: str = "PupilMatchingRefAnonymous") -> str:
    """A key stage table's rows of academic year ``year`` joined to the spring census of that
    year by pupil and school (the census's main records with an entry date)."""
    yy, end = f"{(year + 1) % 100:02d}", year + 1
    tables = {"KS2": "KS2Pupil_1996_to_2016", "KS3": "KS3Pupil_1998_to_2013",
              "KS4": "KS4Pupil_2002_to_2014" if year < 2014 else "KS4Pupil_2015_to_2021"}
    return (f"{tables[stage]} k JOIN spring_census_{end} c "
            f"ON c.PupilMatchingRefAnonymous_spr{yy} = k.{stage}_{pmr} "
            f"AND c.LAEstab_anon_spr{yy} = k.{stage}_{school} "
            f"AND c.RecordStatus_spr{yy} IS NOT 101 AND c.EntryDate_spr{yy} IS NOT NULL "
            f"WHERE k.{stage}_ACADYR = '{year}/{end}'")


def test_mobility_flags_read_the_census_entry_date(small_sqlite) -> None:
    """The key stages' mobility flags and entry dates are the spring census's EntryDate of the
    pupil at the same school, as the VRF defines them: KS4_MOB1 an entry in Year 10 or 11,
    KS4_MOB2 one in a month other than July to September, KS4_NEWMOBILE and KS2_NEWMOBILE one
    after 12 September of Year 10 (Year 5), KS3_MOB2 one in Year 7 or 8 outside July to
    September; KS2_ENTRYDAT and KS4_ENTRYDAT the date itself."""
    db, _ = small_sqlite
    month = "CAST(substr(c.EntryDate_spr{yy}, 6, 2) AS INT) NOT IN (7, 8, 9)"
    checks = []
    for year in range(2006, 2013):
        yy = f"{(year + 1) % 100:02d}"
        entry = f"c.EntryDate_spr{yy}"
        checks.append(("KS4", year, f"k.KS4_MOB2 <> ({month.format(yy=yy)}) "
                                    f"OR k.KS4_MOB1 <> ({entry} >= '{year - 1}-09-01')"))
        checks.append(("KS3", year, f"k.KS3_MOB2 <> ({entry} >= '{year - 2}-09-01' "
                                    f"AND {entry} < '{year}-09-01' AND {month.format(yy=yy)})"))
    for year in range(2011, 2015):
        yy = f"{(year + 1) % 100:02d}"
        checks.append(("KS2", year, f"k.KS2_NEWMOBILE <> (c.EntryDate_spr{yy} > "
                                    f"'{year - 1}-09-12')"))
    for year in (2014, 2015, 2016, 2017):
        yy = f"{(year + 1) % 100:02d}"
        date = f"CAST(replace(c.EntryDate_spr{yy}, '-', '') AS INT)"
        checks.append(("KS4", year, f"k.KS4_ENTRYDAT <> {date} OR k.KS4_NEWMOBILE <> "
                                    f"(c.EntryDate_spr{yy} > '{year - 1}-09-12')"))
    checks.append(("KS2", 2014, "k.KS2_ENTRYDAT <> "
                                "CAST(replace(c.EntryDate_spr15, '-', '') AS INT)"))
    rows = in_year = 0
    for stage, year, wrong in checks:
        pmr = "PUPILMATCHINGREFANONYMOUS" if stage == "KS3" else "PupilMatchingRefAnonymous"
        yy = f"{(year + 1) % 100:02d}"
        n, bad, moved = _one(db, f"SELECT COUNT(*), SUM({wrong}), "
                                 f"SUM(substr(c.EntryDate_spr{yy}, 6, 5) <> '09-01') "
                                 f"FROM {_with_census(stage, year, pmr=pmr)}")
        assert bad in (0, None), (stage, year)
        rows += n
        in_year += moved or 0
    assert rows > 300 and in_year > 20


def test_key_stage_4_and_absence_rows_carry_the_census_school(small_sqlite) -> None:
    """A pupil's KS4 row and absence record of a year (the enrolment on roll on spring census
    day) carry the school whose roll the spring census of that year has the pupil on: LAESTAB,
    URN and LA (and the absence record's phase) equal the census's, a pupil referral unit's for
    a pupil on a unit's roll (units joined the census in 2013/14; the KS4 row then has the
    unit's ToE_CODE 14 and no NFTYPE)."""
    db, _ = small_sqlite
    checked = at_unit = 0
    for year in range(2013, 2020):
        yy, view = f"{(year + 1) % 100:02d}", ("KS4Pupil_2002_to_2014" if year < 2014
                                               else "KS4Pupil_2015_to_2021")
        census = (f"spring_census_{year + 1} c ON c.PupilMatchingRefAnonymous_spr{yy} = "
                  "{pmr} AND c.RecordStatus_spr{yy} IS NOT 101")
        n, bad, units, bad_unit = _one(db, f"""
            SELECT COUNT(*), SUM(k.KS4_LAESTAB_anon <> c.LAEstab_anon_spr{yy}
                                 OR k.KS4_URN_anon <> c.URN_spr{yy}_anon
                                 OR k.KS4_LA_anon <> c.LA_spr{yy}_anon),
                   SUM(c.PHASE_spr{yy} = 'PR'),
                   SUM(c.PHASE_spr{yy} = 'PR' AND (k.KS4_ToE_CODE <> '14'
                                                  OR k.KS4_NFTYPE IS NOT NULL))
            FROM {view} k JOIN {census.format(pmr="k.KS4_PupilMatchingRefAnonymous", yy=yy)}
            WHERE k.KS4_ACADYR = '{year}/{year + 1}'""")
        assert (bad or 0, bad_unit or 0) == (0, 0), year
        checked, at_unit = checked + n, at_unit + (units or 0)
        if year == 2019:  # (2019/20 absence is not shared)
            continue
        m, wrong, unit_rows = _one(db, f"""
            SELECT COUNT(*), SUM(a.LAEstab_ANON_ab{yy} <> c.LAEstab_anon_spr{yy}
                                 OR a.URN_ab{yy}_anon <> c.URN_spr{yy}_anon
                                 OR a.LA_ab{yy}_anon <> c.LA_spr{yy}_anon
                                 OR a.Phase_ab{yy} <> c.PHASE_spr{yy}
                                 OR a.EntryDate_ab{yy} <> c.EntryDate_spr{yy}),
                   SUM(c.PHASE_spr{yy} = 'PR')
            FROM Absence_{year + 1}_3term a
            JOIN {census.format(pmr=f"a.PupilMatchingRefAnonymous_ab{yy}", yy=yy)}
            WHERE a.OnRoll_1_ab{yy} = 1""")
        assert (wrong or 0) == 0, year
        checked, at_unit = checked + m, at_unit + (unit_rows or 0)
    assert checked > 1000 and at_unit > 0, (checked, at_unit)


def test_a_ucas_row_declares_one_of_the_applicants_a_levels(small_sqlite) -> None:
    """Each application row declares one of the applicant's level 3s: an A level of their KS5
    record by its title (the applicant's rows list different A levels in turn, then the AS
    level cashed in after Year 12), ``Pending`` without a grade when sat in the summer of the
    cycle, ``Gained`` with the KS5 exam row's grade when sat before (an AS level always); a
    BTEC or an Access to HE Diploma otherwise, without a subject. (Every row was a pending A
    level with a random code for its subject.)"""
    db, _ = small_sqlite
    gce = "qualification_description IN ('GCE Advanced Level', 'GCE Advanced Subsidiary')"
    rows, a_levels, gained, bad_status, bad_grade, unmatched, as_levels = _one(db, f"""
        SELECT count(*), sum(qualification_description = 'GCE Advanced Level'),
               sum(qualification_status = 'Gained'),
               sum((qualification_status = 'Gained') <> (qualification_year < application_cycle)
                   OR (qualification_status = 'Pending' AND grade IS NOT NULL)
                   OR (qualification_status = 'Gained' AND grade IS NULL AND {gce})),
               sum(NOT {gce} AND (subject_title IS NOT NULL OR grade IS NOT NULL)),
               sum({gce} AND NOT EXISTS (
                   SELECT 1 FROM KS5Exam_2002_to_2021 e
                   WHERE e.KS5_PupilMatchingRefAnonymous = u.PupilMatchingRefAnonymous
                     AND e.KS5_EXAMYEAR = u.qualification_year
                     AND e.KS5_SUBLEVNO = CASE u.qualification_description
                         WHEN 'GCE Advanced Subsidiary' THEN 121 ELSE 111 END
                     AND (u.grade IS NULL OR e.KS5_GRADE = u.grade)
                     AND e.KS5_MAPPING = CASE u.subject_title WHEN 'Mathematics' THEN '2210'
                         WHEN 'Biology' THEN '1010' WHEN 'Chemistry' THEN '1110'
                         WHEN 'Physics' THEN '1210' WHEN 'History' THEN '4010'
                         WHEN 'Psychology' THEN '4850' WHEN 'English Literature' THEN '5110'
                         ELSE e.KS5_MAPPING END)),
               sum(qualification_description = 'GCE Advanced Subsidiary')
        FROM ucas_2007_to_2021 u""")
    assert as_levels > 0
    assert rows > 100 and a_levels > rows / 3 and gained > 0
    assert (bad_status, bad_grade, unmatched) == (0, 0, 0)
    uneven = _one(db, """
        SELECT count(*) FROM (
            SELECT applicant_id, application_cycle FROM (
                SELECT applicant_id, application_cycle, subject_title, count(*) AS k
                FROM ucas_2007_to_2021 WHERE subject_title IS NOT NULL GROUP BY 1, 2, 3)
            GROUP BY 1, 2 HAVING max(k) - min(k) > 1)""")[0]
    assert uneven == 0  # (the A levels in turn: none declared twice before each once)
