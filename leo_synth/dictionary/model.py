"""A neutral, format-independent data dictionary, built once from the specs.

:func:`build_dictionary` reads a :class:`~leo_synth.spec.model.Catalog` and an iteration and
returns a :class:`Dictionary`: databases, table templates with their physical relations, columns,
code lists, keys and join routes. Every renderer (Markdown, HTML, JSON, CSVW) formats this one
structure, so all formats state the same facts. Work is per template and per relation column,
linear in the size of the catalog.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from leo_synth.dictionary import linkage
from leo_synth.spec.model import (
    Catalog,
    ColumnSpec,
    Relation,
    TableSpec,
    Variant,
    fill_class,
    substitute,
)
from leo_synth.spec.years import describe_years
from leo_synth.srs_address import SrsNaming

DATABASES: tuple[tuple[str, str], ...] = (
    ("leo_i2", "LEO linkage lookups, HMRC (PAYE employment and earnings, self assessment, "
               "COVID-19 schemes, IDBR) and DWP (benefits, geography) tables."),
    ("npd_i2", "National Pupil Database: School Census (PLASC, then termly censuses) and "
               "key stage attainment."),
    ("lilr_i2", "Longitudinal Individualised Learner Record: further education, "
                "apprenticeships and adult learning."),
    ("hesa_i2", "HESA student record: higher education, one view per reporting year."),
    ("ucas_i2", "UCAS applications and acceptances to higher education."),
)
"""The source databases of the SRS extract, in the order the dictionary presents them."""

TERM_LABELS = {"": "PLASC (no term)", "spr": "spring", "sum": "summer", "aut": "autumn"}
"""Collection terms of per-term views (the ``[term]`` placeholder)."""


@dataclass(frozen=True)
class Code:
    """One value of a code list and its label (None when the spec gives none)."""

    code: str
    label: str | None


@dataclass(frozen=True)
class SpellingDoc:
    """A physical-name rule of a column: its name (empty: absent) where it applies, and why."""

    name: str
    years_label: str
    terms: tuple[str, ...] | None
    source: str


@dataclass(frozen=True)
class ColumnDoc:
    """A template column, named as in the spec (placeholders kept) for the iteration."""

    name: str
    type: str
    nullable: bool
    description: str
    years: frozenset[int]
    """Start years in which the column is populated, over all the template's relations."""
    all_years: bool
    """True when populated in every year of the template's relations."""
    years_label: str
    terms: tuple[str, ...] | None
    request: str | None
    codes: tuple[Code, ...]
    value_range: tuple[float, float] | None
    keyspace: str | None
    references: str | None
    """Physical ``relation.column`` the column references, or None."""
    spellings: tuple[SpellingDoc, ...] = ()
    """Physical names the column has in some years (``schemas/vrf/physical_name_rules.csv``)."""
    fill_class: str = "attribute"
    """How the values arise: attribute, derived, conditional or independent."""
    fill_rule: str | None = None
    """The rule of a derived or conditional column, or the stated reason of an independent one
    (None for attributes and for draws whose spec states no reason)."""


@dataclass(frozen=True)
class RelationColumnDoc:
    """A column of one physical relation."""

    name: str
    column: ColumnDoc
    years: frozenset[int]
    years_label: str | None
    vrf_name: str = ""
    """The VRF's name for the column in this relation (differs from ``name`` under a rule)."""
    name_source: str | None = None
    """The documented source of ``name`` when a physical-name rule gave it."""


@dataclass(frozen=True)
class RelationDoc:
    """A physical relation (view) as a researcher sees it in the SRS."""

    name: str
    database: str
    srs_name: str
    """The SRS three-part name, with the default project number standing for the project's."""
    template: str
    family: str
    description: str
    grain: str
    calendar: str
    year: int | None
    term: str
    years: frozenset[int]
    years_label: str | None
    primary_key: tuple[str, ...]
    columns: tuple[RelationColumnDoc, ...]


@dataclass(frozen=True)
class NameRun:
    """Relation names of consecutive years, e.g. ``spring_census_2006`` .. ``_2021``."""

    first: str
    last: str
    count: int


@dataclass(frozen=True)
class VariantDoc:
    """One naming of a template (e.g. the spring census views) and the relations it gives."""

    pattern: str
    term: str
    years_label: str | None
    runs: tuple[NameRun, ...]
    missing_label: str | None
    """Years inside the variant's span without a relation (e.g. no summer census 2019/20)."""
    missing_names: tuple[str, ...]


@dataclass(frozen=True)
class JoinDoc:
    """How one column of a template joins: its keyspace and home, or its reference."""

    column: str
    kind: str
    """``home`` (the column lists every key of its space), ``key``, ``references`` or
    ``referenced`` (other relations reference this column; they are in ``also_in``)."""
    keyspace: str | None
    target: str | None
    """The keyspace home or referenced ``relation.column`` (physical names)."""
    also_in: tuple[str, ...] = ()
    """Other relations carrying the keyspace (no home), or referencing the column."""


@dataclass(frozen=True)
class QuirkDoc:
    """A quirk touching a template: its code, what it does, its item of ``leo_schema.md``
    section 4.3 and its default rates (``config/parameters.yaml``)."""

    code: str
    summary: str
    item: int
    realistic: float
    messy: float


def quirk_docs(table_name: str) -> tuple[QuirkDoc, ...]:
    """The quirks of a table template, at the default rates."""
    from leo_synth.quirks.apply import QUIRKS
    from leo_synth.simulation.parameters import load_parameters

    rates = load_parameters()["quirks"]
    return tuple(QuirkDoc(q.code, q.summary, q.item, float(rates[q.code]["realistic"]),
                          float(rates[q.code]["messy"]))
                 for q in QUIRKS.values() if any(t.table == table_name for t in q.targets))


@dataclass(frozen=True)
class TemplateDoc:
    """A table template: its facts, physical relations, columns and joins."""

    name: str
    family: str
    database: str
    description: str
    grain: str
    calendar: str
    years_label: str | None
    display: str
    """The physical name(s) of the template: its variant patterns joined by `` / ``."""
    primary_key: tuple[str, ...]
    variants: tuple[VariantDoc, ...]
    relations: tuple[RelationDoc, ...]
    columns: tuple[ColumnDoc, ...]
    joins: tuple[JoinDoc, ...]
    routes: tuple[linkage.Route, ...]
    quirks: tuple[QuirkDoc, ...] = ()
    """The quirks a realistic or messy run injects into the template's relations."""

    @property
    def anchor(self) -> str:
        """A stable anchor id for links (GitHub's heading slug of the template name)."""
        return "".join(ch for ch in self.name.lower() if ch.isalnum() or ch in "-_")


@dataclass(frozen=True)
class KeyspaceDoc:
    """A pseudonymous identifier space and the templates carrying it."""

    name: str
    label: str
    type: str
    description: str
    marker: str
    home: str | None
    """Physical ``relation.column`` listing every key of the space, or None."""
    linkage: bool
    """Part of the person-linkage graph (PMR, AE_ID, EDUKEY, RECORDID, external_id)."""
    carriers: tuple[tuple[str, tuple[str, ...]], ...]
    """(template display name, key columns) for every template carrying the keyspace."""


@dataclass(frozen=True)
class ReferenceDoc:
    """A foreign key: a template column that references another relation's column."""

    template: str
    source: str
    column: str
    target: str
    references: str
    """The spec's ``template.column`` target."""

    @property
    def target_template(self) -> str:
        """The referenced template's name."""
        return self.references.partition(".")[0]


@dataclass(frozen=True)
class DatabaseDoc:
    """A source database and its templates."""

    name: str
    description: str
    templates: tuple[TemplateDoc, ...]
    srs_name: str = ""
    """The database's name in the SRS in this iteration (``NPD_i2``, ``NPD`` ...)."""


@dataclass(frozen=True)
class Dictionary:
    """Everything the renderers show, for one iteration."""

    iteration: int
    databases: tuple[DatabaseDoc, ...]
    keyspaces: tuple[KeyspaceDoc, ...]
    references: tuple[ReferenceDoc, ...]
    routes: tuple[linkage.Route, ...]
    """Canonical routes between the person keys of education and outcome records."""
    placeholders: tuple[tuple[str, str], ...]
    graph: linkage.LinkGraph

    @property
    def templates(self) -> Iterator[TemplateDoc]:
        """Every template, grouped by database."""
        for db in self.databases:
            yield from db.templates

    @property
    def relations(self) -> Iterator[RelationDoc]:
        """Every physical relation, grouped by database then template."""
        for template in self.templates:
            yield from template.relations


def years_label(years: frozenset[int], calendar: str) -> str | None:
    """``describe_years`` for a calendar; None for tables that are not year-based."""
    if calendar == "none":
        return None
    return describe_years(years, calendar)


def _column_name(col: ColumnSpec, iteration: int) -> str:
    """A column's name in an iteration."""
    return col.i1_name if iteration == 1 and col.i1_name else col.name


def _variant_pattern(variant: Variant, iteration: int) -> str:
    """A variant's relation name pattern in an iteration."""
    return variant.i1_name if iteration == 1 and variant.i1_name else variant.name


def _variant_of(table: TableSpec, rel: Relation, iteration: int) -> Variant:
    """The variant that produced a relation (same term and name)."""
    for variant in table.variants:
        if variant.term == rel.term and substitute(
                _variant_pattern(variant, iteration), rel.year, rel.term) == rel.name:
            return variant
    raise KeyError(rel.name)  # pragma: no cover - expand_table names every relation this way


def _runs(rels: list[Relation]) -> tuple[NameRun, ...]:
    """Relation names grouped into runs of consecutive years."""
    runs: list[NameRun] = []
    start = prev = rels[0]
    count = 1
    for rel in rels[1:]:
        if rel.year is not None and prev.year is not None and rel.year == prev.year + 1:
            prev, count = rel, count + 1
            continue
        runs.append(NameRun(start.name, prev.name, count))
        start = prev = rel
        count = 1
    runs.append(NameRun(start.name, prev.name, count))
    return tuple(runs)


def _variants(table: TableSpec, rels: list[Relation], iteration: int) -> tuple[VariantDoc, ...]:
    """A template's variants with their relation runs and missing years."""
    by_variant: dict[int, list[Relation]] = {}
    for rel in rels:
        by_variant.setdefault(id(_variant_of(table, rel, iteration)), []).append(rel)
    docs = []
    for variant in table.variants:
        vrels = by_variant.get(id(variant))
        if not vrels:
            continue
        pattern = _variant_pattern(variant, iteration)
        missing: frozenset[int] = frozenset()
        if table.per_year and variant.years:
            span = range(min(variant.years), max(variant.years) + 1)
            missing = frozenset(span) - variant.years
        docs.append(VariantDoc(
            pattern=pattern, term=variant.term,
            years_label=years_label(variant.years, table.calendar),
            runs=_runs(vrels),
            missing_label=years_label(missing, table.calendar) if missing else None,
            missing_names=tuple(substitute(pattern, y, variant.term) for y in sorted(missing)),
        ))
    return tuple(docs)


class _Builder:
    """Builds the :class:`Dictionary`; holds the lookups shared by the steps."""

    def __init__(self, catalog: Catalog, iteration: int) -> None:
        """Expand the catalog once and index relations by template."""
        self.catalog = catalog
        self.iteration = iteration
        self.by_table: dict[str, list[Relation]] = {}
        for rel in catalog.relations(iteration):
            self.by_table.setdefault(rel.table.name, []).append(rel)
        self.tables = [t for t in catalog.tables if t.name in self.by_table]
        self.references: tuple[ReferenceDoc, ...] = ()
        self.display = {
            t.name: " / ".join(dict.fromkeys(
                _variant_pattern(v, iteration) for v in t.variants)) for t in self.tables
        }

    def physical(self, ref: str) -> str:
        """``table.column`` in template names -> physical names for the iteration."""
        table_name, _, col_name = ref.partition(".")
        if table_name not in self.display:
            return ref
        col_name = _column_name(self.catalog.table(table_name).column(col_name), self.iteration)
        return f"{self.display[table_name]}.{col_name}"

    def build(self) -> Dictionary:
        """Build the whole dictionary."""
        graph = linkage.build_graph(self.catalog, self.tables, self.display, self.iteration)
        self.references = tuple(
            ReferenceDoc(t.name, self.display[t.name], _column_name(c, self.iteration),
                         self.physical(c.references), c.references)
            for t in self.tables for c in t.columns
            if c.references and self.iteration in c.iterations
            and c.references.partition(".")[0] in self.display
        )
        keyspaces = self._keyspaces(graph)
        templates = {t.name: self._template(t, graph) for t in self.tables}
        databases = []
        known = [name for name, _ in DATABASES]
        extra = sorted({t.database for t in self.tables} - set(known))
        descriptions = dict(DATABASES)
        for name in known + extra:
            docs = tuple(templates[t.name] for t in self.tables if t.database == name)
            srs = dict(self.catalog.databases.get(name, ())).get(self.iteration, "")
            databases.append(DatabaseDoc(name, descriptions.get(name, ""), docs, srs))
        return Dictionary(
            iteration=self.iteration, databases=tuple(databases), keyspaces=keyspaces,
            references=self.references, routes=graph.canonical_routes(),
            placeholders=self._placeholders(), graph=graph,
        )

    def _placeholders(self) -> tuple[tuple[str, str], ...]:
        """The name placeholders and their meaning, with examples."""
        terms = dict.fromkeys(v.term for t in self.tables for v in t.variants if t.per_year)
        ordered = [term for term in terms if term] + ([""] if "" in terms else [])
        names = [f"`{term}` {TERM_LABELS.get(term, term)}" if term else
                 f"empty for {TERM_LABELS['']}" for term in ordered]
        return (
            ("[yyyy]", "the end year of the academic or tax year, in relation names: "
                       f"`{substitute('spring_census_[yyyy]', 2010, 'spr')}` is 2010/11."),
            ("[yy]", "its last two digits, in column names: "
                     f"`{substitute('NCyearActual_[term][yy]', 2010, 'spr')}`."),
            ("[term]", "the collection of a per-term view: " + ", ".join(names) + "."),
        )

    def _keyspaces(self, graph: linkage.LinkGraph) -> tuple[KeyspaceDoc, ...]:
        """Every keyspace, with its home and the templates carrying it."""
        docs = []
        for ks in self.catalog.keyspaces.values():
            carriers = tuple((self.display[t], tuple(cols))
                             for t, cols in graph.carriers.get(ks.name, {}).items())
            docs.append(KeyspaceDoc(
                name=ks.name, label=graph.labels[ks.name], type=str(ks.type),
                description=ks.description, marker=ks.marker,
                home=self.physical(ks.home) if ks.name in graph.homes else None,
                linkage=ks.name in graph.nodes, carriers=carriers,
            ))
        return tuple(docs)

    def _template(self, table: TableSpec, graph: linkage.LinkGraph) -> TemplateDoc:
        """One template: its columns (with populated years) and relations."""
        rels = self.by_table[table.name]
        calendar = table.calendar
        present: dict[str, set[int]] = {}
        for rel in rels:
            for rc in rel.columns:
                present.setdefault(rc.spec.name, set()).update(rc.active_years)
        every_year = frozenset().union(*(rel.years for rel in rels))
        columns: dict[str, ColumnDoc] = {}
        for col in table.columns:
            if col.name not in present:
                continue
            years = frozenset(present[col.name])
            full = calendar == "none" or years == every_year
            columns[col.name] = ColumnDoc(
                name=_column_name(col, self.iteration), type=str(col.type),
                nullable=col.nullable, description=col.description, years=years,
                all_years=full,
                years_label="all" if full else describe_years(years, calendar),
                terms=col.terms, request=col.request,
                codes=tuple(Code(code, label) for code, label in col.codes),
                value_range=col.value_range, keyspace=col.key,
                references=self.physical(col.references) if col.references else None,
                spellings=() if self.iteration == 1 and col.i1_name else tuple(
                    SpellingDoc(rule.physical, describe_years(rule.years, calendar),
                                rule.terms, rule.source) for rule in col.names),
                **_fill_facts(col),
            )
        relations = tuple(self._relation(rel, columns) for rel in rels)
        primary_key = tuple(columns[name].name for name in table.primary_key if name in columns)
        return TemplateDoc(
            name=table.name, family=table.family, database=table.database,
            description=table.description, grain=table.grain, calendar=calendar,
            years_label=years_label(every_year, calendar), display=self.display[table.name],
            primary_key=primary_key, variants=_variants(table, rels, self.iteration),
            relations=relations, columns=tuple(columns.values()),
            joins=self._joins(table, columns, graph),
            routes=graph.routes_from(table.name), quirks=quirk_docs(table.name),
        )

    def _relation(self, rel: Relation, columns: dict[str, ColumnDoc]) -> RelationDoc:
        """One physical relation and its columns."""
        table = rel.table
        return RelationDoc(
            name=rel.name, database=rel.database,
            srs_name=SrsNaming(self.iteration).three_part_name(rel), template=table.name,
            family=table.family,
            description=table.description, grain=table.grain, calendar=table.calendar,
            year=rel.year, term=rel.term, years=rel.years,
            years_label=years_label(rel.years, table.calendar), primary_key=rel.primary_key,
            columns=tuple(
                RelationColumnDoc(rc.name, columns[rc.spec.name], rc.active_years,
                                  years_label(rc.active_years, table.calendar), rc.vrf_name,
                                  rc.rule.source if rc.rule else None)
                for rc in rel.columns
            ),
        )

    def _joins(self, table: TableSpec, columns: dict[str, ColumnDoc],
               graph: linkage.LinkGraph) -> tuple[JoinDoc, ...]:
        """How a template's key, reference and referenced columns join."""
        joins = []
        referrers: dict[str, list[str]] = {}
        for ref in self.references:
            target_table, _, target_col = ref.references.partition(".")
            if target_table == table.name:
                referrers.setdefault(target_col, []).append(f"{ref.source}.{ref.column}")
        for spec_name, col in columns.items():
            if col.keyspace:
                ks = self.catalog.keyspaces[col.keyspace]
                home_table, _, home_col = (ks.home or "").partition(".")
                if home_table == table.name and home_col == spec_name:
                    joins.append(JoinDoc(col.name, "home", ks.name, self.physical(ks.home)))
                elif ks.home:
                    joins.append(JoinDoc(col.name, "key", ks.name, self.physical(ks.home)))
                else:
                    others = tuple(self.display[t] for t in graph.carriers.get(ks.name, {})
                                   if t != table.name)
                    joins.append(JoinDoc(col.name, "key", ks.name, None, others))
            if col.references:
                joins.append(JoinDoc(col.name, "references", None, col.references))
            if spec_name in referrers:
                joins.append(JoinDoc(col.name, "referenced", None, None,
                                     tuple(referrers[spec_name])))
        return tuple(joins)


def build_dictionary(catalog: Catalog, iteration: int = 2) -> Dictionary:
    """Describe the extract of an iteration (1 or 2) from the specs alone."""
    if iteration not in (1, 2):
        raise ValueError(f"iteration must be 1 or 2, got {iteration!r}")
    return _Builder(catalog, iteration).build()


def _fill_facts(col: ColumnSpec) -> dict[str, str | None]:
    """The column's fill class, and its rule where the spec states one."""
    cls, note = fill_class(col)
    stated = col.fill_note is not None or (cls == "derived" and bool(note))
    return {"fill_class": cls, "fill_rule": note if cls != "attribute" and stated else None}
