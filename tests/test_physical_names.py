"""Physical column names as researchers meet them (``schemas/vrf/physical_name_rules.csv``).

The rules mechanism on small specs (renames, several names in one view, absence, names in
years or terms the VRF does not list, multi-year views, every problem reported), then the
documented rules on the real catalog.
"""

from __future__ import annotations

import importlib
import sqlite3
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from leo_synth.dictionary.jsondoc import column_record
from leo_synth.dictionary.model import build_dictionary
from leo_synth.dictionary.text import described
from leo_synth.request import RequestError, parse_request
from leo_synth.spec.loader import SpecError, load_catalog
from leo_synth.spec.model import expand_table

sys.path.insert(0, str(ROOT / "tools"))
researcher_names = importlib.import_module("researcher_names")

CENSUS = """
family: test
database: npd_i2
databases:
  npd_i2: {srs: {1: NPD, 2: NPD_i2}}
tables:
  - name: census
    description: a census
    grain: one row per pupil
    years: 2009-2012
    per_year: true
    builder: npd.census
    variants:
      - {name: 'spring_[yyyy]', term: spr}
      - {name: 'autumn_[yyyy]', term: aut}
    columns:
      - {name: 'Area_[term][yy]', type: varchar(9), description: an area, years: 2009-2011,
         fill: {const: x}}
      - {name: 'Rank_[term][yy]', type: int, description: a rank, years: 2009-2010,
         fill: {const: 1}}
      - {name: 'Kind_[term][yy]', type: varchar(9), description: spring only, terms: [spr],
         fill: {const: k}}
  - name: multi
    description: a multi-year view
    grain: one row per pupil per year
    years: 2009-2012
    builder: npd.census
    columns:
      - {name: 'M_Old[yy]', type: int, description: renamed in 2011, fill: {const: 1}}
"""
HEADER = "table,column,years,terms,physical,source\n"


def _catalog(tmp_path: Path, rules: str):
    (tmp_path / "vrf").mkdir(exist_ok=True)
    (tmp_path / "vrf" / "physical_name_rules.csv").write_text(HEADER + rules)
    spec = tmp_path / "spec.yaml"
    spec.write_text(CENSUS)
    return load_catalog(schema_dir=tmp_path, files=[spec])


def _views(catalog, table: str = "census") -> dict[str, list[str]]:
    return {rel.name: [c.name for c in rel.columns]
            for rel in expand_table(catalog.table(table))}


def test_rules_rename_add_and_drop_columns(tmp_path: Path) -> None:
    views = _views(_catalog(tmp_path, (
        "census,Area_[term][yy],2009-2010,,OldArea_[term][yy],doc 1\n"
        "census,Area_[term][yy],2010,aut,,doc 2\n"
        "census,Rank_[term][yy],2010,,Rank_A_[term][yy],doc 3\n"
        "census,Rank_[term][yy],2010-2011,,Rank_B_[term][yy],doc 4\n"
        "census,Kind_[term][yy],2012,aut,Kind_[term][yy],doc 5\n")))
    assert views["spring_2010"] == ["OldArea_spr10", "Rank_spr10", "Kind_spr10"]
    assert views["spring_2011"] == ["OldArea_spr11", "Rank_A_spr11", "Rank_B_spr11",
                                    "Kind_spr11"]
    assert views["autumn_2011"] == ["Rank_A_aut11", "Rank_B_aut11"]  # Area absent: doc 2
    assert views["spring_2012"] == ["Area_spr12", "Rank_B_spr12", "Kind_spr12"]  # beyond VRF
    assert views["spring_2013"] == ["Kind_spr13"]  # Area and Rank not collected in 2012
    assert views["autumn_2013"] == ["Kind_aut13"]  # observed outside the VRF's terms
    assert views["autumn_2012"] == ["Area_aut12", "Rank_B_aut12"]


def test_renamed_columns_keep_the_vrf_identity(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path, "census,Rank_[term][yy],2009,,Rank_A_[term][yy],doc\n"
                                 "census,Rank_[term][yy],2009,,Rank_B_[term][yy],doc\n")
    rel = next(r for r in expand_table(catalog.table("census")) if r.name == "spring_2010")
    ranks = [c for c in rel.columns if c.spec.name == "Rank_[term][yy]"]
    assert [(c.name, c.vrf_name, c.rule.source) for c in ranks] == [
        ("Rank_A_spr10", "Rank_spr10", "doc"), ("Rank_B_spr10", "Rank_spr10", "doc")]


def test_a_multi_year_view_holds_each_name_in_its_years(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path, "multi,M_Old[yy],2011-2012,,M_New[yy],doc\n")
    (rel,) = expand_table(catalog.table("multi"))
    assert [(c.name, sorted(c.active_years)) for c in rel.columns] == [
        ("M_Old", [2009, 2010]), ("M_New", [2011, 2012])]


def test_bad_rules_are_each_reported(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        _catalog(tmp_path, ("census,Areas_[term][yy],2009,,X_[term][yy],doc\n"
                            "census,Area_[term][yy],20x9,,X_[term][yy],doc\n"
                            "census,Area_[term][yy],2009,winter,X_[term][yy],doc\n"
                            "census,Area_[term][yy],2009,,X Y,doc\n"
                            "census,Area_[term][yy],2009,,X_[term][yy],\n"))
    problems = "\n".join(str(p) for p in info.value.problems)
    for expected in (":2: table census: no column 'Areas_[term][yy]' (did you mean "
                     "'Area_[term][yy]'?)", ":3: table census, column Area_[term][yy]: bad years",
                     ":4: table census, column Area_[term][yy]: unknown terms ['winter']",
                     ":5: table census, column Area_[term][yy]: physical name 'X Y'",
                     ":6: table census, column Area_[term][yy]: every rule needs a source"):
        assert expected in problems, (expected, problems)


def test_a_rules_file_with_the_wrong_header_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "vrf").mkdir()
    (tmp_path / "vrf" / "physical_name_rules.csv").write_text("table,column,name\n")
    spec = tmp_path / "spec.yaml"
    spec.write_text(CENSUS)
    with pytest.raises(SpecError, match="header must be table,column,years,terms,physical,"
                                        "source"):
        load_catalog(schema_dir=tmp_path, files=[spec])


def test_two_rules_giving_one_name_twice_are_a_duplicate(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="duplicate column in spring_2010"):
        _catalog(tmp_path, "census,Area_[term][yy],2009,,Rank_[term][yy],doc\n")


# -- the documented rules on the real catalog -------------------------------------------------

def _columns(catalog, iteration: int = 2) -> dict[str, set[str]]:
    return {rel.name: {c.name for c in rel.columns} for rel in catalog.relations(iteration)}


@pytest.mark.parametrize("relation,present,absent", [
    # researchers' spelling of the school id; the VRF's old LSOA name until 2011/12 (§2.4)
    ("spring_census_2011", {"LAEstab_anon_spr11", "LLSOA_spr11", "IDACIRank_spr11"},
     {"LAEstab_spr11_anon", "LSOA01_spr11"}),
    ("spring_census_2013", {"LSOA01_spr13", "LSOA11_spr13"}, {"LLSOA_spr13"}),
    # IDACI 2010 in 2015/16, IDACI 2015 in 2016/17-2018/19, none in 2019/20, plain after
    ("spring_census_2016", {"IDACIRank_10_spr16", "IDACIScore_10_spr16"},
     {"IDACIRank_15_spr16", "IDACIRank_spr16"}),
    ("summer_census_2018", {"IDACIRank_15_sum18", "IDACIScore_15_sum18"}, {"IDACIRank_sum18"}),
    ("spring_census_2020", set(), {"IDACIRank_spr20", "IDACIRank_15_spr20"}),
    ("spring_census_2021", {"IDACIRank_spr21", "LLSOA_spr21"}, {"LSOA11_spr21"}),
    # ethnicity and SEN types outside spring in the years they were observed (§2.4)
    ("summer_census_2006", {"EthnicGroup_sum06", "PrimarySENtype_sum06"}, set()),
    ("summer_census_2010", {"EthnicGroupMinor_sum10"}, {"EthnicGroup_sum10"}),
    ("autumn_census_2011", {"EthnicGroupMinor_aut11"}, set()),
    ("summer_census_2012", set(), {"EthnicGroupMinor_sum12", "PrimarySENtype_sum12"}),
    # on roll from autumn 2009/10; LSOA absent in summer 2010/11 and autumn 2011/12
    ("autumn_census_2009", set(), {"OnRoll_aut09", "FirstLanguage_aut09"}),
    ("autumn_census_2010", {"OnRoll_aut10", "LLSOA_aut10"}, set()),
    ("summer_census_2011", set(), {"LLSOA_sum11", "LSOA01_sum11"}),
    # the VRF's old names in the years they applied
    ("plasc_2002", {"SENstage_02", "DateOfJoining_02", "MotherTongue_02", "FreeSchoolMeals_02",
                    "NurseryClassInd_02", "ActualNCYearGroup_02"},
     {"SENprovision_02", "EntryDate_02", "FirstLanguage_02"}),
    ("plasc_2005", {"SENstatus_05", "FSMeligibility_05", "ConnexionsAssent_05", "ClassType_05"},
     {"SENprovision_05", "YSSA_05"}),
    ("spring_census_2012", {"Connexions_spr12", "TypeOfClass_spr12"}, {"YSSA_spr12"}),
    ("Absence_2011_3term", {"LAEstab_ANON_ab11", "Connexions_ab11"}, {"LAEstab_ab11_anon"}),
    ("exclusions_2002", {"LAEstab_anon_ex02", "SENStage_ex02", "SourceOfEthnicity_ex02"},
     {"SENstatus_ex02"}),
    ("cin_2009_to_2021", {"CIN_CINReferralDate", "CIN_ReferralDate"}, set()),
])
def test_documented_rules(catalog, relation: str, present: set[str], absent: set[str]) -> None:
    columns = _columns(catalog)[relation]
    assert present <= columns, sorted(present - columns)
    assert not absent & columns, sorted(absent & columns)


def test_old_name_in_a_multi_year_view_holds_its_years(catalog) -> None:
    pru = next(r for r in catalog.relations(2) if r.name == "pru_census_2010_to_2013")
    years = {c.name: sorted(c.active_years) for c in pru.columns}
    assert years["PRU_Connexions"] == [2009, 2010, 2011] and years["PRU_YSSA"] == [2012]


def test_iteration_one_follows_the_rules(catalog) -> None:
    assert {"LAEstab_anon_spr11", "LLSOA_spr11"} <= _columns(catalog, 1)["Spring_Census_2011"]


def test_a_request_may_name_any_spelling(catalog) -> None:
    request = parse_request({"tables": {"school_census": ["IDACIRank_10", "SENstatus",
                                                         "LAEstab_anon_[term][yy]"],
                                        "cin_details": ["cin_referraldate"]}}, catalog)
    assert request.table("school_census").requested == (
        "IDACIRank_[term][yy]", "SENprovision_[term][yy]", "LAEstab_[term][yy]_anon")
    assert request.table("cin_details").requested == ("CIN_CINReferralDate",)
    with pytest.raises(RequestError) as info:
        parse_request({"tables": {"school_census": ["llsoa", "llsoa_spr11"]}}, catalog)
    assert info.value.problems == [
        "tables.school_census: 'llsoa' matches several variables (LSOA01_[term][yy], "
        "LSOA11_[term][yy]); write the full name",
        "tables.school_census: unknown variable 'llsoa_spr11' (did you mean "
        "'LSOA01_[term][yy]'?)"]


def test_the_dictionary_shows_each_rule_and_its_source(catalog) -> None:
    doc = build_dictionary(catalog)
    census = next(t for t in doc.templates if t.name == "school_census")
    lsoa = next(c for c in census.columns if c.name == "LSOA01_[term][yy]")
    assert "`LLSOA_[term][yy]` in 2001/02 to 2011/12 (source: VRF SC_Pupil old_names" in \
        described(lsoa)
    assert "absent in 2010/11 (summer)" in described(lsoa)
    rel = next(r for r in doc.relations if r.name == "spring_census_2011")
    llsoa = next(c for c in rel.columns if c.name == "LLSOA_spr11")
    record = column_record(llsoa)
    assert record["vrf_name"] == "LSOA01_spr11"
    assert record["name_source"].startswith("VRF SC_Pupil old_names")
    plain = next(c for c in rel.columns if c.name == "NCyearActual_spr11")
    assert column_record(plain)["name_source"] is None


# -- researcher names of leo_schema.md ---------------------------------------------------------

STILL_MISSING = {
    "pru_la_geog": "an un-pseudonymised 3-digit LA code, a column of its own (not a spelling)",
    "ap_lanumber_geog": "the same, in the AP census",
    "cin_la_geog": "the same, in the CIN view",
    "cin_pupilmatchingrefanonymous": "FFT read the PMR from cin_2009_to_2021, whose VRF table "
                                     "(CIN details) has none: a column, not a spelling",
    "KS1_READ_OUTCOME": "seen in NPD code outside LEO (ECHILD); the VRF lists no such KS1 item",
}
"""Documented names the extract still lacks, with why (tools/researcher_names.py lists them)."""


def test_researcher_names_exist(catalog) -> None:
    """Every column name leo_schema.md says researchers use exists, except those listed."""
    rn = researcher_names
    names = rn.read_names()
    columns: dict[str, set[str]] = {}
    for rel in [*catalog.relations(2), *catalog.relations(1)]:
        columns.setdefault(rel.name.lower(), set()).update(c.name for c in rel.columns)
    found, missing = rn.coverage(names, columns)
    assert {doc.name for doc in missing} == set(STILL_MISSING)
    assert len(found) >= 0.99 * (len(found) + len(missing)) and len(found) > 650
    assert all(doc.reason for doc in names if doc.kind != "column")


def test_renamed_columns_hold_the_same_values(small_sqlite) -> None:
    """Two spellings of one column hold the same values; a renamed column is filled."""
    db, _ = small_sqlite
    with sqlite3.connect(db) as conn:
        differ, rows = conn.execute(
            "SELECT SUM(CIN_ReferralDate IS NOT CIN_CINReferralDate), COUNT(*) "
            "FROM cin_2009_to_2021").fetchone()
        filled = conn.execute("SELECT COUNT(LAEstab_anon_spr11), COUNT(LLSOA_spr11), "
                              "COUNT(IDACIRank_10_spr16) FROM spring_census_2011, "
                              "(SELECT IDACIRank_10_spr16 FROM spring_census_2016 LIMIT 1)"
                              ).fetchone()
    assert rows > 0 and differ == 0
    assert all(filled), filled


def test_the_name_list_expands_the_documents_shorthand() -> None:
    rn = researcher_names
    text = """## 2. Tables
### 2.4 NPD School Census
`SessionsPossible_{Autumn,Spring}_ab[yy]`, `AuthorisedAbsence_{…}`, `ethnicgroup_sum06/07/08`,
`ethnicgroup_aut07–09`, `HE_SBJQA1..3`, `Compstatus=3`, `spring_census_2011`, `JSA`, `cin_`,
`varchar(9)`, `LEO.Employment`, `LEARNER_AE_ID_TO_PMR_LOOKUP.AE_ID`
"""
    names = rn.extract(text, {"spring_census_2011"}, {"JSA"})
    columns = [n.name for n in names if n.kind == "column"]
    assert columns == [
        "SessionsPossible_Autumn_ab[yy]", "SessionsPossible_Spring_ab[yy]",
        "AuthorisedAbsence_Autumn_ab[yy]", "AuthorisedAbsence_Spring_ab[yy]",
        "ethnicgroup_sum06", "ethnicgroup_sum07", "ethnicgroup_sum08", "ethnicgroup_aut07",
        "ethnicgroup_aut08", "ethnicgroup_aut09", "HE_SBJQA1", "HE_SBJQA2", "HE_SBJQA3",
        "Compstatus", "AE_ID"]
    assert {n.name: n.reason for n in names if n.kind != "column"} == {
        "spring_census_2011": "relation name", "JSA": "code value",
        "cin_": "name prefix or placeholder, not a column"}
    assert {n.relation for n in names if n.kind == "column"} == {
        "plasc_*;spring_census_*;summer_census_*;autumn_census_*"}
    found, missing = rn.coverage(names, {"spring_census_2011": {"EthnicGroup_sum07", "ae_id"},
                                         "absence_2011_3term": {"Compstatus"}})
    assert [n.name for n in found] == ["ethnicgroup_sum07", "AE_ID"]
    assert "Compstatus" in {n.name for n in missing}  # in a relation outside section 2.4
    assert rn.pattern("OnRoll_").fullmatch("onroll_spr09")
    assert rn.pattern("ACADYR").fullmatch("KS4_ACADYR")
    assert not rn.pattern("llsoa_yy").fullmatch("LSOA01_spr11")
