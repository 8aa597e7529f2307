"""Variable requests: generate only the tables and variables an approved SRS project receives.

Researchers apply for LEO by ticking variables on the variable request form (VRF); the project
then receives only those tables and variables. A request file says the same in YAML::

    tables:
      school_census: default                 # only the default items
      ks4_pupil: [KS4_ATT8, KS4_FSM6]        # default items plus these by-request items
      leo_employment: all                    # every variable

Per table, the value is ``default`` (columns whose spec ``request`` is ``default`` or unset;
an empty value or ``[]`` means the same), ``all`` (every column) or a list of variables (the
default items plus those listed). A table with a view per year may instead take a mapping
that also names the years, as the VRF asks "which variables and years are required"::

      school_census: {variables: [Gender], years: 2010/11 to 2015/16}

and keeps only those years' views (:mod:`leo_synth.request_years` reads the years). Key
columns (``key:`` set), primary-key columns and columns that reference another table are
always kept, so every relation stays joinable, and the three linkage lookups (builder
``linkage.*``) are always included. See :func:`resolve_table` and
:func:`variable_names` for how table and variable names are matched.

:func:`load_request` validates a file against the catalog, reporting every problem at once;
:meth:`Request.select` narrows the planned relations (``generate(config, select=...)``);
:func:`render_template` writes a request listing every table and variable.
"""

from __future__ import annotations

import difflib
import json
import re
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from leo_synth.errors import LeoSynthError, did_you_mean
from leo_synth.request_years import describe, parse_years
from leo_synth.spec.loader import read_yaml
from leo_synth.spec.model import Catalog, ColumnSpec, Relation, TableSpec, expand_table, substitute

REQUEST_KEYS = ("tables",)
"""Top-level keys of a request file."""
TABLE_KEYS = ("variables", "years")
"""Keys of a table's entry written as a mapping."""
MODES = ("default", "all")
LINKAGE_PREFIX = "linkage."
"""Tables whose builder starts with this are the linkage lookups, always included."""


class RequestError(LeoSynthError):
    """A request file has problems; ``problems`` lists every one of them."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        head = f"{len(problems)} problem(s) in the request {source}"
        super().__init__(head + ":\n" + "\n".join(f"  - {p}" for p in problems))


@dataclass(frozen=True)
class TableSelection:
    """What a request takes from one table template."""

    table: str
    """The template name (``TableSpec.name``)."""
    mode: str
    """``default``, ``all`` or ``list`` (default items plus ``requested``)."""
    columns: frozenset[str]
    """Spec names of the template columns kept (including the always-kept ones)."""
    requested: tuple[str, ...] = ()
    """Spec names of the variables listed in the file, in file order."""
    listed: bool = True
    """False for a linkage lookup included although the file does not name it."""
    years: frozenset[int] | None = None
    """Start years of the per-year views kept (``years:`` in the file); None keeps all."""


@dataclass(frozen=True)
class Request:
    """A validated variable request: the tables and, per table, the columns to produce."""

    tables: tuple[TableSelection, ...]
    source: str = "<request>"

    @property
    def table_names(self) -> tuple[str, ...]:
        return tuple(sel.table for sel in self.tables)

    def table(self, name: str) -> TableSelection:
        for sel in self.tables:
            if sel.table == name:
                return sel
        raise KeyError(name)

    def select(self, relations: list[Relation]) -> list[Relation]:
        """The requested relations, each with only its requested columns (order kept).

        Relations of tables the request does not name are dropped, and so are per-year views of
        years it does not ask for and a per-year view left without any column (none of its
        columns was requested or collected that year).
        """
        wanted = {sel.table: sel for sel in self.tables}
        out = []
        for rel in relations:
            sel = wanted.get(rel.table.name)
            if sel is None:
                continue
            if sel.years is not None and rel.year is not None and rel.year not in sel.years:
                continue
            columns = tuple(col for col in rel.columns if col.spec.name in sel.columns)
            if not columns:
                continue
            out.append(rel if len(columns) == len(rel.columns) else
                       replace(rel, columns=columns))
        return out


# -- names ------------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\[[^\]]*\]")


def short_name(name: str) -> str:
    """``name`` without its placeholder parts: every ``_``-separated part holding a ``[...]``
    placeholder is dropped (``LAEstab_[term][yy]_anon`` -> ``LAEstab_anon``)."""
    return "_".join(part for part in name.split("_") if "[" not in part)


def variable_names(column: ColumnSpec) -> tuple[set[str], set[str]]:
    """The names a request may use for a column, lower-cased: (full names, short names).

    Matching ignores case. A variable names a column when it equals

    1. the column's spec name (``Gender_[term][yy]``, ``KS4_ATT8``) or its Iteration 1 name;
    2. otherwise, its short name (:func:`short_name`): ``Gender`` for ``Gender_[term][yy]``,
       ``LAEstab_anon`` for ``LAEstab_[term][yy]_anon``, ``Gender`` for ``Gender_ab[yy]``.

    A full name always wins over another column's short name; a short name shared by several
    columns of a table is ambiguous and reported as a problem. The spellings a column has in
    some years (:func:`physical_aliases`) are accepted between the two. Physical names of one
    view (``Gender_spr11``) are not accepted (a request selects a column in every view), but
    the problem suggests the column they belong to.
    """
    full = {column.name.lower()}
    if column.i1_name:
        full.add(column.i1_name.lower())
    short = {short_name(name) for name in full} - full - {""}
    return full, short


def physical_aliases(column: ColumnSpec) -> set[str]:
    """The other spellings of a column (its physical-name rules), lower-cased, in full and
    short: ``llsoa_[term][yy]`` and ``llsoa`` for ``LSOA01_[term][yy]``."""
    names = {rule.physical.lower() for rule in column.names if rule.physical}
    names |= {short_name(name) for name in names}
    own = variable_names(column)
    return names - own[0] - own[1] - {""}


@dataclass
class _ColumnIndex:
    """Lookup of a table's columns by the names a request may use."""

    columns: tuple[ColumnSpec, ...]
    full: dict[str, str]
    short: dict[str, list[str]]
    aliases: dict[str, list[str]]

    @classmethod
    def of(cls, table: TableSpec) -> _ColumnIndex:
        full: dict[str, str] = {}
        short: dict[str, list[str]] = {}
        aliases: dict[str, list[str]] = {}
        for col in table.columns:
            names, shorts = variable_names(col)
            for name in names:
                full.setdefault(name, col.name)
            for name in shorts:
                short.setdefault(name, []).append(col.name)
            for name in physical_aliases(col):
                aliases.setdefault(name, []).append(col.name)
        return cls(table.columns, full, short, aliases)

    def find(self, name: str) -> tuple[str | None, list[str]]:
        """(spec name, []) when ``name`` matches one column, else (None, ambiguous matches)."""
        key = name.strip().lower()
        if key in self.full:
            return self.full[key], []
        for level in (self.aliases, self.short):
            matches = level.get(key, [])
            if len(matches) == 1:
                return matches[0], []
            if matches:
                return None, matches
        return None, []

    def suggest(self, name: str) -> str | None:
        """The nearest column's spec name: a view's physical name first, then difflib."""
        for col in self.columns:
            spellings = [col.name, *(rule.physical for rule in col.names if rule.physical)]
            if any(_physical_pattern(spelling).fullmatch(name) for spelling in spellings):
                return col.name
        key = name.strip().lower()
        by_key = dict(self.full)
        by_key.update({k: v[0] for k, v in self.short.items() if len(v) == 1})
        close = difflib.get_close_matches(key, list(by_key), n=1)
        return by_key[close[0]] if close else None


def _physical_pattern(name: str) -> re.Pattern[str]:
    """A case-insensitive regex matching a spec name's expansions (placeholders filled)."""
    parts = _PLACEHOLDER.split(name)
    return re.compile("[A-Za-z0-9]*".join(re.escape(p) for p in parts), re.IGNORECASE)


def always_kept(table: TableSpec, column: ColumnSpec) -> bool:
    """Keys, primary-key columns and references: kept whatever the request says."""
    return (column.key is not None or column.references is not None
            or column.name in table.primary_key)


def is_default(column: ColumnSpec) -> bool:
    """A column that comes with its table without being asked for."""
    return column.request in (None, "default")


def is_lookup(table: TableSpec) -> bool:
    """The linkage lookups (PMR, EDUKEY, education records), included in every extract."""
    return table.builder.startswith(LINKAGE_PREFIX)


def default_columns(table: TableSpec) -> frozenset[str]:
    """Spec names of the columns a ``default`` request keeps."""
    return frozenset(c.name for c in table.columns if is_default(c) or always_kept(table, c))


# -- tables -----------------------------------------------------------------------------------


class _TableIndex:
    """Lookup of tables by template name, physical relation name, ``vrf_table`` or
    ``vrf_sheet`` (case-insensitive, in that order of precedence)."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.templates = {t.name.lower(): t.name for t in catalog.tables}
        self._levels: list[dict[str, list[str]]] | None = None
        self._display: dict[str, str] = {}

    def levels(self) -> list[dict[str, list[str]]]:
        """Alias maps by precedence, built on first use (relation names need expansion)."""
        if self._levels is None:
            relations: dict[str, list[str]] = {}
            vrf_tables: dict[str, list[str]] = {}
            sheets: dict[str, list[str]] = {}
            for table in self.catalog.tables:
                for iteration in sorted(table.iterations, reverse=True):  # I2 names shown
                    for rel in expand_table(table, iteration):
                        _add(relations, rel.name, table.name, self._display)
                if table.vrf_table:
                    _add(vrf_tables, table.vrf_table, table.name, self._display)
                if table.vrf_sheet:
                    _add(sheets, table.vrf_sheet, table.name, self._display)
            self._levels = [relations, vrf_tables, sheets]
        return self._levels

    def resolve(self, name: str) -> tuple[str | None, list[str]]:
        """(template name, []) for a known name, (None, candidates) if ambiguous or unknown."""
        key = name.strip().lower()
        if key in self.templates:
            return self.templates[key], []
        for level in self.levels():
            if key in level:
                found = level[key]
                return (found[0], []) if len(found) == 1 else (None, found)
        return None, []

    def suggest(self, name: str) -> str | None:
        key = name.strip().lower()
        close = difflib.get_close_matches(key, list(self.templates), n=1)
        if close:
            return self.templates[close[0]]
        aliases = {k for level in self.levels() for k in level}
        close = difflib.get_close_matches(key, sorted(aliases), n=1)
        return self._display[close[0]] if close else None


def _add(index: dict[str, list[str]], alias: str, table: str, display: dict[str, str]) -> None:
    found = index.setdefault(alias.lower(), [])
    if table not in found:
        found.append(table)
    display.setdefault(alias.lower(), alias)


def resolve_table(catalog: Catalog, name: str) -> str:
    """The template name a request's table name means; KeyError if unknown or ambiguous.

    Matching ignores case. A table is named by, in this order of precedence, its template
    name (``school_census``), the name of any of its physical relations in either iteration
    (``spring_census_2011``, ``Spring_Census_2011``: the whole template is meant), its
    ``vrf_table`` key or its ``vrf_sheet`` (ambiguous when a sheet holds several tables).
    """
    found, candidates = _TableIndex(catalog).resolve(name)
    if found is None:
        raise KeyError(f"{name!r} names several tables: {', '.join(candidates)}" if candidates
                       else name)
    return found


# -- loading ----------------------------------------------------------------------------------


def load_request(path: Path | str, catalog: Catalog) -> Request:
    """Read and validate a request file; raise :class:`RequestError` listing every problem."""
    path = Path(path)
    return parse_request(read_yaml(path), catalog, source=str(path))


def parse_request(doc: Any, catalog: Catalog, source: str = "<request>") -> Request:
    """Validate a parsed request document against the catalog."""
    problems: list[str] = []
    raw_tables = _tables_mapping(doc, problems)
    index = _TableIndex(catalog)
    selections: dict[str, TableSelection] = {}
    named_as: dict[str, str] = {}
    for raw_name, value in raw_tables.items():
        name = str(raw_name)
        where = f"tables.{name}"
        found, candidates = index.resolve(name)
        if found is None:
            if candidates:
                problems.append(f"{where}: {name!r} names several tables "
                                f"({', '.join(candidates)}); use one of those names")
            else:
                hint = index.suggest(name)
                problems.append(f"{where}: unknown table {name!r}"
                                + (f" (did you mean {hint!r}?)" if hint else ""))
            _check_value(_split_entry(value, where, problems)[0], where, problems)
            continue
        if found in named_as:
            problems.append(f"{where}: table {found!r} is already requested as "
                            f"{named_as[found]!r}")
            continue
        named_as[found] = name
        selection = _selection(catalog.table(found), value, where, catalog, problems)
        if selection is not None:
            selections[found] = selection
    if problems:
        raise RequestError(source, problems)
    ordered = []
    for table in catalog.tables:  # spec order, lookups added when not named
        if table.name in selections:
            ordered.append(selections[table.name])
        elif is_lookup(table):
            ordered.append(TableSelection(table.name, "default", default_columns(table),
                                          listed=False))
    return Request(tuple(ordered), source)


def _tables_mapping(doc: Any, problems: list[str]) -> dict[Any, Any]:
    if doc is None:
        problems.append("the file is empty; it needs 'tables:' mapping table names to "
                        "default, all or a list of variables")
        return {}
    if not isinstance(doc, dict):
        problems.append(f"the top level must be a mapping with 'tables:', got "
                        f"{type(doc).__name__}")
        return {}
    for key in doc:
        if key not in REQUEST_KEYS:
            problems.append(f"unknown key {key!r}" + (did_you_mean(key, REQUEST_KEYS)
                                                      or f"; known: {', '.join(REQUEST_KEYS)}"))
    if "tables" not in doc:
        if not problems:
            problems.append("missing 'tables:' (a mapping of table names to default, all or a "
                            "list of variables)")
        return {}
    tables = doc["tables"]
    if isinstance(tables, list):
        problems.append("'tables' must be a mapping (table: default | all | [variables]), "
                        "not a list; write e.g. 'school_census: default'")
        return {}
    if not isinstance(tables, dict) or not tables:
        problems.append("'tables' must be a non-empty mapping of table names to default, all "
                        "or a list of variables")
        return {}
    return tables


def _check_value(value: Any, where: str, problems: list[str]) -> str | list[str] | None:
    """The normalised value (mode name or list of names), or None after a problem."""
    if value is None:
        return "default"
    if isinstance(value, str):
        mode = value.strip().lower()
        if mode in MODES:
            return mode
        problems.append(f"{where}: expected default, all or a list of variables, got "
                        f"{value!r} (write [{value}] to request one variable)")
        return None
    if isinstance(value, list):
        bad = [item for item in value if not isinstance(item, str) or not item.strip()]
        if bad:  # reported; the names in the list are still checked
            problems.append(f"{where}: variables must be names, got "
                            f"{', '.join(repr(b) for b in bad)}")
        return [item for item in value if item not in bad]
    problems.append(f"{where}: expected default, all, a list of variables or a mapping with "
                    f"variables and years, got {type(value).__name__} {value!r}")
    return None


def _split_entry(entry: Any, where: str, problems: list[str]) -> tuple[Any, Any]:
    """A table's entry as (variables, years): a mapping's two keys, else (entry, None)."""
    if not isinstance(entry, dict):
        return entry, None
    for key in entry:
        if key not in TABLE_KEYS:
            problems.append(f"{where}: unknown key {key!r}" + (
                did_you_mean(str(key), TABLE_KEYS) or f"; known: {', '.join(TABLE_KEYS)}"))
    return entry.get("variables"), entry.get("years")


def _table_years(table: TableSpec, value: Any, where: str, catalog: Catalog,
                 problems: list[str]) -> frozenset[int] | None:
    """The start years a table's ``years:`` keeps, or None (all) after a problem or none."""
    if value is None:
        return None
    if not table.per_year:
        per_year = ", ".join(t.name for t in catalog.tables if t.per_year)
        problems.append(f"{where}.years: {table.name} is one view over all its years; 'years' "
                        f"selects the views of a table with a view per year ({per_year})")
        return None
    years, found = parse_years(value)
    problems.extend(f"{where}.years: {problem}" for problem in found)
    covered = {year for variant in table.variants for year in variant.years}
    outside = {y for y in years if not min(covered) <= y <= max(covered)}
    if outside:
        problems.append(f"{where}.years: {table.name} has views for {describe(covered)}, not "
                        f"{describe(outside)}")
    elif years and not years & covered:
        problems.append(f"{where}.years: {table.name} has no view in {describe(years)} (its "
                        f"views: {describe(covered)})")
    return years if years & covered and not found and not outside else None


def _selection(table: TableSpec, entry: Any, where: str, catalog: Catalog,
               problems: list[str]) -> TableSelection | None:
    before = len(problems)
    value, years_value = _split_entry(entry, where, problems)
    years = _table_years(table, years_value, where, catalog, problems)
    entry_ok = len(problems) == before  # the variables are still checked after a problem
    checked = _check_value(value, where, problems)
    if checked is None:
        return None
    if checked in MODES or not value:  # (an empty list is the default)
        if not entry_ok:
            return None
        if checked == "all":
            return TableSelection(table.name, "all", frozenset(c.name for c in table.columns),
                                  years=years)
        return TableSelection(table.name, "default", default_columns(table), years=years)
    index = _ColumnIndex.of(table)
    requested: list[str] = []
    ok = entry_ok and len(checked) == len(value)  # False when non-names were reported
    for item in checked:
        found, ambiguous = index.find(item)
        if found is not None:
            if found not in requested:
                requested.append(found)
            continue
        ok = False
        if ambiguous:
            problems.append(f"{where}: {item!r} matches several variables "
                            f"({', '.join(ambiguous)}); write the full name")
            continue
        hint = _variable_hint(item, table, index, catalog)
        problems.append(f"{where}: unknown variable {item!r}{hint}")
    if not ok:
        return None
    return TableSelection(table.name, "list", default_columns(table) | set(requested),
                          tuple(requested), years=years)


def _variable_hint(item: str, table: TableSpec, index: _ColumnIndex, catalog: Catalog) -> str:
    hint = index.suggest(item)
    if hint is not None:
        return f" (did you mean {hint!r}?)"
    for other in catalog.tables:
        if other.name != table.name:
            found, _ = _ColumnIndex.of(other).find(item)
            if found is not None:
                return f" (it is a variable of table {other.name!r})"
    return ""


def request_selector(path: Path | str | None, catalog: Catalog
                     ) -> Callable[[list[Relation]], list[Relation]] | None:
    """``generate(..., select=...)`` for a request file, or None when there is none."""
    return None if path is None else load_request(path, catalog).select


# -- template ---------------------------------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_\[\]\-.]*")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
_WIDTH = 100
_DESCRIPTION = 72


def _scalar(name: str) -> str:
    """``name`` as a YAML scalar: plain when that reads back as the same text, else quoted."""
    if _PLAIN.fullmatch(name) and name.lower() not in _YAML_WORDS:
        return name
    return json.dumps(name)


def _one_line(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _comment_block(label: str, names: Iterable[str], indent: str) -> list[str]:
    """A ``# label: a, b, c`` comment wrapped to the line length."""
    return textwrap.wrap(", ".join(names), width=_WIDTH, initial_indent=f"{indent}# {label}: ",
                         subsequent_indent=f"{indent}#   ", break_long_words=False,
                         break_on_hyphens=False)


def _views(table: TableSpec, iteration: int) -> str:
    """The table's SRS views, compactly (``spring_census_2006..spring_census_2021``)."""
    parts = []
    for variant in table.variants:
        template = variant.i1_name if iteration == 1 and variant.i1_name else variant.name
        if table.per_year and variant.years:
            first = substitute(template, min(variant.years), variant.term)
            last = substitute(template, max(variant.years), variant.term)
            parts.append(first if first == last else f"{first}..{last}")
        else:
            parts.append(substitute(template, None, variant.term))
    return ", ".join(parts)


HEADER = """\
# leo-synth variable request (iteration {iteration}), like the tables and variables an approved
# SRS project receives. As generated it requests every table and every variable; edit it as you
# would tick the VRF, then run: leo-synth generate --request THIS_FILE
#
# Per table:  default        only the default items
#             all            every variable
#             - VARIABLE     the default items plus the by-request items listed
# Delete a table's entry to leave the table out, or a by-request line to leave that item out.
# A table with a view per year also takes the years wanted (its other views are left out):
#   school_census: {{variables: [Gender], years: 2010/11 to 2015/16}}  (or default, all)
# Key, primary-key and reference columns are always kept, and the linkage lookups are always
# included. Names are case-insensitive; a placeholder part may be left out (Gender for
# Gender_[term][yy]); a variable may be named by a spelling it has in some years (SENstatus
# for SENprovision_[term][yy]; see the data dictionary); a table may also be named by one of
# its views (spring_census_2011).
"""


def render_template(catalog: Catalog, iteration: int = 2) -> str:
    """A request listing every table and variable of an iteration, selecting everything."""
    lines = [HEADER.format(iteration=iteration), "tables:"]
    for table in catalog.tables:
        if iteration not in table.iterations:
            continue
        columns = [c for c in table.columns if iteration in c.iterations]
        kept = [c for c in columns if is_default(c) or always_kept(table, c)]
        extra = [c for c in columns if not (is_default(c) or always_kept(table, c))]
        lines.append("")
        about = _one_line(table.description, _WIDTH - 6 - len(table.name))
        lines.append(f"  # {table.name}: {about}")
        lines.extend(_comment_block(f"views ({table.database})", [_views(table, iteration)],
                                    "  "))
        if is_lookup(table):
            lines.extend(_comment_block("always included", (c.name for c in kept), "  "))
        elif extra:
            lines.extend(_comment_block(f"default items and keys ({len(kept)})",
                                        (c.name for c in kept), "  "))
            lines.append(f"  # by-request items ({len(extra)}):")
        else:
            lines.extend(_comment_block(f"variables ({len(kept)})", (c.name for c in kept),
                                        "  "))
        if not extra:
            lines.append(f"  {_scalar(table.name)}: all")
            continue
        lines.append(f"  {_scalar(table.name)}:")
        names = [_scalar(c.name) for c in extra]
        width = min(max(len(n) for n in names), 40)
        for col, name in zip(extra, names, strict=True):
            room = max(_WIDTH - 10 - max(width, len(name)), 20)
            lines.append(f"    - {name:<{width}}  # {_one_line(col.description, room)}")
    return "\n".join(lines) + "\n"
