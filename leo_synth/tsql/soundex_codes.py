"""``SOUNDEX`` and ``DIFFERENCE`` as SQL Server computes them, on every target.

SQL Server's ``SOUNDEX`` (database compatibility level 110 and above, the SRS's) is American
Soundex: the first letter upper-cased, then the digits of the consonants that follow
(``BFPV`` 1, ``CGJKQSXZ`` 2, ``DT`` 3, ``L`` 4, ``MN`` 5, ``R`` 6), padded with zeros or cut
to four characters: ``SOUNDEX('Robert')`` is ``R163``. Letters of one digit side by side are
written once, the first letter counted among them (``Tymczak`` is ``T522``); a vowel (or
``Y``) between them makes them two, but an ``H`` or ``W`` does not (``Ashcraft`` is ``A261``,
where implementations that let ``H`` separate give ``A226``). ``DIFFERENCE(a, b)`` is the
number of the four places at which the two codes agree, 0 to 4 (``DIFFERENCE('Green',
'Greene')`` is 4). SQLite had no ``DIFFERENCE`` (and its ``SOUNDEX``, when built in, lets
``H`` separate), DuckDB and PostgreSQL neither function (PostgreSQL's ``fuzzystrmatch`` is an
extension a server may not have). So both are the run's own functions: Python's
(:func:`soundex`, :func:`difference`) on SQLite and DuckDB, and on PostgreSQL session
functions (:data:`POSTGRES_SETUP`) that compute the same. Characters other than the letters
A to Z are left out of the code; NULL gives NULL.
"""

from __future__ import annotations

from sqlglot import exp

_DIGITS = {letter: digit for digit, letters in (("1", "BFPV"), ("2", "CGJKQSXZ"), ("3", "DT"),
                                                ("4", "L"), ("5", "MN"), ("6", "R"))
           for letter in letters}
"""Each consonant's digit; the vowels, ``H``, ``W`` and ``Y`` have none."""
UNSEPARATING = "HW"
"""The letters without a digit that do not separate two letters of one digit."""
_POSTGRES_DIGITS = ("translate(c, 'AEIOUYHWBFPVCGJKQSXZDTLMNR', "
                    "'00000000111122222222334556')")
POSTGRES_SETUP = (
    "CREATE FUNCTION pg_temp.leo_soundex(t text) RETURNS text LANGUAGE plpgsql IMMUTABLE "
    "STRICT AS $$ DECLARE s text := upper(regexp_replace(t, '[^A-Za-z]', '', 'g')); "
    "code text; last text; d text; c text; "
    "BEGIN IF s = '' THEN RETURN ''; END IF; "
    f"c := substr(s, 1, 1); code := c; last := {_POSTGRES_DIGITS}; "
    "FOR i IN 2..length(s) LOOP EXIT WHEN length(code) = 4; c := substr(s, i, 1); "
    f"CONTINUE WHEN c IN ('H', 'W'); d := {_POSTGRES_DIGITS}; "
    "IF d = '0' THEN last := ''; CONTINUE; END IF; "
    "IF d <> last THEN code := code || d; END IF; last := d; END LOOP; "
    "RETURN rpad(code, 4, '0'); END $$",
    "CREATE FUNCTION pg_temp.leo_difference(a text, b text) RETURNS integer LANGUAGE sql "
    "IMMUTABLE STRICT AS $$ SELECT count(*)::integer FROM generate_series(1, 4) i, "
    "(SELECT pg_temp.leo_soundex(a) AS x, pg_temp.leo_soundex(b) AS y) codes "
    "WHERE substr(x, i, 1) <> '' AND substr(x, i, 1) = substr(y, i, 1) $$",
)
"""``pg_temp.leo_soundex(t)`` and ``pg_temp.leo_difference(a, b)``: :func:`soundex` and
:func:`difference` in PostgreSQL."""


def soundex(text: object) -> str | None:
    """SQL Server's ``SOUNDEX`` of ``text`` (see the module's docstring)."""
    if text is None:
        return None
    letters = [c.upper() for c in str(text) if c.isascii() and c.isalpha()]
    if not letters:
        return ""
    code, last = letters[0], _DIGITS.get(letters[0], "")
    for letter in letters[1:]:
        if len(code) == 4:
            break
        if letter in UNSEPARATING:
            continue
        digit = _DIGITS.get(letter, "")
        if digit and digit != last:
            code += digit
        last = digit
    return code.ljust(4, "0")


def difference(first: object, second: object) -> int | None:
    """SQL Server's ``DIFFERENCE``: the places at which the two texts' codes agree."""
    codes = soundex(first), soundex(second)
    if codes[0] is None or codes[1] is None:
        return None
    return sum(a == b for a, b in zip(codes[0], codes[1], strict=False))


def for_target(tree: exp.Expression, dialect: str) -> tuple[exp.Expression, bool]:
    """The tree with ``SOUNDEX`` and ``DIFFERENCE`` calling the run's functions, and whether
    it calls them (PostgreSQL's are then made first)."""
    found = False
    for node in reversed(list(tree.find_all(exp.Soundex, exp.Anonymous))):  # (inner first)
        if isinstance(node, exp.Soundex):
            name, arguments = "soundex", [node.this]
        elif node.name.upper() == "DIFFERENCE" and len(node.expressions) == 2:
            name, arguments = "difference", node.expressions
        else:
            continue
        called = f"pg_temp.leo_{name}" if dialect == "postgres" else f"LEO_{name.upper()}"
        replacement = exp.Anonymous(this=called, expressions=[a.copy() for a in arguments])
        if node is tree:
            tree = replacement
        else:
            node.replace(replacement)
        found = True
    return tree, found
