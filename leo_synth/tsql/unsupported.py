"""What cannot be translated, found in the tokens before anything runs.

leo-synth runs a script statement by statement on engines without T-SQL's procedural layer
(``IF``, ``WHILE``, ``TRY``, ``RAISERROR``, transactions, cursors, dynamic SQL, stored
procedures and functions it walks itself: ``blocks``), so session counters other than those
the runner keeps (``COUNTERS``) and a few constructs none of the targets share (triggers,
``GOTO``) are refused with one line naming the construct and its line; so is other dialects'
SQL that the targets would run and SQL Server would not (``LIMIT``, ``||``, ``::``,
``ILIKE``, ``TRUE``, ``CURRENT_DATE``, ``NULLS LAST``: ``NOT_TSQL``; ``DATE '2015-04-06'``;
``CAST(x AS STRING)``; ``NOW()``, ``SUBSTR()``, ``IFNULL()``: ``NOT_TSQL_FUNCTIONS``;
``DATEDIFF('day', a, b)``, ``ISNULL(a, b, c)``, ``COUNT(DISTINCT a, b)``, ``INTERVAL '1
day'``, ``CREATE TEMP TABLE``; the forms a statement's tree shows are ``dialect_habits``').
Strings, bracketed names and comments never match (the tokenizer has already told them
apart).
"""

from __future__ import annotations

from sqlglot.tokens import Token, TokenType

from leo_synth.tsql.errors import ScriptError

REFUSED = {
    "GOTO": "GOTO cannot be translated",
    "TRIGGER": "triggers cannot be translated",
    "OPENROWSET": "OPENROWSET cannot be translated",
    "OPENQUERY": "OPENQUERY cannot be translated",
    "BULK": "BULK INSERT cannot be translated",
    "WAITFOR": "WAITFOR cannot be translated",
    **{word: f"{word} cannot be translated: {what}" for word, what in {
        "DATETIMEOFFSET": "no target holds a date and time with its offset from UTC",
        "SWITCHOFFSET": "no target holds a DATETIMEOFFSET",
        "TODATETIMEOFFSET": "no target holds a DATETIMEOFFSET",
        "SYSDATETIMEOFFSET": "no target holds a DATETIMEOFFSET (GETDATE() is the time)",
    }.items()},
}

NOT_TSQL = {
    TokenType.LIMIT: "Incorrect syntax near 'LIMIT': T-SQL chooses rows with SELECT TOP (n) "
                     "or ORDER BY ... OFFSET ... FETCH",
    TokenType.DPIPE: "Incorrect syntax near '|': T-SQL joins text with + or CONCAT(...)",
    TokenType.DCOLON: "Incorrect syntax near '::': T-SQL casts with CAST(x AS type)",
    TokenType.ILIKE: "Incorrect syntax near 'ILIKE': T-SQL's LIKE ignores case already",
    TokenType.TRUE: "Invalid column name 'TRUE': T-SQL has no TRUE or FALSE (write 1 and 0)",
    TokenType.FALSE: "Invalid column name 'FALSE': T-SQL has no TRUE or FALSE (write 1 and 0)",
    TokenType.CURRENT_DATE: "Invalid column name 'CURRENT_DATE': T-SQL has CAST(GETDATE() AS "
                            "DATE)",
}
"""Other dialects' SQL that sqlglot reads as T-SQL and every target runs, but SQL Server does
not: a script that used it passed here and failed in the SRS."""
NOT_TSQL_FUNCTIONS = {
    "NOW": "GETDATE()", "SUBSTR": "SUBSTRING(x, start, length)", "LENGTH": "LEN(x)",
    "IFNULL": "ISNULL(x, y)", "NVL": "ISNULL(x, y)", "STRFTIME": "FORMAT(d, 'yyyy-MM') or YEAR(d)",
    "INSTR": "CHARINDEX(find, x)", "STRPOS": "CHARINDEX(find, x)",
    "POSITION": "CHARINDEX(find, x)", "TO_CHAR": "FORMAT(x, format) or CONVERT(VARCHAR, x, style)",
    "TO_DATE": "CONVERT(DATE, x, style)", "DATE": "CAST(x AS DATE)",
    "DATE_PART": "DATEPART(part, d)", "EXTRACT": "DATEPART(part, d)",
    "DATE_TRUNC": "DATEFROMPARTS(YEAR(d), MONTH(d), 1)", "JULIANDAY": "DATEDIFF(day, a, b)",
    "GROUP_CONCAT": "STRING_AGG(x, ',')", "LISTAGG": "STRING_AGG(x, ',')",
    "ARRAY_AGG": "STRING_AGG(x, ',')", "SPLIT_PART": "STRING_SPLIT(x, ',', 1) or PARSENAME",
    "MEDIAN": "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY x) OVER ()",
    "MOD": "the % operator", "POW": "POWER(x, y)", "LN": "LOG(x)", "CEIL": "CEILING(x)",
    "TRUNC": "ROUND(x, 0, 1)", "RANDOM": "RAND() or NEWID()",
    "REGEXP_LIKE": "LIKE or PATINDEX", "REGEXP_REPLACE": "REPLACE", "REGEXP_MATCHES": "LIKE",
    "REGEXP_SUBSTR": "SUBSTRING with PATINDEX",
    "NTH_VALUE": "ROW_NUMBER() OVER (...) = n, or LAG/LEAD", "FIRST": "MIN(x) or FIRST_VALUE",
    "LAST": "MAX(x) or LAST_VALUE", "ANY_VALUE": "MIN(x) or MAX(x)",
    "ARG_MAX": "ROW_NUMBER() OVER (ORDER BY y DESC) = 1", "MAX_BY": "ROW_NUMBER() OVER (...) = 1",
    "ARG_MIN": "ROW_NUMBER() OVER (ORDER BY y) = 1", "MIN_BY": "ROW_NUMBER() OVER (...) = 1",
    "MODE": "the most frequent value by COUNT(*) and ROW_NUMBER()",
    "STDDEV": "STDEV(x)", "STDDEV_SAMP": "STDEV(x)", "STDDEV_POP": "STDEVP(x)",
    "VARIANCE": "VAR(x)", "VAR_SAMP": "VAR(x)", "VAR_POP": "VARP(x)",
    "CORR": "the correlation from SUM and COUNT", "COVAR_POP": "SUM and COUNT",
    "COVAR_SAMP": "SUM and COUNT", "BOOL_AND": "MIN(CASE WHEN ... THEN 1 ELSE 0 END)",
    "BOOL_OR": "MAX(CASE WHEN ... THEN 1 ELSE 0 END)",
    "COUNTIF": "SUM(CASE WHEN ... THEN 1 ELSE 0 END)",
    "LPAD": "RIGHT(REPLICATE('0', n) + x, n)", "RPAD": "LEFT(x + REPLICATE(' ', n), n)",
    "INITCAP": "UPPER(LEFT(x, 1)) + LOWER(SUBSTRING(x, 2, LEN(x)))", "UCASE": "UPPER(x)",
    "LCASE": "LOWER(x)", "BTRIM": "TRIM(x)", "CHR": "CHAR(n)", "ORD": "ASCII(x)",
    "SUBSTRING_INDEX": "LEFT(x, CHARINDEX(',', x) - 1)", "SPLIT": "STRING_SPLIT(x, ',')",
    "STRING_TO_ARRAY": "STRING_SPLIT(x, ',')", "NVL2": "IIF(x IS NULL, b, a)",
    "DECODE": "CASE x WHEN ... THEN ... END", "ZEROIFNULL": "ISNULL(x, 0)",
    "LOG2": "LOG(x, 2)", "CBRT": "POWER(x, 1.0 / 3)", "ATAN2": "ATN2(y, x)",
    "MD5": "HASHBYTES('MD5', x)", "TO_NUMBER": "CAST(x AS DECIMAL(p, s))",
    "TO_TIMESTAMP": "CONVERT(DATETIME, x, style)", "DATE_FORMAT": "FORMAT(d, 'yyyy-MM')",
    "DAYOFWEEK": "DATEPART(weekday, d)", "DAYNAME": "DATENAME(weekday, d)",
    "MONTHNAME": "DATENAME(month, d)", "WEEKOFYEAR": "DATEPART(week, d)",
    "QUARTER": "DATEPART(quarter, d)", "HOUR": "DATEPART(hour, d)",
    "MINUTE": "DATEPART(minute, d)", "SECOND": "DATEPART(second, d)",
    "EPOCH": "DATEDIFF_BIG(second, '1970-01-01', d)", "LAST_DAY": "EOMONTH(d)",
    "ADD_MONTHS": "DATEADD(month, n, d)", "DATE_ADD": "DATEADD(day, n, d)",
    "DATE_SUB": "DATEADD(day, -n, d)", "DATE_DIFF": "DATEDIFF(day, a, b)",
    "TIMESTAMPDIFF": "DATEDIFF(day, a, b)", "AGE": "DATEDIFF(year, a, b)",
    "DATE_BUCKET": "DATEADD(day, DATEDIFF(day, 0, d) / 7 * 7, 0) for its weeks (DATE_BUCKET "
                   "came with SQL Server 2022; the SRS runs 2019)",
    "APPROX_PERCENTILE_CONT": "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY x) OVER "
                              "(PARTITION BY g) (APPROX_PERCENTILE_CONT came with SQL Server "
                              "2022; the SRS runs 2019)",
    "APPROX_PERCENTILE_DISC": "PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY x) OVER "
                              "(PARTITION BY g) (APPROX_PERCENTILE_DISC came with SQL Server "
                              "2022; the SRS runs 2019)",
}
"""Other dialects' functions SQL Server does not know, and what T-SQL writes instead (a
function the script defines is named with its schema, ``dbo.length(x)``, and not refused);
also SQL Server 2022's ``DATE_BUCKET`` and ``APPROX_PERCENTILE_CONT``/``_DISC``, which the
SRS's SQL Server 2019 does not know (DuckDB ran ``DATE_BUCKET``; the percentiles, grouped,
stopped with SQL Server's error for a column not grouped, misleading)."""

TYPED_LITERALS = {"DATE", "TIMESTAMP", "TIME", "DATETIME"}
"""Types other dialects write before a literal (``DATE '2015-04-06'``), which SQL Server
reads as a column's name and an alias, or refuses: sqlglot read a typed literal, and every
target ran it."""

DATE_PART_FUNCTIONS = {"DATEADD", "DATEDIFF", "DATEDIFF_BIG", "DATEPART", "DATENAME",
                       "DATETRUNC"}
"""The functions whose first argument is a date part, a keyword: quoted (``DATEDIFF('day',
a, b)``, as other dialects write it) it is SQL Server's error 1023, where every target read
it as the keyword."""
TWO_ARGUMENTS = "The isnull function requires 2 argument(s)."
"""SQL Server's error 174 for ``ISNULL(a, b, c)`` (the targets took it for ``COALESCE``)."""

SEQUENCES = ("sequences (CREATE SEQUENCE, NEXT VALUE FOR) cannot be translated: number rows "
             "with ROW_NUMBER() OVER (ORDER BY ...), or give a #temp table an IDENTITY column")
"""``CREATE SEQUENCE s`` and ``NEXT VALUE FOR s``: sqlglot could not read the first ("Expected
CTE to have alias"), and the targets number a sequence each their own way; the two T-SQL
ways of numbering rows that every target runs are named instead."""
TIME_ZONES = ("AT TIME ZONE cannot be translated: the targets know no Windows time zones "
              "('GMT Standard Time', UK time with BST) and hold no DATETIMEOFFSET")
"""``d AT TIME ZONE 'GMT Standard Time'``: SQL Server's Windows names of time zones, which no
target knows, give a ``DATETIMEOFFSET``, which no target holds as SQL Server does (SQLite
kept the year alone, PostgreSQL showed UTC, DuckDB stopped), so it and the functions of that
type (:data:`REFUSED`) stop the script before it runs."""

COUNTERS = {"ROWCOUNT", "FETCH_STATUS", "CURSOR_ROWS", "ERROR", "TRANCOUNT", "DATEFIRST",
            "LANGUAGE", "VERSION", "SERVERNAME", "SPID", "IDENTITY"}
"""The session counters a script may read (``runner``)."""


def _is_word(token: Token) -> bool:
    return token.token_type not in (TokenType.STRING, TokenType.IDENTIFIER,
                                    TokenType.NATIONAL_STRING)


def _commas(found: list[Token], opening: int) -> int:
    """The commas between the arguments of the call whose ``(`` is ``found[opening]`` (those
    inside its own parentheses not counted)."""
    depth = commas = 0
    for token in found[opening:]:
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
            if not depth:
                break
        elif token.token_type == TokenType.COMMA and depth == 1:
            commas += 1
    return commas


def _calls(found: list[Token], i: int, names: set[str] | frozenset[str]) -> bool:
    """Whether ``found[i]`` calls one of the built-in functions ``names`` (a word followed
    by ``(``, not a schema's own function: ``dbo.x(...)``)."""
    return _is_word(found[i]) and found[i].text.upper() in names and i + 1 < len(found) and (
        found[i + 1].token_type == TokenType.L_PAREN) and not (
        i and found[i - 1].token_type == TokenType.DOT)


def _arguments_checked(found: list[Token], i: int) -> None:
    """SQL Server's errors for a built-in function's arguments that every target took: a
    quoted date part (1023), ``ISNULL`` of three (174), ``COUNT(DISTINCT a, b)`` (102)."""
    token, word = found[i], found[i].text.upper()
    if _calls(found, i, DATE_PART_FUNCTIONS) and i + 2 < len(found) and found[i + 2].token_type in (
            TokenType.STRING, TokenType.NATIONAL_STRING):
        raise ScriptError(token.line, f"Invalid parameter 1 specified for {word.lower()}.")
    if _calls(found, i, {"ISNULL"}) and _commas(found, i + 1) != 1:
        raise ScriptError(token.line, TWO_ARGUMENTS)
    if _calls(found, i, {"COUNT", "COUNT_BIG"}) and i + 2 < len(found) and (
            found[i + 2].token_type == TokenType.DISTINCT) and _commas(found, i + 1):
        raise ScriptError(token.line, "Incorrect syntax near ','. (COUNT(DISTINCT ...) takes "
                          "one expression: count the DISTINCT rows of a subquery)")


def _cast_type(found: list[Token], i: int) -> bool:
    """Whether token ``i`` is the type of a ``CAST`` or ``TRY_CAST`` (``CAST(x AS STRING)``,
    not a column's alias ``AS string``): after its ``AS``, at the depth of its bracket."""
    if not i or found[i - 1].token_type != TokenType.ALIAS:
        return False
    depth = 0
    for j in range(i - 1, 0, -1):
        kind = found[j].token_type
        if kind == TokenType.R_PAREN:
            depth += 1
        elif kind == TokenType.L_PAREN:
            if not depth:
                return found[j - 1].text.upper() in ("CAST", "TRY_CAST")
            depth -= 1
    return False


def check(found: list[Token]) -> None:
    """Raise a :class:`ScriptError` for the first construct that cannot be translated."""
    for i, token in enumerate(found):
        word = token.text.upper()
        if (token.token_type == TokenType.PARAMETER and i + 1 < len(found)
                and found[i + 1].token_type == TokenType.PARAMETER):
            name = found[i + 2].text.upper() if i + 2 < len(found) else ""
            if name not in COUNTERS:
                raise ScriptError(token.line, f"@@{name} (a session counter) cannot be "
                                  f"translated")
        _arguments_checked(found, i)
        if token.token_type == TokenType.INTERVAL and i + 1 < len(found) and (
                found[i + 1].token_type == TokenType.STRING):  # (interval alone is a name)
            raise ScriptError(token.line, "Incorrect syntax near 'INTERVAL': T-SQL adds to a "
                              "date with DATEADD(day, 1, d)")
        if word == "CREATE" and i + 1 < len(found) and found[i + 1].text.upper() in (
                "TEMP", "TEMPORARY"):
            raise ScriptError(token.line, f"Incorrect syntax near '{found[i + 1].text}': "
                              "T-SQL's temporary tables are named #t (CREATE TABLE #t ...)")
        if _is_word(token) and word in REFUSED:
            raise ScriptError(token.line, REFUSED[word])
        if _is_word(token) and ((word in ("CREATE", "ALTER", "DROP") and [
                t.text.upper() for t in found[i + 1:i + 2]] == ["SEQUENCE"]) or (word == (
                "NEXT") and [t.text.upper() for t in found[i + 1:i + 3]] == ["VALUE", "FOR"])):
            raise ScriptError(token.line, SEQUENCES)
        if word == "AT" and _is_word(token) and [t.text.upper() for t in found[i + 1:i + 3]] == [
                "TIME", "ZONE"]:
            raise ScriptError(token.line, TIME_ZONES)
        if token.token_type in NOT_TSQL:
            raise ScriptError(token.line, NOT_TSQL[token.token_type])
        if _is_word(token) and word in NOT_TSQL_FUNCTIONS and i + 1 < len(found) and (
                found[i + 1].token_type == TokenType.L_PAREN) and not (
                i and (found[i - 1].token_type == TokenType.DOT
                       or found[i - 1].text.upper() == "FETCH")):  # (FETCH FIRST (n) ROWS)
            raise ScriptError(token.line, f"'{token.text}' is not a recognized built-in "
                              f"function name: T-SQL has {NOT_TSQL_FUNCTIONS[word]}")
        if token.token_type == TokenType.TEXT and word == "STRING" and _cast_type(found, i):
            raise ScriptError(token.line, "Type STRING is not a defined system type. (T-SQL's "
                              "text is VARCHAR(n))")
        if word in TYPED_LITERALS and _is_word(token) and i + 1 < len(found) and (
                found[i + 1].token_type == TokenType.STRING):  # (DATE '2015-04-06')
            value = found[i + 1].text
            raise ScriptError(token.line, f"Incorrect syntax near '{value}': T-SQL has no "
                              f"typed literals (write '{value}', or CAST('{value}' AS {word}))")
        if _is_word(token) and word == "NULLS" and i + 1 < len(found) and (
                found[i + 1].text.upper() in ("FIRST", "LAST")):
            raise ScriptError(token.line, "Incorrect syntax near 'NULLS': T-SQL sorts NULLs "
                              "first in ascending order; ORDER BY CASE WHEN x IS NULL THEN 1 "
                              "ELSE 0 END, x puts them last")
        if _is_word(token) and word == "STRING_AGG" and [t.token_type for t in found[
                i + 1:i + 3]] == [TokenType.L_PAREN, TokenType.DISTINCT]:
            raise ScriptError(token.line, "Incorrect syntax near the keyword 'DISTINCT': "
                              "STRING_AGG takes no DISTINCT in T-SQL; aggregate the DISTINCT "
                              "values of a subquery")
        if word in ("CHECKSUM", "BINARY_CHECKSUM") and [t.token_type for t in found[
                i + 1:i + 4]] == [TokenType.L_PAREN, TokenType.STAR, TokenType.R_PAREN]:
            raise ScriptError(token.line, f"{word}(*) cannot be translated: name the columns, "
                              "as in CHECKSUM(pmr, TaxYear)")
