"""FE, YPMAD, NCCIS and HE columns agree with the records they are derived from, checked as
properties of the suite's small run (1,000 persons) with SQL, as a researcher would: ILR aims
against their LARS row and the learner's DWP benefit spells; YPMAD counts and flags against the
KS4, KS5 and ILR records of the same person; NCCIS activity against the ILR and HESA records of
the same month."""

from __future__ import annotations

import sqlite3

import pytest


@pytest.fixture(scope="module")
def db(small_sqlite):
    connection = sqlite3.connect(small_sqlite[0])
    yield connection
    connection.close()


def _one(db: sqlite3.Connection, sql: str) -> tuple:
    return db.execute(sql).fetchone()


def test_aims_follow_their_lars_row(db) -> None:
    """Title, qualification type, sector subject areas and full-level widths of an aim are its
    LARS row's; ZPROG001 (the programme aim) has no LARS row and no title."""
    rows, bad = _one(db, """
        SELECT count(*), sum(a.AimTitle <> l.AimTitle OR a.QualificationType <> l.QualType
                             OR a.SSATier1 <> l.SectorSubjectAreaT1
                             OR a.SSATier2 <> l.SectorSubjectAreaT2
                             OR coalesce(a.FL2Width <> l.L2_percent, 0)
                             OR coalesce(a.FL3Width <> l.L3_percent, 0))
        FROM aims a JOIN lars l ON l.LearnAimRef = a.learning_aim_id AND l.Year = a.Year""")
    assert rows > 500 and bad == 0
    orphans, titled_programmes = _one(db, """
        SELECT sum(l.LearnAimRef IS NULL AND a.learning_aim_id <> 'ZPROG001'),
               sum(a.learning_aim_id = 'ZPROG001' AND a.AimTitle IS NOT NULL)
        FROM aims a LEFT JOIN lars l ON l.LearnAimRef = a.learning_aim_id AND l.Year = a.Year""")
    assert (orphans, titled_programmes) == (0, 0)


def test_aim_levels_and_flags(db) -> None:
    """Full level flags follow the widths, achieved widths the outcome, the level-of-learning
    group the apprenticeship and level, and workplace / classroom learning the programme (-1
    is the ILR's stand-in for a missing value, the lilr_minus_one quirk: not compared)."""
    bad = _one(db, """
        SELECT sum(FullL2 <> (FL2Width = 100)), sum(FullL3 <> (FL3Width = 100)),
               sum(nullif(FL2AchWidth, -1) <> CASE WHEN outcome = 1 THEN FL2Width ELSE 0 END),
               sum(programme_type > 0 AND NotionalNVQLev = 3 AND LevelOfLearning <> 9.5),
               sum(programme_type < 0 AND FL3Width = 100 AND NotionalNVQLev = 3
                   AND LevelOfLearning <> 9.1),
               sum(nullif(WPL, -1) <> (programme_type > 0)),
               sum(nullif(CBL, -1) + nullif(WPL, -1) <> 1),
               sum(EngMath <> (AimTitle LIKE '%in English' OR AimTitle LIKE '%in Mathematics')),
               sum(nullif(framework_id, -1) IS NOT NULL
                   AND programme_type NOT IN (2, 3, 20, 21, 22, 23)),
               sum(nullif(Standard_id, -1) IS NOT NULL AND programme_type <> 25)
        FROM aims WHERE FL2Width IS NOT NULL AND LevelOfLearning IS NOT NULL""")
    assert all(b == 0 for b in bad), bad
    levels = dict(db.execute("SELECT LevelOfLearning, count(*) FROM aims GROUP BY 1"))
    assert {7.5, 7.3, 9.1, 1.0} <= set(levels)


def _spell_exists(window: str) -> str:
    return f"""EXISTS (SELECT 1 FROM leo_benefit b
                       JOIN learner_ae_id_to_edukey_lookup e ON e.EDUKEY = b.EduKey
                       WHERE e.AE_ID = r.AE_ID AND {window})"""


def test_aim_benefit_flags_follow_dwp_spells(db) -> None:
    """OnBenefits_AtStart is 1 exactly when one of the learner's DWP spells covers the start
    date; OnBenefits_6MonthPrior (apprenticeship aims only) when one overlaps the 183 days
    before it; the benefit-type flags nest in the any-benefit flag."""
    at_start = _spell_exists("b.StartDate <= a.start_date AND b.EndDate >= a.start_date")
    prior = _spell_exists("b.StartDate < a.start_date "
                          "AND b.EndDate >= date(a.start_date, '-183 days')")
    rows, bad_start, bad_prior, flagged = _one(db, f"""
        SELECT count(*), sum(a.OnBenefits_AtStart <> {at_start}),
               sum(a.OnBenefits_6MonthPrior <> (a.programme_type > 0 AND {prior})),
               sum(a.OnBenefits_AtStart)
        FROM aims a JOIN education_records_lookup r ON r.RECORDID = a.RECORDID
        WHERE a.OnBenefits_AtStart IS NOT NULL AND a.OnBenefits_6MonthPrior IS NOT NULL""")
    assert rows > 500 and flagged > 0
    assert (bad_start, bad_prior) == (0, 0)
    bad = _one(db, """
        SELECT sum(max(OnUC_AtStart, OnJSAESA_AtStart, OnOtherBenefit_AtStart)
                   > OnBenefits_AtStart),
               sum(max(OnUC_6MonthPrior, OnJSAESA_6MonthPrior, OnOtherBenefit_6MonthPrior)
                   > OnBenefits_6MonthPrior)
        FROM aims""")
    assert bad == (0, 0)
