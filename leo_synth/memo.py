"""Memoising a function of one object by the object's identity.

Relations and schemas are built once per run and asked about again in every block, but they
are not hashable by value (and hashing them by value would cost more than the answers). So a
result is kept by ``id()`` of the argument, beside the argument itself: the argument stays
alive, so its id cannot be reused by another object and return a stale answer (the spec's
objects live for the run anyway). Rejected: ``functools.lru_cache``, which hashes by value:
the spec's dataclasses are not hashable, and hashing a relation's hundreds of columns would
cost more than most answers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

A = TypeVar("A")
R = TypeVar("R")


class IdentityMemo(Protocol[A, R]):
    """A memoised function, with its results by argument identity (``cache``)."""

    cache: dict[int, tuple[Any, Any]]

    def __call__(self, argument: A, /) -> R: ...


def by_identity(function: Callable[[A], R]) -> IdentityMemo[A, R]:
    """``function`` computed once per argument object (see the module's docstring); the
    results are in ``.cache``, keyed by ``id(argument)``."""
    cache: dict[int, tuple[Any, Any]] = {}

    @functools.wraps(function)
    def memoised(argument: A) -> R:
        kept = cache.get(id(argument))
        if kept is not None and kept[0] is argument:
            return kept[1]
        result = function(argument)
        cache[id(argument)] = (argument, result)
        return result

    memoised.cache = cache  # type: ignore[attr-defined]
    return memoised  # type: ignore[return-value]
