"""What ``generate`` imports: a small run to any format, by the command line (or to SQLite
by the Python API), loads no library it does not use.

Measured by instrumentation (the modules a fresh interpreter holds after the run), never by
timing. pandas is kept out of the command line's own process only (``arrow_pandas``): pyarrow
imports it on its first conversion whenever it is installed, and the Python API leaves that be.
SQLAlchemy and Faker are imported only when the DDL or the run's place names are not cached yet.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from postgres_server import create_database, drop_database

from leo_synth.resources import cache_dir

NOT_FOR_GENERATE = (
    "sqlalchemy",  # DDL is compiled once and cached; a cached run never imports it
    "pyarrow.dataset",  # imported by ADBC's DB-API layer, which the SQLite writer does not use
    "adbc_driver_manager.dbapi",
    "faker",  # the place names are cached
    "yaml",  # the catalog and the parameters are cached
    "dask", "distributed", "duckdb", "psycopg", "sqlglot", "jinja2",
    # the other commands, imported only when run
    "leo_synth.dictionary", "leo_synth.report", "leo_synth.tsql", "leo_synth.exercises",
    "leo_synth.output_check", "leo_synth.request_command",
)
NOT_FOR_THE_COMMAND = ("pandas",)
"""Not imported by ``leo-synth generate`` either (the API's pyarrow imports pandas)."""

RUN = """
import atexit, json, sys
atexit.register(lambda: print(json.dumps(sorted(sys.modules))))  # the command ends the process
if sys.argv[1] == "api":
    import leo_synth
    leo_synth.generate(persons=10, out=sys.argv[2])
else:
    from leo_synth.cli import main
    sys.argv = ["leo-synth", "generate", "--persons", "10", "--format", sys.argv[1], "--out",
                sys.argv[2], "--if-exists", "replace", "--quiet"]
    main()  # as the console script does: the process's own command line
"""


def modules_after_generate(how: str, out: Path | str, cwd: Path) -> set[str]:
    """The modules of a fresh interpreter after a 10-person run: ``how`` is the command
    line's ``--format`` or ``api`` (``leo_synth.generate`` to SQLite), ``out`` a path or a
    PostgreSQL URL."""
    result = subprocess.run([sys.executable, "-c", RUN, how, str(out)], capture_output=True,
                            text=True, timeout=300, cwd=cwd)  # no config/default.yaml
    assert result.returncode == 0, result.stderr
    assert isinstance(out, str) or out.exists()
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_generate_imports_only_what_it_uses(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """After a first run has filled the caches (catalog, DDL, place names)."""
    if cache_dir() is None:  # the caches are what spares the imports: give the runs one
        monkeypatch.setenv("LEO_SYNTH_CACHE", str(tmp_path / "cache"))
    modules_after_generate("sqlite", tmp_path / "first.sqlite", tmp_path)
    for how, out in (("sqlite", tmp_path / "leo.sqlite"), ("parquet", tmp_path / "leo_pq"),
                     ("api", tmp_path / "api.sqlite")):
        loaded = modules_after_generate(how, out, tmp_path)
        assert {"leo_synth.relations.fill", "pyarrow", "pyarrow.parquet" if how == "parquet"
                else "adbc_driver_sqlite"} <= loaded, how  # the instrument sees imports
        unused = {*NOT_FOR_GENERATE, *(NOT_FOR_THE_COMMAND if how != "api" else ())}
        assert not loaded & unused, (how, sorted(loaded & unused))


OWN_LIBRARY = {"csv": "pyarrow.csv", "duckdb": "duckdb", "postgres": "psycopg"}
"""What a run to each of the other formats must import (and may, though others may not)."""


@pytest.mark.parametrize("how", ["csv", "duckdb",
                                 pytest.param("postgres", marks=pytest.mark.postgres)])
def test_the_other_formats_import_no_sqlalchemy_once_their_ddl_is_cached(
        how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        request: pytest.FixtureRequest) -> None:
    if cache_dir() is None:
        monkeypatch.setenv("LEO_SYNTH_CACHE", str(tmp_path / "cache"))
    out: Path | str = tmp_path / f"leo_{how}"
    if how == "postgres":  # a database of its own: the suite's is the session's small run
        pg_url = request.getfixturevalue("pg_url")
        name = f"{urlsplit(pg_url).path.lstrip('/')}_imports"
        out = create_database(pg_url, name)
        request.addfinalizer(lambda: drop_database(pg_url, name))
    modules_after_generate(how, out, tmp_path)  # compiles and caches the format's DDL
    loaded = modules_after_generate(how, out, tmp_path)
    assert {"leo_synth.relations.fill", OWN_LIBRARY[how]} <= loaded, how
    unused = {*NOT_FOR_GENERATE, *NOT_FOR_THE_COMMAND} - {OWN_LIBRARY[how]}
    assert not loaded & unused, (how, sorted(loaded & unused))


SQL_RUN = """
import atexit, json, sys
from leo_synth.spec import model
expanded = []
original = model.Catalog.relations
model.Catalog.relations = lambda self, iteration=2: (expanded.append(iteration)
                                                      or original(self, iteration))
atexit.register(lambda: print(json.dumps([sorted(sys.modules), expanded])))
from leo_synth.cli import main
sys.argv = ["leo-synth", "sql", sys.argv[1], "--db", sys.argv[2]]
main()
"""


def test_sql_on_an_extract_expands_iteration_2_alone_and_imports_no_builders(
        small_sqlite: tuple[Path, object], tmp_path: Path) -> None:
    # each script that read the extract loaded three catalogs, expanded Iteration 1's 18,000
    # columns twice and imported every builder, and pandas with them, to look names up:
    # 1.9 s before its query ran
    script = tmp_path / "q.sql"
    script.write_text("SELECT COUNT(*) AS n FROM [LEO_i2].[2002237].[leo_earnings] e\n"
                      "JOIN [HESA_i2].[2002237].[hesa_2015] h ON 1 = 0")
    result = subprocess.run([sys.executable, "-c", SQL_RUN, str(script), str(small_sqlite[0])],
                            capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    modules, expanded = json.loads(result.stdout.splitlines()[-1])
    assert "sqlglot" in modules  # (the instrument sees imports)
    assert not {"pandas", "leo_synth.relations", "leo_synth.engine.generate"} & set(modules)
    assert set(expanded) == {2}  # (an Iteration 2 output's names are Iteration 2's)
