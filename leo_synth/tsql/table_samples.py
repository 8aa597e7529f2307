"""``FROM t TABLESAMPLE (10 PERCENT)`` and ``(1000 ROWS)``: a random sample on every target.

Researchers develop a script on a sample of a large relation (``FROM [NPD_i2].[p].[ks4_2014]
AS k TABLESAMPLE (1 PERCENT)``). SQLite dropped the clause (the whole table was read),
PostgreSQL refused it (no sampling method named, and the extract's relations may be views),
DuckDB took it. SQL Server samples whole pages, so its sample is random in size as well as in
rows; here each row is kept with the given chance (``n PERCENT``), or the table's rows are
shuffled and n taken (``n ROWS``). ``REPEATABLE (seed)`` is accepted, but the sample differs
from run to run (no target repeats SQL Server's pages).
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError


def _chance(percent: exp.Expression) -> exp.Expression:
    """A condition true for a random ``percent`` of the rows: ``RAND()``, which the later
    rewrites make a fraction on every target (``value_hashes.rand``)."""
    return exp.LT(this=exp.Rand(), expression=exp.Div(
        this=exp.Paren(this=percent.copy()), expression=exp.Literal.number("100.0")))


def _sampled(table: exp.Table, sample: exp.TableSample, line: int) -> exp.Subquery:
    plain = table.copy()
    plain.set("sample", None)
    plain.set("alias", None)
    name = table.alias_or_name
    if sample.args.get("percent") is not None:
        query = exp.select("*").from_(plain).where(_chance(sample.args["percent"]))
    elif sample.args.get("size") is not None:
        query = exp.select("*").from_(plain).order_by(exp.Rand()).limit(
            sample.args["size"].copy())
    else:
        raise ScriptError(line, "TABLESAMPLE needs (n PERCENT) or (n ROWS)")
    return exp.Subquery(this=query, alias=exp.TableAlias(this=exp.to_identifier(name)))


def for_target(tree: exp.Expression, line: int) -> exp.Expression:
    """The tree with each sampled table read through a sampling subquery."""
    for table in list(tree.find_all(exp.Table)):
        sample = table.args.get("sample")
        if isinstance(sample, exp.TableSample):
            table.replace(_sampled(table, sample, line))
    return tree
