"""Variable requests: parsing, name matching, suggestions, the template and a narrowed run."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT

from leo_synth.cli import main
from leo_synth.config import RunConfig
from leo_synth.engine.generate import generate
from leo_synth.errors import LeoSynthError
from leo_synth.request import (
    Request,
    RequestError,
    always_kept,
    default_columns,
    load_request,
    parse_request,
    render_template,
    request_selector,
    resolve_table,
    short_name,
)
from leo_synth.request_command import request_template
from leo_synth.spec.model import Catalog, TableSpec
from leo_synth.writers.sqlite import MANIFEST_TABLE

LOOKUPS = {"learner_ae_id_to_pmr_lookup", "learner_ae_id_to_edukey_lookup",
           "education_records_lookup"}
BY_REQUEST = {
    "school_census": {"Gender_[term][yy]", "EthnicGroupMinor_[term][yy]", "FSMeligible_[term][yy]",
                      "LAEstab_[term][yy]_anon"},  # the last is a key: kept anyway
    "ks4_pupil": {"KS4_ATT8", "KS4_FSM6", "KS4_EBACC", "KS4_GENDER"},
    "hesa": {"HE_XCLASS01", "HE_GENDER"},
}
"""Columns marked by-request in the test catalog (all other columns of these tables: default),
so the tests do not depend on how far the specs' own ``request:`` marks have got."""


def mark(catalog: Catalog, by_request: dict[str, set[str]]) -> Catalog:
    """The catalog with ``request`` set on every column of the tables named."""
    tables = []
    for table in catalog.tables:
        if table.name in by_request:
            names = {c.name for c in table.columns}
            assert by_request[table.name] <= names, by_request[table.name] - names
            table = replace(table, columns=tuple(
                replace(c, request="by_request" if c.name in by_request[table.name]
                        else "default") for c in table.columns))
        tables.append(table)
    return replace(catalog, tables=tuple(tables))


@pytest.fixture(scope="module")
def marked(catalog: Catalog) -> Catalog:
    return mark(catalog, BY_REQUEST)


def problems_of(doc: object, catalog: Catalog) -> list[str]:
    with pytest.raises(RequestError) as info:
        parse_request(doc, catalog)
    return info.value.problems


def names(table: TableSpec) -> set[str]:
    return {c.name for c in table.columns}


# -- parsing and modes ----------------------------------------------------------------------------


def test_default_list_and_all(marked: Catalog) -> None:
    request = parse_request({"tables": {"school_census": "default",
                                        "ks4_pupil": ["KS4_ATT8", "ks4_fsm6"],
                                        "hesa": "ALL"}}, marked)
    census, ks4, hesa = (marked.table(n) for n in ("school_census", "ks4_pupil", "hesa"))

    sc = request.table("school_census")
    assert sc.mode == "default" and sc.requested == ()
    assert sc.columns == names(census) - {"Gender_[term][yy]", "EthnicGroupMinor_[term][yy]",
                                          "FSMeligible_[term][yy]"}
    assert "LAEstab_[term][yy]_anon" in sc.columns  # by request, but a key

    k = request.table("ks4_pupil")
    assert k.mode == "list" and k.requested == ("KS4_ATT8", "KS4_FSM6")
    assert k.columns == names(ks4) - {"KS4_EBACC", "KS4_GENDER"}

    h = request.table("hesa")
    assert h.mode == "all" and h.columns == names(hesa)


@pytest.mark.parametrize("value", [None, [], "default", " Default "])
def test_empty_value_means_default(marked: Catalog, value: object) -> None:
    request = parse_request({"tables": {"ks4_pupil": value}}, marked)
    assert request.table("ks4_pupil").mode == "default"
    assert request.table("ks4_pupil").columns == names(marked.table("ks4_pupil")) - BY_REQUEST[
        "ks4_pupil"]


def test_default_rule_on_the_real_specs(catalog: Catalog) -> None:
    """``default`` keeps columns marked default or unmarked, plus the always-kept ones."""
    doc = {"tables": {t.name: "default" for t in catalog.tables}}
    request = parse_request(doc, catalog)
    for table in catalog.tables:
        expected = {c.name for c in table.columns
                    if c.request in (None, "default") or always_kept(table, c)}
        assert request.table(table.name).columns == expected, table.name


def test_linkage_lookups_always_included(marked: Catalog) -> None:
    request = parse_request({"tables": {"leo_employment": "all"}}, marked)
    assert set(request.table_names) == LOOKUPS | {"leo_employment"}
    assert not any(request.table(name).listed for name in LOOKUPS)
    assert request.table("leo_employment").listed
    lookups = {t.name for t in marked.tables if t.builder.startswith("linkage.")}
    assert lookups == LOOKUPS
    selected = request.select(marked.relations(2))
    assert {rel.name for rel in selected} == LOOKUPS | {"leo_employment"}
    for rel in selected:  # complete, as in every extract
        assert len(rel.columns) == len(next(r for r in marked.relations(2)
                                            if r.name == rel.name).columns)


def test_keys_and_primary_keys_always_kept(marked: Catalog) -> None:
    stripped = mark(marked, {t.name: names(t) for t in marked.tables})  # all by request
    request = parse_request({"tables": {t.name: "default" for t in stripped.tables}}, stripped)
    for table in stripped.tables:
        expected = {c.name for c in table.columns
                    if c.key or c.references or c.name in table.primary_key}
        assert request.table(table.name).columns == expected, table.name
    census = request.table("school_census").columns
    assert {"PupilMatchingRefAnonymous_[term][yy]", "LAEstab_[term][yy]_anon"} <= census
    assert "KS4_PupilMatchingRefAnonymous" in request.table("ks4_pupil").columns
    full = {rel.name: rel for rel in stripped.relations(2)}
    for rel in request.select(stripped.relations(2)):  # every view stays joinable
        kept = [col.name for col in full[rel.name].columns
                if col.spec.key or col.spec.references or col.name in full[rel.name].primary_key]
        assert [col.name for col in rel.columns] == kept, rel.name


def test_load_request_file_and_example(tmp_path: Path, marked: Catalog) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("# my project\ntables:\n  ks4_pupil: [KS4_ATT8]\n  hesa:\n", encoding="utf-8")
    request = load_request(path, marked)
    assert request.source == str(path)
    assert request.table("ks4_pupil").requested == ("KS4_ATT8",)
    assert request.table("hesa").mode == "default"

    example = load_request(ROOT / "examples" / "request.yaml", marked)
    assert {"school_census", "ks4_pupil", "hesa", "leo_employment"} <= set(example.table_names)
    assert example.table("ks4_pupil").requested == ("KS4_FSM6", "KS4_GENDER")
    assert example.table("absence").years == {2013, 2014, 2015}
    assert example.table("school_census").requested == (
        "Gender_[term][yy]", "FSMeligible_[term][yy]", "EthnicGroupMajor_[term][yy]")
    assert request_selector(None, marked) is None
    assert request_selector(path, marked) is not None


# -- names ----------------------------------------------------------------------------------------


def test_table_aliases(catalog: Catalog) -> None:
    assert resolve_table(catalog, "school_census") == "school_census"
    assert resolve_table(catalog, "SCHOOL_CENSUS") == "school_census"
    assert resolve_table(catalog, "spring_census_2011") == "school_census"
    assert resolve_table(catalog, "Spring_Census_2011") == "school_census"  # Iteration 1 name
    assert resolve_table(catalog, "plasc_2003") == "school_census"
    assert resolve_table(catalog, "KS4Pupil_2015_to_2021") == "ks4_pupil"
    assert resolve_table(catalog, "hesa_2012") == "hesa"
    assert resolve_table(catalog, "LEO_Employment") == "leo_employment"
    assert resolve_table(catalog, "HESA 04-05 to 19-20") == "hesa"  # the vrf_sheet
    with pytest.raises(KeyError):
        resolve_table(catalog, "spring_census_1999")

    request = parse_request({"tables": {"spring_census_2011": "default"}}, catalog)
    assert "school_census" in request.table_names
    selected = request.select(catalog.relations(2))
    assert "autumn_census_2015" in {rel.name for rel in selected}  # the whole template


def test_vrf_table_key_and_ambiguous_sheet(catalog: Catalog) -> None:
    tables = [replace(t, vrf_table="ks4_pupil_key") if t.name == "ks4_pupil" else
              replace(t, vrf_sheet="SHARED") if t.name in ("learners", "aims") else t
              for t in catalog.tables]
    changed = replace(catalog, tables=tuple(tables))
    assert resolve_table(changed, "KS4_Pupil_Key") == "ks4_pupil"
    problems = problems_of({"tables": {"shared": "all"}}, changed)
    assert len(problems) == 1
    assert "names several tables (learners, aims)" in problems[0]


def test_a_table_named_twice_is_a_problem(catalog: Catalog) -> None:
    problems = problems_of({"tables": {"school_census": "all", "spring_census_2011": "default"}},
                           catalog)
    assert problems == ["tables.spring_census_2011: table 'school_census' is already requested "
                        "as 'school_census'"]


def test_short_name_rule() -> None:
    assert short_name("Gender_[term][yy]") == "Gender"
    assert short_name("LAEstab_[term][yy]_anon") == "LAEstab_anon"
    assert short_name("PupilMatchingRefAnonymous_[term][yy]") == "PupilMatchingRefAnonymous"
    assert short_name("Gender_ab[yy]") == "Gender"
    assert short_name("PRU_YearOfBirth_SPR[yy]") == "PRU_YearOfBirth"
    assert short_name("KS4_ATT8") == "KS4_ATT8"


@pytest.mark.parametrize("given, column", [
    ("Gender_[term][yy]", "Gender_[term][yy]"),
    ("gender_[TERM][YY]", "Gender_[term][yy]"),
    ("Gender", "Gender_[term][yy]"),
    ("GENDER", "Gender_[term][yy]"),
    ("LAEstab_anon", "LAEstab_[term][yy]_anon"),
    ("la_9code_anon", "LA_9Code_[term][yy]_anon"),
    ("FSMeligible", "FSMeligible_[term][yy]"),
])
def test_variable_names_in_census(marked: Catalog, given: str, column: str) -> None:
    request = parse_request({"tables": {"school_census": [given]}}, marked)
    assert request.table("school_census").requested == (column,)


def test_iteration1_variable_name(catalog: Catalog) -> None:
    """A column's Iteration 1 name is accepted for it (toy rename, so today's specs need none)."""
    geo = catalog.table("leo_geography")
    col = replace(geo.column("PCON"), i1_name="PCON_I1")
    toy = replace(catalog, tables=tuple(
        replace(t, columns=tuple(col if c.name == "PCON" else c for c in t.columns))
        if t.name == "leo_geography" else t for t in catalog.tables))
    request = parse_request({"tables": {"leo_geography": ["pcon_i1"]}}, toy)
    assert request.table("leo_geography").requested == ("PCON",)


def _toy_catalog(catalog: Catalog, extra: list[str]) -> Catalog:
    """ks4_pupil with extra by-request columns named ``extra``."""
    table = catalog.table("ks4_pupil")
    template = table.column("KS4_ATT8")
    cols = table.columns + tuple(replace(template, name=n, request="by_request") for n in extra)
    return replace(catalog, tables=tuple(replace(t, columns=cols) if t.name == "ks4_pupil"
                                         else t for t in catalog.tables))


def test_full_name_wins_and_shared_short_names_are_ambiguous(catalog: Catalog) -> None:
    toy = _toy_catalog(catalog, ["LA_[term][yy]", "LA_ex[yy]", "KS4_X", "KS4_X_[yy]"])
    request = parse_request({"tables": {"ks4_pupil": ["KS4_X", "LA_ex[YY]"]}}, toy)
    assert request.table("ks4_pupil").requested == ("KS4_X", "LA_ex[yy]")
    problems = problems_of({"tables": {"ks4_pupil": ["LA"]}}, toy)
    assert problems == ["tables.ks4_pupil: 'LA' matches several variables (LA_[term][yy], "
                        "LA_ex[yy]); write the full name"]


# -- problems and suggestions ---------------------------------------------------------------------


def test_misspelt_table_suggests_nearest(catalog: Catalog) -> None:
    problems = problems_of({"tables": {"ks4_pupl": "default"}}, catalog)
    assert problems == ["tables.ks4_pupl: unknown table 'ks4_pupl' (did you mean 'ks4_pupil'?)"]
    problems = problems_of({"tables": {"spring_censsu_2011": "default"}}, catalog)
    assert "(did you mean 'spring_census_2011'?)" in problems[0]


def test_misspelt_variable_suggests_nearest(catalog: Catalog) -> None:
    problems = problems_of({"tables": {"ks4_pupil": ["KS4_ATT9"]}}, catalog)
    assert problems == ["tables.ks4_pupil: unknown variable 'KS4_ATT9' (did you mean "
                        "'KS4_ATT8'?)"]
    problems = problems_of({"tables": {"school_census": ["Gendr"]}}, catalog)
    assert problems[0].endswith("(did you mean 'Gender_[term][yy]'?)")


def test_physical_variable_name_suggests_template(catalog: Catalog) -> None:
    problems = problems_of({"tables": {"school_census": ["NCyearActual_spr11"]}}, catalog)
    assert problems == ["tables.school_census: unknown variable 'NCyearActual_spr11' (did you "
                        "mean 'NCyearActual_[term][yy]'?)"]


def test_variable_of_another_table_says_where_it_is(catalog: Catalog) -> None:
    problems = problems_of({"tables": {"leo_employment": ["HE_XCLASS01"]}}, catalog)
    assert problems == ["tables.leo_employment: unknown variable 'HE_XCLASS01' (it is a "
                        "variable of table 'hesa')"]


def test_every_problem_is_reported_at_once(catalog: Catalog) -> None:
    doc = {
        "tabels": 1,
        "tables": {
            "ks4_pupl": "default",
            "ks4_pupil": ["KS4_ATT9", "KS4_FSM6", "KS4_SENFF", 7],
            "hesa": ["HE_XCLASS02", "HE_GENDERR"],
            "leo_employment": "everything",
            "leo_benefit": {"all": True},
            "spring_census_2011": "default",
            "school_census": "all",
        },
    }
    with pytest.raises(RequestError) as info:
        parse_request(doc, catalog, source="my.yaml")
    problems = info.value.problems
    assert len(problems) == 10, problems
    message = str(info.value)
    lines = message.splitlines()
    assert lines[0] == "10 problem(s) in the request my.yaml:"
    assert all(line.startswith("  - ") for line in lines[1:]) and len(lines) == 11
    assert isinstance(info.value, LeoSynthError)
    for fragment in ("unknown key 'tabels' (did you mean 'tables'?)",
                     "unknown table 'ks4_pupl' (did you mean 'ks4_pupil'?)",
                     "variables must be names, got 7",
                     "'KS4_ATT9' (did you mean 'KS4_ATT8'?)",
                     "'KS4_SENFF' (did you mean 'KS4_SENF'?)",
                     "expected default, all or a list of variables, got 'everything'",
                     "unknown key 'all'; known: variables, years",
                     "'HE_XCLASS02' (did you mean 'HE_XCLASS01'?)",
                     "'HE_GENDERR' (did you mean 'HE_GENDER'?)",
                     "table 'school_census' is already requested as 'spring_census_2011'"):
        assert sum(fragment in p for p in problems) == 1, (fragment, problems)

    fixed = parse_request({"tables": {"ks4_pupil": ["KS4_ATT8", "KS4_FSM6", "KS4_SENF"]}},
                          catalog)
    assert fixed.table("ks4_pupil").requested == ("KS4_ATT8", "KS4_FSM6", "KS4_SENF")


def test_unknown_variables_all_reported_for_a_list(catalog: Catalog) -> None:
    problems = problems_of({"tables": {"ks4_pupil": ["KS4_ATT9", "KS4_FSM7", "KS4_ATT8"]}},
                           catalog)
    assert [p.split(" (")[0] for p in problems] == [
        "tables.ks4_pupil: unknown variable 'KS4_ATT9'",
        "tables.ks4_pupil: unknown variable 'KS4_FSM7'"]


@pytest.mark.parametrize("doc, fragment", [
    (None, "the file is empty"),
    (["school_census"], "the top level must be a mapping"),
    ({}, "missing 'tables:'"),
    ({"tables": ["school_census", "hesa"]}, "'tables' must be a mapping"),
    ({"tables": {}}, "'tables' must be a non-empty mapping"),
    ({"tables": "all"}, "'tables' must be a non-empty mapping"),
    ({"tables": {"hesa": 3}}, "expected default, all, a list of variables or a mapping with "
                              "variables and years, got int 3"),
    ({"tables": {"hesa": "HE_XCLASS01"}}, "write [HE_XCLASS01] to request one variable"),
])
def test_bad_shapes(catalog: Catalog, doc: object, fragment: str) -> None:
    problems = problems_of(doc, catalog)
    assert len(problems) == 1 and fragment in problems[0], problems


def test_bad_yaml_files(tmp_path: Path, catalog: Catalog) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("tables:\n  hesa: [HE_XCLASS01\n", encoding="utf-8")
    with pytest.raises(LeoSynthError, match="not valid YAML"):
        load_request(broken, catalog)
    duplicate = tmp_path / "dup.yaml"
    duplicate.write_text("tables:\n  hesa: all\n  hesa: default\n", encoding="utf-8")
    with pytest.raises(LeoSynthError, match="duplicate key 'hesa'"):
        load_request(duplicate, catalog)
    with pytest.raises(LeoSynthError, match="cannot read"):
        load_request(tmp_path / "missing.yaml", catalog)
    with pytest.raises(LeoSynthError) as info:
        load_request(duplicate, catalog)
    assert len(str(info.value).splitlines()) == 1


# -- select ---------------------------------------------------------------------------------------


def test_select_keeps_order_and_narrows_columns(marked: Catalog) -> None:
    relations = marked.relations(2)
    request = parse_request({"tables": {"hesa": ["HE_XCLASS01"], "school_census": "default"}},
                            marked)
    selected = request.select(relations)
    order = [rel.name for rel in relations]
    assert [rel.name for rel in selected] == sorted((rel.name for rel in selected),
                                                    key=order.index)
    by_name = {rel.name: rel for rel in relations}
    for rel in selected:
        original = [col.name for col in by_name[rel.name].columns]
        kept = [col.name for col in rel.columns]
        assert kept == [name for name in original if name in kept], rel.name  # order kept
        assert rel.table.name in {"hesa", "school_census"} | LOOKUPS
    spring = next(rel for rel in selected if rel.name == "spring_census_2011")
    assert "Gender_spr11" not in {c.name for c in spring.columns}
    assert "NCyearActual_spr11" in {c.name for c in spring.columns}
    hesa = next(rel for rel in selected if rel.name == "hesa_2012")
    assert "HE_XCLASS01" in {c.name for c in hesa.columns}
    assert "HE_GENDER" not in {c.name for c in hesa.columns}
    assert hesa.primary_key == by_name["hesa_2012"].primary_key


def test_select_drops_views_left_without_columns(catalog: Catalog) -> None:
    request = Request((parse_request({"tables": {"hesa": "all"}}, catalog).table("hesa"),))
    assert {rel.table.name for rel in request.select(catalog.relations(2))} == {"hesa"}
    empty = Request((replace(request.table("hesa"), columns=frozenset()),))
    assert empty.select(catalog.relations(2)) == []


def test_years_keep_only_those_views(catalog: Catalog) -> None:
    request = parse_request({"tables": {
        "school_census": {"variables": ["Gender"], "years": "2010/11 to 2012/13"},
        "hesa": {"years": ["2015/16", "2017/2018"]},
        "absence": {"variables": "all", "years": ["2018/19-2020/21"]},
        "leo_employment": "all"}}, catalog)
    selected = request.select(catalog.relations(2))
    by_table: dict[str, list[str]] = {}
    for rel in selected:
        by_table.setdefault(rel.table.name, []).append(rel.name)
    assert sorted(by_table["school_census"]) == sorted(
        f"{term}_census_{year}" for term in ("spring", "summer", "autumn")
        for year in (2011, 2012, 2013))
    assert by_table["hesa"] == ["hesa_2016", "hesa_2018"]
    assert by_table["absence"] == ["Absence_2019_3term", "Absence_2021_3term"]  # 2019/20 withheld
    assert by_table["leo_employment"] == ["leo_employment"]
    assert set(by_table) == {"school_census", "hesa", "absence", "leo_employment"} | LOOKUPS
    census = next(rel for rel in selected if rel.name == "spring_census_2012")
    assert "Gender_spr12" in {c.name for c in census.columns}
    assert request.table("leo_employment").years is None


@pytest.mark.parametrize("entry, fragment", [
    ({"hesa": {"years": 2016}}, "2016 is ambiguous: write the academic year, 2015/16 or 2016/17"),
    ({"hesa": {"years": "2015/17"}}, "'2015/17' is not an academic year"),
    ({"hesa": {"years": "2016/17 to 2015/16"}}, "the range runs backwards"),
    ({"hesa": {"years": []}}, "'years' is empty"),
    ({"hesa": {"years": "2020/21"}}, "hesa has views for 2004/05 to 2019/20, not 2020/21"),
    ({"absence": {"years": "2019/20"}},
     "absence has no view in 2019/20 (its views: 2005/06 to 2018/19, 2020/21)"),
    ({"leo_employment": {"years": "2015/16"}}, "leo_employment is one view over all its years"),
    ({"hesa": {"yeers": "2015/16"}}, "unknown key 'yeers' (did you mean 'years'?)"),
    ({"hesa": {"variables": "HE_XCLASS01", "years": "2015/16"}},
     "write [HE_XCLASS01] to request one variable"),
])
def test_bad_years(catalog: Catalog, entry: dict[str, object], fragment: str) -> None:
    problems = problems_of({"tables": entry}, catalog)
    assert len(problems) == 1 and fragment in problems[0], problems
    assert problems[0].startswith(f"tables.{next(iter(entry))}")


def test_years_message_names_the_per_year_tables(catalog: Catalog) -> None:
    problem = problems_of({"tables": {"aims": {"years": "2015/16"}}}, catalog)[0]
    per_year = [t.name for t in catalog.tables if t.per_year]
    assert per_year and all(name in problem for name in per_year), problem


def test_years_leave_the_kept_views_as_in_the_whole_run(tmp_path: Path,
                                                        catalog: Catalog) -> None:
    request = parse_request({"tables": {
        "hesa": {"years": "2014/15 to 2015/16"},
        "school_census": {"variables": "all", "years": "2012/13"}}}, catalog)
    narrow, whole = tmp_path / "narrow.sqlite", tmp_path / "whole.sqlite"
    for out, select in ((narrow, request.select), (whole, None)):
        generate(RunConfig(persons=400, block_size=400, out=str(out), if_exists="replace"),
                 catalog, select=select)
    with sqlite3.connect(narrow) as db:
        tables = {row[0] for row in db.execute(
            "select name from sqlite_master where type = 'table'")} - {MANIFEST_TABLE}
        assert tables == {"hesa_2015", "hesa_2016", "spring_census_2013", "summer_census_2013",
                          "autumn_census_2013"} | LOOKUPS
        db.execute("attach ? as whole", (str(whole),))
        for name in sorted(tables):
            rows = db.execute(f'select count(*) from "{name}"').fetchone()[0]
            assert rows > 0, name
            for one, other in ((f'"{name}"', f'whole."{name}"'), (f'whole."{name}"', f'"{name}"')):
                differ = db.execute(f"select count(*) from (select * from {one} except "
                                    f"select * from {other})").fetchone()[0]
                assert differ == 0, (name, one)  # the same rows both ways


def test_validate_checks_request_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("tables:\n  hesa: {years: 2020/21}\n  ks4_pupil: [KS4_ATT9]\n",
                   encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(ROOT / "examples/request.yaml"),
                                       str(bad)])
    assert result.exit_code == 2, result.output
    assert "examples/request.yaml: ok" in result.output
    problems = [line for line in result.output.splitlines() if line.startswith(str(bad))]
    assert len(problems) == 2, result.output
    assert "tables.hesa.years: hesa has views for 2004/05 to 2019/20, not 2020/21" in problems[0]
    assert "unknown variable 'KS4_ATT9' (did you mean 'KS4_ATT8'?)" in problems[1]


# -- template -------------------------------------------------------------------------------------


@pytest.mark.parametrize("iteration", [1, 2])
def test_template_round_trip_selects_everything(catalog: Catalog, marked: Catalog,
                                                iteration: int) -> None:
    for cat in (catalog, marked):
        text = render_template(cat, iteration)
        request = parse_request(yaml.safe_load(text), cat)
        relations = cat.relations(iteration)
        assert request.select(relations) == relations
        listed = set(yaml.safe_load(text)["tables"])
        assert listed == {t.name for t in cat.tables if iteration in t.iterations}


def test_template_layout(marked: Catalog) -> None:
    text = render_template(marked, 2)
    assert all(len(line) <= 100 for line in text.splitlines()), max(text.splitlines(), key=len)
    doc = yaml.safe_load(text)["tables"]
    assert sorted(doc["ks4_pupil"]) == sorted(BY_REQUEST["ks4_pupil"])
    assert sorted(doc["school_census"]) == sorted(BY_REQUEST["school_census"]
                                                  - {"LAEstab_[term][yy]_anon"})  # a key
    assert doc["leo_employment"] == "all"
    assert doc["learner_ae_id_to_pmr_lookup"] == "all"
    lines = text.splitlines()
    att8 = next(line for line in lines if line.strip().startswith("- KS4_ATT8"))
    assert "#" in att8 and marked.table("ks4_pupil").column("KS4_ATT8").description[:10] in att8
    start = next(i for i, line in enumerate(lines) if line.startswith("  # ks4_pupil:"))
    header = "\n".join(lines[start:lines.index("  ks4_pupil:")])
    assert "# default items and keys (" in header and "KS4_PupilMatchingRefAnonymous" in header
    assert "# by-request items (4):" in header and not re.search(r"\bKS4_ATT8\b", header)
    assert "spring_census_2006..spring_census_2021" in text
    assert "Spring_Census_2006..Spring_Census_2021" in render_template(marked, 1)
    # edited like a VRF: delete some by-request lines and it selects defaults plus the rest
    edited = "\n".join(line for line in lines if "- KS4_EBACC " not in line
                       and "- KS4_GENDER " not in line)
    request = parse_request(yaml.safe_load(edited), marked)
    assert request.table("ks4_pupil").columns == names(marked.table("ks4_pupil")) - {
        "KS4_EBACC", "KS4_GENDER"}


def test_template_round_trips_a_full_size_table(catalog: Catalog) -> None:
    """~4,500 VRF fields, most of them by request, in one table: every one comes back."""
    table = catalog.table("ks4_pupil")
    template = table.column("KS4_ATT8")
    many = tuple(replace(template, name=f"KS4_FIELD{i:04d}", request="by_request",
                         description=f"Field {i} " * 20) for i in range(4500))
    big = replace(catalog, tables=tuple(replace(t, columns=t.columns + many)
                                        if t.name == "ks4_pupil" else t
                                        for t in catalog.tables))
    text = render_template(big, 2)
    request = parse_request(yaml.safe_load(text), big)
    assert len(request.table("ks4_pupil").columns) == len(table.columns) + 4500
    assert default_columns(big.table("ks4_pupil")) == default_columns(table)


def test_request_template_command(tmp_path: Path, catalog: Catalog,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import leo_synth.engine.generate as engine

    monkeypatch.setattr(engine, "load_checked_catalog", lambda: catalog)
    runner = CliRunner()
    printed = runner.invoke(request_template, ["--out", "-"])
    assert printed.exit_code == 0, printed.output
    assert printed.output.startswith("# leo-synth variable request (iteration 2)")
    assert "tables:" in printed.output

    out = tmp_path / "request.yaml"
    written = runner.invoke(request_template, ["--out", str(out), "--iteration", "1"])
    assert written.exit_code == 0 and out.exists()
    assert "Spring_Census_2006" in out.read_text(encoding="utf-8")
    again = runner.invoke(request_template, ["--out", str(out)])
    assert isinstance(again.exception, LeoSynthError) and "--force" in str(again.exception)
    forced = runner.invoke(request_template, ["--out", str(out), "--force"])
    assert forced.exit_code == 0 and "(iteration 2)" in out.read_text(encoding="utf-8")
    assert runner.invoke(request_template, ["--out", "-", "--iteration", "3"]).exit_code == 2


# -- a narrowed run -------------------------------------------------------------------------------


def test_generation_writes_only_the_requested_relations_and_columns(
        tmp_path: Path, marked: Catalog) -> None:
    path = tmp_path / "request.yaml"
    path.write_text("tables:\n"
                    "  spring_census_2011: default\n"
                    "  ks4_pupil: [KS4_ATT8, ks4_fsm6]\n"
                    "  hesa: [HE_XCLASS01]\n"
                    "  leo_employment: all\n", encoding="utf-8")
    request = load_request(path, marked)
    out = tmp_path / "x.sqlite"
    config = RunConfig(persons=300, block_size=300, out=str(out), if_exists="replace")
    summary = generate(config, marked, select=request.select)

    expected = {rel.name: [c.name for c in rel.columns]
                for rel in request.select(marked.relations(2))}
    assert [rel.name for rel in summary.relations] == list(expected)
    with sqlite3.connect(out) as db:
        tables = {row[0] for row in db.execute(
            "select name from sqlite_master where type = 'table'")} - {MANIFEST_TABLE}
        assert tables == set(expected)
        for name, columns in expected.items():
            assert [row[1] for row in db.execute(f'pragma table_info("{name}")')] == columns
        assert db.execute("select count(*) from leo_employment").fetchone()[0] > 0
        assert db.execute("select count(*) from learner_ae_id_to_pmr_lookup").fetchone()[0] > 0
        ks4 = [row[1] for row in db.execute('pragma table_info("KS4Pupil_2015_to_2021")')]
    assert {"KS4_ATT8", "KS4_FSM6", "KS4_PupilMatchingRefAnonymous"} <= set(ks4)
    assert not {"KS4_EBACC", "KS4_GENDER"} & set(ks4)
    assert tables >= LOOKUPS and "leo_benefit" not in tables and "aims" not in tables
    assert "autumn_census_2015" in tables
