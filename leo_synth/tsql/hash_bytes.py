"""``HASHBYTES('SHA2_256', x)``: a digest of the text, as SQL Server shows its ``varbinary``.

Scripts hash a pupil's reference to draw a sample that repeats (``ORDER BY HASHBYTES('MD5',
pmr)``) or to make a key of their own, and turn the bytes into text with ``CONVERT(VARCHAR(64),
HASHBYTES(...), 2)`` (hex digits) or style 1 (``0x`` and the digits). sqlglot reads
``HASHBYTES`` as its own ``MD5``/``SHA``/``SHA2``, which each target writes as lowercase hex
text (SQLite has none of them): a script's hash differed from the SRS's in case and prefix, and
its ``CONVERT`` stopped on every target. Here the digest is the text SSMS shows for the bytes,
``0x`` and uppercase hex, on every target; ``CONVERT`` with style 2 drops the ``0x``, style 1
keeps it. The text is hashed as UTF-8, which is what a ``VARCHAR`` of ASCII text (the extract's
references and codes) holds; SQL Server hashes an ``NVARCHAR`` as UTF-16 and a number as its
bytes. Other conversions of the bytes (``CAST(HASHBYTES(...) AS BIGINT)``, a ``CONVERT``
without a style) stop the script with one line, as do ``MD2`` and ``MD4``, and the digests a
target lacks (SHA-1 on PostgreSQL, SHA-512 on DuckDB).
"""

from __future__ import annotations

import hashlib

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.target_dialects import target_sql

HASHES = {"MD5": "md5", "SHA": "sha1", "SHA1": "sha1", "SHA2_256": "sha256",
          "SHA2_512": "sha512"}
"""SQL Server's algorithms that translate -> hashlib's name (SQLite's function)."""
_TARGETS = {
    "duckdb": {"md5": "MD5({x})", "sha1": "SHA1({x})", "sha256": "SHA256({x})"},
    "postgres": {"md5": "MD5({x})", "sha256": "ENCODE(SHA256(CONVERT_TO({x}, 'UTF8')), 'hex')",
                 "sha512": "ENCODE(SHA512(CONVERT_TO({x}, 'UTF8')), 'hex')"},
}
"""Each target's lowercase hex digest of the text ``{x}``."""


def hashbytes(algorithm: str | None, value: object) -> str | None:
    """SQLite's ``LEO_HASHBYTES``: ``0x`` and the uppercase hex digest of ``value``'s text."""
    if value is None or algorithm is None:
        return None
    digest = hashlib.new(algorithm, str(value).encode("utf-8")).hexdigest()
    return "0x" + digest.upper()


def _algorithm(node: exp.Expression, line: int) -> str | None:
    """hashlib's name of the digest ``node`` asks for (None: not a HASHBYTES)."""
    if isinstance(node, exp.MD5):
        return "md5"
    if isinstance(node, exp.SHA):
        return "sha1"
    if isinstance(node, exp.SHA2):
        length = node.args.get("length")
        name = f"SHA2_{length.name if length is not None else 256}"
    elif isinstance(node, exp.Anonymous) and node.name.upper() == "HASHBYTES":
        first = node.expressions[0] if node.expressions else None
        name = first.name.upper() if isinstance(first, exp.Literal) and first.is_string else ""
    else:
        return None
    if name not in HASHES:
        raise ScriptError(line, f"HASHBYTES({node.sql('tsql').split('(', 1)[-1]} cannot be "
                          "translated: its algorithm must be one of MD5, SHA1, SHA2_256 and "
                          "SHA2_512, written as text")
    return HASHES[name]


def _digest(algorithm: str, text: exp.Expression, dialect: str, line: int) -> exp.Expression:
    """``0x`` and the uppercase hex digest of ``text``, as ``dialect`` computes it."""
    as_text = exp.cast(text.copy(), exp.DataType.build("VARCHAR"))
    if dialect == "sqlite":
        return exp.Anonymous(this="LEO_HASHBYTES",
                             expressions=[exp.Literal.string(algorithm), as_text])
    pattern = _TARGETS[dialect].get(algorithm)
    if pattern is None:
        name = {"sha1": "SHA1", "sha512": "SHA2_512"}[algorithm]
        raise ScriptError(line, f"HASHBYTES('{name}', ...) cannot be translated on "
                          f"{dialect}: use MD5 or SHA2_256 (every target has them)")
    hexed = exp.maybe_parse(pattern.format(x=target_sql(as_text, dialect)), dialect=dialect)
    return exp.DPipe(this=exp.Literal.string("0x"), expression=exp.Upper(this=hexed),
                     safe=True)


def for_target(tree: exp.Expression, dialect: str, line: int) -> exp.Expression:
    """``tree`` with each ``HASHBYTES`` (and a ``CONVERT`` of one to text) as ``dialect``
    computes it."""
    for node in list(tree.find_all(exp.MD5, exp.SHA, exp.SHA2, exp.Anonymous)):
        algorithm = _algorithm(node, line)
        if algorithm is None:
            continue
        text = node.expressions[1] if isinstance(node, exp.Anonymous) else node.this
        digest = _digest(algorithm, text, dialect, line)
        parent = node.parent
        if isinstance(parent, exp.Cast | exp.TryCast | exp.Convert):
            style = parent.args.get("style") if isinstance(parent, exp.Convert) else None
            if style is None or style.name not in ("1", "2"):
                raise ScriptError(line, "HASHBYTES converted to another type cannot be "
                                  "translated: its hex digits as text are CONVERT(VARCHAR(64), "
                                  "HASHBYTES(...), 2)")
            if style.name == "2":
                digest = exp.Substring(this=digest, start=exp.Literal.number(3),
                                       length=exp.Literal.number(256))
            parent.set("style", None)
        node.replace(digest)
    return tree
