"""Results computed once per block and shared by several relations (census rows used by every
term's view, the periods of care read by the CLA table and the pupil census, ...).

A cached result is a typed function of the block's life courses (and of hashable arguments),
declared once where it is computed and decorated with :func:`per_block`; it is computed on first
use and kept with the block, keyed by the function itself. No string keys: two modules cannot
collide on a name, and a reader finds the computation by following the call.

A result that only some builders read (a table's rows of every year, read by its views alone)
is marked :func:`read_only_by` them, and dropped once the block has built their last relation
(:func:`release_points`): a block's later results reuse its memory rather than fault in new
pages (the census and absence rows: about 80 MB of a 5,000-person block). A result read by
another builder after all is computed again, the same (it draws from keyed streams alone):
slower, never different.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Sequence
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

P = ParamSpec("P")
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


class HasResults(Protocol):
    """What a cached function needs of the block: the store of its results."""

    results: dict[tuple[Callable[..., Any], tuple[Hashable, ...]], Any]


def per_block(compute: Callable[Concatenate[Any, P], T]) -> Callable[Concatenate[Any, P], T]:
    """Compute ``compute(life, *args)`` once per block and argument tuple, then reuse it."""

    @functools.wraps(compute)
    def cached(life: HasResults, *args: P.args, **kwargs: P.kwargs) -> T:
        assert not kwargs, "per-block results take positional arguments only"
        key = (cached, args)
        if key not in life.results:
            life.results[key] = compute(life, *args)
        return life.results[key]

    return cached


READ_ONLY_BY: dict[Callable[..., Any], frozenset[str]] = {}
"""Per cached function marked :func:`read_only_by`: the builders that read its results."""


def read_only_by(*builders: str) -> Callable[[F], F]:
    """Mark a :func:`per_block` function whose results only ``builders`` read (directly or
    through other such functions), so a block drops them after those builders' last
    relation (see the module's docstring). Put it above ``@per_block``."""

    def mark(cached: F) -> F:
        READ_ONLY_BY[cached] = frozenset(builders)
        return cached

    return mark


def release_points(builders: Sequence[str]) -> dict[int, list[Callable[..., Any]]]:
    """For a block building relations of ``builders`` in this order: after which position
    each marked function's results are read no more (functions none of whose builders the
    block builds are never computed, so not listed)."""
    last = {name: position for position, name in enumerate(builders)}
    points: dict[int, list[Callable[..., Any]]] = {}
    for cached, readers in READ_ONLY_BY.items():
        positions = [last[name] for name in readers if name in last]
        if positions:
            points.setdefault(max(positions), []).append(cached)
    return points


def release(life: HasResults, functions: list[Callable[..., Any]]) -> None:
    """Drop the block's results of ``functions`` (any arguments)."""
    for key in [key for key in life.results if key[0] in functions]:
        del life.results[key]
