"""List columns that are entirely NULL, or constant, in years where the spec says they exist.

    python tools/audit_nulls.py EXTRACT.sqlite [--min-rows 20] [--json OUT.json]

For every relation of the extract and every column, per year (a per-year view's own year; in a
multi-year view the year read from the relation's year column, see ``YEAR_EXPRESSIONS``), it
counts the rows, the values (neither NULL nor a blank string) and the distinct values, and
keeps the years the column is populated in by the spec (``RelationColumn.active_years``: the
VRF's years per field, the physical-name rules applied). A column is listed when, in some of
those years with at least ``--min-rows`` rows, every value is NULL (``null``) or all values
are one (``constant``). The output (tab-separated: table, relation, column, finding, flagged
years of populated years, rows, fill class and fill, the spec's rule) groups a column's
flagged years across the per-year views of a template, so each finding can be judged: a
defect, or what the real extract holds (a field left empty, a flag too rare for the run's
size). Relations without a year column are judged as a whole. Run it on a ``--profile
clean`` extract to leave the quirks' changed cells out.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections import defaultdict
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from leo_synth.spec.loader import load_catalog
from leo_synth.spec.model import Fill, Relation, fill_class

CHUNK = 600
"""Columns per query."""

YEAR_EXPRESSIONS: dict[str, str] = {
    # start year of the row's academic or tax year, by physical relation
    "pru_census_2010_to_2013": 'CAST(substr("PRU_AcademicYear", 1, 4) AS INTEGER)',
    "ap_census_2008_to_2021": 'CAST(substr("AP_ACADYR", 1, 4) AS INTEGER)',
    "EYFSP_2003_to_2010": 'CAST(substr("FSP_ACADYR", 1, 4) AS INTEGER)',
    "KS1_1998_to_2012": 'CAST(substr("KS1_ACADYR", 1, 4) AS INTEGER)',
    "KS2Pupil_1996_to_2016": 'CAST(substr("KS2_ACADYR", 1, 4) AS INTEGER)',
    "KS2Exam_1996_to_2016": 'CAST(substr("KS2_ACADYR", 1, 4) AS INTEGER)',
    "KS3Pupil_1998_to_2013": 'CAST(substr("KS3_ACADYR", 1, 4) AS INTEGER)',
    "KS3Result_1998_to_2013": 'CAST(substr("KS3_ACADYR", 1, 4) AS INTEGER)',
    "KS4Pupil_2002_to_2014": 'CAST(substr("KS4_ACADYR", 1, 4) AS INTEGER)',
    "KS4Pupil_2015_to_2021": 'CAST(substr("KS4_ACADYR", 1, 4) AS INTEGER)',
    "KS4Exam_2002_to_2014": 'CAST(substr("KS4_ACADYR", 1, 4) AS INTEGER)',
    "KS4Exam_2015_to_2021": 'CAST(substr("KS4_ACADYR", 1, 4) AS INTEGER)',
    "KS5Student_2002_to_2021": 'CAST(substr("KS5_ACADYR", 1, 4) AS INTEGER)',
    "KS5Exam_2002_to_2021": 'CAST(substr("KS5_ACADYR", 1, 4) AS INTEGER)',
    "cin_child_2009_to_2021": 'CAST(substr("CIN_ACADYR", 1, 4) AS INTEGER)',
    "cin_2009_to_2021": 'CAST(substr("CIN_ACADYR", 1, 4) AS INTEGER)',
    "cin_disabilities_2009_to_2021": 'CAST(substr("CIN_ACADYR", 1, 4) AS INTEGER)',
    "cla_2006_to_2021": '"cla_PROCESSING_YEAR" - 1',
    "nccis_2011_to_2021": 'CAST(substr("NCCIS_ACADYR", 1, 4) AS INTEGER)',
    "YPMAD_2002_to_2021": 'CAST(substr("YPMAD_Academic_Year", 1, 4) AS INTEGER)',
    "learners": 'CAST("Year" AS INTEGER)',
    "aims": '"Year"',
    "lars": '"Year"',
    "leo_earnings": '"TaxYear" / 100',
    "leo_self_assessment": '"TaxYear" / 100',
    "leo_cjrs": '"TAXYEAR" / 100',
    "leo_seiss": '"TAXYEAR" / 100',
    "leo_geography": '"TaxYear" / 100',
}


@dataclass
class Finding:
    """A column that is NULL or constant in some of its populated years."""

    relation: str
    table: str
    column: str
    kind: str  # "null" or "constant"
    years: list[int]
    """Flagged years (start years); [] for a relation judged as a whole."""
    populated: list[int]
    """The years with rows in which the spec populates the column."""
    rows: int
    value: str | None
    """The constant value (of the last flagged year)."""
    fill: str
    note: str


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def audit_relation(conn: sqlite3.Connection, rel: Relation, min_rows: int) -> list[Finding]:
    """The findings of one relation (nothing if it is not in the extract)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (rel.name,)).fetchone():
        return []
    year_sql = str(rel.year) if rel.year is not None else YEAR_EXPRESSIONS.get(rel.name, "NULL")
    stats: dict[int | None, list] = {}
    for start in range(0, len(rel.columns), CHUNK):  # SQLite returns at most 2,000 columns
        parts = [f"{year_sql} AS yr", "COUNT(*)"]
        for col in rel.columns[start:start + CHUNK]:
            q = _quote(col.name)
            expr = f"NULLIF({q}, '')"  # (a blank string, the blank_string quirk, is no value)
            parts += [f"COUNT({expr})", f"COUNT(DISTINCT {expr})", f"MIN({expr})"]
        sql = f"SELECT {', '.join(parts)} FROM {_quote(rel.name)} GROUP BY 1"
        for row in conn.execute(sql):
            stats.setdefault(row[0], [row[1]]).extend(row[2:])
    findings = []
    for index, col in enumerate(rel.columns):
        if _quote(col.name) in year_sql:  # (the years' own column: one value a year)
            continue
        flagged: dict[str, list[int | None]] = defaultdict(list)
        populated, rows, value = [], 0, None
        for year, row in sorted(stats.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)):
            if year is not None and year not in col.active_years:
                continue
            total, filled, distinct, low = row[0], *row[1 + 3 * index: 4 + 3 * index]
            if total < min_rows:
                continue
            populated.append(year)
            if filled == 0:
                flagged["null"].append(year)
            elif distinct == 1:
                flagged["constant"].append(year)
                value = None if low is None else str(low)
            rows += total
        for kind, years in flagged.items():
            cls, note = fill_class(col.spec)
            findings.append(Finding(
                rel.name, rel.table.name, col.name, kind,
                [y for y in years if y is not None], [y for y in populated if y is not None],
                rows, value if kind == "constant" else None,
                f"{cls}: {_fill_text(col.spec.fill)}", " ".join((note or "").split())))
    return findings


def _fill_text(fill: Fill) -> str:
    """A column's fill in a few words."""
    if fill.kind == "attr":
        return f"attr {fill.attr}"
    if fill.kind == "derive":
        return f"derive {fill.derive}"
    return fill.kind


def _years_text(years: list[int]) -> str:
    """Start years as ranges: 1995-2005, 2008."""
    out: list[str] = []
    for year in sorted(years):
        if out and int(out[-1].split("-")[-1]) == year - 1:
            out[-1] = f"{out[-1].split('-')[0]}-{year}"
        else:
            out.append(str(year))
    return ", ".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("extract", type=Path)
    parser.add_argument("--min-rows", type=int, default=20)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    catalog = load_catalog()
    conn = sqlite3.connect(f"file:{args.extract}?mode=ro", uri=True)
    findings: list[Finding] = []
    for rel in catalog.relations(2):
        findings.extend(audit_relation(conn, rel, args.min_rows))
    # per-year views of one template: one line per template column
    merged: dict[tuple[str, str, str], Finding] = {}
    relations = {rel.name: rel for rel in catalog.relations(2)}
    for f in findings:
        rel = relations[f.relation]
        col = rel.column(f.column)
        key = (f.table, f"{col.spec.name}{rel.term}{col.n or ''}", f.kind)
        if rel.year is not None and key in merged:
            m = merged[key]
            m.years += f.years
            m.populated += f.populated
            m.rows += f.rows
        else:
            merged[key] = replace(f, years=list(f.years), populated=list(f.populated))
    for f in merged.values():
        whole = f"{_years_text(f.years)} of {_years_text(f.populated)}" if f.years else "all"
        print(f"{f.table}\t{f.relation}\t{f.column}\t{f.kind}"
              f"{'=' + f.value if f.value is not None else ''}\t{whole}\t{f.rows}\t{f.fill}"
              f"\t{f.note[:120]}")
    if args.json:
        args.json.write_text(json.dumps([asdict(f) for f in findings], indent=1))
    print(f"{len(merged)} findings ({len(findings)} relation columns)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
