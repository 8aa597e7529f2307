"""A minimal struct-of-arrays table used by the simulation (one numpy array per attribute)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

import numpy as np


class Masked(NamedTuple):
    """Values with a NULL mask (True = NULL), for attributes that are sometimes missing."""

    values: np.ndarray
    null: np.ndarray

    def __len__(self) -> int:  # the number of rows, not the tuple's two fields
        return len(self.values)

    def take(self, index: np.ndarray) -> Masked:
        return Masked(self.values[index], self.null[index])


Column = np.ndarray | Masked


def split_nulls(values: Column) -> tuple[np.ndarray, np.ndarray]:
    """A column's values and its NULL mask (none NULL for a plain array)."""
    if isinstance(values, Masked):
        return np.asarray(values.values), np.asarray(values.null, dtype=bool)
    values = np.asarray(values)
    return values, np.zeros(len(values), dtype=bool)


def last_row_of(person: np.ndarray, n: int) -> np.ndarray:
    """Per person 0 .. n-1, the index of the last row whose ``person`` it is (-1 where none):
    a table with a row per person (or ordered by person) looked up by person."""
    last = np.full(n, -1, dtype=np.int64)
    last[np.asarray(person)] = np.arange(len(person))
    return last


def sorted_lookup(keys: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Position of each wanted key in sorted ``keys``, and whether it is there."""
    if not len(keys):
        return np.zeros(len(wanted), dtype=np.int64), np.zeros(len(wanted), dtype=bool)
    pos = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    return pos, keys[pos] == wanted


def _column(values: Column | object) -> Column:
    """A column as a frame holds it: a numpy array, or a Masked pair of arrays (bool mask)."""
    if type(values) is np.ndarray:
        return values
    if isinstance(values, Masked):
        if (type(values.values) is np.ndarray and type(values.null) is np.ndarray
                and values.null.dtype == bool):
            return values
        return Masked(np.asarray(values.values), np.asarray(values.null, dtype=bool))
    return np.asarray(values)


def _concat(parts: list[Column]) -> Column:
    if any(isinstance(p, Masked) for p in parts):
        parts = [p if isinstance(p, Masked) else Masked(p, np.zeros(len(p), dtype=bool))
                 for p in parts]
        return Masked(np.concatenate([p.values for p in parts]),
                      np.concatenate([p.null for p in parts]))
    return np.concatenate(parts)


class Frame:
    """Named numpy arrays of equal length: persons, pupil-years, spells, ...

    Kept deliberately small (no index, no dtype magic) so that simulation code stays plain
    vectorised numpy; pandas is used only where a grouped aggregation needs it.
    """

    def __init__(self, columns: dict[str, Column] | None = None, **kwargs: Column):
        self._cols: dict[str, Column] = {}
        self._rows = 0  # kept, not recomputed: builders ask for it once per column
        cols = self._cols
        for name, values in ({**columns, **kwargs} if columns and kwargs
                             else columns or kwargs).items():
            # (__setitem__ inlined: builders make frames of hundreds of columns per relation)
            values = values if type(values) is np.ndarray else _column(values)
            rows = len(values)
            if cols and rows != self._rows:
                raise ValueError(f"column {name!r} has {rows} rows, frame has {self._rows}")
            cols[name] = values
            self._rows = rows

    def __len__(self) -> int:
        return self._rows

    def __getitem__(self, name: str) -> np.ndarray:  # Masked for sometimes-missing attributes
        return self._cols[name]

    def __setitem__(self, name: str, values: Column) -> None:
        values = _column(values)
        rows = len(values)
        if self._cols and rows != self._rows:
            raise ValueError(f"column {name!r} has {rows} rows, frame has {self._rows}")
        self._cols[name] = values
        self._rows = rows

    def __contains__(self, name: object) -> bool:
        return name in self._cols

    def __iter__(self) -> Iterator[str]:
        return iter(self._cols)

    def get(self, name: str, default: np.ndarray | None = None) -> np.ndarray | None:
        return self._cols.get(name, default)

    def columns(self) -> list[str]:
        return list(self._cols)

    def take(self, index: np.ndarray | slice) -> Frame:
        """Rows by position (or boolean mask, or slice)."""
        if isinstance(index, np.ndarray) and index.dtype == bool and len(self._cols) > 1:
            if len(index) != self._rows:
                raise IndexError(f"mask of {len(index)} rows for a frame of {self._rows}")
            index = np.flatnonzero(index)  # once: positions gather faster than a mask selects
        return Frame._of({name: values[index] if type(values) is np.ndarray
                          else values.take(index) for name, values in self._cols.items()})

    def select(self, names: Iterable[str]) -> Frame:
        return Frame._of({name: self._cols[name] for name in names})

    @staticmethod
    def _of(columns: dict[str, Column]) -> Frame:
        """A frame of columns already checked (those of a frame, taken alike)."""
        frame = Frame()
        frame._cols = columns
        frame._rows = len(next(iter(columns.values()))) if columns else 0
        return frame

    @staticmethod
    def concat(frames: list[Frame]) -> Frame:
        """Stack frames with the same columns."""
        frames = [f for f in frames if f.columns()]
        if not frames:
            return Frame()
        names = frames[0].columns()
        return Frame({name: _concat([f[name] for f in frames]) for name in names})

    def sort(self, *keys: str) -> Frame:
        """Stable sort by the given columns (first key most significant)."""
        order = np.lexsort(tuple(self._cols[k] for k in reversed(keys)))
        return self.take(order)


class ByYear(NamedTuple):
    """Rows sorted by their academic year, stably (a year's rows keep their order), so that one
    year's rows are a slice of every column: views, not copies. Lets the per-year views of a
    table share what was computed once for all its years."""

    frame: Frame
    years: np.ndarray
    """Each row's year (sorted)."""

    @staticmethod
    def of(frame: Frame, years: np.ndarray | None = None) -> ByYear:
        """The frame's rows sorted by ``years`` (default: the frame's ``year`` column)."""
        years = frame["year"] if years is None else years
        order = np.argsort(years, kind="stable")
        return ByYear(frame.take(order), years[order])

    def rows(self, year: int) -> slice:
        """Position of the year's rows."""
        start, stop = np.searchsorted(self.years, (year, year + 1))
        return slice(int(start), int(stop))

    def year(self, year: int) -> Frame:
        """The year's rows."""
        return self.frame.take(self.rows(year))
