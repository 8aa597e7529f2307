"""``OBJECT_ID(name, 'U')``: the object's number only when it is of the type asked for.

Scripts test for an object before they make or read it, and many name the type they mean:
``IF OBJECT_ID('tempdb..#cohort', 'U') IS NOT NULL DROP TABLE #cohort``, ``IF
OBJECT_ID('dbo.count_year', 'P') IS NOT NULL DROP PROCEDURE dbo.count_year``. SQL Server gives
NULL when the object is of another type (its ``sys.objects.type``): the extract's relations are
views in the SRS (``'V'``), so ``OBJECT_ID('NPD_i2.2002237.spring_census_2011', 'U')`` is NULL
there, and a script that looped over the years a project holds by testing ``'U'`` found none;
here the type was not read, and it found every year. The type is compared ignoring case, as
the SRS's collation compares ``sys.objects.type``.
"""

from __future__ import annotations

from leo_synth.tsql import blocks

TABLE = "U"
"""A table: a #temp table, or one the script made in a schema of its own."""
VIEW = "V"
"""A view: the extract's relations, and the views the script made."""
PROCEDURE = "P"
SCALAR_FUNCTION = "FN"
INLINE_FUNCTION = "IF"


def routine(function: blocks.Function | None) -> str:
    """The type of a procedure (``function`` None) or of the script's function: scalar or
    inline table-valued."""
    if function is None:
        return PROCEDURE
    return SCALAR_FUNCTION if function.returns is not None else INLINE_FUNCTION


def matches(kind: str, asked: str | None) -> bool:
    """Whether an object of type ``kind`` is what ``OBJECT_ID``'s second argument asks for
    (any type when it gives none)."""
    return asked is None or asked.strip().upper() == kind
