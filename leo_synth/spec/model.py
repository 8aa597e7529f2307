"""Validated, immutable models of the declarative table specs.

The YAML files under ``schemas/`` are loaded by :mod:`leo_synth.spec.loader` into these models.
A :class:`TableSpec` is a *template*: per-year SRS views such as ``spring_census_[yyyy]`` (with
columns such as ``PupilMatchingRefAnonymous_[term][yy]``) expand into one :class:`Relation` per
year and variant. Everything downstream (simulation builders, DDL, writers, documentation) works
on expanded relations, so the expansion rules live here and nowhere else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from leo_synth.spec.types import SqlType


@dataclass(frozen=True)
class Fill:
    """How a column's values are produced.

    ``kind`` is one of:

    * ``attr``: take the simulated attribute ``attr`` from the relation builder's frame;
    * ``draw``: draw from the column's code list (optionally ``weights``) or value range;
    * ``const``: a constant ``value``;
    * ``none``: always NULL (a column the real extract carries but leaves empty);
    * ``derive``: call the registered derivation ``derive`` with ``params``.
    """

    kind: str
    attr: str | None = None
    value: Any = None
    weights: tuple[float, ...] | None = None
    derive: str | None = None
    params: tuple[tuple[str, Any], ...] = ()
    per: tuple[str, ...] = ()
    """For a draw (or a batched derivation such as ``reference_code``): the builder's attributes
    whose values key the draw, so rows sharing them share the value (a school's type or
    admissions policy is the school's, the same for each of its pupils); empty: a draw per row."""


@dataclass(frozen=True)
class NameRule:
    """A physical name a column has in some years and terms, as researchers meet it in the SRS.

    Rules come from ``schemas/vrf/physical_name_rules.csv`` (one line per rule, with its
    source). In the years of a view that are in ``years``, and in views whose term is in
    ``terms`` (None: every term), the column is called ``physical`` (a template, e.g.
    ``LLSOA_[term][yy]``) instead of its VRF name; an empty ``physical`` means the column is
    absent in those years (which wins over any other rule). A rule may name a column in a year
    or term the VRF does not list (the column was observed there), and several rules matching
    one view give the view one column per name (same values). In a multi-year view each name
    is a column populated in its own years (NULL in the others).
    """

    physical: str
    years: frozenset[int]
    terms: tuple[str, ...] | None
    source: str

    def years_in(self, view_years: frozenset[int], term: str) -> frozenset[int]:
        """The years of a view (of ``term``) that this rule names."""
        if self.terms is not None and term not in self.terms:
            return frozenset()
        return self.years & view_years


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a table template, as declared in a spec file."""

    name: str
    type: SqlType
    description: str
    fill: Fill
    nullable: bool = True
    codes: tuple[tuple[str, str | None], ...] = ()
    value_range: tuple[float, float] | None = None
    years: frozenset[int] | None = None
    terms: tuple[str, ...] | None = None
    key: str | None = None
    references: str | None = None
    i1_name: str | None = None
    repeat: int | None = None
    """For names with an ``[n]`` placeholder: the column repeats for n = 1 .. repeat."""
    request: str | None = None
    """VRF request section: ``default`` items come with the table, ``by_request`` items must be
    asked for one by one (NPD); None where the VRF makes no distinction (all included)."""
    iterations: tuple[int, ...] = (1, 2)
    names: tuple[NameRule, ...] = ()
    """Physical-name rules (see :class:`NameRule`), applied by :func:`expand_table`."""
    fill_class: str | None = None
    """One of :data:`FILL_CLASSES`, as the spec states it (``class:``, or a rule of
    ``schemas/rules/``); None where the spec leaves it to :func:`fill_class`."""
    fill_note: str | None = None
    """The rule of a derived or conditional column, or why an independent one is independent."""

    @property
    def code_values(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.codes)


FILL_CLASSES = ("attribute", "derived", "conditional", "independent")
"""How a column's values relate to the rest: a life-course *attribute*; *derived* from other
columns or rows by its published definition; a *conditional* draw given the life course or
other columns; *independent* only where no relationship exists (the spec says why)."""

_DEFAULT_NOTES = {
    "draw": "no relationship modelled yet: drawn from its code list or range",
    "reference_code": "an opaque code: drawn from a pool of codes of the column's length",
    "date_in_year": "a date drawn within the row's academic year",
}


def fill_class(spec: ColumnSpec) -> tuple[str, str]:
    """The column's fill class and its note (rule or reason), stated or inferred from the fill:
    an attribute fill is a life-course attribute, a date drawn in the row's year a conditional
    draw, and a draw from the code list or an opaque reference code independent."""
    fill = spec.fill
    if spec.fill_class is not None:
        return spec.fill_class, spec.fill_note or ""
    if fill.kind == "attr":
        return "attribute", spec.fill_note or f"simulated attribute {fill.attr}"
    if fill.kind == "const":
        return "derived", spec.fill_note or f"constant {fill.value!r} by definition"
    if fill.kind == "none":
        return "attribute", spec.fill_note or "always NULL, as in the extract"
    if fill.kind == "derive" and fill.derive == "date_in_year":
        return "conditional", spec.fill_note or _DEFAULT_NOTES["date_in_year"]
    if fill.kind == "derive" and fill.derive != "reference_code":
        return "derived", spec.fill_note or f"derivation {fill.derive}"
    key = "draw" if fill.kind == "draw" else "reference_code"
    return "independent", spec.fill_note or _DEFAULT_NOTES[key]


@dataclass(frozen=True)
class Variant:
    """One physical naming of a table template (e.g. the spring census views)."""

    name: str
    years: frozenset[int]
    term: str = ""
    i1_name: str | None = None


@dataclass(frozen=True)
class TableSpec:
    """A table template: one VRF table, possibly published as several SRS views."""

    name: str
    family: str
    database: str
    description: str
    grain: str
    calendar: str
    years: frozenset[int]
    builder: str
    columns: tuple[ColumnSpec, ...]
    variants: tuple[Variant, ...]
    per_year: bool = False
    primary_key: tuple[str, ...] = ()
    iterations: tuple[int, ...] = (1, 2)
    vrf_sheet: str | None = None
    vrf_table: str | None = None
    """The table's key in ``schemas/vrf/vrf_fields.csv`` (the checked-in VRF field list)."""
    source_file: str = ""
    srs_database: tuple[tuple[int, str], ...] = ()
    """The SRS name of the table's database per iteration (``schemas/databases.yaml``)."""

    def column(self, name: str) -> ColumnSpec:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


@dataclass(frozen=True)
class Keyspace:
    """A pseudonymous identifier space (PMR, AE_ID, EDUKEY, RECORDID, external_id ...)."""

    name: str
    type: SqlType
    description: str
    marker: str
    home: str | None
    params: tuple[tuple[str, Any], ...] = ()

    def param(self, key: str, default: Any = None) -> Any:
        return dict(self.params).get(key, default)


@dataclass(frozen=True)
class RelationColumn:
    """A column of an expanded relation: its physical name and the template column behind it."""

    name: str
    spec: ColumnSpec
    active_years: frozenset[int]
    n: int | None = None
    """The repeat number of a column expanded from an ``[n]`` name (None otherwise)."""
    vrf_name: str = ""
    """The name the VRF gives the column in this view (``LSOA01_spr11``); equal to ``name``
    unless a :class:`NameRule` renamed it. Random draws are keyed by it, so every physical
    spelling of one column holds the same values."""
    rule: NameRule | None = None
    """The rule that gave ``name``, or None for the VRF name."""

    def __post_init__(self) -> None:
        if not self.vrf_name:
            object.__setattr__(self, "vrf_name", self.name)

    @property
    def attribute(self) -> str | None:
        """The builder attribute filling this column (``[n]`` substituted)."""
        attr = self.spec.fill.attr
        if attr is None or self.n is None:
            return attr
        return attr.replace("[n]", str(self.n))


@dataclass(frozen=True)
class Relation:
    """A physical relation (view) of the extract, as a researcher sees it in the SRS."""

    name: str
    database: str
    table: TableSpec
    columns: tuple[RelationColumn, ...]
    years: frozenset[int]
    year: int | None = None
    term: str = ""

    @property
    def qualified_name(self) -> str:
        return f"{self.database}.{self.name}"

    def column(self, name: str) -> RelationColumn:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def primary_key(self) -> tuple[str, ...]:
        """Physical names of the primary-key columns (template names expanded)."""
        by_template = {col.spec.name: col.name for col in self.columns}
        return tuple(by_template[name] for name in self.table.primary_key if name in by_template)


@dataclass(frozen=True)
class Catalog:
    """Every table template, keyspace and code list, validated and cross-checked."""

    tables: tuple[TableSpec, ...]
    keyspaces: dict[str, Keyspace] = field(default_factory=dict)
    codelists: dict[str, tuple[tuple[str, str | None], ...]] = field(default_factory=dict)
    databases: dict[str, tuple[tuple[int, str], ...]] = field(default_factory=dict)
    """Database id -> its SRS name per iteration."""

    def table(self, name: str) -> TableSpec:
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(name)

    def relations(self, iteration: int = 2) -> list[Relation]:
        """All physical relations of an iteration, in spec order (expanded once per catalog:
        the loader's cached catalog holds them, so a run does not expand 18,000 columns)."""
        memo = self.__dict__.setdefault("_relations", {})
        if iteration not in memo:
            out: list[Relation] = []
            for table in self.tables:
                if iteration in table.iterations:
                    out.extend(expand_table(table, iteration))
            memo[iteration] = tuple(out)
        return list(memo[iteration])


ITERATION_LAST_YEAR = {1: 2018, 2: 2020}
"""Last start year an iteration covers: Iteration 2 holds data to 2020/21; Iteration 1 (released
September 2022) is taken to end with 2018/19 (inferred: its NCCIS view was 2011_to_2019)."""

_YEAR_SUFFIX = re.compile(r"(?:_(?:\[term\]|spr|sum|aut|ab|ex))?\[yy\]", re.IGNORECASE)
"""A year suffix with its collection code (``_spr[yy]``, ``_ab[yy]``, ``[yy]``)."""


def substitute(template: str, year: int | None, term: str, n: int | None = None) -> str:
    """Fill the VRF placeholders of a name (``year`` is a start year).

    ``[yyyy]``/``[yy]`` become the end year of the academic year (``spring_census_2011``,
    ``_spr11``), ``[term]`` the collection code and ``[n]`` a repeat number. In a multi-year
    view (``year`` None) the year suffix is dropped: the VRF's ``PRU_Gender[yy]`` or
    ``LAEstab_[term][yy]_anon`` are ``PRU_Gender`` and ``LAEstab_anon`` in
    ``pru_census_2010_to_2013``, as researchers' code shows.
    """
    text = template.replace("[n]", str(n)) if n is not None else template
    if year is None:
        text = _YEAR_SUFFIX.sub("", text)
        return text.replace("[term]", term)
    end = year + 1
    text = text.replace("[term]", term)
    for token, value in (("[yyyy]", f"{end:04d}"), ("[YYYY]", f"{end:04d}"),
                         ("[yy]", f"{end % 100:02d}"), ("[YY]", f"{end % 100:02d}")):
        text = text.replace(token, value)
    return text


def expand_table(table: TableSpec, iteration: int = 2) -> list[Relation]:
    """Expand a template into physical relations.

    Per-year templates give one relation per variant year; a column is *absent* from a year's
    view when it was not collected that year (as in the real per-collection views). Multi-year
    views keep a column when any of its years falls in the view's range and leave it NULL in
    the other years. A column's :class:`NameRule` s decide its names in the years they cover
    (see :func:`view_names`).
    """
    relations: list[Relation] = []
    last_year = ITERATION_LAST_YEAR[iteration]
    for variant in table.variants:
        name_template = variant.i1_name if iteration == 1 and variant.i1_name else variant.name
        variant_years = frozenset(y for y in variant.years if y <= last_year)
        if table.calendar != "none" and not variant_years:
            continue
        years_list = sorted(variant_years) if table.per_year else [None]
        for year in years_list:
            view_years = frozenset({year}) if year is not None else variant_years
            columns = []
            for col in table.columns:
                if iteration not in col.iterations:
                    continue
                for template, active, rule in view_names(table, col, view_years, variant.term,
                                                         iteration):
                    for n in range(1, col.repeat + 1) if col.repeat else [None]:
                        columns.append(RelationColumn(
                            substitute(template, year, variant.term, n), col, active, n,
                            vrf_name=substitute(col.name, year, variant.term, n), rule=rule))
            relations.append(
                Relation(
                    name=substitute(name_template, year, variant.term),
                    database=table.database,
                    table=table,
                    columns=tuple(columns),
                    years=view_years,
                    year=year,
                    term=variant.term,
                )
            )
    return relations


def view_names(table: TableSpec, col: ColumnSpec, view_years: frozenset[int], term: str,
               iteration: int = 2) -> list[tuple[str, frozenset[int], NameRule | None]]:
    """A column's (name template, active years, rule) in one view; empty when absent.

    Without rules the VRF decides: the column is there when collected in the view's term and
    some of its years. Rules take over the years they cover: each name is active in its rule's
    years, minus those a rule says the column is absent; the VRF name keeps the rest. Rules
    do not rename an Iteration 1 column that has an ``i1_name`` of its own.
    """
    if iteration == 1 and col.i1_name:
        vrf = _vrf_years(table, col, view_years, term, frozenset())
        return [] if vrf is None else [(col.i1_name, vrf, None)]
    covered: set[int] = set()
    absent: set[int] = set()
    named: dict[str, tuple[set[int], NameRule | None]] = {}
    for rule in col.names if table.calendar != "none" else ():
        years = rule.years_in(view_years, term)
        covered |= years
        if not rule.physical:
            absent |= years
        elif years:
            named.setdefault(rule.physical, (set(), rule))[0].update(years)
    vrf = _vrf_years(table, col, view_years, term, frozenset(covered))
    if vrf is not None:
        if col.name in named:  # a rule observed the VRF name in more years or terms
            named[col.name][0].update(vrf)
        else:
            named = {col.name: (set(vrf), None), **named}
    return [(name, frozenset(years - absent), rule) for name, (years, rule) in named.items()
            if years - absent or table.calendar == "none"]


def _vrf_years(table: TableSpec, col: ColumnSpec, view_years: frozenset[int], term: str,
               covered: frozenset[int]) -> frozenset[int] | None:
    """The view years in which the VRF name holds the column; None when it is not there."""
    if col.terms is not None and term not in col.terms:
        return None
    if table.calendar == "none":
        return view_years
    years = (view_years if col.years is None else view_years & col.years) - covered
    return years or None
