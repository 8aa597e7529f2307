"""``leo-synth sql``: run a T-SQL script (as written for the SRS) on any leo-synth output;
``leo-synth query`` runs SQL in the target's own dialect or in T-SQL (``--dialect``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from leo_synth.errors import LeoSynthError

if TYPE_CHECKING:  # the translator (sqlglot) and the backends load only when a script runs
    from collections.abc import Callable

    from leo_synth.tsql.runner import Result
    from leo_synth.tsql.targets import Target

DIALECTS = ("tsql", "native")
NATIVE_SEARCH_PATH = "npd_i2, leo_i2, lilr_i2, hesa_i2, ucas_i2, public"


def read_script(path: Path) -> str:
    """A script's text: UTF-8, UTF-16 with a byte-order mark, or else Windows-1252 (the
    encodings SSMS saves files in; a '£' in a comment of a Windows-1252 file is no UTF-8)."""
    data = path.read_bytes()
    encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding == "utf-8-sig":
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                pass
        raise LeoSynthError(f"{path} is not UTF-8, UTF-16 or Windows-1252 text (byte "
                            f"{exc.start}): save it as UTF-8") from exc


def _native(target: Target, text: str, limit: int | None) -> list[Result]:
    """One statement in the target's own SQL, untranslated (PostgreSQL searches the
    database schemas, so SRS names work unqualified)."""
    from leo_synth.tsql.errors import is_database_error
    from leo_synth.tsql.runner import Result
    from leo_synth.tsql.targets import ResultSet

    if target.dialect == "postgres":
        target.connection.execute(f"SET search_path TO {NATIVE_SEARCH_PATH}")
    try:
        result = target.run(text, True, limit)
    except Exception as exc:
        if not is_database_error(exc):
            raise
        why = " ".join(str(exc).split())
        hint = (" (refused: query only reads; ATTACH, VACUUM INTO and writes to the extract "
                "are not allowed)" if "not authorized" in why else "")
        raise LeoSynthError(f"query failed: {why}{hint}") from exc
    result = result or ResultSet([], [])
    return [Result(1, result.columns, result.rows, result.more)]


def run_text(db: str, text: str, dialect: str, limit: int | None, every: bool,
             before_error: Callable[[list[Result]], None] | None = None,
             messages: Callable[[str], None] | None = None) -> list[Result]:
    """Run ``text`` on ``db``: T-SQL is checked completely before the target is opened.
    A script that stops gives ``before_error`` the result sets it returned until then (the
    last, or every one when ``every``), as SSMS shows them above the error. ``PRINT`` and
    ``RAISERROR`` messages go to ``messages`` (standard error when None)."""
    from leo_synth.tsql.runner import Runner, check
    from leo_synth.tsql.targets import open_target

    nodes = check(text) if dialect == "tsql" else []
    target = open_target(db)
    try:
        if dialect == "native":
            return _native(target, text, limit)
        runner = Runner(target, messages or (lambda line: click.echo(line, err=True)))
        try:
            return runner.run(nodes, limit, every)
        except LeoSynthError:
            if before_error is not None and runner.results:
                before_error(runner.results)
            raise
    finally:
        target.close()


def _check_out(out: Path | None) -> None:
    if out is not None:
        from leo_synth.tsql import output

        output.check_destination(out)


def _emit(results: list[Result], out: Path | None, every: bool, hint: str) -> None:
    from leo_synth.tsql import output

    if out is not None:
        if not results:
            raise LeoSynthError("the script returned no result set to write")
        output.write(results[-1], out)
        click.echo(f"wrote {len(results[-1].rows):,} rows to {out}")
    elif results:
        output.show(results, click.echo, hint, headings=every)
    else:
        click.echo("(no result set)")


@click.command("sql")
@click.argument("script", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--db", required=True,
              help="A SQLite file, a .duckdb file, a Parquet folder or a postgresql:// URL.")
@click.option("--max-rows", default=50, show_default=True, type=click.IntRange(min=0),
              help="Rows printed per result set.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the last result set (all rows) to a .csv or .parquet file.")
@click.option("--all-results", is_flag=True,
              help="Print every result set of the script, each under a heading (those "
                   "before an error too).")
@click.option("--dialect", type=click.Choice(DIALECTS), default="tsql", show_default=True,
              help="tsql: translate T-SQL; native: the target's own SQL, one statement.")
def sql(script: Path, db: str, max_rows: int, out: Path | None, all_results: bool,
        dialect: str) -> None:
    """Run a T-SQL SCRIPT, written as for the SRS, on a leo-synth output.

    GO batches, #temp tables, SELECT ... INTO, TOP, ISNULL, DATEDIFF, DATEADD, CONVERT,
    DECLARE/SET variables, @@ROWCOUNT, IF/WHILE, TRY/CATCH, RAISERROR, THROW, FORMATMESSAGE,
    transactions (ROLLBACK and savepoints), cursors, dynamic SQL (EXEC, sp_executesql), the
    script's own stored procedures and functions (DECLARE/SET then RETURN, or RETURNS
    TABLE), sp_rename, PIVOT, STRING_SPLIT, GENERATE_SERIES, ROLLUP, GROUP BY ALL, MERGE,
    FOR JSON, views of the session, INFORMATION_SCHEMA, sys.views/sys.columns/sys.databases,
    tempdb..sysobjects, sp_help/sp_columns/sp_tables, and SRS three-part names
    ([NPD_i2].[2002237].[spring_census_2011]) are translated; what cannot be (functions with
    IF or WHILE, return codes, GOTO) stops the script before it runs, naming the line. Errors
    are SQL Server's where leo-synth knows them ("Invalid column name ..."). Messages (PRINT,
    RAISERROR) go to stderr.
    Example:

    \b
        leo-synth sql examples/srs/01_cohort_spring_census.sql --db out/leo.sqlite
    """
    _check_out(out)
    text = read_script(script)
    hint = "use --max-rows or --out"

    def before_error(results: list[Result]) -> None:
        from leo_synth.tsql import output

        if out is None:  # (a file is written only for a script that ran to its end)
            output.show(results, click.echo, hint, headings=True)

    results = run_text(db, text, dialect, None if out else max_rows, all_results, before_error)
    _emit(results, out, all_results, hint)


@click.command("query")
@click.argument("database")
@click.argument("text", metavar="SQL")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=0),
              help="Rows to print at most.")
@click.option("--dialect", type=click.Choice(DIALECTS), default="native", show_default=True,
              help="native: the target's own SQL (one statement); tsql: as `leo-synth sql`.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the result (all rows) to a .csv or .parquet file.")
def query(database: str, text: str, limit: int, dialect: str, out: Path | None) -> None:
    """Run SQL (text, or @FILE) on a SQLite file, DuckDB file, Parquet folder or PostgreSQL
    URL and print the result. `leo-synth sql` is the same for T-SQL scripts."""
    _check_out(out)
    if text.startswith("@"):
        path = Path(text[1:])
        if not path.is_file():
            why = "No such file" if not path.exists() else "not a file"
            raise LeoSynthError(f"cannot read the SQL file {path}: {why}")
        text = read_script(path)
    results = run_text(database, text, dialect, None if out else limit, False)
    _emit(results, out, False, "use --limit")
