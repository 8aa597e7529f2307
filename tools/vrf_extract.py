#!/usr/bin/env python3
"""Convert the LEO I2SE Variable Request Form (VRF v2.3) into normalised CSV field lists.

Usage::

    python tools/vrf_extract.py --vrf PATH/leo_i2_variable_request_form_v2.3.xlsx \
        --fft PATH/fft_derived_tables_data_dictionary.xlsx --out schemas/vrf

Writes ``vrf_fields.csv``, ``vrf_tables.csv`` and ``fft_codelists.csv`` into ``--out``.
The output is deterministic: the same workbooks always give byte-identical files.

Only the standard library is needed to import this module (the parsing functions are pure
and unit-tested without the workbooks); openpyxl is imported lazily by ``load_grid``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The extract ends in academic/tax year 2020/21 (start year 2020).
EXTRACT_END_YEAR = 2020

# Sheets of the VRF that hold no field lists.
FRONT_SHEETS = ("Front Cover", "Overview", "Data Tables", "COVID19 Impact")

FIELD_COLUMNS = (
    "sheet",
    "table",
    "section",
    "field",
    "old_names",
    "field_reference",
    "category",
    "description",
    "data_type",
    "nullable",
    "years_raw",
    "years",
    "terms",
    "terms_note",
    "allowed_values_raw",
    "codes",
    "value_range",
    "source_row",
)
TABLE_COLUMNS = (
    "sheet",
    "table",
    "title",
    "overview",
    "years",
    "data_tables_name",
    "data_tables_description",
)
FFT_COLUMNS = ("list", "code", "label")

# Header cell text (lower-cased, whitespace collapsed) -> logical column key.
HEADER_ALIASES = {
    "npd alias": "field",
    "npdalias": "field",
    "field": "field",
    "field name": "field",
    "field reference": "field_reference",
    "fieldreference": "field_reference",
    "standard extract": "standard_extract",
    "category": "category",
    "field type": "field_type",
    "years populated": "years",
    "years populated (tax years)": "years",
    "years available": "years",
    "description": "description",
    "data type": "data_type",
    "type": "data_type",
    "length": "length",
    "nullable": "nullable",
    "allowed values": "allowed_values",
    "values": "allowed_values",
    "codes": "allowed_values",
    "collection term": "terms",
    "notes": "notes",
    "source": "source",
    "source dataset": "source_dataset",
    "table": "table_numbers",
    "table name": "table_name",
}

# Cell text fixes applied to "Years Populated" before parsing (typos in the VRF).
YEAR_TYPO_FIXES = {
    "2008/20019": "2008/2009",  # Absence LanguageGroupMinor_ab[yy]
    "2006/2006": "2005/2006",  # Absence DataCollection_1_ab[yy]: "PLASC 2006 / Spring 2006"
    "207/2008": "2007/2008",  # KS1 READWRITPOINTS
    "200708": "2007/08",  # KS3 LEVAXSCI "2004/05 - 200708"
}
ALL_YEARS_WORDS = {"", "all years", "all", "n/a", "na"}

TERM_TOKENS = {
    "aut": "aut",
    "autumn": "aut",
    "spr": "spr",
    "spring": "spr",
    "sum": "sum",
    "summer": "sum",
}
TERM_ORDER = ("aut", "spr", "sum")


@dataclass(frozen=True)
class SheetSpec:
    """How to read one VRF sheet: its table key(s) and its row in the 'Data Tables' sheet."""

    table: str
    data_tables: str
    subtables: dict[str, str] = field(default_factory=dict)
    bare_year_offset: int = 0
    table_prefix: str = ""


SHEET_SPECS: dict[str, SheetSpec] = {
    "SC_Pupil_01-02_to_20-21": SheetSpec("sc_pupil", "SC_Pupil 01-02 to 20-21 SUM"),
    "PRU_Census_09-10_to_12-13": SheetSpec("pru_census", "PRU Census 09-10 to 12-13"),
    "EYFSP_02-03_to_09-10": SheetSpec("eyfsp", "EYFSP - 02-03 to 09-10"),
    "Alt_Provision_07-08_to_20-21": SheetSpec("ap_census", "Alt Provision 07-08 to 20-21"),
    "KS1_97-98_to_11-12": SheetSpec("ks1", "KS1 - 97-98 to 11-12"),
    "KS2_95-96_to_15-16": SheetSpec(
        "ks2_pupil",
        "KS2 - 95-96 to 15-16",
        {"ks2 pupil table": "ks2_pupil", "ks2 exam table": "ks2_exam"},
    ),
    "KS3_97-98_to_12-13": SheetSpec(
        "ks3_pupil",
        "KS3 97-98 to 12-13",
        {
            "ks3 candidate": "ks3_pupil",
            "ks3 indicators": "ks3_pupil",
            "ks3 result table": "ks3_result",
        },
    ),
    "KS4_01-02_to_20-21": SheetSpec(
        "ks4_pupil",
        "KS4 01-02 to 20-21",
        {"ks4 pupil table": "ks4_pupil", "ks4 exam table": "ks4_exam"},
    ),
    "KS5_01-02_to_20-21": SheetSpec(
        "ks5_student",
        "KS5 01-02 to 20-21",
        {"ks5 student table": "ks5_student", "ks5 exam table": "ks5_exam"},
    ),
    "CIN_08-09_to_20-21": SheetSpec(
        "cin_overall",
        "CIN 08-09 to 20-21",
        {
            "n_census_cin_overall": "cin_overall",
            "n_census_cin_child": "cin_child",
            "n_census_cin_cpp": "cin_cpp",
            "n_census_cin_details": "cin_details",
            "n_census_cin_disabilities": "cin_disabilities",
            "n_census_cin_opencase": "cin_open_case",
            "n_census_cin_serviceprovision": "cin_service_provision",
        },
    ),
    "CLA_05-06_to_20-21": SheetSpec("cla", "CLA 05-06 to 20-21"),
    "Absence_05-06_to_20-21": SheetSpec("absence", "Absence 05-06 to 20-21"),
    "Exclusions_01-02_to_04-05": SheetSpec("exclusions_old", "Exclusions 01-02 to 04-05"),
    "Exclusions_05-06_to_20-21": SheetSpec(
        "exclusions_table_1", "Exclusions 05-06 to 19-20", table_prefix="exclusions_table_"
    ),
    "PLAMS_07-08_to_20-21": SheetSpec("plams", "PLAMS 07-08 to 20-21"),
    "NCCIS_10-11_to_20-21": SheetSpec("nccis", "NCCIS 10-11 to 20-21"),
    "YPMAD_01-02_to_20-21": SheetSpec(
        "ypmad_chronological",
        "YPMAD 20-21",
        {
            "chronological indicators": "ypmad_chronological",
            "snapshot indicators": "ypmad_snapshot",
        },
    ),
    "LILR_Learners_02-03_to_20-21": SheetSpec("lilr_learners", "‘LILR_Learners_02-03_to_20-21"),
    "LILR_Aims _02-03_to_20-21": SheetSpec("lilr_aims", "LILR_Aims _02-03_to_20-21"),
    "LILR_LARS _02-03_to_20-21": SheetSpec("lilr_lars", "LILR_LARS _02-03_to_20-21"),
    "HESA 04-05 to 19-20": SheetSpec("hesa", "HESA 04-05 to 19-20", bare_year_offset=-1),
    "UCAS_07-08_to_20-21": SheetSpec("ucas", "UCAS_07-08_to_20-21"),
    "LEARNER_AE_ID_TO_RECID_LOOKUP": SheetSpec(
        "education_records_lookup", "Resolved LEARNER_AE_ID_TO_RECID_LOOKUP"
    ),
    "LEARNER_AE_ID_TO_EDUKEY_LOOKUP": SheetSpec(
        "learner_ae_id_to_edukey_lookup", "Resolved Learner AE_ID To Edukey Lookup"
    ),
    "LEARNER_AE_ID_TO_PMR_LOOKUP": SheetSpec(
        "learner_ae_id_to_pmr_lookup", "Resolved Learner AE_ID To PMR Lookup"
    ),
    "Benefit_99-00_to_20-21": SheetSpec("leo_benefit", "Benefit Spells table"),
    "Employment_97-98_to_20-21": SheetSpec("leo_employment", "Employment Spells table"),
    "Earnings_and_IDBR_03-04_20_21": SheetSpec("leo_earnings", "Earnings_&_IDBR_SIC_03-04_20_21"),
    "IDBR_ENTERPRISE_04-05_to_20-21": SheetSpec(
        "leo_idbr_lookup", "IDBR_ENTERPRISE_04-05_to_20-21"
    ),
    "SA_13-14_to_20-21": SheetSpec("leo_self_assessment", "Self -assessment table"),
    "CJRS_19-20_to_20-21": SheetSpec("leo_cjrs", "CJRS"),
    "SEISS_20-21": SheetSpec("leo_seiss", "SEISS"),
    "Geography_04-05_to_20-21": SheetSpec("leo_geography", "Geography table"),
}

Grid = list[tuple[int, list[str]]]


# --------------------------------------------------------------------------- text helpers


def cell_text(value: object) -> str:
    """Render a cell value as text: ints without '.0', dates as ISO, None as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def clean_lines(text: str) -> list[str]:
    """Split cell text into stripped, non-empty lines (tabs, NBSPs and _x000D_ normalised)."""
    text = text.replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\t", " ").replace("\xa0", " ").replace("\u202f", " ")
    return [line.strip() for line in text.split("\n") if line.strip()]


def one_line(text: str) -> str:
    """Collapse a multi-line cell into one line, lines joined with ' | '."""
    return " | ".join(clean_lines(text))


# ----------------------------------------------------------------------------- formulas


def split_formula_args(args: str) -> list[str]:
    """Split a function's argument list on top-level commas, respecting "quoted" strings."""
    parts: list[str] = []
    current: list[str] = []
    in_quotes = False
    for char in args:
        if char == '"':
            in_quotes = not in_quotes
        if char == "," and not in_quotes:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return parts


def evaluate_concatenate(formula: str, lookup: Callable[[str], str]) -> str:
    """Evaluate ``=CONCATENATE(...)`` (optionally wrapped in parentheses) of literals and refs.

    ``lookup`` maps a cell reference such as ``B42`` to that cell's text.
    Raises ValueError for any other formula.
    """
    body = formula.strip()
    if body.startswith("="):
        body = body[1:].strip()
    while body.startswith("(") and body.endswith(")"):
        body = body[1:-1].strip()
    match = re.fullmatch(r"CONCATENATE\((.*)\)", body, flags=re.IGNORECASE | re.DOTALL)
    if not match:
        raise ValueError(f"unsupported formula: {formula}")
    pieces = []
    for arg in split_formula_args(match.group(1)):
        if len(arg) >= 2 and arg.startswith('"') and arg.endswith('"'):
            pieces.append(arg[1:-1].replace('""', '"'))
        elif re.fullmatch(r"\$?[A-Z]{1,3}\$?\d+", arg):
            pieces.append(lookup(arg.replace("$", "")))
        else:
            raise ValueError(f"unsupported formula argument {arg!r} in {formula}")
    return "".join(pieces)


def resolve_formula(formula: str, cached: object, lookup: Callable[[str], str]) -> str:
    """Return a formula cell's text: the workbook's cached value if any, else evaluate it."""
    if cached is not None and cell_text(cached) != "":
        return cell_text(cached)
    return evaluate_concatenate(formula, lookup)


# -------------------------------------------------------------------------------- aliases


def split_alias(cell: str) -> tuple[str, list[str]]:
    """Split an alias cell into (current name, [old names / notes]).

    The first line is the current name; the remaining lines (old names with year notes,
    or notes) are returned in order.  A trailing parenthesised note on the first line,
    e.g. ``PupilMatchingRefAnonymous (PMR)``, is moved to the notes, and stray spaces next
    to an underscore are removed (``LSOA11 _school_ab[yy]``).
    """
    lines = clean_lines(cell)
    if not lines:
        return "", []
    name, rest = re.sub(r"\s+(?=_)|(?<=_)\s+", "", lines[0]), lines[1:]
    match = re.fullmatch(r"(\S+)\s+(\([^()]*\))", name)
    if match:
        name, rest = match.group(1), [match.group(2), *rest]
    return name, rest


# ---------------------------------------------------------------------------------- years


def two_digit_year(yy: str) -> int:
    """Expand a two-digit year from a sheet title (50-99 -> 19xx, else 20xx)."""
    value = int(yy)
    return 1900 + value if value >= 50 else 2000 + value


def title_coverage(title: str) -> tuple[int, int] | None:
    """Start years of the first and last academic/tax year named in a sheet title.

    ``LILR_Learners_02-03_to_20-21`` -> (2002, 2020); ``SEISS_20-21`` -> (2020, 2020);
    ``Earnings_and_IDBR_03-04_20_21`` -> (2003, 2020); no years -> None.
    """
    pairs = re.findall(r"(?<!\d)(\d{2})[-_](\d{2})(?!\d)", title)
    starts = [two_digit_year(a) for a, b in pairs if (int(a) + 1) % 100 == int(b)]
    if not starts:
        return None
    return min(starts), max(starts)


YEAR_TOKEN = r"\d{4}(?:\s*/\s*\d{2,4})?"


def year_start(token: str, bare_year_offset: int = 0) -> int:
    """Start year of ``2001/02``, ``2001/2002`` or a bare ``2012`` (plus offset).

    Raises ValueError when the two halves of an academic year are not consecutive.
    """
    parts = [p.strip() for p in token.split("/")]
    start = int(parts[0])
    if len(parts) == 1:
        return start + bare_year_offset
    end_text = parts[1]
    end = int(end_text) if len(end_text) == 4 else (start // 100) * 100 + int(end_text)
    if len(end_text) == 2 and end < start:
        end += 100
    if end != start + 1:
        raise ValueError(f"not a consecutive academic year: {token!r}")
    return start


def merge_ranges(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort inclusive year ranges and merge those that overlap or touch."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def format_ranges(ranges: Iterable[tuple[int, int]]) -> str:
    """Format ranges as ``2001-2020;2022-2022``."""
    return ";".join(f"{a}-{b}" for a, b in ranges)


def normalise_year_text(raw: str) -> str:
    """Lower-case a Years Populated cell, fix known typos and drop (A)/(F) qualifiers."""
    text = one_line(raw)
    for typo, fix in YEAR_TYPO_FIXES.items():
        text = re.sub(rf"(?<![\d/]){re.escape(typo)}(?![\d/])", fix, text)
    text = text.lower().replace("–", "-").replace("—", "-")
    text = re.sub(r"\(\s*[af]\s*\)", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def parse_year_statement(
    stmt: str, coverage: tuple[int, int] | None, offset: int
) -> tuple[int, int]:
    """Parse one statement (``2001/02 - 2004/05``, ``2010/11 only``, ``2019/20 -``,
    ``2012 onwards``, ``2013 to 2015``, ``up to 2007``) into a start-year range.

    Open ends stop at the coverage end, or at EXTRACT_END_YEAR when the sheet title names
    no years; ``up to`` needs a coverage start.  Anything else (e.g. the ambiguous
    ``1997/98 - 2011/2012 2003/04``) raises ValueError.
    """
    cov_start, cov_end = coverage if coverage else (None, EXTRACT_END_YEAR)
    year = YEAR_TOKEN
    if (m := re.fullmatch(rf"up to ({year})", stmt)) and cov_start is not None:
        return cov_start, year_start(m.group(1), offset)
    if m := re.fullmatch(rf"({year})(?: only)?", stmt):
        single = year_start(m.group(1), offset)
        return single, single
    if m := re.fullmatch(rf"({year}) onwards", stmt):
        return year_start(m.group(1), offset), cov_end
    if m := re.fullmatch(rf"({year})\s*(?:-|to)(?:\s*-)*\s*({year})?", stmt):
        start = year_start(m.group(1), offset)
        return start, year_start(m.group(2), offset) if m.group(2) else cov_end
    # KS1 "1997/1998 - 2011/2012 2011/2012": a repeated end year is harmless.
    if m := re.fullmatch(rf"({year}) - ({year}) ({year})", stmt):
        end, repeated = year_start(m.group(2), offset), year_start(m.group(3), offset)
        if end == repeated:
            return year_start(m.group(1), offset), end
    raise ValueError(f"not a year statement: {stmt!r}")


def parse_years(
    raw: str, coverage: tuple[int, int] | None, bare_year_offset: int = 0
) -> str | None:
    """Normalise a 'Years Populated' cell to ``start-end[;start-end...]`` of start years.

    Open-ended ranges end at the sheet coverage end (2020 if the title has no years);
    'All Years', 'N/A' and blank give the sheet coverage ('' when the sheet has none).
    Returns None when the text is not a year statement (the caller keeps the raw text
    and reports it).
    """
    text = normalise_year_text(raw)
    if text in ALL_YEARS_WORDS or text.startswith("all years -"):
        return format_ranges([coverage]) if coverage else ""
    statements = [part for part in re.split(r"\s*[,;|]\s*", text) if part]
    try:
        ranges = [parse_year_statement(st, coverage, bare_year_offset) for st in statements]
    except ValueError:
        return None
    if not ranges or any(a > b for a, b in ranges):
        return None
    return format_ranges(merge_ranges(ranges))


# ---------------------------------------------------------------------------------- terms


def parse_terms(raw: str) -> tuple[str, str]:
    """Normalise a 'Collection term' cell to ``aut;spr;sum`` plus a qualifier note.

    The note is the raw text (one line) when it says more than a plain list of terms.
    """
    text = one_line(raw)
    found = {TERM_TOKENS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in TERM_TOKENS}
    terms = ";".join(t for t in TERM_ORDER if t in found)
    plain = re.fullmatch(
        r"(?:\s*(?:aut|autumn|spr|spring|sum|summer)\s*(?:,|and|&)?)*", text.lower()
    )
    return terms, ("" if plain else text)


# ---------------------------------------------------------------------- codes and ranges

NUMBER = r"[-+]?\d+(?:\.\d+)?"
CODE_TOKEN = r"[^\s=]{1,24}(?:\s?/\s?[^\s=]{1,24})?"
CODE_LINE_PATTERNS = (
    # M = Male, 1/ 101 = ..., N/A  = Not applicable, 1=FL2 participation
    re.compile(rf"(?P<code>{CODE_TOKEN})\s*=\s*(?P<label>.*\S)"),
    # 4+ (4 from 01/02 onwards) = Achieved Level 4 or above
    re.compile(rf"(?P<code>{CODE_TOKEN})\s*(?P<note>\([^()=]*\))\s*=\s*(?P<label>.*\S)"),
    # 1: Autumn series result
    re.compile(rf"(?P<code>{NUMBER})\s*:\s*(?P<label>\S.*)"),
    # 1. Achieved 5+A*-C inc English & Maths
    re.compile(rf"(?P<code>{NUMBER})\.\s+(?P<label>[A-Za-z].*)"),
    # A* - Grade A*, N -Not declared, 0–Indicates ...
    re.compile(rf"(?P<code>{CODE_TOKEN})\s+[-–]\s*(?P<label>[^\d\s].*)"),
    re.compile(rf"(?P<code>{CODE_TOKEN})\s*–\s*(?P<label>[A-Za-z].*)"),
    # -1  Missing/Not Applicable, 10 Community Learning
    re.compile(rf"(?P<code>{NUMBER})\s+(?P<label>[A-Z].*)"),
    # A Absent, NS Nursery, BLW Below the standard ...
    re.compile(r"(?P<code>[A-Z][A-Z0-9_]{0,3})\s+(?P<label>[A-Z].*)"),
)
# Tried only on the remaining lines of a cell that is already a code list:
# 01  - 16 to 19 study programme, 21 16-18 Learner Responsive Provision
RELAXED_CODE_LINE_PATTERNS = (
    re.compile(rf"(?P<code>{CODE_TOKEN})\s+[-–]\s*(?P<label>\S.*[A-Za-z].*)"),
    re.compile(rf"(?P<code>{NUMBER})\s+(?P<label>\d\S*\s+[A-Za-z].*)"),
)
REVERSED_CODE_LINE = re.compile(r"(?P<label>.*\S)\s+-\s+(?P<code>[A-Z]{2,4})")
PAREN_PAIR = re.compile(
    r"(?P<code>[^\s(),;|]{1,8}(?:\s?,\s?[^\s(),;|]{1,8})*)\s*"
    r"\((?P<label>[^()]+)\)\)?"
)


def range_of(item: str) -> str:
    """``min..max`` / ``min..`` when one item is exactly a numeric range, else ''."""
    if m := re.fullmatch(
        rf"(?:range\s+)?(?P<lo>{NUMBER})\s*(?:to|-|–)\s*(?P<hi>{NUMBER})", item, flags=re.IGNORECASE
    ):
        return f"{m.group('lo')}..{m.group('hi')}"
    if m := re.fullmatch(rf"(?:>=|≥)\s*(?P<lo>{NUMBER})", item):
        return f"{m.group('lo')}.."
    if m := re.fullmatch(rf"(?P<lo>{NUMBER}) upwards", item, flags=re.IGNORECASE):
        return f"{m.group('lo')}.."
    return ""


def parse_code_line(line: str, relaxed: bool = False) -> tuple[str, str] | None:
    """Parse one ``code = label`` style line (also ``code - label``, ``1: label``, ``-1  label``,
    ``A Absent``); None when the line is not a single code with a label.

    ``relaxed`` also accepts labels that start with a digit (``01 - 16 to 19 study
    programme``); it is meant for lines of a cell already known to be a code list.
    """
    if range_of(line) or re.fullmatch(rf"{NUMBER}\s*(?:to|-|–)\s*{NUMBER}\W*", line):
        return None
    patterns = CODE_LINE_PATTERNS + (RELAXED_CODE_LINE_PATTERNS if relaxed else ())
    for pattern in patterns:
        if m := pattern.fullmatch(line):
            code = m.group("code").strip()
            label = m.group("label").strip()
            if "note" in m.groupdict() and m.group("note"):
                label = f"{label} {m.group('note')}"
            label = label.rstrip(",;").strip()
            if code.endswith(("-", "–")) or not label or not re.search(r"[A-Za-z0-9*_]", code):
                return None
            return code, label
    return None


def parse_paren_pairs(line: str) -> list[tuple[str, str]]:
    """Parse ``0 (Not Included) ; 1,2,3 (Included)`` or ``T (True), F(False), NULL``.

    Comma-joined codes sharing one label are expanded; unlabelled items (``NULL``) are
    skipped.  Returns [] unless the rest of the line is only separators and bare tokens.
    """
    pairs: list[tuple[str, str]] = []
    for m in PAREN_PAIR.finditer(line):
        if range_of(m.group("code")):
            return []
        for code in m.group("code").split(","):
            pairs.append((code.strip(), m.group("label").strip()))
    rest = PAREN_PAIR.sub(" ", line)
    if not pairs or not re.fullmatch(r"[\s,;|]*(?:[A-Za-z]{1,5}[\s,;|]*)?", rest):
        return []
    return pairs


def code_list_lines(raw: str) -> list[str]:
    """Lines of an allowed-values cell, also split where codes are separated by runs of 3+
    spaces or by ``, `` before another ``code =`` (``1 = Yes, 0 = No``)."""
    lines: list[str] = []
    for line in clean_lines(raw.strip().strip('"')):
        for part in re.split(r"\s{3,}(?=[^\s=]{1,24}\s*=)|,\s*(?=[^\s,=]{1,5}\s*=\s)", line):
            if part.strip():
                lines.append(part.strip())
    return lines


def line_codes(line: str, relaxed: bool = False) -> list[tuple[str, str]]:
    """The (code, label) pairs written on one line ([] if none)."""
    single = parse_code_line(line, relaxed)
    return [single] if single else parse_paren_pairs(line)


def parse_codes(raw: str) -> list[list[str]]:
    """Parse an allowed-values cell into ``[[code, label], ...]`` when it is a code list.

    Each line is tried as ``code = label`` (and the other single-code forms), then as a
    list of ``code (label)`` pairs.  The cell counts as a code list when at least half of
    its lines (and at least one) parse; other lines (headings such as ``Main/Duplicate
    Rules``, bare ranges) are left to the raw text.  Lists written ``label - CODE``
    (CLA placement boundaries) are recognised when no line parses the other way round.
    """
    lines = code_list_lines(raw)
    parsed = [line_codes(line) for line in lines]
    if any(parsed):
        pairs = zip(parsed, lines, strict=True)
        parsed = [found or line_codes(line, relaxed=True) for found, line in pairs]
    hits = sum(1 for p in parsed if p)
    codes = [[code, label] for pairs in parsed for code, label in pairs]
    if not codes:
        reversed_hits = [REVERSED_CODE_LINE.fullmatch(line) for line in lines]
        codes = [[m.group("code"), m.group("label")] for m in reversed_hits if m]
        hits = len(codes)
    if not codes or hits * 2 < len(lines):
        return []
    return codes


def parse_value_range(raw: str) -> str:
    """Return ``min..max`` (or ``min..``) when the allowed values state one numeric range.

    Accepted: the whole cell (``0 to 11``, ``0-25``, ``>= 0``, ``1 upwards``, ``range 3 - 39``),
    exactly one range line among code/note lines (``A=Absent | M=Missing | 0-32``), one range
    item in a one-line comma list whose other items are not numbers (``N, 0 - 9``,
    ``0-99, NULL to 1dp``), or a range followed by a note (``1-12.  1 = January``).
    """
    lines = clean_lines(raw)
    if not lines:
        return ""
    line_ranges = [r for r in (range_of(line) for line in lines) if r]
    if len(line_ranges) == 1:
        return line_ranges[0]
    if len(lines) == 1:
        items = [item.strip() for item in re.split(r",|\s+(?:and|or)\s+", lines[0]) if item.strip()]
        ranges = [r for r in (range_of(item) for item in items) if r]
        numbers = [item for item in items if re.fullmatch(rf"{NUMBER}\W*", item)]
        if len(ranges) == 1 and not numbers:
            return ranges[0]
    if m := re.match(rf"(?P<lo>{NUMBER})\s*(?:to|-|–)\s*(?P<hi>{NUMBER})[.,]\s", lines[0]):
        return f"{m.group('lo')}..{m.group('hi')}"
    return ""


# ---------------------------------------------------------------------- sheet structure


def header_key(text: str) -> str | None:
    """Map a header cell's text to a logical column key (None if not a known header)."""
    return HEADER_ALIASES.get(re.sub(r"\s+", " ", text.strip().lower()))


def header_map(cells: Sequence[str]) -> dict[str, int] | None:
    """Return {key: column index} if the row is a field-list header row, else None."""
    found: dict[str, int] = {}
    for index, text in enumerate(cells):
        key = header_key(text) if text else None
        if key and key not in found:
            found[key] = index
    if "field" in found and len(found) >= 3:
        return found
    return None


def section_of(cells: Sequence[str]) -> str | None:
    """Recognise the NPD section marker rows ('By request' / Default Data Items)."""
    first = next((c for c in cells if c.strip()), "").strip().lower()
    if first.startswith("'by request' data items"):
        return "by_request"
    if first.startswith("default data items"):
        return "default"
    return None


def is_identifier(text: str) -> bool:
    """True when text looks like a single field name (no spaces)."""
    return bool(re.fullmatch(r"[A-Za-z0-9_.\[\]\-/()]+", text))


@dataclass
class SheetResult:
    """Fields and bookkeeping produced from one sheet."""

    rows: list[dict[str, str]] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    unparsed_years: list[tuple[int, str, str]] = field(default_factory=list)
    continuations: list[tuple[int, int]] = field(default_factory=list)
    title: str = ""
    preamble: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    headings: dict[str, list[str]] = field(default_factory=dict)

    def add_table(self, key: str, heading: str = "") -> None:
        """Record a table key (in first-seen order) and the heading that introduced it."""
        if key not in self.tables:
            self.tables.append(key)
        seen = self.headings.setdefault(key, [])
        if heading and heading.lower() not in {h.lower() for h in seen}:
            seen.append(heading)

    def table_title(self, key: str) -> str:
        """Sheet title, plus the sub-table heading(s) when the sheet holds several tables."""
        headings = self.headings.get(key)
        return f"{self.title} / {'; '.join(headings)}" if headings else self.title


def get(cells: Sequence[str], cols: dict[str, int], key: str) -> str:
    """Cell text for a logical column ('' if the sheet has no such column)."""
    index = cols.get(key)
    if index is None or index >= len(cells):
        return ""
    return cells[index]


def data_type_of(cells: Sequence[str], cols: dict[str, int]) -> str:
    """Data type as written, with a separate Length column merged: ``varchar(17)``."""
    dtype = one_line(get(cells, cols, "data_type"))
    length = re.sub(r"\s*,\s*", ",", one_line(get(cells, cols, "length")))
    return f"{dtype}({length})" if length else dtype


def description_of(cells: Sequence[str], cols: dict[str, int]) -> str:
    """Description text plus the sheet's Notes / Source / Source Dataset columns, labelled."""
    parts = [one_line(get(cells, cols, "description"))]
    for key, label in (
        ("notes", "Notes"),
        ("source", "Source"),
        ("source_dataset", "Source dataset"),
    ):
        extra = one_line(get(cells, cols, key))
        if extra:
            parts.append(f"{label}: {extra}")
    return " | ".join(p for p in parts if p)


def category_of(cells: Sequence[str], cols: dict[str, int], group: str) -> str:
    """Category: 'Standard Extract' and 'Category' columns joined, else the HESA group."""
    parts = [one_line(get(cells, cols, "standard_extract")), one_line(get(cells, cols, "category"))]
    text = " / ".join(p for p in parts if p)
    return text or group


def tables_for_row(
    cells: Sequence[str], cols: dict[str, int], spec: SheetSpec, current: str
) -> list[str]:
    """Table keys for a field row: from the 'Table' column (Exclusions 05-06) or current."""
    if not spec.table_prefix:
        return [current]
    numbers = re.findall(r"\d+", get(cells, cols, "table_numbers"))
    return [f"{spec.table_prefix}{n}" for n in numbers] or [current]


@dataclass(frozen=True)
class FieldContext:
    """Where a field row sits: sheet, table, section, sheet spec, coverage and HESA group."""

    sheet: str
    table: str
    section: str
    spec: SheetSpec
    coverage: tuple[int, int] | None
    group: str


def build_field_row(
    ctx: FieldContext, row_number: int, cells: Sequence[str], cols: dict[str, int]
) -> tuple[dict[str, str], bool]:
    """Build one output row; the flag is False when the years text could not be parsed."""
    name, old = split_alias(get(cells, cols, "field"))
    years_raw = one_line(get(cells, cols, "years"))
    years = parse_years(years_raw, ctx.coverage, ctx.spec.bare_year_offset)
    terms, terms_note = parse_terms(get(cells, cols, "terms")) if "terms" in cols else ("", "")
    allowed = get(cells, cols, "allowed_values")
    row = {
        "sheet": ctx.sheet,
        "table": ctx.table,
        "section": ctx.section,
        "field": name,
        "old_names": " | ".join(old),
        "field_reference": one_line(get(cells, cols, "field_reference")),
        "category": category_of(cells, cols, ctx.group),
        "description": description_of(cells, cols),
        "data_type": data_type_of(cells, cols),
        "nullable": one_line(get(cells, cols, "nullable")),
        "years_raw": years_raw,
        "years": years or "",
        "terms": terms,
        "terms_note": terms_note,
        "source_row": str(row_number),
    }
    set_allowed_values(row, allowed)
    return row, years is not None


def is_continuation(cells: Sequence[str], cols: dict[str, int]) -> bool:
    """A row without a field name or years whose allowed-values cell continues the previous
    field's list (a cell split over two rows, e.g. CLA PLACEMENT)."""
    return (
        not get(cells, cols, "field").strip()
        and not get(cells, cols, "years").strip()
        and bool(get(cells, cols, "allowed_values").strip())
    )


def set_allowed_values(row: dict[str, str], allowed: str) -> None:
    """(Re)derive the allowed-values columns of an output row from the raw cell text."""
    row["allowed_values_raw"] = one_line(allowed)
    row["codes"] = json.dumps(parse_codes(allowed), ensure_ascii=False)
    row["value_range"] = parse_value_range(allowed)


def is_field_row(cells: Sequence[str], cols: dict[str, int]) -> bool:
    """A field row has a name and either other described columns or an identifier name."""
    name = get(cells, cols, "field").strip()
    if not name:
        return False
    skip = {cols["field"], cols.get("table_name", -1), cols.get("field_type", -1)}
    others = any(
        text.strip() for i, text in enumerate(cells) if i not in skip and i in cols.values()
    )
    first_line = clean_lines(name)[0]
    return others or is_identifier(first_line)


@dataclass
class SheetWalker:
    """Walks one sheet's rows top to bottom, tracking section, header, table and group."""

    sheet: str
    spec: SheetSpec
    result: SheetResult = field(default_factory=SheetResult)
    section: str = "all"
    cols: dict[str, int] | None = None
    table: str = ""
    group: str = ""
    last_rows: list[dict[str, str]] = field(default_factory=list)
    last_allowed: str = ""

    def __post_init__(self) -> None:
        self.table = self.spec.table
        self.result.add_table(self.spec.table)
        self.coverage = title_coverage(self.sheet)

    def walk(self, grid: Grid) -> SheetResult:
        """Process every row and return the sheet's result."""
        for row_number, cells in grid:
            if any(c.strip() for c in cells):
                self.row(row_number, cells)
        if self.spec.table_prefix:
            self.result.tables.sort()
        return self.result

    def row(self, row_number: int, cells: list[str]) -> None:
        """Dispatch one non-empty row."""
        texts = [c for c in cells if c.strip()]
        marker = section_of(cells)
        if marker:
            self.section, texts = marker, texts[1:]
        if new_header := header_map(cells):
            self.cols = {**(self.cols or {}), **new_header}
        elif self.cols is None:
            self.preamble(texts)
        elif not marker and not self.heading(cells):
            self.body_row(row_number, cells, texts)

    def preamble(self, texts: list[str]) -> None:
        """Text above the first header: the sheet title, then overview/notes lines."""
        if texts and not self.result.title:
            self.result.title, texts = one_line(texts[0]), texts[1:]
        if texts:
            self.result.preamble.append(" | ".join(one_line(t) for t in texts))

    def heading(self, cells: list[str]) -> bool:
        """Switch table on a sub-table heading row (e.g. 'KS4 Exam Table'); True if it was one."""
        assert self.cols is not None
        heading = one_line(get(cells, self.cols, "field"))
        key = self.spec.subtables.get(heading.lower())
        if key is None:
            return False
        self.table = key
        self.result.add_table(key, heading)
        return True

    def body_row(self, row_number: int, cells: list[str], texts: list[str]) -> None:
        """A row below a header: a field, a continuation of the previous one, or a note."""
        cols = self.cols
        assert cols is not None
        label = one_line(get(cells, cols, "field_type"))
        if label and not label.startswith("("):
            self.group = label
        if is_continuation(cells, cols) and self.last_rows:
            self.last_allowed = f"{self.last_allowed}\n{get(cells, cols, 'allowed_values')}"
            for out in self.last_rows:
                set_allowed_values(out, self.last_allowed)
            self.result.continuations.append((row_number, int(self.last_rows[0]["source_row"])))
            return
        self.last_rows = []
        if not is_field_row(cells, cols):
            self.result.skipped.append((row_number, " | ".join(one_line(t) for t in texts)))
            return
        self.last_allowed = get(cells, cols, "allowed_values")
        for key in tables_for_row(cells, cols, self.spec, self.table):
            number = key.removeprefix(self.spec.table_prefix) if self.spec.table_prefix else ""
            self.result.add_table(key, f"Table {number}" if number else "")
            out, years_ok = build_field_row(
                FieldContext(self.sheet, key, self.section, self.spec, self.coverage, self.group),
                row_number,
                cells,
                cols,
            )
            self.result.rows.append(out)
            self.last_rows.append(out)
            if not years_ok:
                self.result.unparsed_years.append((row_number, out["field"], out["years_raw"]))


def extract_sheet(sheet: str, grid: Grid, spec: SheetSpec) -> SheetResult:
    """Walk one sheet's rows and return its field rows, in row order."""
    return SheetWalker(sheet, spec).walk(grid)


# ------------------------------------------------------------------------ workbook access


def sheet_grid(ws: Any, ws_cached: Any) -> Grid:
    """One openpyxl worksheet as [(row number, [cell text, ...])], formulas resolved."""

    def lookup(ref: str) -> str:
        return cell_text(ws[ref].value)

    grid: Grid = []
    for row in ws.iter_rows():
        cells = []
        for cell in row:
            value = cell.value
            if isinstance(value, str) and value.startswith("="):
                cells.append(resolve_formula(value, ws_cached[cell.coordinate].value, lookup))
            else:
                cells.append(cell_text(value))
        while cells and not cells[-1].strip():
            cells.pop()
        if row:
            grid.append((row[0].row, cells))
    return grid


def load_grid(path: Path) -> dict[str, Grid]:
    """Read every sheet of a workbook into {title: [(row number, [cell text, ...])]}.

    Formula cells are replaced by the workbook's cached value, or evaluated when no cached
    value is stored.  Trailing spaces are stripped from sheet titles.
    """
    import openpyxl  # optional dependency: only needed to read the workbooks

    formulas = openpyxl.load_workbook(path, data_only=False)
    cached = openpyxl.load_workbook(path, data_only=True)
    return {ws.title.rstrip(): sheet_grid(ws, cached[ws.title]) for ws in formulas.worksheets}


def data_tables_rows(grid: Grid) -> dict[str, str]:
    """Map 'Table Name' -> 'Description' from the VRF 'Data Tables' sheet."""
    cols: dict[str, int] | None = None
    out: dict[str, str] = {}
    for _, cells in grid:
        lowered = [c.strip().lower() for c in cells]
        if "table name" in lowered and "description" in lowered:
            cols = {"name": lowered.index("table name"), "desc": lowered.index("description")}
            continue
        if cols and len(cells) > cols["name"] and cells[cols["name"]].strip():
            desc = cells[cols["desc"]] if len(cells) > cols["desc"] else ""
            out[cells[cols["name"]].strip()] = one_line(desc)
    return out


def fft_codelist_rows(grid: Grid) -> list[dict[str, str]]:
    """Rows of the FFT dictionary 'values' sheet as list/code/label.

    ``list`` is ``Table.Column`` as the sheet gives them.  Where the Value cell is empty
    and the label starts with ``code = `` (the census record_status rows), the code is
    taken from the label.
    """
    out: list[dict[str, str]] = []
    cols: dict[str, int] | None = None
    for _, cells in grid:
        lowered = [c.strip().lower() for c in cells]
        if cols is None:
            if {"table", "column", "value", "label"} <= set(lowered):
                cols = {k: lowered.index(k) for k in ("table", "column", "value", "label")}
            continue
        padded = [*cells, "", "", "", ""]
        table, column, code, label = (
            one_line(padded[cols[k]]).strip() for k in ("table", "column", "value", "label")
        )
        if not (table or column or code or label):
            continue
        if not code and (parsed := parse_code_line(label)) is not None:
            code, label = parsed
        out.append({"list": f"{table}.{column}", "code": code, "label": label})
    return out


# --------------------------------------------------------------------------------- output


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[dict[str, str]]) -> None:
    """Write rows as UTF-8 CSV with RFC 4180 quoting and '\\n' line ends."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=list(columns), lineterminator="\n", quoting=csv.QUOTE_MINIMAL
        )
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in columns})


def spec_for(sheet: str) -> SheetSpec:
    """The SheetSpec for a sheet title (a generic one, with a warning, if unknown)."""
    if sheet in SHEET_SPECS:
        return SHEET_SPECS[sheet]
    print(f"warning: unknown sheet {sheet!r}; using a generic table key", file=sys.stderr)
    key = re.sub(r"[^a-z0-9]+", "_", sheet.lower()).strip("_")
    return SheetSpec(key, "")


def convert(vrf: Path, fft: Path, out: Path) -> dict[str, SheetResult]:
    """Run the whole conversion and write the three CSV files; returns per-sheet results."""
    grids = load_grid(vrf)
    fft_grids = load_grid(fft)
    if "values" not in fft_grids:
        raise ValueError(f"{fft} has no 'values' sheet")
    data_tables = data_tables_rows(grids.get("Data Tables", []))
    results: dict[str, SheetResult] = {}
    field_rows: list[dict[str, str]] = []
    table_rows: list[dict[str, str]] = []
    for sheet, grid in grids.items():
        if sheet in FRONT_SHEETS:
            continue
        spec = spec_for(sheet)
        result = extract_sheet(sheet, grid, spec)
        results[sheet] = result
        field_rows.extend(result.rows)
        coverage = title_coverage(sheet)
        for table in result.tables:
            table_rows.append(
                {
                    "sheet": sheet,
                    "table": table,
                    "title": result.table_title(table),
                    "overview": " | ".join(result.preamble),
                    "years": format_ranges([coverage]) if coverage else "",
                    "data_tables_name": spec.data_tables,
                    "data_tables_description": data_tables.get(spec.data_tables, ""),
                }
            )
    out.mkdir(parents=True, exist_ok=True)
    write_csv(out / "vrf_fields.csv", FIELD_COLUMNS, field_rows)
    write_csv(out / "vrf_tables.csv", TABLE_COLUMNS, table_rows)
    write_csv(out / "fft_codelists.csv", FFT_COLUMNS, fft_codelist_rows(fft_grids["values"]))
    return results


def report(results: dict[str, SheetResult]) -> None:
    """Print per-sheet counts, skipped rows and unparsed years to stderr."""
    total = 0
    for sheet, result in results.items():
        total += len(result.rows)
        print(f"{sheet}: {len(result.rows)} rows", file=sys.stderr)
        for row_number, text in result.skipped:
            print(f"  skipped row {row_number}: {text[:100]}", file=sys.stderr)
        for row_number, target in result.continuations:
            print(f"  row {row_number} continues allowed values of row {target}", file=sys.stderr)
        for row_number, name, raw in result.unparsed_years:
            print(f"  years not parsed, row {row_number} {name}: {raw[:100]}", file=sys.stderr)
    print(f"total: {total} rows", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        description="Convert the LEO I2SE Variable Request Form (and the FFT dictionary's "
        "'values' sheet) into normalised CSV field lists."
    )
    parser.add_argument("--vrf", required=True, type=Path, help="path to the VRF v2.3 .xlsx")
    parser.add_argument(
        "--fft",
        required=True,
        type=Path,
        help="path to the FFT derived tables data dictionary .xlsx",
    )
    parser.add_argument("--out", required=True, type=Path, help="output directory")
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="print per-sheet counts, skipped rows and unparsed years",
    )
    args = parser.parse_args(argv)
    for label, path in (("--vrf", args.vrf), ("--fft", args.fft)):
        if not path.is_file():
            print(f"error: {label} file not found: {path}", file=sys.stderr)
            return 2
    results = convert(args.vrf, args.fft, args.out)
    if args.verbose:
        report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
