"""T-SQL functions SQLite lacks, added to a script's SQLite connection in Python.

SQLite (3.40 in Python's builds) has no ``CONCAT``, ``REPEAT`` (``REPLICATE``), sample or
population ``STDEV``/``VAR``, ``ISNUMERIC``, ``REVERSE``, ``ASCII``, ``NEWID``, ``TRY_CAST`` or LIKE
character classes; its
``CAST`` reads the leading number of any text (``CAST(' 12a' AS INTEGER)`` is 12, where
``TRY_CAST`` gives NULL). The translation (``value_rewrites``) names these functions; each
means what its T-SQL namesake does. Python is called per row, which is slow for SQL but
fine for the extracts a script is tried on.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import sqlite3
import uuid
from typing import Any

from leo_synth.tsql import like_patterns, percentiles

INTEGER = re.compile(r"\s*[-+]?\d+\s*")
NUMBER = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")


def concat(*values: Any) -> str:
    """T-SQL ``CONCAT``: NULLs count as empty text."""
    return "".join("" if v is None else _text(v) for v in values)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # (SQL Server writes the float 3.0 as 3)
    return str(value)


def repeat(text: Any, times: Any) -> str | None:
    """T-SQL ``REPLICATE`` (NULL for a negative count)."""
    if text is None or times is None or int(times) < 0:
        return None
    return str(text) * int(times)


def try_integer(value: Any) -> int | None:
    """``TRY_CAST(value AS INT)``: NULL unless the whole text is an integer."""
    if value is None or isinstance(value, bytes):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)  # (T-SQL truncates a float cast to an integer)
    return int(value) if INTEGER.fullmatch(value) else None


def try_number(value: Any) -> float | None:
    """``TRY_CAST(value AS FLOAT/DECIMAL)``: NULL unless the whole text is a number."""
    if value is None or isinstance(value, bytes):
        return None
    if isinstance(value, int | float):
        return float(value)
    return float(value) if NUMBER.fullmatch(value) else None


def try_date(value: Any) -> str | None:
    """``TRY_CAST(value AS DATE)``: the ISO date, or NULL for text that is not a date."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value).strip()[:10]).isoformat()
    except ValueError:
        return None


def is_numeric(value: Any) -> int:
    """T-SQL ``ISNUMERIC`` for plain numbers: 1 when the text is one, else 0 (NULL too)."""
    if value is None:
        return 0
    if isinstance(value, int | float):
        return 1
    return int(bool(NUMBER.fullmatch(str(value))))


class _Spread:
    """Sample or population variance or standard deviation, as a window aggregate (NULLs
    left out; NULL for too few values, as in T-SQL)."""

    population = False
    root = False

    def __init__(self) -> None:
        self.values: list[float] = []

    def step(self, value: Any) -> None:
        if value is not None:
            self.values.append(float(value))

    def inverse(self, value: Any) -> None:
        if value is not None:
            self.values.remove(float(value))

    def value(self) -> float | None:
        n = len(self.values)
        if n < (1 if self.population else 2):
            return None
        mean = math.fsum(self.values) / n
        variance = math.fsum((v - mean) ** 2 for v in self.values) / (
            n if self.population else n - 1)
        return math.sqrt(variance) if self.root else variance

    def finalize(self) -> float | None:
        return self.value()


class _SampleDeviation(_Spread):
    root = True


class _PopulationVariance(_Spread):
    population = True


class _PopulationDeviation(_Spread):
    population = root = True


def register(connection: sqlite3.Connection) -> None:
    """Add every function the translation may name to a script's SQLite connection."""
    scalars = {"CONCAT": (-1, concat), "REPEAT": (2, repeat),
               "LEO_TRY_INTEGER": (1, try_integer), "LEO_TRY_NUMBER": (1, try_number),
               "LEO_TRY_DATE": (1, try_date), "ISNUMERIC": (1, is_numeric),
               "LEO_LIKE": (2, like_patterns.like),
               "REVERSE": (1, lambda text: None if text is None else str(text)[::-1]),
               "ASCII": (1, lambda text: ord(str(text)[0]) if text else None)}
    for name, (arguments, function) in scalars.items():
        connection.create_function(name, arguments, function, deterministic=True)
    # NEWID(): ORDER BY NEWID() draws a random sample
    connection.create_function("UUID", 0, lambda: str(uuid.uuid4()))
    spreads = {"STDDEV": _SampleDeviation, "STDDEV_SAMP": _SampleDeviation,
               "VAR_SAMP": _Spread, "VAR_POP": _PopulationVariance,
               "STDDEV_POP": _PopulationDeviation}
    for name, aggregate in spreads.items():
        connection.create_window_function(name, 1, aggregate)
    percentiles.register_sqlite(connection)
