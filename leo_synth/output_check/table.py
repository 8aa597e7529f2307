"""A finished output table read from CSV, as cells: labels, a count of persons, and (for
magnitude tables) the cell total and its largest contributions.

ACRO checks the tables it builds itself from the microdata (``acro.crosstab``,
``acro.pivot_table``); a researcher's CSV holds only the aggregates, so the evidence ACRO
would compute (counts, sums, largest contributions) has to be read from the table. Two
layouts are understood:

* long: one row per cell, label columns plus a count column (``count``, ``n``, ``persons``,
  ``frequency``...), optionally ``sum`` (the cell's total), ``max`` (largest contribution)
  and ``top2`` (second largest) or ``top_2_sum``/``top_n_sum`` for dominance; other
  numeric columns are statistics (named like one, ``mean_earnings``, ``pct_em94``, or
  holding non-whole numbers), judged through their row's evidence, and whole-number columns
  otherwise are labels (a year, a code);
* wide (a crosstab): the first column holds the row labels, every other column is a column
  label, every cell a count.

Rows or columns labelled ``Total``/``All`` are margins. Cells holding a suppression marker
(``c``, ``*``, ``x``, ``..``, ``[c]``, ``suppressed`` or blank) are *suppressed*: not
checked themselves, but unknown when looking for differencing.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from pathlib import Path

from leo_synth.errors import LeoSynthError

COUNT_NAMES = ("count", "n", "persons", "people", "frequency", "freq", "observations", "obs",
               "pupils", "individuals")
SUM_NAMES = ("sum", "total_value", "value_sum")
MAX_NAMES = ("max", "top1", "largest")
SECOND_NAMES = ("top2", "second", "second_largest")
TOP2_SUM_NAMES = ("top_2_sum",)
TOPN_SUM_NAMES = ("top_n_sum",)
SUPPRESSED = {"", "c", "*", "x", "..", "[c]", "[x]", "suppressed", "s", "-", "~"}
TOTAL_LABELS = {"total", "all", "grand total", "totals", "overall"}
STATISTIC_WORDS = {"mean", "average", "avg", "median", "rate", "pct", "percent", "percentage",
                   "share", "proportion", "ratio", "sd", "std", "earnings", "pay", "income",
                   "score", "value", "gap"}


@dataclass
class Cell:
    """One cell: its labels (dimension -> label), the count of persons (None when
    suppressed), and the magnitude evidence when the table gives it."""

    labels: dict[str, str]
    count: float | None
    total: float | None = None
    top1: float | None = None
    top2_sum: float | None = None
    topn_sum: float | None = None

    @property
    def name(self) -> str:
        """How the report names the cell: ``fsm=1, grade=9``."""
        return ", ".join(f"{k}={v}" for k, v in self.labels.items())

    def is_margin(self, dimension: str | None = None) -> bool:
        """A total over ``dimension`` (or over any dimension)."""
        dims = [dimension] if dimension else list(self.labels)
        return any(self.labels[d].strip().lower() in TOTAL_LABELS for d in dims)


@dataclass
class Table:
    """The cells of one CSV table and how it was read."""

    path: Path
    layout: str
    dimensions: list[str]
    cells: list[Cell]
    unchecked: list[str]
    """Numeric columns with no rule of their own (means, rates...): checked only through the
    count and dominance evidence of their row."""


def _number(text: str, where: str) -> float | None:
    value = text.strip().replace(",", "")
    if value.lower() in SUPPRESSED:
        return None
    try:
        number = float(value)
    except ValueError:
        raise LeoSynthError(f"{where}: {text!r} is neither a number nor a suppression marker "
                            f"(c, *, x, ..)") from None
    if math.isnan(number) or number < 0:
        raise LeoSynthError(f"{where}: counts must be numbers >= 0, not {text!r}")
    return number


def _is_number(text: str) -> bool:
    try:
        float(text.strip().replace(",", ""))
    except ValueError:
        return False
    return True


def read_rows(path: Path) -> list[list[str]]:
    """The CSV's rows (header first); unreadable input is a one-line error."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = [row for row in csv.reader(handle) if any(v.strip() for v in row)]
    except OSError as exc:
        raise LeoSynthError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise LeoSynthError(f"{path} is not a UTF-8 CSV file ({exc})") from exc
    if len(rows) < 2:
        raise LeoSynthError(f"{path}: expected a header row and at least one row of cells")
    width = len(rows[0])
    bad = [n for n, row in enumerate(rows, start=1) if len(row) != width]
    if bad:
        raise LeoSynthError(f"{path}: line {bad[0]} has {len(rows[bad[0] - 1])} fields, the "
                            f"header {width}")
    return rows


def _is_statistic(name: str, at: int, rows: list[list[str]]) -> bool:
    """A numeric column holding a statistic (a mean, a rate...) rather than labels: named like
    one, or holding non-whole numbers. Whole-number columns otherwise are labels (a year, a
    code)."""
    values = [r[at].strip().replace(",", "") for r in rows[1:]]
    present = [v for v in values if v.lower() not in SUPPRESSED]
    if not present or not all(_is_number(v) for v in present):
        return False
    words = set(re.split(r"[^a-z0-9]+", name.lower()))
    return bool(words & STATISTIC_WORDS) or any(not float(v).is_integer() for v in present)


def _find(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    return next((lowered.index(n) for n in names if n in lowered), None)


def _long(path: Path, rows: list[list[str]], count_at: int) -> Table:
    header = [h.strip() for h in rows[0]]
    evidence = {name: _find(header, names) for name, names in (
        ("total", SUM_NAMES), ("top1", MAX_NAMES), ("second", SECOND_NAMES),
        ("top2_sum", TOP2_SUM_NAMES), ("topn_sum", TOPN_SUM_NAMES))}
    used = {count_at, *(i for i in evidence.values() if i is not None)}
    numeric = [i for i in range(len(header)) if i not in used and _is_statistic(header[i], i, rows)]
    dims = [i for i in range(len(header)) if i not in used and i not in numeric]
    if not dims:
        raise LeoSynthError(f"{path}: no label column (a long table needs the labels of each "
                            f"cell beside its {header[count_at]})")
    cells = []
    for n, row in enumerate(rows[1:], start=2):
        where = f"{path}, line {n}"

        def value(key: str, row: list[str] = row, where: str = where) -> float | None:
            i = evidence[key]
            return None if i is None else _number(row[i], f"{where}, {header[i]}")

        second = value("second")
        top1 = value("top1")
        top2_sum = value("top2_sum")
        if top2_sum is None and top1 is not None and second is not None:
            top2_sum = top1 + second
        cells.append(Cell({header[i]: row[i].strip() for i in dims},
                          _number(row[count_at], f"{where}, {header[count_at]}"),
                          value("total"), top1, top2_sum, value("topn_sum")))
    return Table(path, "long", [header[i] for i in dims], cells, [header[i] for i in numeric])


def _wide(path: Path, rows: list[list[str]]) -> Table:
    header = [h.strip() for h in rows[0]]
    row_dim = header[0] or "row"
    cells = []
    for n, row in enumerate(rows[1:], start=2):
        for i in range(1, len(header)):
            count = _number(row[i], f"{path}, line {n}, column {header[i]}")
            cells.append(Cell({row_dim: row[0].strip(), "column": header[i]}, count))
    if all(c.count is None for c in cells):
        raise LeoSynthError(f"{path}: no counts found (every cell is blank or suppressed)")
    return Table(path, "wide", [row_dim, "column"], cells, [])


def read_table(path: Path) -> Table:
    """Read a table of counts (long or wide) from CSV."""
    rows = read_rows(path)
    count_at = _find(rows[0], COUNT_NAMES)
    if count_at is not None:
        return _long(path, rows, count_at)
    if any(_is_number(h) for h in rows[0][:1]) or len(rows[0]) < 2:
        raise LeoSynthError(f"{path}: expected a header row, then either a count column "
                            f"({', '.join(COUNT_NAMES[:4])}...) or a crosstab of counts")
    return _wide(path, rows)
