"""Tests for tools/vrf_extract.py and the checked-in schemas/vrf/*.csv.

Neither the VRF workbook nor openpyxl is needed: the parsing functions are pure and the
CSV checks read the committed files.
"""

from __future__ import annotations

import csv
import importlib
import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))

vx = importlib.import_module("vrf_extract")

VRF_DIR = ROOT / "schemas" / "vrf"
FIELDS_CSV = VRF_DIR / "vrf_fields.csv"
TABLES_CSV = VRF_DIR / "vrf_tables.csv"
FFT_CSV = VRF_DIR / "fft_codelists.csv"

# (sheet, table, field) triples that the VRF itself lists more than once (see README).
KNOWN_VRF_REPEATS = {
    ("Alt_Provision_07-08_to_20-21", "ap_census", "AP_FSMeligible"),
    ("Alt_Provision_07-08_to_20-21", "ap_census", "AP_OpenPlacement"),
    ("Alt_Provision_07-08_to_20-21", "ap_census", "AP_APTypeDescription"),
    ("KS2_95-96_to_15-16", "ks2_pupil", "KS2_VERSION"),
    ("KS2_95-96_to_15-16", "ks2_pupil", "KS2_LEVAXMATTA"),
    ("KS2_95-96_to_15-16", "ks2_pupil", "KS2_KS2APSFG"),
    ("KS2_95-96_to_15-16", "ks2_pupil", "KS2_VAMATSCORE"),
    ("KS2_95-96_to_15-16", "ks2_pupil", "KS2_VAMATPRED1"),
    ("KS2_95-96_to_15-16", "ks2_pupil", "KS2_VAMATPRED"),
    ("KS3_97-98_to_12-13", "ks3_pupil", "KS3_VERSION"),
    ("KS3_97-98_to_12-13", "ks3_pupil", "KS3_MOB1"),
    ("KS3_97-98_to_12-13", "ks3_pupil", "KS3_MOB2"),
    ("KS3_97-98_to_12-13", "ks3_pupil", "KS3_LEVXENGMAT"),
    ("KS5_01-02_to_20-21", "ks5_student", "KS5_URN_anon"),
    ("KS5_01-02_to_20-21", "ks5_student", "KS5_VERSION"),
    ("KS5_01-02_to_20-21", "ks5_student", "KS5_SOURCECTY"),
    ("KS5_01-02_to_20-21", "ks5_student", "KS5_TOTKS4"),
    ("KS5_01-02_to_20-21", "ks5_student", "KS5_VOLKS4"),
    ("KS5_01-02_to_20-21", "ks5_student", "KS5_LEV3THRESH"),
    ("KS5_01-02_to_20-21", "ks5_student", "KS5_PASS2LV3"),
    ("KS5_01-02_to_20-21", "ks5_exam", "KS5_REGDATE"),
    ("KS5_01-02_to_20-21", "ks5_exam", "KS5_SEASON"),
    ("CIN_08-09_to_20-21", "cin_child", "CIN_Ethnicity"),
    ("CIN_08-09_to_20-21", "cin_details", "CIN_CINDetailsTableID"),
    ("Absence_05-06_to_20-21", "absence", "LSOA11_ab[yy]"),
    ("PLAMS_07-08_to_20-21", "plams", "pl_SCC"),
    ("PLAMS_07-08_to_20-21", "plams", "pl_Grade_Match_Status"),
    ("PLAMS_07-08_to_20-21", "plams", "pl_Grade_Source"),
    ("NCCIS_10-11_to_20-21", "nccis", "NCCIS_Expected_Course_End_Date"),
}

YEARS_RE = re.compile(r"\d{4}-\d{4}(?:;\d{4}-\d{4})*")
RANGE_RE = re.compile(r"-?\d+(?:\.\d+)?\.\.(?:-?\d+(?:\.\d+)?)?")


def read_csv(path: Path) -> list[dict[str, str]]:
    """Read a checked-in CSV as a list of dicts."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def fields() -> list[dict[str, str]]:
    return read_csv(FIELDS_CSV)


# ------------------------------------------------------------------------------- years

LILR = (2002, 2020)


@pytest.mark.parametrize(
    ("raw", "coverage", "offset", "expected"),
    [
        ("2001/2002 - 2020/2021", (2001, 2020), 0, "2001-2020"),
        ("2001/02 - ", (2001, 2020), 0, "2001-2020"),
        ("2010/11 only", (2010, 2020), 0, "2010-2010"),
        ("2007/08  only", (1997, 2011), 0, "2007-2007"),
        ("2019/20 -", (2001, 2020), 0, "2019-2020"),
        ("2014/15 -", (1995, 2015), 0, "2014-2015"),
        ("2008/2009 - 2009/2010, 2011/2012 - 2020/2021", (2001, 2020), 0, "2008-2009;2011-2020"),
        ("2004/05 - 2005/06;\n2007/08 - 2014/15", (2001, 2020), 0, "2004-2005;2007-2014"),
        ("2007/2008, 2012/2013, 2015/2016", (2001, 2020), 0, "2007-2007;2012-2012;2015-2015"),
        ("All Years", LILR, 0, "2002-2020"),
        ("All years - broken for 2002 and 2003", LILR, 0, "2002-2020"),
        ("", (1997, 2020), 0, "1997-2020"),
        ("N/A", None, 0, ""),
        ("2012 onwards", LILR, 0, "2012-2020"),
        ("2013 to 2015", LILR, 0, "2013-2015"),
        ("up to 2007", LILR, 0, "2002-2007"),
        ("2008/20019 - 2020/2021", (2005, 2020), 0, "2008-2020"),
        ("207/2008 - 2011/2012", (1997, 2011), 0, "2007-2011"),
        ("2004/05 - 200708", (1997, 2012), 0, "2004-2007"),
        ("1997/98 - 2020/21", (1997, 2020), 0, "1997-2020"),
        ("1999/00 - 2020/21", (1999, 2020), 0, "1999-2020"),
        ("2019/2020 -", (2004, 2019), -1, "2019-2019"),
        ("2014", (2004, 2019), -1, "2013-2013"),
        ("2009/10 (A) - 2012/13", (2001, 2020), 0, "2009-2012"),
        ("2008/09 -  - 2009/2010", (2002, 2009), 0, "2008-2009"),
        ("2007/08 to 2020/21", (2007, 2020), 0, "2007-2020"),
        ("1997/1998 - 2011/2012 2011/2012", (1997, 2011), 0, "1997-2011"),
    ],
)
def test_parse_years(raw, coverage, offset, expected):
    assert vx.parse_years(raw, coverage, offset) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "2003/2003 - 2009/2010",
        "Varies across each of the source datasets",
        "For tax years 2016/17 and earlier, earnings data has been linked to IDBR",
        "up to",
        "1997/98 - 2011/2012 2003/04",
    ],
)
def test_parse_years_rejects_non_year_text(raw):
    assert vx.parse_years(raw, (2003, 2020)) is None


def test_open_end_without_title_years_stops_at_2020():
    assert vx.parse_years("2019/20 -", None) == "2019-2020"
    assert vx.parse_years("up to 2007", None) is None


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("LILR_Learners_02-03_to_20-21", (2002, 2020)),
        ("LILR_Aims _02-03_to_20-21", (2002, 2020)),
        ("Employment_97-98_to_20-21", (1997, 2020)),
        ("Earnings_and_IDBR_03-04_20_21", (2003, 2020)),
        ("HESA 04-05 to 19-20", (2004, 2019)),
        ("KS2_95-96_to_15-16", (1995, 2015)),
        ("SEISS_20-21", (2020, 2020)),
        ("LEARNER_AE_ID_TO_RECID_LOOKUP", None),
    ],
)
def test_title_coverage(title, expected):
    assert vx.title_coverage(title) == expected


def test_merge_ranges_merges_touching_and_overlapping():
    assert vx.merge_ranges([(2011, 2020), (2008, 2009), (2009, 2010)]) == [(2008, 2020)]
    assert vx.merge_ranges([(2010, 2012), (2007, 2008)]) == [(2007, 2008), (2010, 2012)]


# ------------------------------------------------------------------------------- codes


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("M = Male\nF = Female", [["M", "Male"], ["F", "Female"]]),
        (
            "ENG = English\nOTH = Other than English",
            [["ENG", "English"], ["OTH", "Other than English"]],
        ),
        ("-1 = Missing\n01 = Visual Impairment", [["-1", "Missing"], ["01", "Visual Impairment"]]),
        (
            "1      = HEFCE\n105 = Skills Funding Agency",
            [["1", "HEFCE"], ["105", "Skills Funding Agency"]],
        ),
        ("1    = Level 1\n1.5 = Level 1 / 2", [["1", "Level 1"], ["1.5", "Level 1 / 2"]]),
        (
            "Main/Duplicate Rules\n1/ 101 = 2 records\n2/102 = 2 PNLOR records",
            [["1/ 101", "2 records"], ["2/102", "2 PNLOR records"]],
        ),
        ("A* - Grade A*\n9 - Grade 9", [["A*", "Grade A*"], ["9", "Grade 9"]]),
        (
            "-1  Missing/Not Applicable\n0  More than one",
            [["-1", "Missing/Not Applicable"], ["0", "More than one"]],
        ),
        (
            "1: Autumn series result\n0: Not an Autumn series result",
            [["1", "Autumn series result"], ["0", "Not an Autumn series result"]],
        ),
        (
            "T (True), F(False), N(Not Assessed), NULL",
            [["T", "True"], ["F", "False"], ["N", "Not Assessed"]],
        ),
        (
            "0 (Not Included) ; 1,2,3 (Included)",
            [["0", "Not Included"], ["1", "Included"], ["2", "Included"], ["3", "Included"]],
        ),
        ("1 = Yes, 0 = No", [["1", "Yes"], ["0", "No"]]),
        ("0 = Invalid        1 = Comprehensive", [["0", "Invalid"], ["1", "Comprehensive"]]),
        (
            "IGC   = Generic Class Code\nIHE   = Prescribed HE",
            [["IGC", "Generic Class Code"], ["IHE", "Prescribed HE"]],
        ),
        (
            "A Absent\nB Working below the level",
            [["A", "Absent"], ["B", "Working below the level"]],
        ),
        (
            "Inside Local Authority boundary - IN\nOutside Local Authority boundary - OUT",
            [
                ["IN", "Inside Local Authority boundary"],
                ["OUT", "Outside Local Authority boundary"],
            ],
        ),
        ("A=Absent\nM=Missing\n0-32", [["A", "Absent"], ["M", "Missing"]]),
        ("0 to 11", []),
        (">= 0", []),
        ("1 upwards", []),
        ("0 - 10% most deprived\n11 - 20%\n21 - 30%", []),
        ("As for PrimarySENtype", []),
        ("0, 1", []),
        ("See Codesets_(Characteristics) tab for allowed values", []),
        ("", []),
    ],
)
def test_parse_codes(raw, expected):
    assert vx.parse_codes(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0 to 11 ", "0..11"),
        ("0-25", "0..25"),
        ("0.00 - 1.00", "0.00..1.00"),
        (">= 0", "0.."),
        ("1 upwards", "1.."),
        ("range 3 - 39", "3..39"),
        ("N, 0 - 9", "0..9"),
        ("0-99, NULL to 1dp", "0..99"),
        ("0.000 to 8.000 and NULL", "0.000..8.000"),
        ("A=Absent\nM=Missing\n0-32", "0..32"),
        ("1-12.  1 = January", "1..12"),
        ("M = Male\nF = Female", ""),
        ("0, 2-20", ""),
        ("9981, 9982, 9901-9903, 9904-9907", ""),
        ("0.0 - 16.0 and -1 - -18", ""),
        ("", ""),
    ],
)
def test_parse_value_range(raw, expected):
    assert vx.parse_value_range(raw) == expected


# ------------------------------------------------------------------ aliases and terms


@pytest.mark.parametrize(
    ("cell", "name", "old"),
    [
        ("Gender_[term][yy]", "Gender_[term][yy]", []),
        (
            "EthnicitySource_[term][yy]\n\nSourceOfEthnicity_[term][yy] in 2001/02",
            "EthnicitySource_[term][yy]",
            ["SourceOfEthnicity_[term][yy] in 2001/02"],
        ),
        (
            (
                "SENprovision_[term][yy]\n\nSENstage_[term][yy] in 2001/02\n"
                "SENstatus_[term][yy] 2002/03-2004/05"
            ),
            "SENprovision_[term][yy]",
            ["SENstage_[term][yy] in 2001/02", "SENstatus_[term][yy] 2002/03-2004/05"],
        ),
        ("EVERFSM_6_P_[term][yy]\n", "EVERFSM_6_P_[term][yy]", []),
        ("\tAcademicYear", "AcademicYear", []),
        ("YPMAD_Base_Year ", "YPMAD_Base_Year", []),
        ("LSOA11 _school_ab[yy]", "LSOA11_school_ab[yy]", []),
        ("PupilMatchingRefAnonymous (PMR)", "PupilMatchingRefAnonymous", ["(PMR)"]),
        ("", "", []),
    ],
)
def test_split_alias(cell, name, old):
    assert vx.split_alias(cell) == (name, old)


@pytest.mark.parametrize(
    ("raw", "terms", "note"),
    [
        ("Aut, Spr, Sum", "aut;spr;sum", ""),
        ("Spr", "spr", ""),
        ("Aut, Spr", "aut;spr", ""),
        (
            "Spr (Aut and Sum also from 2018/19)",
            "aut;spr;sum",
            "Spr (Aut and Sum also from 2018/19)",
        ),
        (
            "Aut (from 2017/18), Spr, Sum (from 2017/18)",
            "aut;spr;sum",
            "Aut (from 2017/18), Spr, Sum (from 2017/18)",
        ),
        ("", "", ""),
    ],
)
def test_parse_terms(raw, terms, note):
    assert vx.parse_terms(raw) == (terms, note)


def test_clean_lines_normalises_whitespace_and_escaped_cr():
    assert vx.clean_lines("0001 = GCE AS level_x000D_\n\t0002 = GCE\xa0A level \n\n") == [
        "0001 = GCE AS level",
        "0002 = GCE A level",
    ]
    assert vx.one_line("a\n\nb\r\nc") == "a | b | c"


# ---------------------------------------------------------------------------- formulas


def test_evaluate_concatenate_suffix_and_prefix():
    cells = {"B42": "TopUpFunding", "B225": "GCSE_9", "C65": "XHECOS_1"}
    assert (
        vx.evaluate_concatenate('=CONCATENATE(B42,"_[term][yy]")', cells.__getitem__)
        == "TopUpFunding_[term][yy]"
    )
    assert vx.evaluate_concatenate('=(CONCATENATE("KS4_",B225))', cells.__getitem__) == "KS4_GCSE_9"
    assert vx.evaluate_concatenate('=CONCATENATE("HE_",$C$65)', cells.__getitem__) == "HE_XHECOS_1"
    assert vx.evaluate_concatenate('=CONCATENATE("a,""b""",B42)', cells.__getitem__) == (
        'a,"b"TopUpFunding'
    )


def test_resolve_formula_prefers_cached_value():
    def lookup(_ref: str) -> str:
        raise AssertionError("should not be evaluated")

    assert vx.resolve_formula('=CONCATENATE(B1,"_x")', "Cached_x", lookup) == "Cached_x"
    assert vx.resolve_formula('=CONCATENATE(B1,"_x")', None, lambda ref: ref) == "B1_x"


def test_unsupported_formula_raises():
    with pytest.raises(ValueError):
        vx.evaluate_concatenate("=SUM(A1:A3)", lambda ref: "")


# ------------------------------------------------------------------ sheet walking


def test_extract_sheet_sections_subtables_notes_and_continuations():
    header = ["NPD Alias", "Field Reference", "Years Populated", "Description", "Allowed Values"]
    grid = [
        (1, ["Key Stage 9"]),
        (3, ["'By request' Data items"]),
        (5, header),
        (6, ["KS9 Pupil Table"]),
        (7, ["KS9_GENDER", "GENDER", "2001/02 - ", "Gender", "M = Male\nF = Female"]),
        (8, ["", "", "", "", "X = Other"]),
        (9, ["", "", "2014/15 -"]),
        (10, ["KS9 Exam Table"]),
        (11, ["KS9_GRADE", "GRADE", "", "Grade", "0 to 9"]),
        (13, ["Default Data Items (applicants will receive these data items by default)"]),
        (14, ["(Old Tier 4 = Identifiability 3 or 5)"]),
        (16, header),
        (17, ["KS9 Pupil Table"]),
        (18, ["KS9_PMR", "PMR", "2001/02 only", "Pupil matching reference"]),
    ]
    spec = vx.SheetSpec(
        "ks9_pupil", "KS9", {"ks9 pupil table": "ks9_pupil", "ks9 exam table": "ks9_exam"}
    )
    result = vx.extract_sheet("KS9_01-02_to_20-21", grid, spec)
    got = [(r["table"], r["section"], r["field"], r["years"]) for r in result.rows]
    assert got == [
        ("ks9_pupil", "by_request", "KS9_GENDER", "2001-2020"),
        ("ks9_exam", "by_request", "KS9_GRADE", "2001-2020"),
        ("ks9_pupil", "default", "KS9_PMR", "2001-2001"),
    ]
    assert json.loads(result.rows[0]["codes"]) == [["M", "Male"], ["F", "Female"], ["X", "Other"]]
    assert result.rows[1]["value_range"] == "0..9"
    assert result.continuations == [(8, 7)]
    assert [row for row, _ in result.skipped] == [9, 14]
    assert result.title == "Key Stage 9"
    assert result.tables == ["ks9_pupil", "ks9_exam"]


def test_extract_sheet_explodes_exclusions_table_column():
    grid = [
        (7, ["NPDAlias", "FieldReference", "Years Populated", "Table"]),
        (8, ["Sessions_ex[yy]", "Sessions", "2005/2006 - 2020/2021", "1,2,3"]),
    ]
    spec = vx.SheetSpec("exclusions_table_1", "X", table_prefix="exclusions_table_")
    result = vx.extract_sheet("Exclusions_05-06_to_20-21", grid, spec)
    assert [r["table"] for r in result.rows] == [
        "exclusions_table_1",
        "exclusions_table_2",
        "exclusions_table_3",
    ]
    assert {r["source_row"] for r in result.rows} == {"8"}


def test_length_column_is_merged_into_data_type():
    cols = vx.header_map(["Field", "Type", "Length", "Nullable", "Description"])
    assert cols is not None
    assert vx.data_type_of(["x", "varchar", "17"], cols) == "varchar(17)"
    assert vx.data_type_of(["x", "numeric", "12, 2"], cols) == "numeric(12,2)"
    assert vx.data_type_of(["x", "int", ""], cols) == "int"


def test_main_exits_2_on_missing_path(tmp_path, capsys):
    assert vx.main(["--vrf", str(tmp_path / "nope.xlsx"), "--fft", "x", "--out", "o"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: --vrf file not found") and "\n" not in err


# ------------------------------------------------------------- checked-in CSV invariants


def test_fields_csv_has_the_expected_columns():
    with FIELDS_CSV.open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == list(vx.FIELD_COLUMNS)
    assert b"\r" not in FIELDS_CSV.read_bytes()


def test_no_blank_or_unresolved_field_names(fields):
    for row in fields:
        name = row["field"]
        assert name and name == name.strip(), row["source_row"]
        assert not name.startswith("="), (row["sheet"], row["source_row"])


def test_no_embedded_newlines(fields):
    for row in fields:
        for key, value in row.items():
            assert "\n" not in value and "\r" not in value, (row["sheet"], row["source_row"], key)


def test_years_values_are_well_formed(fields):
    for row in fields:
        years = row["years"]
        if not years:
            continue
        assert YEARS_RE.fullmatch(years), (row["sheet"], row["source_row"], years)
        ranges = [tuple(map(int, part.split("-"))) for part in years.split(";")]
        assert all(1990 <= a <= b <= 2022 for a, b in ranges), years
        assert ranges == vx.merge_ranges(ranges), years


def test_years_match_the_parser(fields):
    """The committed years column is what the current parser gives for years_raw."""
    for row in fields:
        spec = vx.SHEET_SPECS[row["sheet"]]
        parsed = vx.parse_years(
            row["years_raw"], vx.title_coverage(row["sheet"]), spec.bare_year_offset
        )
        assert (parsed or "") == row["years"], (row["sheet"], row["source_row"])


def test_codes_and_ranges_match_the_parser(fields):
    for row in fields:
        raw = row["allowed_values_raw"].replace(" | ", "\n")
        codes = json.loads(row["codes"])
        assert codes == vx.parse_codes(raw), (row["sheet"], row["source_row"])
        assert all(isinstance(c, str) and isinstance(lbl, str) for c, lbl in codes)
        assert row["value_range"] == vx.parse_value_range(raw)
        assert not row["value_range"] or RANGE_RE.fullmatch(row["value_range"])


def test_enumerated_columns(fields):
    assert {r["section"] for r in fields} <= {"default", "by_request", "all"}
    allowed_terms = {"", "aut", "spr", "sum", "aut;spr", "aut;sum", "spr;sum", "aut;spr;sum"}
    assert {r["terms"] for r in fields} <= allowed_terms
    assert all(r["source_row"].isdigit() for r in fields)


def test_rows_are_in_sheet_then_row_order(fields):
    sheets = list(dict.fromkeys(r["sheet"] for r in fields))
    assert len(sheets) == 33
    positions = [(sheets.index(r["sheet"]), int(r["source_row"])) for r in fields]
    assert positions == sorted(positions)


def test_no_duplicate_fields_except_known_vrf_repeats(fields):
    rows = Counter((r["sheet"], r["table"], r["field"], r["source_row"]) for r in fields)
    assert max(rows.values()) == 1
    triples = Counter((r["sheet"], r["table"], r["field"]) for r in fields)
    repeats = {key for key, count in triples.items() if count > 1}
    assert repeats == KNOWN_VRF_REPEATS


def test_tables_csv_covers_every_table(fields):
    tables = read_csv(TABLES_CSV)
    keys = [(t["sheet"], t["table"]) for t in tables]
    assert len(keys) == len(set(keys))
    assert {(r["sheet"], r["table"]) for r in fields} == set(keys)
    for t in tables:
        assert not t["years"] or YEARS_RE.fullmatch(t["years"])
        assert t["data_tables_name"] and t["data_tables_description"], t["sheet"]
        assert re.fullmatch(r"[a-z][a-z0-9_]*", t["table"])


def test_fft_codelists():
    rows = read_csv(FFT_CSV)
    assert rows and set(rows[0]) == set(vx.FFT_COLUMNS)
    assert all(r["list"] and r["code"] and r["label"] for r in rows)
    assert "census_details.term_id" in {r["list"] for r in rows}
