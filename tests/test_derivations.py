"""Derived columns agree with their sources, checked as properties of generated data.

Each test states one published definition (``schemas/rules/``) and checks it on the suite's
small run (1,000 persons) with SQL, as a researcher would: disadvantage flags nest, EBacc
achieved implies entered, Attainment 8 is the sum of its slots, the pupil row's grade counts
and A8 add up from the KS4 exam rows, the ILR level follows the programme type, HESA ages follow
the NPD birth date. The share of independent columns may not grow past the recorded figure.
"""

from __future__ import annotations

import re
import sqlite3

import numpy as np
import pytest
from conftest import one as _one

from leo_synth.simulation.parameters import load_parameters
from leo_synth.simulation.series import interpolate
from leo_synth.spec.fills import independent_share, looks_derived

KS4 = "KS4Pupil_2015_to_2021"
INDEPENDENT_SHARE = 0.016
"""Share of spec columns drawn independently (leo-synth tables --fills); lower it as rules
land, never raise it."""


@pytest.fixture(scope="module")
def db(small_sqlite_connection: sqlite3.Connection) -> sqlite3.Connection:
    return small_sqlite_connection




def _columns(db: sqlite3.Connection, relation: str) -> list[str]:
    return [row[1] for row in db.execute(f"PRAGMA table_info({relation})")]


def test_disadvantage_flags_nest(db) -> None:
    """FSM6CLA1A >= FSM6 >= FSM in year, and care or adoption make a pupil disadvantaged."""
    rows, bad_fsm6, bad_cla, bad_fsm, disadvantaged = _one(db, f"""
        SELECT count(*), sum(KS4_FSM6CLA1A < KS4_FSM6),
               sum(KS4_FSM6CLA1A < max(KS4_CLA_PP_1_DAY, KS4_ADOPTEDFROMCARE_ALLYEARS)),
               sum(KS4_FSM6 < KS4_FSM), sum(KS4_FSM6CLA1A)
        FROM {KS4} WHERE KS4_FSM6CLA1A IS NOT NULL""")
    assert rows > 100
    assert (bad_fsm6, bad_cla, bad_fsm) == (0, 0, 0)
    assert 0 < disadvantaged < rows
    bad_6, bad_12 = _one(db, f"""SELECT sum(KS4_CLA_6_MONTHS = '1' AND KS4_CLA_PP_1_DAY = 0),
                                 sum(KS4_CLA_12_MONTHS = '1' AND KS4_CLA_6_MONTHS <> '1')
                                 FROM {KS4}""")
    assert not bad_6 and not bad_12


def test_ebacc_achieved_implies_entered(db) -> None:
    columns = _columns(db, KS4)
    checked = 0
    for pillar in ("ENG", "MAT", "HUM", "LAN", "2SCI"):
        entered = [c for c in columns if re.fullmatch(f"KS4_EBAC{pillar}_E(_PTQ|_PTQ_EE)?", c)]
        achieved = [c for c in columns if re.fullmatch(
            f"KS4_EBAC{pillar}(AG)?(_PTQ|_PTQ_EE|_?94|_?95|_?91)?", c)]
        assert entered and achieved, pillar
        for a in achieved:
            for e in entered:
                bad, both = _one(db, f"SELECT sum({a} > {e}), count({a} + {e}) FROM {KS4}")
                assert not bad, (a, e)
                checked += both
    bad, entered_all = _one(db, f"""SELECT sum(KS4_EBACC_94 > KS4_EBACC_E_PTQ_EE),
                                    sum(KS4_EBACC_E_PTQ_EE) FROM {KS4}""")
    assert not bad and entered_all > 0
    assert checked > 1000


def test_attainment8_is_the_sum_of_its_slots(db) -> None:
    slots = ["KS4_SLOT1ENG", "KS4_SLOT2MAT", "KS4_SLOT3EBAC", "KS4_SLOT4EBAC", "KS4_SLOT5EBAC",
             "KS4_SLOT6OPEN", "KS4_SLOT7OPEN", "KS4_SLOT8OPEN"]
    rows, bad, open_bad = _one(db, f"""
        SELECT count(*), sum(abs(KS4_ATT8 - ({' + '.join(slots)})) > 1e-9),
               sum(abs(KS4_OPENSCR - (KS4_SLOT6OPEN + KS4_SLOT7OPEN + KS4_SLOT8OPEN)) > 1e-9)
        FROM {KS4} WHERE KS4_ATT8 IS NOT NULL""")
    assert rows > 100 and bad == 0 and open_bad == 0


def test_pupil_row_agrees_with_exam_rows(db) -> None:
    """Grade counts, entries and A8 of the pupil row add up from the pupil's exam rows (A8
    from the rows filling a slot: KS4_A8ENG, KS4_A8MAT, KS4_A8EBAC or KS4_A8OTH)."""
    exam = "KS4Exam_2015_to_2021"
    rows, bad_a8, counted, bad_counts = _one(db, f"""
        WITH e AS (SELECT KS4_PupilMatchingRefAnonymous AS pmr, KS4_ACADYR AS yr,
                          sum(KS4_GRADE IN ('9', '8', '7', '6', '5', '4', '3', '2', '1')) AS g91,
                          sum(KS4_A8POINTS * (KS4_A8ENG + KS4_A8MAT + KS4_A8EBAC
                                              + KS4_A8OTH)) AS a8,
                          sum(KS4_GRADE IN ('9', '8', '7', '6', '5', '4')) AS g94
                   FROM {exam} GROUP BY 1, 2)
        SELECT count(*), sum(abs(p.KS4_ATT8 - e.a8) > 1e-9), count(p.KS4_GCSE_94),
               sum(p.KS4_GCSE_91 <> e.g91 OR p.KS4_GCSE_94 <> e.g94)
        FROM {KS4} p JOIN e ON e.pmr = p.KS4_PupilMatchingRefAnonymous AND e.yr = p.KS4_ACADYR
        WHERE p.KS4_ACADYR >= '2017/2018'""")
    assert rows > 50 and bad_a8 == 0
    assert counted > 10 and not bad_counts


def test_grade_counts_and_thresholds_agree(db) -> None:
    rows, bad = _one(db, f"""
        SELECT count(*), sum(KS4_GCSE_91 <> KS4_GCSE_9 + KS4_GCSE_8 + KS4_GCSE_7 + KS4_GCSE_6
                                             + KS4_GCSE_5 + KS4_GCSE_4 + KS4_GCSE_3 + KS4_GCSE_2
                                             + KS4_GCSE_1
                             OR KS4_FIVE94 <> (KS4_GCSE_94 >= 5))
        FROM {KS4} WHERE KS4_ACADYR = '2020/2021'""")
    assert rows > 10 and bad == 0
    rows, bad = _one(db, f"""SELECT count(*), sum(KS4_LEV2EM_94 <> KS4_L2BASICS_94) FROM {KS4}
                             WHERE KS4_L2BASICS_94 IS NOT NULL""")
    assert rows > 50 and bad == 0


def test_ilr_level_agrees_with_programme_type(db) -> None:
    rows, bad = _one(db, """
        SELECT count(*), sum(NotionalNVQLev <> CASE programme_type WHEN 2 THEN 3 WHEN 3 THEN 2
                                                                   ELSE NotionalNVQLev END
                             OR (programme_type BETWEEN 20 AND 23 AND NotionalNVQLev < 4))
        FROM aims WHERE AimType = 1 AND programme_type IN (2, 3, 20, 21, 22, 23)""")
    assert rows > 10 and bad == 0
    bad_flags, = _one(db, """SELECT sum(FrameworkApp <> (programme_type IN (2, 3, 20, 21, 22, 23))
                             OR StandardApp <> (programme_type = 25)) FROM aims""")
    assert not bad_flags


def test_hesa_age_agrees_with_npd_birth_date(db) -> None:
    """Age at 31 August of the HESA year from the KS4 record's year and month of birth."""
    checked = 0
    for year in range(2016, 2021):
        n, bad = _one(db, f"""
            SELECT count(*), sum(h.HE_XAGEA01 <> {year - 1} - k.KS4_YEAROFBIRTH
                                 - (k.KS4_MONTHOFBIRTH > 8))
            FROM hesa_{year} h JOIN {KS4} k
              ON k.KS4_PupilMatchingRefAnonymous = h.HE_PUPILMATCHINGREFANONYMOUS""")
        assert not bad, year
        checked += n
    assert checked > 10


def test_independent_share_does_not_grow(catalog) -> None:
    assert independent_share(catalog) <= INDEPENDENT_SHARE + 1e-9


def test_no_independent_column_reads_as_derived(catalog) -> None:
    """No column drawn independently has a VRF description that reads as derived (a flag, a
    count, a point score, an age, a first or last date ...: ``leo-synth tables --fills``)."""
    assert [f"{t.name}.{c.name}" for t in catalog.tables for c in t.columns
            if looks_derived(c)] == []


def test_ks2_level_agrees_with_the_mark(db) -> None:
    """The test level is the band of the test mark, and level 6 the year's level 6 mark
    (``key_stages.ks2.level_6_marks``: from 2011/12, when its tests began; before, level 5
    at most); the exam rows carry the same mark."""
    relation = next(name for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE name LIKE 'KS2Pupil%' ORDER BY name DESC"))
    marks = load_parameters(None)["key_stages.ks2.level_6_marks"]["mat"]
    years = np.arange(min(marks), 2016)
    level_6 = " OR ".join(f"(KS2_ACADYR LIKE '{year}/%' AND {{m}} >= {cut:g})"
                          for year, cut in zip(years, interpolate(marks, years), strict=True))
    band = f"CASE WHEN {level_6} THEN 6 WHEN {{m}} >= 79 THEN 5 " \
           "WHEN {m} >= 46 THEN 4 WHEN {m} >= 19 THEN 3 ELSE 2 END"
    rows, bad, bad_x = _one(db, f"""
        SELECT count(*), sum(KS2_MATLEV <> {band.format(m='KS2_MATTOTMRK')}),
               sum(KS2_LEVXMAT <> (KS2_MATLEV >= 4))
        FROM {relation} WHERE KS2_MATTOTMRK IS NOT NULL""")
    assert rows > 50 and bad == 0 and not bad_x


def test_ks5_student_row_agrees_with_exam_rows(db) -> None:
    """A level entries and A*/A counts of the student row are those of the exam rows (the A
    levels: SUBLEVNO 111)."""
    rows, bad, bad_aab = _one(db, """
        WITH e AS (SELECT KS5_PupilMatchingRefAnonymous AS pmr, KS5_ACADYR AS yr,
                          count(*) AS entries, sum(KS5_GRADE IN ('A', 'A*')) AS top
                   FROM KS5Exam_2002_to_2021 WHERE KS5_SUBLEVNO = 111 GROUP BY 1, 2)
        SELECT count(*), sum(s.KS5_ENTRY_GA <> e.entries
                             OR coalesce(s.KS5_A_ALL_AAB <> e.top, 0)),
               sum(coalesce(s.KS5_GRADE_AAB_ALL > (e.top >= 2), 0))
        FROM KS5Student_2002_to_2021 s
        JOIN e ON e.pmr = s.KS5_PupilMatchingRefAnonymous AND e.yr = s.KS5_ACADYR""")
    assert rows > 50 and bad == 0 and bad_aab == 0


def test_absence_reasons_add_up_to_the_terms_totals(db) -> None:
    """Every term's sessions by reason add up to its authorised and unauthorised totals."""
    checked = 0
    for relation in ("Absence_2010_3term", "Absence_2018_3term"):
        columns = _columns(db, relation)
        for term in ("Autumn", "Spring", "Summer"):
            for kind, codes in (("Authorised", "IMRSTHFEC"), ("Unauthorised", "GUON")):
                parts = [c for c in columns
                         if re.fullmatch(f"TermlyReason[{codes}]_{term}_ab\\d\\d", c)]
                total = next(c for c in columns if re.fullmatch(f"{kind}Absence_{term}_ab\\d\\d",
                                                                c))
                n, bad = _one(db, f"SELECT count(*), sum({total} <> {' + '.join(parts)}) "
                                  f"FROM {relation}")
                assert n > 50 and bad == 0, (relation, term, kind)
                checked += 1
    assert checked == 12


def test_exam_row_flags_agree_with_the_grade(db) -> None:
    rows, bad_mat, bad_eng = _one(db, """
        SELECT count(KS4_MATH_94),
               sum(KS4_MATH_94 <> (KS4_A8MAT = 1 AND KS4_GRADE IN ('9', '8', '7', '6', '5', '4'))),
               sum(KS4_EBACENG_94 <> (KS4_A8ENG = 1 AND KS4_GRADE IN ('9', '8', '7', '6', '5',
                                                                      '4')))
        FROM KS4Exam_2015_to_2021""")
    assert rows > 100 and not bad_mat and not bad_eng


def test_ks3_flags_follow_the_levels(db) -> None:
    relation = next(name for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE name LIKE 'KS3Pupil%' ORDER BY name DESC"))
    rows, bad = _one(db, f"""
        SELECT count(KS3_LEVXMAT), sum(KS3_LEVXMAT <> (KS3_MATLEV >= 5)
                                       OR KS3_LEVAXMAT > KS3_LEVXMAT
                                       OR KS3_LEVXEMS > KS3_LEVXENGMAT)
        FROM {relation}""")
    assert rows > 50 and not bad


def test_eyfsp_points_follow_the_scale_score(db) -> None:
    relation = next(name for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE name LIKE 'EYFSP%' ORDER BY name"))
    rows, bad = _one(db, f"""
        SELECT count(FSP_CLLAS1R5), sum(FSP_CLLAS1R5 <> CASE WHEN FSP_CLL_AS1 >= 5 THEN 'T'
                                                             ELSE 'F' END)
        FROM {relation}""")
    assert rows > 20 and not bad


def test_rules_are_validated(tmp_path) -> None:
    """A rule that matches nothing, names an unknown class or lacks its rule text is reported
    with its file, like every other spec problem."""
    import shutil

    from leo_synth.spec.loader import SpecError, default_schema_dir, load_catalog

    schemas = tmp_path / "schemas"
    shutil.copytree(default_schema_dir(), schemas)
    (schemas / "rules" / "bad.yaml").write_text(
        "rules:\n"
        "  - {table: ks4_pupil, columns: KS4_NO_SUCH_COLUMN, class: derived, rule: x}\n"
        "  - {table: ks4_pupil, columns: KS4_SERVICECHILD, class: derivd, rule: x}\n"
        "  - {table: ks4_pupil, columns: KS4_SERVICECHILD, class: derived}\n",
        encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_catalog(schemas)
    text = str(caught.value)
    assert "matches no column" in text and "bad.yaml" in text
    assert "class 'derivd' is not one of" in text
    assert "class derived needs a 'rule'" in text


def test_a_rules_per_is_checked(tmp_path) -> None:
    """A rule's ``per`` is a list of attributes, keys only a draw, and names attributes the
    table's builder provides; each mistake is reported with its place."""
    import shutil

    from leo_synth.relations.registry import check_catalog
    from leo_synth.spec.loader import SpecError, default_schema_dir, load_catalog

    schemas = tmp_path / "schemas"
    shutil.copytree(default_schema_dir(), schemas)
    bad = schemas / "rules" / "bad.yaml"
    bad.write_text(
        "rules:\n"
        "  - {table: ks4_pupil, columns: KS4_REFUGEE, class: conditional, rule: x,"
        " per: urn_anon}\n"
        "  - {table: ks4_pupil, columns: KS4_MFL, class: conditional, rule: x,"
        " fill: {const: 1}, per: [urn_anon]}\n", encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_catalog(schemas)
    text = str(caught.value)
    assert "per must be a list of attribute names" in text and "KS4_REFUGEE" in text
    assert "per keys a draw; a const fill draws nothing" in text and "KS4_MFL" in text
    bad.write_text(
        "rules:\n"
        "  - {table: ks4_pupil, columns: KS4_REFUGEE, class: conditional, rule: x,"
        " per: [urn_anno]}\n", encoding="utf-8")
    problems = [str(p) for p in check_catalog(load_catalog(schemas))]
    assert any("per: builder" in p and "'urn_anno'" in p and "urn_anon" in p
               and "KS4_REFUGEE" in p for p in problems), problems
