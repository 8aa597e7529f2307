"""The server's databases as a script sees them: ``sys.databases``, ``DB_ID`` and ``DB_NAME``.

A researcher new to the SRS asks which databases the project holds (``SELECT name FROM
sys.databases``) and a log header notes the one it runs in (``DB_NAME()``). SQL Server lists
its four system databases first (``master`` 1, ``tempdb`` 2, ``model`` 3, ``msdb`` 4), then
the user databases: here the SRS databases whose relations the output holds (``NPD_i2``,
``LEO_i2``, ...), as the project's access shows them.

A database's number is its place among every SRS database name the spec knows, after the
system databases, so the same database has the same number whatever an output holds
(rejected: numbering the databases held, which would change ``DB_ID('LEO_i2')`` with a
variable request). The numbers and the creation date are not the SRS's, which nobody outside
it can read; only their order and uniqueness mean anything, as in SQL Server.

Before any ``USE`` a script runs in ``master``, a login's default database (``DB_NAME()``
is never NULL in SQL Server); ``USE master`` (or another system database) goes back there.
"""

from __future__ import annotations

from functools import cache

from leo_synth.tsql import names
from leo_synth.tsql.information_schema import spec_relations

SYSTEM_DATABASES = ("master", "tempdb", "model", "msdb")
"""SQL Server's own databases, numbered 1 to 4 in this order."""
DEFAULT = "master"
"""The database a script runs in before any ``USE``."""
COLUMNS = ("name", "database_id", "create_date", "collation_name", "state_desc",
           "user_access_desc")
"""The columns of ``sys.databases`` shown (SQL Server's first ones and those scripts read;
its settings' columns are left out)."""
TEXT_COLUMNS = {"name", "create_date", "collation_name", "state_desc", "user_access_desc"}


@cache
def numbers() -> dict[str, tuple[str, int]]:
    """Every database name a script may name (lower case) -> (its spelling, its number)."""
    spellings = sorted((spelt for spelt, _ in names.srs_names().values()), key=str.lower)
    named = [*SYSTEM_DATABASES, *spellings]
    return {name.lower(): (name, number) for number, name in enumerate(named, start=1)}


def is_system(name: str) -> bool:
    """Whether ``name`` is one of SQL Server's own databases (any case)."""
    return name.lower() in SYSTEM_DATABASES


def database_id(name: str | None) -> int:
    """The number of the database a script runs in (``DB_ID()``); None: the default."""
    return numbers()[(name or DEFAULT).lower()][1]


def rows(held: list[str], created: str, collation: str) -> list[tuple]:
    """``sys.databases``' rows: the system databases, then the SRS databases of the
    relations ``held`` by the output (lower-case names), in number order."""
    shown = {name.lower() for name in SYSTEM_DATABASES}
    shown.update(srs.lower() for _, srs in spec_relations(held, None))
    return sorted(((spelt, number, created, collation, "ONLINE", "MULTI_USER")
                   for key, (spelt, number) in numbers().items() if key in shown),
                  key=lambda row: row[1])
