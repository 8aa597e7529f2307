"""Text compared with a literal as the SRS's collation compares it: ignoring case.

The SRS's databases use SQL Server's default, case-insensitive collation (``..._CI_AS``), so
``WHERE Gender_spr11 = 'f'`` finds the pupils coded ``'F'`` there. SQLite, DuckDB and
PostgreSQL compare text case by case: the same script found no pupil, without an error. So a
text value (a column that holds text wherever the script met it, or a text function's
result) compared by ``=``, ``<>``, ``IN``, a simple ``CASE x WHEN 'a' ...`` or ``NULLIF``
with string literals that have letters is compared in lower case on both sides (so is an
order, ``<``, ``>=``, ``BETWEEN``: ``Main_Section < 'c'`` keeps ``'B...'`` and not ``'D...'``, as
the collation orders letters whatever their case; the targets put every capital before
``'c'``), and so is
text searched for such a literal (``CHARINDEX('x', code)``; ``LIKE`` and ``PATINDEX`` ignore
case already: ``like_patterns``), and replaced (``REPLACE(code, 'n/a', '')`` replaces ``N/A``
too: SQLite by a function of its session, the others by a regular expression of the literal
that ignores case). Left as the target compares them, and said in the README: a
column compared with another column (``<`` too), unless both are text of the session's tables
(``padded_comparisons`` compares those ignoring case); the extract writes each code in one case
(``ORDER BY``: ``text_order``; ``GROUP BY``, ``DISTINCT``: ``text_groups``). A
case-sensitive or binary collation written in the script (``COLLATE Latin1_General_CS_AS``,
``_BIN``) keeps case.
"""

from __future__ import annotations

import re

from sqlglot import exp

from leo_synth.tsql import text_cases
from leo_synth.tsql.rewrites import is_assignment, is_text, replaced


def _has_case(node: exp.Expression) -> bool:
    """A string literal whose text changes with case (``'f'``, not ``'11'``)."""
    return (isinstance(node, exp.Literal) and node.is_string
            and node.name.lower() != node.name.upper())


def ignores_case(node: exp.Expression, texts: dict[str, bool]) -> bool:
    """Text compared ignoring case: a text column or function, or either with a collation
    that ignores case (``x COLLATE Latin1_General_CI_AS``; a ``_CS_`` or binary one, as FFT
    put on every key, ``COLLATE Latin1_General_BIN``, keeps case)."""
    if isinstance(node, exp.Collate):
        return not _keeps_case(node) and ignores_case(node.this, texts)
    return is_text(node, texts)


def _keeps_case(node: exp.Expression) -> bool:
    """Text under a collation written in the script that keeps case (``_CS_``, binary)."""
    name = node.expression.name.upper() if isinstance(node, exp.Collate) else ""
    return "_CS" in name or "BIN" in name


def _uncollated(node: exp.Expression | None) -> exp.Expression | None:
    """``node`` without a collation that ignores case written after it (``'f' COLLATE
    Latin1_General_CI_AS`` is ``'f'``, as the SRS's own collation compares it)."""
    if isinstance(node, exp.Collate) and not _keeps_case(node):
        return node.this
    return node


def _wide(literals: list[exp.Expression | None]) -> bool:
    """Whether a string literal among ``literals`` has letters beyond ASCII (``'élève'``)."""
    return any(isinstance(v, exp.Literal) and not v.name.isascii() for v in literals)


def _lower(node: exp.Expression, wide: bool = False) -> exp.Expression:
    """``node`` in lower case: a literal's text lowered here, a value by ``LOWER``, which
    lowers every letter on SQLite too (``text_cases``) when ``wide``, as a comparison with a
    literal beyond ASCII needs (SQLite's own ``LOWER`` changes ASCII letters alone)."""
    if isinstance(node, exp.Literal):
        return exp.Literal.string(node.name.lower())
    if isinstance(node, exp.Null):
        return node.copy()
    lowered = exp.Lower(this=node.copy())
    return text_cases.mark(lowered) if wide else lowered


def _literals(values: list[exp.Expression]) -> bool:
    """Whether ``values`` are all string literals (or NULL, which matches nothing: ``IN
    ('X', NULL)``) and one has letters."""
    return all((isinstance(v, exp.Literal) and v.is_string) or isinstance(v, exp.Null)
               for v in values) and any(_has_case(v) for v in values)


def _replaced_ignoring_case(node: exp.Replace, dialect: str) -> exp.Expression:
    """``REPLACE(text, 'literal', r)`` that finds the literal in any case."""
    text, found, put = node.this, node.expression, node.args.get("replacement")
    if dialect == "sqlite":
        return exp.Anonymous(this="LEO_REPLACE_CI", expressions=[text, found, put])
    # (a backslash in the replacement is read as an escape: doubled, it is itself)
    put = (exp.Literal.string(put.name.replace("\\", "\\\\")) if isinstance(put, exp.Literal)
           else exp.Replace(this=put, expression=exp.Literal.string("\\"),
                            replacement=exp.Literal.string("\\\\")))
    pattern = exp.Literal.string(re.escape(found.name))  # (as like_patterns escapes)
    return exp.Anonymous(this="REGEXP_REPLACE", expressions=[
        text, pattern, put, exp.Literal.string("gi")])


def for_target(tree: exp.Expression, texts: dict[str, bool], dialect: str) -> exp.Expression:
    """The tree with text compared with lettered string literals in lower case."""
    # (first: a comparison below copies what it compares)
    for node in list(tree.find_all(exp.Replace)):
        # REPLACE(code, 'n/a', '') replaces 'N/A' too (a collation that keeps case aside)
        if _has_case(node.expression) and node.args.get("replacement") is not None and (
                not _keeps_case(node.this)):
            tree = replaced(tree, node, _replaced_ignoring_case(node, dialect))
    for node in list(tree.find_all(exp.EQ, exp.NEQ, exp.LT, exp.LTE, exp.GT, exp.GTE,
                                   exp.Between, exp.In, exp.Case, exp.StrPosition,
                                   exp.Nullif)):
        if is_assignment(node):
            continue  # UPDATE ... SET code = 'X': an assignment, not a comparison
        if isinstance(node, exp.Nullif):
            # NULLIF(code, 'na') is NULL for 'NA' too: the value kept as it is otherwise
            value, literal = node.this, node.expression
            if _has_case(literal) and ignores_case(value, texts):
                equal = exp.EQ(this=_lower(value, _wide([literal])),
                               expression=_lower(literal))
                tree = replaced(tree, node, exp.Case(
                    ifs=[exp.If(this=equal, true=exp.Null())], default=value.copy()))
        elif isinstance(node, exp.StrPosition):
            # CHARINDEX('x', code) finds 'X' (lower case keeps every position of ASCII text)
            needle = node.args.get("substr")
            if _has_case(needle) and ignores_case(node.this, texts):
                node.set("substr", _lower(needle))
                node.set("this", _lower(node.this, _wide([needle])))
        elif isinstance(node, exp.Between):
            # code BETWEEN 'a' AND 'm': every side lower case, when a bound has letters
            low, high = _uncollated(node.args.get("low")), _uncollated(node.args.get("high"))
            if _literals([low, high]) and ignores_case(node.this, texts):
                node.set("this", _lower(node.this, _wide([low, high])))
                node.set("low", _lower(low))
                node.set("high", _lower(high))
        elif isinstance(node, exp.In):
            if node.args.get("query") is None and ignores_case(node.this, texts) and _literals(
                    node.expressions):
                node.set("this", _lower(node.this, _wide(node.expressions)))
                node.set("expressions", [_lower(v) for v in node.expressions])
        elif isinstance(node, exp.Case):
            subject = node.this
            ifs = node.args.get("ifs") or []
            if subject is not None and ignores_case(subject, texts) and _literals(
                    [i.this for i in ifs]):
                node.set("this", _lower(subject, _wide([i.this for i in ifs])))
                for branch in ifs:
                    branch.set("this", _lower(branch.this))
        else:
            for side, other in (("this", "expression"), ("expression", "this")):
                literal, value = _uncollated(node.args.get(side)), node.args.get(other)
                if _has_case(literal) and value is not None and ignores_case(value, texts):
                    node.set(side, _lower(literal))
                    node.set(other, _lower(value, _wide([literal])))
                    break
    return tree
