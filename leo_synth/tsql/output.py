"""Show result sets as aligned tables, or write one to CSV or Parquet.

A file is written next to its destination and renamed into place, so a failure leaves no
half-written file.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from leo_synth.errors import LeoSynthError
from leo_synth.tsql.datetime_display import Shown
from leo_synth.tsql.runner import Result
from leo_synth.tsql.unnamed_columns import SHOWN_UNNAMED, UNNAMED

if TYPE_CHECKING:
    import pyarrow as pa

OUT_SUFFIXES = (".csv", ".parquet")


def cell(value: object) -> str:
    """A value as the table shows it: NULL, ISO dates, numbers without float noise."""
    if value is None:
        return "NULL"
    if isinstance(value, Shown):  # (a DATETIME's, as SQL Server shows its type)
        return str(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.datetime):  # (as SQLite's text has it, and SQL Server shows it:
        # a DATETIME's fraction in milliseconds)
        return value.isoformat(sep=" ", timespec="milliseconds" if value.microsecond
                               else "seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.10g}"
    if isinstance(value, decimal.Decimal):  # (PostgreSQL's zero of 20 places was 0E-20)
        return f"{value:f}"
    return str(value)


def _numeric(value: object) -> bool:
    return isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool)


def table(result: Result) -> list[str]:
    """The lines of an aligned table (numbers right-aligned; a column SQL Server gives no
    name headed as SSMS heads it)."""
    shown = [[cell(v) for v in row] for row in result.rows]
    headings = _headings(result)
    widths = [max([len(h)] + [len(r[i]) for r in shown]) for i, h in enumerate(headings)]
    right = [bool(result.rows) and all(_numeric(row[i]) or row[i] is None
                                       for row in result.rows)
             for i in range(len(result.columns))]
    lines = ["  ".join(h.rjust(w) if r else h.ljust(w)
                       for h, w, r in zip(headings, widths, right, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.rjust(w) if r else v.ljust(w)
                        for v, w, r in zip(row, widths, right, strict=True)).rstrip()
              for row in shown]
    return lines


def show(results: list[Result], echo: Callable[[str], None], more_hint: str,
         headings: bool) -> None:
    """Print result sets; each under a heading naming its line when ``headings``."""
    for i, result in enumerate(results):
        if headings:
            if i:
                echo("")
            echo(f"-- result of the statement at line {result.line}")
        for line in table(result):
            echo(line)
        count = f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}"
        echo(f"... (more rows; {more_hint})" if result.more else f"({count})")


def check_destination(path: Path) -> Path:
    """The folder of an ``--out`` file, after checking the file can be written there (before
    the script runs, so a typo costs nothing)."""
    if path.suffix.lower() not in OUT_SUFFIXES:
        raise LeoSynthError(f"--out {path}: give a .csv or .parquet file")
    if path.is_dir():
        raise LeoSynthError(f"--out {path} is a folder: give a .csv or .parquet file")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise LeoSynthError(f"--out {path}: folder {folder} does not exist")
    return folder


def write(result: Result, path: Path) -> None:
    """Write a result set to ``path`` (.csv or .parquet), atomically."""
    suffix = path.suffix.lower()
    folder = check_destination(path)
    handle, staging = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    os.close(handle)
    try:
        if suffix == ".csv":
            with open(staging, "w", newline="", encoding="utf-8") as stream:
                writer = csv.writer(stream)
                writer.writerow(result.columns)
                writer.writerows([("" if v is None else cell(v)) for v in row]
                                 for row in result.rows)
        else:
            _write_parquet(result, Path(staging))
        os.replace(staging, path)
    except OSError as exc:
        raise LeoSynthError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        if os.path.exists(staging):
            os.remove(staging)


def _write_parquet(result: Result, path: Path) -> None:
    import pyarrow.parquet as pq

    pq.write_table(arrow_table(result), path)


def arrow_table(result: Result) -> pa.Table:
    """A result set as an Arrow table: each column of the type of its values (a column of
    mixed types as the text the table shows), headings made unique (``n``, ``n_2``)."""
    import pyarrow as pa

    columns = list(zip(*result.rows, strict=True)) if result.rows else [
        () for _ in result.columns]
    arrays = []
    for values in columns:
        try:
            arrays.append(pa.array(list(values)))
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed types: keep them as text
            arrays.append(pa.array([None if v is None else cell(v) for v in values]))
    return pa.table(arrays, names=_unique(_headings(result)))


def _headings(result: Result) -> list[str]:
    """The result's column names, an unnamed one as SSMS heads it."""
    return [h if h != UNNAMED else SHOWN_UNNAMED for h in result.columns]


def _unique(columns: list[str]) -> list[str]:
    """Column names made unique for a file (``n``, ``n_2``...)."""
    seen: dict[str, int] = {}
    out = []
    for name in columns:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return out
