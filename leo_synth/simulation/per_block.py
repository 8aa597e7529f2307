"""Results computed once per block and shared by several relations (census rows used by every
term's view, the periods of care read by the CLA table and the pupil census, ...).

A cached result is a typed function of the block's life courses (and of hashable arguments),
declared once where it is computed and decorated with :func:`per_block`; it is computed on first
use and kept with the block, keyed by the function itself. No string keys: two modules cannot
collide on a name, and a reader finds the computation by following the call.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


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
