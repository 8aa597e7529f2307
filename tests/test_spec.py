"""Spec loading and validation: every problem is named by file, table and column."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from leo_synth.errors import LeoSynthError
from leo_synth.spec.loader import SpecError, load_catalog, read_yaml_cached
from leo_synth.spec.model import expand_table
from leo_synth.spec.types import SqlTypeError, parse_sql_type
from leo_synth.spec.years import (
    academic_year_label,
    academic_year_labels,
    format_years,
    parse_years,
)

GOOD_TABLE = """
family: test
database: leo_i2
databases:
  leo_i2: {srs: {1: LEO, 2: LEO_i2}}
tables:
  - name: t
    description: a table
    grain: one row per thing
    calendar: none
    builder: linkage.pmr_lookup
    columns:
      - {name: A, type: bigint, description: a, fill: ae_id}
      - {name: B, type: varchar(18), description: b, fill: pmr}
"""


def _problems(tmp_path: Path, text: str) -> list[str]:
    spec = tmp_path / "spec.yaml"
    spec.write_text(text)
    with pytest.raises(SpecError) as info:
        load_catalog(files=[spec])
    return [str(p) for p in info.value.problems]


def test_good_table_loads(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(GOOD_TABLE)
    catalog = load_catalog(files=[spec])
    assert [c.name for c in catalog.table("t").columns] == ["A", "B"]


def test_unknown_key_names_file_table_and_column(tmp_path: Path) -> None:
    problems = _problems(tmp_path, GOOD_TABLE.replace("description: b,", "descrption: b,"))
    assert any("spec.yaml: table t, column B: unknown key 'descrption' (did you mean "
               "'description'?)" in p for p in problems), problems


def test_bad_type(tmp_path: Path) -> None:
    problems = _problems(tmp_path, GOOD_TABLE.replace("varchar(18)", "varchr(18)"))
    assert any("table t, column B: unknown type 'varchr'" in p for p in problems), problems


def test_duplicate_column(tmp_path: Path) -> None:
    problems = _problems(tmp_path, GOOD_TABLE.replace("name: B,", "name: a,"))
    assert any("table t, column a: duplicate column" in p for p in problems), problems


def test_dangling_foreign_key(tmp_path: Path) -> None:
    text = GOOD_TABLE.replace("fill: pmr}", "fill: pmr, references: nowhere.X}")
    problems = _problems(tmp_path, text)
    assert any("column B: dangling reference 'nowhere.X': no table 'nowhere'" in p
               for p in problems), problems


def test_every_problem_is_reported(tmp_path: Path) -> None:
    text = (GOOD_TABLE.replace("varchar(18)", "varchr(18)")
            .replace("description: a,", "descrption: a,")
            .replace("    grain: one row per thing\n", ""))
    problems = _problems(tmp_path, text)
    for expected in ("table t: missing 'grain'", "column A: unknown key 'descrption'",
                     "column B: unknown type 'varchr'"):
        assert any(expected in p for p in problems), (expected, problems)


def test_duplicate_yaml_key_is_an_error(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(GOOD_TABLE.replace("calendar: none", "calendar: none\n    calendar: tax"))
    with pytest.raises(Exception, match="duplicate key 'calendar'"):
        load_catalog(files=[spec])


def test_unknown_keyspace(tmp_path: Path) -> None:
    problems = _problems(tmp_path, GOOD_TABLE.replace("fill: ae_id}", "fill: ae_id, key: aeid}"))
    assert any("unknown keyspace 'aeid'" in p for p in problems), problems


@pytest.mark.parametrize("text,expected", [
    ("varchar(14)", "varchar(14)"), ("numeric(12, 2)", "numeric(12,2)"), ("BIGINT", "bigint"),
    ("bit", "bit"), ("date", "date"),
])
def test_parse_sql_type(text: str, expected: str) -> None:
    assert str(parse_sql_type(text)) == expected


@pytest.mark.parametrize("text", ["varchar(1,2)", "int(4)", "numeric(50,2)", "blob", ""])
def test_bad_sql_types(text: str) -> None:
    with pytest.raises(SqlTypeError):
        parse_sql_type(text)


def test_year_sets_round_trip() -> None:
    years = parse_years("2005-2018;2020")
    assert 2019 not in years and {2005, 2018, 2020} <= years
    assert format_years(years) == "2005-2018;2020-2020"


def test_census_views_follow_the_collections(catalog) -> None:
    census = catalog.table("school_census")
    names = {rel.name for rel in expand_table(census)}
    assert {"plasc_2002", "spring_census_2006", "summer_census_2006",
            "autumn_census_2007", "spring_census_2021"} <= names
    assert "summer_census_2020" not in names  # no summer census in 2019/20 (COVID-19)
    assert "autumn_census_2006" not in names  # autumn starts 2006/07


def test_per_year_columns_are_suffixed_and_absent_outside_their_years(catalog) -> None:
    rels = {rel.name: rel for rel in expand_table(catalog.table("school_census"))}
    spring11 = {c.name for c in rels["spring_census_2011"].columns}
    assert "PupilMatchingRefAnonymous_spr11" in spring11
    assert "OnRoll_spr11" in spring11
    assert "OnRoll_spr08" not in {c.name for c in rels["spring_census_2008"].columns}
    plasc = {c.name for c in rels["plasc_2003"].columns}
    assert "PupilMatchingRefAnonymous_03" in plasc
    # Spring-only items are absent from the summer and autumn views.
    assert "PrimarySENtype_spr11" in spring11
    assert not any(c.startswith("PrimarySENtype") for c in
                   (col.name for col in rels["summer_census_2011"].columns))


def test_iteration_one_names(catalog) -> None:
    names = {rel.name for rel in catalog.relations(1)}
    assert {"LEO_Employment", "LEARNER_AE_ID_TO_PMR_LOOKUP", "Spring_Census_2011"} <= names
    geography = next(r for r in catalog.relations(1) if r.name == "LEO_Geography")
    assert "LAUA" in {c.name for c in geography.columns}


def test_every_column_is_described(catalog) -> None:
    for table in catalog.tables:
        assert table.description.strip(), table.name
        for col in table.columns:
            assert col.description.strip(), (table.name, col.name)


def test_academic_year_labels_are_the_scalar_labels() -> None:
    starts = np.array([2010, 1999, 2010, 2009, 1999])
    for short in (False, True):
        labels = academic_year_labels(starts, short=short)
        assert labels.tolist() == [academic_year_label(int(s), short) for s in starts]
        assert academic_year_labels(np.zeros(0, dtype=np.int64), short=short).shape == (0,)
    assert academic_year_labels(starts, short=True)[1] == "1999/00"


def test_a_cached_yaml_read_is_the_parse_and_follows_the_contents(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEO_SYNTH_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "p.yaml"
    path.write_text("a: {b: 1, c: [2, 3]}\n")
    assert read_yaml_cached(path) == {"a": {"b": 1, "c": [2, 3]}}
    assert len(list((tmp_path / "cache").glob("yaml-*.pickle"))) == 1  # kept
    assert read_yaml_cached(path) == {"a": {"b": 1, "c": [2, 3]}}  # from the cache
    path.write_text("a: 2\n")
    assert read_yaml_cached(path) == {"a": 2}
    path.write_text("a: 1\na: 2\n")
    with pytest.raises(LeoSynthError, match="duplicate key"):
        read_yaml_cached(path)
