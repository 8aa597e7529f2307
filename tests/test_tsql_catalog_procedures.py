"""sp_help, sp_columns and sp_tables on every target (leo_synth/tsql/catalog_procedures.py)."""

from __future__ import annotations

import pytest
from test_srs_corpus import _value, duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

from leo_synth.tsql.command import run_text
from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.runner import check


def _results(db: str, text: str) -> list[tuple[list[str], list[tuple]]]:
    return [(r.columns, [tuple(_value(v) for v in row) for row in r.rows])
            for r in run_text(db, text, "tsql", None, True)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_sp_help_shows_a_view_and_its_columns_as_sql_server_does(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    # a batch's first statement may call a procedure without EXEC; a bare word is its text
    for call in ("sp_help 'KS4Pupil_2015_to_2021'", "EXEC sp_help KS4Pupil_2015_to_2021",
                 "EXEC sp_help '[NPD_i2].[2002237].[KS4Pupil_2015_to_2021]'"):
        (heads, [view]), (columns, rows) = _results(db, call)
        assert heads == ["Name", "Owner", "Type", "Created_datetime"]
        assert view[:3] == ("KS4Pupil_2015_to_2021", "2002237", "view")
        assert columns == ["Column_name", "Type", "Computed", "Length", "Prec", "Scale",
                           "Nullable", "TrimTrailingBlanks", "FixedLenNullInSource",
                           "Collation"]
        listed = _rows(db, """SELECT COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS
WHERE TABLE_NAME = 'KS4Pupil_2015_to_2021' ORDER BY ORDINAL_POSITION""")
        assert [r[:2] for r in rows] == listed
        by_name = {r[0]: r for r in rows}
        assert by_name["KS4_GENDER"][2:] == ("no", 1, "", "", "yes", "no", "no",
                                             "Latin1_General_CI_AS")
        assert by_name["KS4_ATT8"][1] == "float" and by_name["KS4_ATT8"][4:6] == ("53", "")


@pytest.mark.parametrize("backend", BACKENDS)
def test_sp_help_of_a_temp_table_names_a_variable_and_unknown_objects_fail(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    found = _results(db, """CREATE TABLE #cohort (pmr VARCHAR(20) NOT NULL, att8 DECIMAL(9, 2))
DECLARE @t SYSNAME = '#cohort'
EXEC tempdb..sp_help @t
BEGIN TRY
  EXEC sp_help 'no_such_view'
END TRY
BEGIN CATCH
  SELECT ERROR_MESSAGE() AS m
END CATCH""")
    (_, [table]), (_, columns), (_, [(message,)]) = found
    assert table[0].startswith("#cohort___") and table[1:3] == ("dbo", "user table")
    assert [c[:7] for c in columns] == [("pmr", "varchar", "no", 20, "", "", "no"),
                                        ("att8", "decimal", "no", 5, "9", "2", "yes")]
    assert message.startswith("The object 'no_such_view' does not exist in database")


@pytest.mark.parametrize("backend", BACKENDS)
def test_sp_columns_lists_odbc_facts_by_pattern_and_inserts_into_a_temp_table(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    (heads, rows), = _results(db, "EXEC sp_columns @table_name = 'leo_earn%', "
                                  "@column_name = N'E%'")
    assert heads[:6] == ["TABLE_QUALIFIER", "TABLE_OWNER", "TABLE_NAME", "COLUMN_NAME",
                         "DATA_TYPE", "TYPE_NAME"]
    assert heads[-2:] == ["ORDINAL_POSITION", "IS_NULLABLE"]
    facts = {r[3]: r for r in rows}
    assert set(facts) == {"Edukey", "Earnings", "enterprise_earnings"}
    # (qualifier, owner, table, column, ODBC type, type, precision, length, scale, radix,
    # nullable)
    assert facts["Edukey"][:11] == ("LEO_i2", "2002237", "leo_earnings", "Edukey", 12,
                                    "varchar", 14, 14, None, None, 0)
    assert facts["Earnings"][4:11] == (4, "int", 10, 4, 0, 10, 0)
    assert _rows(db, """CREATE TABLE #c (q SYSNAME, o SYSNAME, t SYSNAME, c SYSNAME,
  dt SMALLINT, tn SYSNAME, p INT, l INT, s SMALLINT, r SMALLINT, n SMALLINT, rem VARCHAR(254),
  d NVARCHAR(4000), sdt SMALLINT, sub SMALLINT, octets INT, pos INT, isn VARCHAR(254))
INSERT INTO #c EXEC sp_columns 'spring_census_2011'
SELECT COUNT(*), MIN(pos), MAX(pos) FROM #c""") == _rows(db, """SELECT COUNT(*), 1, COUNT(*)
FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'spring_census_2011'""")


@pytest.mark.parametrize("backend", BACKENDS)
def test_sp_tables_lists_the_views_by_pattern_and_type(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    (heads, rows), = _results(db, "EXEC sp_tables 'leo[_]b%'")
    assert heads == ["TABLE_QUALIFIER", "TABLE_OWNER", "TABLE_NAME", "TABLE_TYPE", "REMARKS"]
    assert rows == [("LEO_i2", "2002237", "leo_benefit", "VIEW", None)]
    assert _results(db, "EXEC sp_tables @table_name = 'leo%', @table_type = \"'TABLE'\"")[0][
        1] == []
    assert len(_results(db, "EXEC sp_tables @table_type = \"'VIEW'\"")[0][1]) == len(
        _rows(db, "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES"))


def test_catalog_procedures_refuse_what_sql_server_refuses_before_running() -> None:
    for text, said in (("EXEC sp_columns", "expects parameter '@table_name'"),
                       ("EXEC sp_help 'a', 'b'", "too many arguments"),
                       ("EXEC sp_tables @table = 'x'", "@table is not a parameter")):
        with pytest.raises(ScriptError, match=said):
            check(text)
