"""``CHECKSUM_AGG(x)``: the exclusive or of a group's integers, NULLs left out (NULL for none).

Scripts compare it between two runs to tell whether a table or a group changed
(``SELECT CHECKSUM_AGG(CHECKSUM(pmr, TaxYear)) FROM #cohort``; ``CHECKSUM`` itself is
``value_hashes``'). DuckDB and PostgreSQL have the aggregate as ``BIT_XOR``; SQLite has none,
so it is an aggregate of the session there (``sqlite_functions``). ``DISTINCT`` stays as
written. The exclusive or of 32-bit integers is one, so the value fits SQL Server's ``int``.
"""

from __future__ import annotations

from sqlglot import exp

NAME = "CHECKSUM_AGG"
SQLITE_NAME = "LEO_CHECKSUM_AGG"


class ExclusiveOr:
    """SQLite's ``LEO_CHECKSUM_AGG``: the exclusive or of the integers stepped."""

    def __init__(self) -> None:
        self.value: int | None = None

    def step(self, value: object) -> None:
        if value is not None:
            number = int(value)  # type: ignore[call-overload]
            self.value = number if self.value is None else self.value ^ number

    def finalize(self) -> int | None:
        return self.value


def for_target(tree: exp.Expression, dialect: str) -> exp.Expression:
    """The tree with each CHECKSUM_AGG as the target's aggregate."""
    name = SQLITE_NAME if dialect == "sqlite" else "BIT_XOR"
    for node in list(tree.find_all(exp.Anonymous)):
        if node.name.upper() == NAME and len(node.expressions) == 1:
            node.set("this", name)
    return tree
