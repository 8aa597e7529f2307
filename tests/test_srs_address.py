"""SRS three-part names: databases from the spec per iteration, the project number checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_spec import GOOD_TABLE, _problems

from leo_synth.errors import LeoSynthError
from leo_synth.srs_address import DEFAULT_PROJECT, SrsNaming, check_project


def _names(catalog, iteration: int, project: str = DEFAULT_PROJECT) -> dict[str, str]:
    naming = SrsNaming(iteration, project)
    return {rel.name: naming.three_part_name(rel) for rel in catalog.relations(iteration)}


def test_iteration_2_names_follow_the_srs(catalog) -> None:
    names = _names(catalog, 2)
    assert names["learner_ae_id_to_edukey_lookup"] == \
        "[LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup]"
    assert names["spring_census_2011"] == "[NPD_i2].[2002237].[spring_census_2011]"
    assert names["learners"] == "[LILR_i2].[2002237].[learners]"
    assert names["hesa_2013"] == "[HESA_i2].[2002237].[hesa_2013]"
    assert names["ucas_2007_to_2021"] == "[UCAS_i2].[2002237].[ucas_2007_to_2021]"
    naming = SrsNaming(2)
    assert set(naming.databases(catalog.relations(2))) == {
        "LEO_i2", "NPD_i2", "LILR_i2", "HESA_i2", "UCAS_i2"}


def test_iteration_1_names_follow_the_srs(catalog) -> None:
    names = _names(catalog, 1, "123")
    # As in Iteration 1 researcher code (leo_schema.md section 1.1).
    assert names["Spring_Census_2011"] == "[NPD].[123].[Spring_Census_2011]"
    assert names["KS4Pupil_2002_to_2014"] == "[NPD].[123].[KS4Pupil_2002_to_2014]"
    assert names["HESA_2013"] == "[HESA].[123].[HESA_2013]"
    assert names["LEO_Employment"] == "[LEO].[123].[LEO_Employment]"
    assert set(SrsNaming(1).databases(catalog.relations(1))) == {"LEO", "NPD", "HESA"}


@pytest.mark.parametrize("bad", ["abc", "", "12 34", "2002237; drop", "1234567890123", None,
                                 True, 3.5])
def test_bad_project_is_refused(bad) -> None:
    with pytest.raises(LeoSynthError, match="bad SRS project"):
        check_project(bad)


def test_project_may_be_a_number() -> None:
    assert check_project(2002237) == "2002237"
    assert SrsNaming.from_settings({"iteration": 1, "srs_project": 99}).project == "99"


def test_undeclared_database_is_a_spec_problem(tmp_path: Path) -> None:
    problems = _problems(tmp_path, GOOD_TABLE.replace("database: leo_i2\n",
                                                      "database: nowhere\n"))
    assert any("table t: database 'nowhere' is not declared" in p for p in problems), problems


def test_database_needs_a_name_in_each_iteration_of_its_tables(tmp_path: Path) -> None:
    problems = _problems(tmp_path, GOOD_TABLE.replace("{1: LEO, 2: LEO_i2}", "{2: LEO_i2}"))
    assert any("database 'leo_i2' has no SRS name for iteration 1" in p for p in problems), \
        problems


@pytest.mark.parametrize("iteration", [1, 2])
def test_dictionary_shows_every_srs_name(catalog, iteration: int) -> None:
    from leo_synth.dictionary.markdown import render_markdown
    from leo_synth.dictionary.model import build_dictionary

    d = build_dictionary(catalog, iteration)
    names = _names(catalog, iteration)
    assert {r.name: r.srs_name for r in d.relations} == names
    assert {db.srs_name for db in d.databases if db.templates} == set(
        SrsNaming(iteration).databases(catalog.relations(iteration)))
    markdown = render_markdown(d)
    assert all(f"`{name}`" in markdown for name in names.values())


def test_validate_checks_the_databases_file() -> None:
    from conftest import ROOT

    from leo_synth.validate import validate_file

    assert validate_file(ROOT / "schemas" / "databases.yaml") == []
