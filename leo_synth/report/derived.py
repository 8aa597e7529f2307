"""Derived tables shared by the target families, built once per run in SQLite's TEMP schema.

They are the researcher's usual first steps in the SRS: resolve every key to the person
(``AE_ID``) through the three lookups, stack the per-year views (census, KS4, HESA) into one
long table with harmonised column names, and turn spells into the months of October to March
they cover. Every table is keyed on ``ae_id`` (or ``pmr`` before resolution).

Conventions used throughout the report:

* a PMR, EDUKEY or RECORDID that the lookups give more than one AE_ID resolves to the lowest
  (as FFT's person lookup does); records absent from the lookups cannot be followed to other
  sources and drop out of linked measures;
* months are integers ``12 * year + month - 1``; a spell covers a month when it covers at
  least one day of it; ``t_months`` holds the October-to-March months of each tax year
  (``tax_year`` = start year, so October 2019 to March 2020 is tax year 2019);
* tax years are start years (``TaxYear`` 201920 -> 2019), HESA years are the view's end year
  (``hesa_2020`` is 2019/20, ``yyyy`` = 2020).
"""

from __future__ import annotations

import csv
import functools
import string
from collections.abc import Callable
from dataclasses import dataclass

from leo_synth.quirks.labour_records import P14_TAXABLE_BENEFITS
from leo_synth.report.source import Workspace
from leo_synth.simulation.subjects import SUBJECT_MAP
from leo_synth.spec import load_catalog
from leo_synth.spec.model import substitute

FIRST_TAX_YEAR, LAST_TAX_YEAR = 1997, 2021
APPRENTICESHIP_TYPES = (2, 3, 10, 20, 21, 22, 23, 25)
"""ILR programme types of apprenticeships (advanced, intermediate, higher, standards); every
other value (-1 none, 15-18 diplomas, 24 traineeships, 99) is not an apprenticeship."""
APPRENTICESHIP_SQL = "(" + ", ".join(str(t) for t in APPRENTICESHIP_TYPES) + ")"


def month_index(column: str) -> str:
    """SQL turning an ISO date column into the month integer 12 * year + month - 1."""
    return (f"(CAST(substr({column}, 1, 4) AS INTEGER) * 12 "
            f"+ CAST(substr({column}, 6, 2) AS INTEGER) - 1)")


@dataclass(frozen=True)
class Derived:
    """A derived table: the relations it requires, the derived tables it needs, its SQL, and
    the relations it also reads when the extract has them (``reads``)."""

    requires: tuple[str, ...]
    deps: tuple[str, ...]
    build: Callable[[Workspace], list[str]]
    reads: tuple[str, ...] = ()


DERIVED: dict[str, Derived] = {}


def derived(name: str, requires: tuple[str, ...] = (), deps: tuple[str, ...] = (),
            reads: tuple[str, ...] = ()
            ) -> Callable[[Callable[[Workspace], list[str]]], Callable[[Workspace], list[str]]]:
    """Register the SQL builder of a derived table (``reads``: relations or patterns it also
    reads when the extract has them, which ``generate --for-report`` must write too)."""
    def register(fn: Callable[[Workspace], list[str]]) -> Callable[[Workspace], list[str]]:
        DERIVED[name] = Derived(requires, deps, fn, reads)
        return fn
    return register


def requirements(names: tuple[str, ...] | list[str], optional: bool = False) -> list[str]:
    """Every extract requirement of the derived tables named (with their dependencies), and
    with ``optional`` the relations they read when present too."""
    out: list[str] = []
    seen: set[str] = set()

    def walk(n: str) -> None:
        if n in seen:
            return
        seen.add(n)
        spec = DERIVED[n]
        out.extend(spec.requires)
        if optional:
            out.extend(spec.reads)
        for d in spec.deps:
            walk(d)

    for name in names:
        walk(name)
    return out


# -- linkage -------------------------------------------------------------------------------

def _lookup(table: str, key: str, lookup: str, column: str) -> list[str]:
    """A key -> AE_ID table from a LEO lookup (the lowest AE_ID when a key has several)."""
    return [
        f"CREATE TEMP TABLE {table} AS SELECT {column} AS {key}, MIN(AE_ID) AS ae_id "
        f"FROM {lookup} GROUP BY {column}",
        f"CREATE UNIQUE INDEX temp.ix_{table} ON {table}({key})",
        f"CREATE INDEX temp.ix_{table}_ae ON {table}(ae_id)",
    ]


@derived("t_pmr", requires=("learner_ae_id_to_pmr_lookup",))
def _t_pmr(ws: Workspace) -> list[str]:
    """PMR -> AE_ID."""
    return _lookup("t_pmr", "pmr", "learner_ae_id_to_pmr_lookup", "PUPILMATCHINGREFANONYMOUS")


@derived("t_edukey", requires=("learner_ae_id_to_edukey_lookup",))
def _t_edukey(ws: Workspace) -> list[str]:
    """EDUKEY -> AE_ID."""
    return _lookup("t_edukey", "edukey", "learner_ae_id_to_edukey_lookup", "EDUKEY")


@derived("t_rec", requires=("education_records_lookup",))
def _t_rec(ws: Workspace) -> list[str]:
    """ILR RECORDID -> AE_ID."""
    return _lookup("t_rec", "recordid", "education_records_lookup", "RECORDID")


# -- calendar ------------------------------------------------------------------------------

@derived("t_months")
def _t_months(ws: Workspace) -> list[str]:
    """The October-March months of every tax year, with their first and last days."""
    rows = []
    last_day = {10: 31, 11: 30, 12: 31, 1: 31, 3: 31}
    for ty in range(FIRST_TAX_YEAR, LAST_TAX_YEAR + 1):
        for month in (10, 11, 12, 1, 2, 3):
            year = ty if month >= 10 else ty + 1
            feb = 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
            end = last_day.get(month, feb)
            rows.append(f"({12 * year + month - 1}, {ty}, {month}, "
                        f"'{year:04d}-{month:02d}-01', '{year:04d}-{month:02d}-{end:02d}')")
    return [
        "CREATE TEMP TABLE t_months (ym INTEGER PRIMARY KEY, tax_year INTEGER, "
        "month INTEGER, first_day TEXT, last_day TEXT)",
        "INSERT INTO t_months VALUES " + ", ".join(rows),
    ]


# -- HMRC ----------------------------------------------------------------------------------

@derived("t_emp", requires=("leo_employment",), deps=("t_edukey",), reads=("leo_benefit",))
def _t_emp(ws: Workspace) -> list[str]:
    """PAYE spells per person: identical spells of a person's several EDUKEYs counted once, and
    (when the extract has the benefit spells) a spell whose dates are those of the person's
    JSA, ESA or Incapacity Benefit spell (its start alone when the benefit record's own end is
    before its start) dropped as a benefit record that P14 returns wrongly included
    (leo_schema.md 4.3 items 6 and 15)."""
    statements, p14 = [], ""
    if ws.has("leo_benefit"):
        ws.load(["leo_benefit"])
        statements += [
            f"""CREATE TEMP TABLE t_p14_benefit AS
                SELECT DISTINCT k.ae_id, b.StartDate AS s, b.EndDate AS e
                FROM leo_benefit b
                JOIN t_edukey k ON k.edukey = b.EduKey
                WHERE b.Benefit_type IN ({", ".join(f"'{t}'" for t in P14_TAXABLE_BENEFITS)})""",
            "CREATE INDEX temp.ix_t_p14_benefit ON t_p14_benefit(ae_id, s, e)",
        ]
        p14 = """
              AND NOT EXISTS (SELECT 1 FROM t_p14_benefit p WHERE p.ae_id = k.ae_id
                              AND p.s = e.StartDate AND (p.e = e.EndDate OR p.e < p.s))"""
    return [
        *statements,
        f"""CREATE TEMP TABLE t_emp AS
            SELECT DISTINCT k.ae_id, e.StartDate AS s, e.EndDate AS e,
                   {month_index('e.StartDate')} AS m0, {month_index('e.EndDate')} AS m1
            FROM leo_employment e
            JOIN t_edukey k ON k.edukey = e.EduKey
            WHERE e.EndDate >= e.StartDate{p14}""",
        "CREATE INDEX temp.ix_t_emp ON t_emp(ae_id, s)",
    ]


@derived("t_emp_months", deps=("t_emp", "t_months"))
def _t_emp_months(ws: Workspace) -> list[str]:
    """Per person and tax year: how many of the months October-March had PAYE employment."""
    return [
        """CREATE TEMP TABLE t_emp_months AS
           SELECT s.ae_id, m.tax_year, COUNT(DISTINCT m.ym) AS months
           FROM t_emp s
           JOIN t_months m ON m.ym BETWEEN s.m0 AND s.m1
           GROUP BY s.ae_id, m.tax_year""",
        "CREATE UNIQUE INDEX temp.ix_t_emp_months ON t_emp_months(ae_id, tax_year)",
    ]


@derived("t_earn", requires=("leo_earnings",), deps=("t_edukey",))
def _t_earn(ws: Workspace) -> list[str]:
    """PAYE earnings per person and tax year, summed over the person's EDUKEYs and rows."""
    return [
        """CREATE TEMP TABLE t_earn AS
           SELECT k.ae_id, e.TaxYear / 100 AS tax_year, SUM(e.Earnings) AS earnings,
                  MAX(e.Num_Employments) AS employers
           FROM leo_earnings e
           JOIN t_edukey k ON k.edukey = e.Edukey
           GROUP BY k.ae_id, e.TaxYear / 100""",
        "CREATE UNIQUE INDEX temp.ix_t_earn ON t_earn(ae_id, tax_year)",
    ]


@derived("t_sa", requires=("leo_self_assessment",), deps=("t_edukey",))
def _t_sa(ws: Workspace) -> list[str]:
    """Self-employed persons per tax year (Self Assessment, from 2013/14) and their profit."""
    return [
        """CREATE TEMP TABLE t_sa AS
           SELECT k.ae_id, s.TaxYear / 100 AS tax_year,
                  SUM(COALESCE(s.EARNINGS_SELF_EMPLOYMENT, 0)) AS se_earnings
           FROM leo_self_assessment s
           JOIN t_edukey k ON k.edukey = s.Edukey
           WHERE s.Self_Employed = 1
           GROUP BY k.ae_id, s.TaxYear / 100""",
        "CREATE UNIQUE INDEX temp.ix_t_sa ON t_sa(ae_id, tax_year)",
    ]


# -- DWP -----------------------------------------------------------------------------------

@derived("t_ben", requires=("leo_benefit",), deps=("t_edukey",))
def _t_ben(ws: Workspace) -> list[str]:
    """Benefit spells per person (degenerate spells, end before start, dropped as FFT do)."""
    return [
        """CREATE TEMP TABLE t_ben AS
           SELECT DISTINCT k.ae_id, b.StartDate AS s, b.EndDate AS e,
                  b.Benefit_type AS type, b.Out_of_work_benefit AS oow
           FROM leo_benefit b
           JOIN t_edukey k ON k.edukey = b.EduKey
           WHERE b.EndDate >= b.StartDate""",
        "CREATE INDEX temp.ix_t_ben ON t_ben(ae_id)",
        "CREATE INDEX temp.ix_t_ben_s ON t_ben(s)",
    ]


@derived("t_england", requires=("leo_geography",), deps=("t_edukey",))
def _t_england(ws: Workspace) -> list[str]:
    """Persons living in England per tax year (LEO geography, country of residence)."""
    return [
        """CREATE TEMP TABLE t_england AS
           SELECT DISTINCT k.ae_id, g.TaxYear / 100 AS tax_year
           FROM leo_geography g
           JOIN t_edukey k ON k.edukey = g.Edukey
           WHERE g.CTRYNM = 'England'""",
        "CREATE UNIQUE INDEX temp.ix_t_england ON t_england(ae_id, tax_year)",
    ]


# -- NPD -----------------------------------------------------------------------------------

def suffixed(ws: Workspace, table: str, stem: str) -> str | None:
    """The census column for a stem, whatever its collection suffix (``Gender_spr11``) or its
    spelling in that view (``FSMeligibility_03`` for ``FSMeligible`` in 2002/03: the specs'
    physical-name rules)."""
    for col in ws.columns(table):
        low = col.lower()
        if low == stem.lower() or low.startswith(stem.lower() + "_"):
            return col
    for name in _spellings(table.lower()).get(stem.lower(), ()):
        col = ws.column(table, name)
        if col is not None:
            return col
    return None


@functools.cache
def _spellings(relation: str) -> dict[str, tuple[str, ...]]:
    """Physical names of a relation's columns by their spec name without the year suffix
    (``fsmeligible`` -> ``FSMeligibility_03`` in ``plasc_2003``), from the specs."""
    catalog = load_catalog()
    for iteration in (2, 1):
        for rel in catalog.relations(iteration):
            if rel.name.lower() == relation:
                out: dict[str, tuple[str, ...]] = {}
                for col in rel.columns:
                    key = substitute(col.spec.name, None, "").lower()
                    out[key] = (*out.get(key, ()), col.name)
                return out
    return {}


def census_tables(ws: Workspace) -> list[str]:
    """PLASC and spring census views (the characteristics collections), oldest first."""
    return ws.relations("plasc_*") + ws.relations("spring_census_*")


@derived("t_npd_pupil", requires=("spring_census_*", "KS4Pupil_*"), reads=("plasc_*",))
def _t_npd_pupil(ws: Workspace) -> list[str]:
    """One row per PMR seen in PLASC/spring censuses or KS4: sex (the legacy census code G
    counts as F), year and month of birth (the earliest: a few census records give a birth
    year after the census)."""
    ws.load(["plasc_*", "spring_census_*", "KS4Pupil_*"])
    parts = []
    for table in census_tables(ws):
        pmr = suffixed(ws, table, "PupilMatchingRefAnonymous")
        sex = suffixed(ws, table, "Gender")
        yob = suffixed(ws, table, "YearOfBirth")
        mob = suffixed(ws, table, "MonthOfBirth")
        if pmr and sex and yob and mob:
            parts.append(f'SELECT "{pmr}" AS pmr, "{sex}" AS sex, "{yob}" AS yob, '
                         f'"{mob}" AS mob FROM "{table}"')
    for table in ws.relations("KS4Pupil_*"):
        parts.append(f'SELECT KS4_PupilMatchingRefAnonymous, KS4_GENDER, KS4_YEAROFBIRTH, '
                     f'KS4_MONTHOFBIRTH FROM "{table}"')
    union = "\nUNION ALL ".join(parts)
    return [
        f"""CREATE TEMP TABLE t_npd_pupil AS
            SELECT pmr, MAX(CASE WHEN sex IN ('F', 'G') THEN 1 ELSE 0 END) AS female,
                   MIN(yob) AS yob, MIN(mob) AS mob
            FROM ({union}) u
            WHERE pmr IS NOT NULL AND pmr <> ''
            GROUP BY pmr""",
        "CREATE UNIQUE INDEX temp.ix_t_npd_pupil ON t_npd_pupil(pmr)",
    ]


def _placeholders(expr: str) -> list[str]:
    """The column names an SQL template refers to as ``{NAME}``."""
    return [name for _, name, _, _ in string.Formatter().parse(expr) if name]


@derived("t_ks4", requires=("KS4Pupil_*",))
def _t_ks4(ws: Workspace) -> list[str]:
    """KS4 pupils of every year, one row per pupil and year (duplicate records: the one with
    most entries kept), with the headline measures under era-independent names."""
    wanted = {
        "female": "CASE WHEN {KS4_GENDER} = 'F' THEN 1 ELSE 0 END",
        "fsm": "{KS4_FSM}",
        "fsm6": "{KS4_FSM6}",
        "disadvantaged": "{KS4_FSM6CLA1A}",
        "sen": "{KS4_SENF}",
        "entries": "{KS4_ENTRIES}",
        "att8": "{KS4_ATT8}",
        "em94": "{KS4_L2BASICS_94}",
        "em95": "{KS4_L2BASICS_95}",
        "ebacc94": "{KS4_EBACC_94}",
        "ebacc_entry": "{KS4_EBACC_E_PTQ_EE}",
        "level2em": "{KS4_LEVEL2_EM}",
        "level2": "{KS4_LEVEL2}",
        "yob": "{KS4_YEAROFBIRTH}",
        "mob": "{KS4_MONTHOFBIRTH}",
    }
    parts = []
    for table in ws.relations("KS4Pupil_*"):
        cols = ["KS4_PupilMatchingRefAnonymous AS pmr",
                "CAST(substr(KS4_ACADYR, 1, 4) AS INTEGER) AS year"]
        for alias, expr in wanted.items():
            found = {name: ws.column(table, name) for name in _placeholders(expr)}
            if all(found.values()):
                cols.append(expr.format(**{k: f'"{v}"' for k, v in found.items()}) + f" AS {alias}")
            else:
                cols.append(f"NULL AS {alias}")
        parts.append(f'SELECT {", ".join(cols)} FROM "{table}"')
    union = "\nUNION ALL ".join(parts)
    aliases = ", ".join(wanted)
    return [
        f"""CREATE TEMP TABLE t_ks4 AS
            SELECT pmr, year, {aliases} FROM (
              SELECT u.*, ROW_NUMBER() OVER (PARTITION BY pmr, year
                                             ORDER BY entries DESC, att8 DESC) AS rn
              FROM ({union}) u
              WHERE pmr IS NOT NULL AND pmr <> '')
            WHERE rn = 1""",
        "CREATE INDEX temp.ix_t_ks4 ON t_ks4(year, pmr)",
    ]


CIN_CHILD = "cin_child_2009_to_2021"


@derived("t_cin", requires=tuple(f"{CIN_CHILD}.{column}" for column in (
    "CIN_PupilMatchingRefAnonymous", "CIN_ACADYR", "CIN_AnyCasesOpen31March")))
def _t_cin(ws: Workspace) -> list[str]:
    """Children in the CIN census: one row per PMR and census year (``year``, the start year of
    ``CIN_ACADYR``: 1 April to 31 March, so 31 March of a KS4 year is in the census year of the
    same start year), ``at31`` 1 when one of the child's episodes was open on 31 March
    (``CIN_AnyCasesOpen31March``, collected from 2009/10; NULL in 2008/09)."""
    return [
        f"""CREATE TEMP TABLE t_cin AS
            SELECT CIN_PupilMatchingRefAnonymous AS pmr,
                   CAST(substr(CIN_ACADYR, 1, 4) AS INTEGER) AS year,
                   MAX(CIN_AnyCasesOpen31March) AS at31
            FROM "{CIN_CHILD}"
            WHERE CIN_PupilMatchingRefAnonymous IS NOT NULL
              AND CIN_PupilMatchingRefAnonymous <> '' AND CIN_ACADYR IS NOT NULL
            GROUP BY 1, 2""",
        "CREATE UNIQUE INDEX temp.ix_t_cin ON t_cin(pmr, year)",
    ]


# -- HESA ----------------------------------------------------------------------------------

@derived("t_hesa", requires=("hesa_*",), deps=("t_pmr",))
def _t_hesa(ws: Workspace) -> list[str]:
    """Every HESA student instance of every reporting year, with harmonised names.

    ``yyyy`` is the view's year (the reporting year's end); the instance's active period in
    the year runs from max(commencement, 1 August) to min(end date, 31 July), an instance
    without an end date being active to the end of the reporting year. ``area`` is the JACS
    subject area letter (``HE_XJACSA01_1``, or the first letter of ``HE_SBJQA1`` before
    2007/08), ``subject`` the JACS code (``HE_XJACS01_1`` or ``HE_SBJQA1``); ``female``
    comes from ``HE_SEXID`` (from 2012/13) or ``HE_GENDER`` (2 = female).
    """
    parts = []
    for table in ws.relations("hesa_*"):
        yyyy = int(table.rsplit("_", 1)[1])
        c = {
            "pmr": ws.column(table, "HE_PUPILMATCHINGREFANONYMOUS"),
            "lev6": ws.column(table, "HE_XLEV601"),
            "qobtn": ws.column(table, "HE_XQOBTN01"),
            "class": ws.column(table, "HE_XCLASS01"),
            "xpqual": ws.column(table, "HE_XPQUAL01"),
            "comdate": ws.column(table, "HE_COMDATE"),
            "enddate": ws.column(table, "HE_ENDDATE", "HE_DATELEFT"),
            "yearstu": ws.column(table, "HE_YEARSTU"),
            "age": ws.column(table, "HE_XAGEA01"),
        }
        area = ws.column(table, "HE_XJACSA01_1")
        subject = ws.column(table, "HE_SBJQA1", "HE_XJACS01_1")
        sex = ws.column(table, "HE_SEXID", "HE_GENDER")

        def q(name: str | None) -> str:
            return f'"{name}"' if name else "NULL"

        area_sql = q(area) if area else (f'substr({q(subject)}, 1, 1)' if subject else "NULL")
        start = f"'{yyyy - 1}-08-01'"
        end = f"'{yyyy}-07-31'"
        parts.append(
            f"""SELECT NULLIF({q(c['pmr'])}, '') AS pmr, {yyyy} AS yyyy,
                       {q(c['lev6'])} AS lev6, NULLIF({q(c['qobtn'])}, '') AS qobtn,
                       NULLIF({q(c['class'])}, '') AS class, {q(c['xpqual'])} AS xpqual,
                       {area_sql} AS area, {q(subject)} AS subject,
                       CASE WHEN {q(sex)} = 2 THEN 1 WHEN {q(sex)} = 1 THEN 0 END AS female,
                       {q(c['age'])} AS age_aug, {q(c['yearstu'])} AS yearstu,
                       MAX(COALESCE({q(c['comdate'])}, {start}), {start}) AS s,
                       MIN(COALESCE({q(c['enddate'])}, {end}), {end}) AS e
                FROM "{table}" """)
    union = "\nUNION ALL ".join(parts)
    return [
        f"""CREATE TEMP TABLE t_hesa AS
            SELECT u.*, p.ae_id, {month_index('u.s')} AS m0, {month_index('u.e')} AS m1
            FROM ({union}) u
            LEFT JOIN t_pmr p ON p.pmr = u.pmr""",
        "CREATE INDEX temp.ix_t_hesa ON t_hesa(ae_id, yyyy)",
        "CREATE INDEX temp.ix_t_hesa_y ON t_hesa(yyyy)",
        "CREATE INDEX temp.ix_t_hesa_pmr ON t_hesa(pmr)",
    ]


QUAL_KIND_SQL = """CASE WHEN substr(qobtn, 1, 1) IN ('H', 'I') THEN 'first_degree'
                        WHEN substr(qobtn, 1, 1) = 'M' THEN 'pg_taught'
                        WHEN substr(qobtn, 1, 1) = 'D' THEN 'pg_doctorate'
                        ELSE 'other' END"""
"""HESA qualification obtained (``HE_XQOBTN01``) by its first letter: H and I first degrees,
M taught master's (level 7, taught), D doctorates (level 8); the rest (other postgraduate,
foundation degrees, HNDs, certificates, ...) is 'other'."""


@derived("t_he_qual", deps=("t_hesa",))
def _t_he_qual(ws: Workspace) -> list[str]:
    """Each linked person's first qualification of each kind: year, class, subject, sex."""
    return [
        f"""CREATE TEMP TABLE t_he_qual AS
            SELECT ae_id, kind, yyyy, class, area, subject, female FROM (
              SELECT ae_id, {QUAL_KIND_SQL} AS kind, yyyy, class, area, subject, female,
                     ROW_NUMBER() OVER (PARTITION BY ae_id, {QUAL_KIND_SQL}
                                        ORDER BY yyyy) AS rn
              FROM t_hesa
              WHERE xpqual = 1 AND qobtn IS NOT NULL AND ae_id IS NOT NULL)
            WHERE rn = 1""",
        "CREATE UNIQUE INDEX temp.ix_t_he_qual ON t_he_qual(kind, ae_id)",
        "CREATE INDEX temp.ix_t_he_qual_y ON t_he_qual(kind, yyyy)",
    ]


@derived("t_jacs_cah2")
def _t_jacs_cah2(ws: Workspace) -> list[str]:
    """The JACS principal subject -> CAH2 lookup (HESA's Common Aggregation Hierarchy, as
    researchers join it to JACS-coded records; ``config/jacs_cah2.csv``)."""
    with SUBJECT_MAP.open(newline="", encoding="utf-8") as f:
        rows = [(r["jacs"], r["cah2"]) for r in csv.DictReader(f)]
    values = ", ".join(f"('{jacs}', '{cah2}')" for jacs, cah2 in rows)
    return ["CREATE TEMP TABLE t_jacs_cah2 (jacs TEXT PRIMARY KEY, cah2 TEXT)",
            f"INSERT INTO t_jacs_cah2 VALUES {values}"]


# -- LILR ----------------------------------------------------------------------------------

@derived("t_aims", requires=("aims",), deps=("t_rec",))
def _t_aims(ws: Workspace) -> list[str]:
    """ILR aims resolved to persons. The end of an aim is its actual end date, or while it
    continues (NULL, or the 1900-01-01 placeholder) its planned end date."""
    end = "COALESCE(NULLIF(a.end_date, '1900-01-01'), a.end_date_expected)"
    return [
        f"""CREATE TEMP TABLE t_aims AS
            SELECT r.ae_id, a.Year AS year, a.start_date AS s, {end} AS e,
                   a.programme_type AS prog, a.AimType AS aim_type, a.FundModel AS fund,
                   a.AgeAimStart AS age, a.outcome AS outcome, a.start AS started,
                   CASE WHEN a.programme_type IN {APPRENTICESHIP_SQL} THEN 1 ELSE 0 END AS app,
                   {month_index('a.start_date')} AS m0, {month_index(end)} AS m1
            FROM aims a
            JOIN t_rec r ON r.recordid = a.RECORDID
            WHERE a.start_date IS NOT NULL""",
        "CREATE INDEX temp.ix_t_aims ON t_aims(ae_id)",
        "CREATE INDEX temp.ix_t_aims_y ON t_aims(year)",
    ]


# -- persons -------------------------------------------------------------------------------

@derived("t_person", requires=("learners",), deps=("t_npd_pupil", "t_pmr", "t_hesa", "t_rec"))
def _t_person(ws: Workspace) -> list[str]:
    """One row per person (AE_ID): sex and year/month of birth, from the NPD when the person
    was at school in England, else HESA (age on 31 August), else the ILR (AcAge on 31 August
    of the year's start); ages from HESA and the ILR only locate the birth within 12 months
    and are given month 3 (the middle of the September-August school year)."""
    return [
        """CREATE TEMP TABLE t_person AS
           SELECT ae_id, female, yob, mob, source FROM (
             SELECT ae_id, female, yob, mob, source,
                    ROW_NUMBER() OVER (PARTITION BY ae_id ORDER BY priority) AS rn
             FROM (
               SELECT p.ae_id, n.female, n.yob, n.mob, 'npd' AS source, 1 AS priority
               FROM t_npd_pupil n JOIN t_pmr p ON p.pmr = n.pmr
               WHERE n.yob IS NOT NULL
               UNION ALL
               SELECT ae_id, female, yyyy - 1 - age_aug, 3, 'hesa', 2
               FROM t_hesa WHERE ae_id IS NOT NULL AND age_aug IS NOT NULL
               UNION ALL
               SELECT r.ae_id, CASE WHEN l.Sex = 'F' THEN 1 ELSE 0 END,
                      CAST(l.Year AS INTEGER) - l.AcAge, 3, 'ilr', 3
               FROM learners l JOIN t_rec r ON r.recordid = l.RECORDID
               WHERE l.AcAge > 0))
           WHERE rn = 1""",
        "CREATE UNIQUE INDEX temp.ix_t_person ON t_person(ae_id)",
    ]


def age_on(date_sql: str, year_col: str = "yob", month_col: str = "mob") -> str:
    """SQL for a person's age in whole years on a date (birthday taken as the 1st of the
    month of birth)."""
    return (f"(CAST(substr({date_sql}, 1, 4) AS INTEGER) - {year_col} - "
            f"CASE WHEN {month_col} > CAST(substr({date_sql}, 6, 2) AS INTEGER) "
            f"THEN 1 ELSE 0 END)")
