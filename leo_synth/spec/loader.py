"""Load and validate the YAML specs under ``schemas/``.

Validation collects *every* problem before failing, and each problem names its file, table and
column, so that ``leo-synth validate`` can report them all at once. Duplicate keys inside a YAML
mapping are errors too (PyYAML would silently keep the last one).
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, replace
from functools import cache
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Any

from leo_synth.errors import LeoSynthError, did_you_mean
from leo_synth.resources import cache_dir, read_cached, write_cached
from leo_synth.spec.model import (
    FILL_CLASSES,
    Catalog,
    ColumnSpec,
    Fill,
    Keyspace,
    NameRule,
    TableSpec,
    Variant,
    expand_table,
)
from leo_synth.spec.physical import keep_physical_forms
from leo_synth.spec.types import SqlTypeError, parse_sql_type
from leo_synth.spec.vrf_facts import VRF_KEYS, VrfFacts, vrf_paths
from leo_synth.spec.years import CALENDARS, YearSetError, parse_years

FILE_KEYS = {"family", "database", "description", "order", "tables", "keyspaces", "codelists",
             "databases", "rules"}
TABLE_KEYS = {
    "name", "description", "grain", "calendar", "years", "variants", "per_year", "builder",
    "primary_key", "iterations", "vrf_sheet", "vrf_table", "database", "columns", "i1_name",
}
COLUMN_KEYS = {
    "name", "type", "description", "nullable", "fill", "codes", "codelist", "range", "years",
    "terms", "key", "references", "i1_name", "request", "iterations", "repeat", "class", "rule",
    "reason",
}
RULE_KEYS = {"table", "columns", "class", "fill", "rule", "reason", "range", "per"}
VARIANT_KEYS = {"name", "years", "term", "i1_name"}
KEYSPACE_KEYS = {"type", "description", "marker", "home", "params"}
FILL_KINDS = {"draw", "const", "none", "derive", "attr"}
TERMS = {"", "spr", "sum", "aut"}
VRF_DIR = Path("vrf")
NAME_RULES = VRF_DIR / "physical_name_rules.csv"
"""The physical-name rules, relative to the schema folder (read by ``add_name_rules``)."""
NAME_RULE_FIELDS = ("table", "column", "years", "terms", "physical", "source")
PLASC_TERM = "plasc"
"""How the rules file writes the empty term of the PLASC views."""
DATABASE_KEYS = {"srs"}


@dataclass(frozen=True)
class SpecProblem:
    """One validation problem, located by file, table and column."""

    file: str
    message: str
    table: str | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.table:
            where += f": table {self.table}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class SpecError(LeoSynthError):
    """The specs have problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[SpecProblem]):
        self.problems = problems
        head = f"{len(problems)} problem(s) in the specs"
        super().__init__(head + ":\n" + "\n".join(f"  - {p}" for p in problems))


@cache
def _unique_key_loader() -> type:
    """A safe YAML loader (libyaml's parser when available) that rejects duplicate mapping
    keys. Made on first use: a run whose specs and parameters are cached never imports yaml."""
    import yaml

    def construct_mapping(loader: Any, node: yaml.MappingNode, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):  # "? [a, b]": a list or mapping used as a key
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be a plain name, not a list or mapping",
                    key_node.start_mark)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return loader.construct_mapping(node, deep=deep)

    loader = type("UniqueKeyLoader", (getattr(yaml, "CSafeLoader", yaml.SafeLoader),), {})
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    return loader


def read_yaml(path: Path) -> Any:
    """Parse a YAML file, rejecting duplicate keys; errors become :class:`LeoSynthError`."""
    loader = _unique_key_loader()
    import yaml

    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=loader)
    except OSError as exc:
        raise LeoSynthError(f"cannot read {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise LeoSynthError(f"{path}: not valid YAML: {' '.join(str(exc).split())}") from exc


def read_yaml_cached(path: Path) -> Any:
    """:func:`read_yaml`, answered from leo-synth's cache when a file of the same contents was
    parsed before (the shipped parameters: 10 ms of parsing and the yaml import per run)."""
    try:
        contents = path.read_bytes()
    except OSError as exc:
        raise LeoSynthError(f"cannot read {path}: {exc.strerror}") from exc
    root = cache_dir()
    cache = None
    if root is not None:  # keyed by the parser too: this module and PyYAML's version
        digest = hashlib.sha256(contents + Path(__file__).read_bytes()
                                + installed_version("PyYAML").encode())
        cache = root / f"yaml-{digest.hexdigest()[:32]}.pickle"
    cached = read_cached(cache)
    if isinstance(cached, tuple) and len(cached) == 1:
        return cached[0]
    doc = read_yaml(path)
    write_cached(cache, (doc,))
    return doc


def default_schema_dir() -> Path:
    """The ``schemas/`` folder shipped with leo-synth (see :mod:`leo_synth.resources`)."""
    from leo_synth.resources import schema_dir

    return schema_dir()


def spec_files(schema_dir: Path) -> list[Path]:
    """Spec files in a folder (recursively), in a stable order."""
    return sorted(p for p in schema_dir.rglob("*.yaml") if p.is_file())


def catalog_csv_files(schema_dir: Path) -> list[Path]:
    """The CSV files of ``schema_dir`` a loaded catalog depends on besides the spec files: the
    physical-name rules and the VRF field list merged into the columns."""
    rules = schema_dir / NAME_RULES
    return [*([rules] if rules.is_file() else []), *vrf_paths(schema_dir / VRF_DIR)]


def load_catalog(schema_dir: Path | None = None, files: Iterable[Path] | None = None) -> Catalog:
    """Load every spec file, validate each one and the links between them.

    Raises :class:`SpecError` listing every problem found. Columns of a table that names its
    ``vrf_table`` are completed from ``vrf/`` (:mod:`leo_synth.spec.vrf_facts`). A validated
    catalog is cached (by the SHA-256 of the spec and CSV files' paths and contents) so later
    runs skip the YAML parsing.
    """
    schema_dir = schema_dir or default_schema_dir()
    paths = list(files) if files is not None else spec_files(schema_dir)
    if not paths:
        raise LeoSynthError(f"no spec files (*.yaml) found in {schema_dir}")
    rules_path = schema_dir / NAME_RULES
    rules = [rules_path] if rules_path.is_file() else []
    vrf = vrf_paths(schema_dir / VRF_DIR)
    cache = _cache_path(paths + catalog_csv_files(schema_dir), schema_dir)
    cached = _read_cache(cache)
    if cached is not None:
        return cached
    builder = _CatalogBuilder(VrfFacts(schema_dir / VRF_DIR) if vrf else None)
    for path in paths:
        builder.add_file(path, read_yaml(path))
    for path in rules:
        builder.add_name_rules(path)
    catalog = builder.finish()
    if cache is not None:  # Iteration 2 (the default) cached expanded too, with the relations'
        # Arrow schemas (Iteration 1, rarely asked for, would make every load a third slower)
        keep_physical_forms(catalog.relations(2))
    write_cached(cache, catalog)
    return catalog


def _cache_path(paths: list[Path], schema_dir: Path) -> Path | None:
    """Where the catalog parsed from these exact files, by this exact spec code, is cached
    (None if no cache dir). The spec package's own sources are part of the key, so a change to
    a validation rule or a model field can never be answered from a stale pickle. Files are
    named relative to ``schema_dir`` (the spec sources by file name): the key does not depend
    on where leo-synth is installed, so a wheel can ship the catalog it was built with
    (:data:`leo_synth.resources.PREBUILT_DIR`)."""
    root = cache_dir()
    if root is None:
        return None
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    folder = schema_dir.resolve()
    for path in paths:
        resolved = path.resolve()
        name = resolved.relative_to(folder) if resolved.is_relative_to(folder) else resolved
        digest.update(name.as_posix().encode())
        digest.update(path.read_bytes())
    return root / f"catalog-{digest.hexdigest()[:32]}.pickle"


def _read_cache(path: Path | None) -> Catalog | None:
    catalog = read_cached(path)
    return catalog if isinstance(catalog, Catalog) else None


class _CatalogBuilder:
    """Accumulates tables, keyspaces and code lists from spec files, then cross-checks them."""

    def __init__(self, vrf: VrfFacts | None = None) -> None:
        self.vrf = vrf
        """The VRF field list (None: columns state everything themselves)."""
        self.problems: list[SpecProblem] = []
        self.tables: list[TableSpec] = []
        self._order: dict[str, tuple[float, str]] = {}
        self.keyspaces: dict[str, Keyspace] = {}
        self.codelists: dict[str, tuple[tuple[str, str | None], ...]] = {}
        self._pending_codelists: list[tuple[str, str, str, str]] = []
        self._name_rules: dict[tuple[str, str], list[NameRule]] = {}
        self._name_rule_lines: dict[tuple[str, str], str] = {}
        """Where each (table, column) of the rules is first named: ``file:line``."""
        self.databases: dict[str, tuple[tuple[int, str], ...]] = {}
        self._rules: list[tuple[str, dict]] = []

    def problem(self, file: str, message: str, table: str | None = None,
                column: str | None = None) -> None:
        self.problems.append(SpecProblem(file, message, table, column))

    def add_file(self, path: Path, doc: Any) -> None:
        file = str(path)
        if doc is None:
            return
        if not isinstance(doc, dict):
            self.problem(file, "top level must be a mapping")
            return
        self._unknown(doc, FILE_KEYS, file)
        for name, body in (doc.get("codelists") or {}).items():
            codes = self._codes(body, file, None, None)
            if name in self.codelists:
                self.problem(file, f"code list {name!r} declared twice")
            self.codelists[name] = codes
        for name, body in (doc.get("keyspaces") or {}).items():
            self._keyspace(name, body, file)
        for name, body in (doc.get("databases") or {}).items():
            self._database(name, body, file)
        rules = doc.get("rules") or []
        if not isinstance(rules, list):
            self.problem(file, "'rules' must be a list of rules")
        else:
            self._rules.extend((file, rule) for rule in rules)
        tables = doc.get("tables") or []
        if not isinstance(tables, list):
            self.problem(file, "'tables' must be a list of tables")
            return
        order = doc.get("order", 100)
        if not isinstance(order, int | float) or isinstance(order, bool):
            self.problem(file, f"order must be a number, got {order!r}")
            order = 100
        for body in tables:
            table = self._table(body, doc, file)
            if table is not None:
                self.tables.append(table)
                self._order.setdefault(table.name, (order, file))

    def add_name_rules(self, path: Path) -> None:
        """Read the physical-name rules (``schemas/vrf/physical_name_rules.csv``).

        One line per rule: ``table`` and ``column`` (the spec names, e.g. ``school_census``,
        ``LSOA01_[term][yy]``), ``years`` (start years, ``2001-2011``), ``terms``
        (``;``-separated ``plasc``, ``spr``, ``sum``, ``aut``; empty for every view),
        ``physical`` (the name template, empty when the column is absent there) and ``source``
        (where the name is documented). Rules for tables not loaded are ignored.
        """
        file = str(path)
        try:
            with open(path, encoding="utf-8", newline="") as handle:
                reader = csv.DictReader(handle)
                if tuple(reader.fieldnames or ()) != NAME_RULE_FIELDS:
                    self.problem(file, f"header must be {','.join(NAME_RULE_FIELDS)}")
                    return
                rows = list(reader)
        except OSError as exc:
            raise LeoSynthError(f"cannot read {path}: {exc.strerror}") from exc
        for line, raw_row in enumerate(rows, start=2):
            where = f"{file}:{line}"
            row = {key: (value or "").strip() for key, value in raw_row.items() if key}
            years = self._years(row["years"], where, row["table"], row["column"])
            terms: tuple[str, ...] | None = None
            if row["terms"]:
                raw = [t.strip() for t in row["terms"].split(";")]
                bad = sorted(set(raw) - (TERMS - {""}) - {PLASC_TERM})
                if bad:
                    self.problem(where, f"unknown terms {bad} (use plasc, spr, sum, aut)",
                                 row["table"], row["column"])
                terms = tuple("" if t == PLASC_TERM else t for t in raw)
            physical = row["physical"]
            if physical and not re.fullmatch(r"[A-Za-z0-9_]*(?:\[[a-z]+\][A-Za-z0-9_]*)*",
                                             physical):
                self.problem(where, f"physical name {physical!r} is not a column name "
                                    f"template", row["table"], row["column"])
            if not row["source"]:
                self.problem(where, "every rule needs a source", row["table"], row["column"])
            if years is None:
                continue
            key = (row["table"], row["column"])
            self._name_rules.setdefault(key, []).append(
                NameRule(physical, years, terms, row["source"]))
            self._name_rule_lines.setdefault(key, where)

    # -- pieces ---------------------------------------------------------------------------

    def _unknown(self, body: dict, allowed: set[str], file: str, table: str | None = None,
                 column: str | None = None) -> None:
        for key in body:
            if key not in allowed:
                self.problem(file, f"unknown key {key!r}{did_you_mean(key, allowed)}", table,
                             column)

    def _keyspace(self, name: str, body: Any, file: str) -> None:
        if not isinstance(body, dict):
            self.problem(file, f"keyspace {name!r} must be a mapping")
            return
        self._unknown(body, KEYSPACE_KEYS, file)
        try:
            sql_type = parse_sql_type(body.get("type", ""))
        except SqlTypeError as exc:
            self.problem(file, f"keyspace {name!r}: {exc}")
            return
        for required in ("description", "marker"):
            if not body.get(required):
                self.problem(file, f"keyspace {name!r} needs a {required}")
        params = body.get("params") or {}
        self.keyspaces[name] = Keyspace(
            name=name, type=sql_type, description=str(body.get("description", "")),
            marker=str(body.get("marker", "")), home=body.get("home"),
            params=tuple(sorted(params.items())),
        )

    def _database(self, name: str, body: Any, file: str) -> None:
        """An SRS database: its name in each iteration (``srs: {1: LEO, 2: LEO_i2}``)."""
        if not isinstance(body, dict) or not isinstance(body.get("srs"), dict):
            self.problem(file, f"database {name!r} needs 'srs': a mapping of iteration to SRS "
                               f"database name")
            return
        self._unknown(body, DATABASE_KEYS, file)
        if name in self.databases:
            self.problem(file, f"database {name!r} declared twice")
        names = []
        for iteration, srs_name in body["srs"].items():
            if iteration not in (1, 2) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*",
                                                           str(srs_name)):
                self.problem(file, f"database {name!r}: bad SRS name {srs_name!r} for "
                                   f"iteration {iteration!r} (iterations 1 and 2, names of "
                                   f"letters, digits and _)")
                continue
            names.append((iteration, str(srs_name)))
        self.databases[name] = tuple(sorted(names))

    def _codes(self, body: Any, file: str, table: str | None,
               column: str | None) -> tuple[tuple[str, str | None], ...]:
        if isinstance(body, dict):
            return tuple((str(k), None if v is None else str(v)) for k, v in body.items())
        if isinstance(body, list):
            return tuple((str(v), None) for v in body)
        self.problem(file, "codes must be a list of codes or a mapping of code: label",
                     table, column)
        return ()

    def _years(self, value: Any, file: str, table: str | None,
               column: str | None = None) -> frozenset[int] | None:
        try:
            return parse_years(value)
        except YearSetError as exc:
            self.problem(file, str(exc), table, column)
            return None

    def _table(self, body: Any, doc: dict, file: str) -> TableSpec | None:
        if not isinstance(body, dict) or not body.get("name"):
            self.problem(file, "every table needs a mapping with a 'name'")
            return None
        name = str(body["name"])
        self._unknown(body, TABLE_KEYS, file, name)
        calendar = body.get("calendar", "academic")
        required_keys = ["description", "grain", "builder", "columns"]
        if calendar != "none":
            required_keys.append("years")
        for required in required_keys:
            if required not in body:
                self.problem(file, f"missing '{required}'", name)
        database = body.get("database", doc.get("database"))
        if calendar not in CALENDARS:
            self.problem(file, f"calendar {calendar!r} is not one of {list(CALENDARS)}", name)
        years = frozenset()
        if "years" in body:
            years = self._years(body["years"], file, name) or frozenset()
        per_year = bool(body.get("per_year", False))
        variants = self._variants(body, name, years, per_year, file)
        columns = self._columns(self._with_vrf_facts(body), name, file)
        primary_key = tuple(body.get("primary_key") or ())
        known = {c.name for c in columns}
        for key_col in primary_key:
            if key_col not in known:
                self.problem(file, f"primary key column {key_col!r} is not a column", name)
        iterations = tuple(body.get("iterations") or (1, 2))
        if not set(iterations) <= {1, 2}:
            self.problem(file, f"iterations must be a subset of [1, 2], got {list(iterations)}",
                         name)
        return TableSpec(
            name=name, family=str(doc.get("family", Path(file).stem)), database=str(database),
            description=str(body.get("description", "")), grain=str(body.get("grain", "")),
            calendar=calendar, years=years, builder=str(body.get("builder", "")),
            columns=tuple(columns), variants=variants, per_year=per_year,
            primary_key=primary_key, iterations=iterations, vrf_sheet=body.get("vrf_sheet"),
            vrf_table=body.get("vrf_table"), source_file=file,
        )

    def _with_vrf_facts(self, body: dict) -> Any:
        """The table's columns, each completed with what the VRF says of its field (see
        :mod:`leo_synth.spec.vrf_facts`): a key the column states wins, ``key: null`` means
        none whatever the VRF says."""
        raw = body.get("columns") or []
        rows = self.vrf.rows(body) if self.vrf is not None else {}
        if not rows or not isinstance(raw, list):
            return raw
        out = []
        for column in raw:
            row = rows.get(str(column.get("name", "")).lower()) if isinstance(column, dict) \
                else None
            if row is not None:
                merged = {**self.vrf.defaults(row, body), **column}
                column = {k: v for k, v in merged.items() if v is not None or k not in VRF_KEYS}
            out.append(column)
        return out

    def _variants(self, body: dict, name: str, years: frozenset[int], per_year: bool,
                  file: str) -> tuple[Variant, ...]:
        raw = body.get("variants")
        if raw is None:
            raw = [{"name": name, "i1_name": body.get("i1_name")}]
        elif body.get("i1_name"):
            self.problem(file, "put i1_name on each variant when a table has variants", name)
        variants = []
        for item in raw:
            if not isinstance(item, dict) or "name" not in item:
                self.problem(file, "each variant needs a mapping with a 'name'", name)
                continue
            self._unknown(item, VARIANT_KEYS, file, name)
            v_years = years if "years" not in item else self._years(item["years"], file, name)
            if v_years is None:
                continue
            if not v_years <= years:
                self.problem(file, f"variant {item['name']!r} has years outside the table's", name)
            term = str(item.get("term", ""))
            if not re.fullmatch(r"[a-z]{0,3}", term):
                self.problem(file, f"variant term {term!r} must be up to 3 lower-case letters "
                                   f"(e.g. spr, sum, aut)", name)
            if per_year and "[yy" not in str(item["name"]):
                self.problem(file, f"per-year variant name {item['name']!r} needs [yyyy] or [yy]",
                             name)
            variants.append(Variant(str(item["name"]), v_years, term, item.get("i1_name")))
        return tuple(variants)

    def _columns(self, raw: Any, table: str, file: str) -> list[ColumnSpec]:
        if not isinstance(raw, list):
            self.problem(file, "'columns' must be a list", table)
            return []
        columns: list[ColumnSpec] = []
        seen: set[str] = set()
        for body in raw:
            if not isinstance(body, dict) or not body.get("name"):
                self.problem(file, "every column needs a mapping with a 'name'", table)
                continue
            col = self._column(body, table, file)
            if col is None:
                continue
            if col.name.lower() in seen:
                self.problem(file, "duplicate column", table, col.name)
                continue
            seen.add(col.name.lower())
            columns.append(col)
        return columns

    def _column(self, body: dict, table: str, file: str) -> ColumnSpec | None:
        name = str(body["name"])
        self._unknown(body, COLUMN_KEYS, file, table, name)
        try:
            sql_type = parse_sql_type(body.get("type", ""))
        except SqlTypeError as exc:
            self.problem(file, str(exc), table, name)
            return None
        if not str(body.get("description", "")).strip():
            self.problem(file, "missing description", table, name)
        codes: tuple[tuple[str, str | None], ...] = ()
        if "codes" in body:
            codes = self._codes(body["codes"], file, table, name)
        if "codelist" in body:
            self._pending_codelists.append((file, table, name, str(body["codelist"])))
        value_range = None
        if "range" in body:
            rng = body["range"]
            if (not isinstance(rng, list) or len(rng) != 2
                    or not all(isinstance(v, int | float) for v in rng) or rng[0] > rng[1]):
                self.problem(file, "range must be [low, high] with low <= high", table, name)
            else:
                value_range = (rng[0], rng[1])
        years = self._years(body["years"], file, table, name) if "years" in body else None
        terms = body.get("terms")
        if terms is not None:
            terms = tuple(str(t) for t in terms)
            bad = set(terms) - TERMS
            if bad:
                self.problem(file, f"unknown terms {sorted(bad)}", table, name)
        fill = self._fill(body.get("fill"), codes, value_range, "codelist" in body, file, table,
                          name)
        request = body.get("request")
        if request not in (None, "default", "by_request"):
            self.problem(file, f"request must be default or by_request, got {request!r}", table,
                         name)
        iterations = tuple(body.get("iterations") or (1, 2))
        if not set(iterations) <= {1, 2}:
            self.problem(file, f"iterations must be a subset of [1, 2], got {list(iterations)}",
                         table, name)
        fill_class, fill_note = self._class(body, file, table, name)
        return ColumnSpec(
            name=name, type=sql_type, description=str(body.get("description", "")).strip(),
            fill=fill, nullable=bool(body.get("nullable", True)), codes=codes,
            value_range=value_range, years=years, terms=terms, key=body.get("key"),
            references=body.get("references"), i1_name=body.get("i1_name"),
            request=request, iterations=iterations, repeat=self._repeat(body, file, table, name),
            fill_class=fill_class, fill_note=fill_note,
        )

    def _class(self, body: dict, file: str, table: str,
               column: str | None) -> tuple[str | None, str | None]:
        """A stated fill class with its rule (derived, conditional) or reason (independent)."""
        cls = body.get("class")
        note = body.get("reason") if cls == "independent" else body.get("rule")
        if cls is None:
            if "rule" in body or "reason" in body:
                self.problem(file, "'rule' and 'reason' go with a 'class'", table, column)
            return None, None
        if cls not in FILL_CLASSES:
            self.problem(file, f"class {cls!r} is not one of {list(FILL_CLASSES)}", table, column)
            return None, None
        wanted = "reason" if cls == "independent" else "rule"
        if cls != "attribute" and not str(note or "").strip():
            self.problem(file, f"class {cls} needs a '{wanted}'", table, column)
        return cls, (str(note).strip() if note else None)

    def _repeat(self, body: dict, file: str, table: str, name: str) -> int | None:
        repeat = body.get("repeat")
        has_n = "[n]" in name
        if repeat is None and has_n:
            self.problem(file, "a name with [n] needs 'repeat: N'", table, name)
        if repeat is not None and (not isinstance(repeat, int) or repeat < 1 or not has_n):
            self.problem(file, "repeat must be a positive whole number on a name with [n]",
                         table, name)
            return None
        return repeat

    def _fill(self, raw: Any, codes: tuple, value_range: tuple | None, has_codelist: bool,
              file: str, table: str, column: str) -> Fill:
        if raw is None:
            self.problem(file, "missing 'fill' (an attribute name or a mapping)", table, column)
            return Fill("none")
        if isinstance(raw, str):
            return Fill("attr", attr=raw)
        if not isinstance(raw, dict) or len(set(raw) & FILL_KINDS) != 1:
            self.problem(file, f"fill must be an attribute name or a mapping with one of "
                               f"{sorted(FILL_KINDS)}", table, column)
            return Fill("none")
        kind = next(iter(set(raw) & FILL_KINDS))
        extra = {k: v for k, v in raw.items() if k != kind}
        if kind == "attr":
            return Fill("attr", attr=str(raw["attr"]))
        if kind == "const":
            return Fill("const", value=raw["const"])
        if kind == "none":
            return Fill("none")
        if kind == "derive":
            return Fill("derive", derive=str(raw["derive"]),
                        params=tuple(sorted(extra.items())))
        # draw
        weights = extra.pop("weights", None)
        if extra:
            self.problem(file, f"unknown fill options {sorted(extra)}", table, column)
        if not codes and value_range is None and not has_codelist:
            self.problem(file, "fill 'draw' needs codes, a codelist or a range", table, column)
        if weights is not None:
            if codes and len(weights) != len(codes):
                self.problem(file, f"{len(weights)} weights for {len(codes)} codes", table, column)
            weights = tuple(float(w) for w in weights)
        return Fill("draw", weights=weights)

    # -- cross-file checks ------------------------------------------------------------------

    def finish(self) -> Catalog:
        """Cross-check everything and return the catalog, tables in (file order, file) order."""
        self.tables.sort(key=lambda t: self._order[t.name])  # stable within a file
        tables = self._apply_rules(self._resolve_codelists())
        tables = self._attach_name_rules(tables)
        tables = self._resolve_databases(tables)
        self._check_links(tables)
        self._check_physical_names(tables)
        if self.problems:
            raise SpecError(self.problems)
        return Catalog(tables=tuple(tables), keyspaces=self.keyspaces, codelists=self.codelists,
                       databases=self.databases)

    def _resolve_databases(self, tables: list[TableSpec]) -> list[TableSpec]:
        """Give each table its database's SRS names; the database must be declared and named
        in every iteration the table is in."""
        out = []
        for table in tables:
            srs = self.databases.get(table.database)
            if srs is None:
                self.problem(table.source_file, f"database {table.database!r} is not declared "
                             f"(declared: {', '.join(sorted(self.databases)) or 'none'}; see "
                             f"schemas/databases.yaml)", table.name)
                out.append(table)
                continue
            missing = sorted(set(table.iterations) - {it for it, _ in srs})
            if missing:
                self.problem(table.source_file, f"database {table.database!r} has no SRS name "
                             f"for iteration {missing[0]}", table.name)
            out.append(replace(table, srs_database=srs))
        return out

    def _resolve_codelists(self) -> list[TableSpec]:
        pending = {(t, c): lst for _, t, c, lst in self._pending_codelists}
        files = {(t, c): f for f, t, c, _ in self._pending_codelists}
        tables = []
        for table in self.tables:
            cols = []
            for col in table.columns:
                lst = pending.get((table.name, col.name))
                if lst is not None:
                    if lst not in self.codelists:
                        self.problem(files[(table.name, col.name)], f"unknown codelist {lst!r}",
                                     table.name, col.name)
                    else:
                        col = replace(col, codes=self.codelists[lst])
                cols.append(col)
            tables.append(replace(table, columns=tuple(cols)))
        return tables

    def _attach_name_rules(self, tables: list[TableSpec]) -> list[TableSpec]:
        """Give each column its physical-name rules; a rule naming no column is a problem."""
        by_name = {t.name: t for t in tables}
        for (table_name, column), where in self._name_rule_lines.items():
            table = by_name.get(table_name)
            if table is None:
                continue  # a table not loaded (a subset of the spec files)
            if column not in {c.name for c in table.columns}:
                self.problem(where, f"no column {column!r}"
                             f"{did_you_mean(column, [c.name for c in table.columns])}",
                             table_name)
            elif table.calendar == "none":
                self.problem(where, "name rules need a table with years", table_name, column)
        out = []
        for table in tables:
            cols = tuple(replace(c, names=tuple(self._name_rules[(table.name, c.name)]))
                         if (table.name, c.name) in self._name_rules else c
                         for c in table.columns)
            out.append(replace(table, columns=cols))
        return out

    def _apply_rules(self, tables: list[TableSpec]) -> list[TableSpec]:
        """Apply the pattern rules (``rules:`` in a spec file): each gives every column of the
        tables matching ``table`` whose template name matches ``columns`` (both regular
        expressions, matched in full) its class, rule or
        reason and, if stated, its fill and range. Named groups of the pattern are passed to a
        derivation as parameters, so one rule serves a family such as ``KS4_GCSE_<grade>``.
        A class stated on the column itself wins, then the first matching rule; a rule matching
        nothing is an error (e.g. a renamed column)."""
        by_name = {t.name: t for t in tables}
        changed: dict[str, dict[str, ColumnSpec]] = {}
        for file, body in self._rules:
            if not isinstance(body, dict) or not {"table", "columns", "class"} <= set(body):
                self.problem(file, "every rule needs 'table', 'columns' and 'class'")
                continue
            self._unknown(body, RULE_KEYS, file, str(body["table"]))
            try:
                table_pattern = re.compile(str(body["table"]))
                pattern = re.compile(str(body["columns"]))
            except re.error as exc:
                self.problem(file, f"rule pattern: {exc}", str(body["table"]))
                continue
            tables_hit = [t for name, t in by_name.items() if table_pattern.fullmatch(name)]
            if not tables_hit:
                self.problem(file, f"rule for unknown table {body['table']!r}")
                continue
            where = f"rule {body['columns']}"
            cls, note = self._class(body, file, str(body["table"]), where)
            if cls is None:
                continue
            value_range = body.get("range")
            if value_range is not None and (not isinstance(value_range, list)
                                            or len(value_range) != 2):
                self.problem(file, "range must be [low, high]", str(body["table"]), where)
                value_range = None
            matched = False
            for table in tables_hit:
                for col in table.columns:
                    found = pattern.fullmatch(col.name)
                    if found is None:
                        continue
                    matched = True
                    if col.fill_class is not None or col.name in changed.get(table.name, {}):
                        continue  # the column's own statement, or an earlier rule, has it
                    changed.setdefault(table.name, {})[col.name] = self._ruled_column(
                        col, body, found, cls, note, value_range, file, table.name)
            if not matched:
                self.problem(file, f"rule {body['columns']!r} matches no column",
                             str(body["table"]))
        return [replace(t, columns=tuple(changed.get(t.name, {}).get(c.name, c)
                                         for c in t.columns)) if t.name in changed else t
                for t in tables]

    def _ruled_column(self, col: ColumnSpec, body: dict, found: re.Match, cls: str,
                      note: str | None, value_range: list | None, file: str,
                      table: str) -> ColumnSpec:
        """A column as a rule states it: class, note and, if given, fill and range."""
        fill = col.fill
        if "fill" in body:
            fill = self._fill(body["fill"], col.codes, col.value_range, bool(col.codes), file,
                              table, col.name)
            groups = {k: v for k, v in found.groupdict().items() if v is not None}
            # "{group}" in a parameter or attribute is the group's text in lower case ("" for
            # an optional group that did not match), as attribute names are.
            lowered = {k: (v or "").lower() for k, v in found.groupdict().items()}
            if fill.kind == "derive" and groups:
                params = {k: v.format(**lowered) if isinstance(v, str) and "{" in v else v
                          for k, v in fill.params}
                fill = replace(fill, params=tuple(sorted({**groups, **params}.items())))
            elif fill.kind == "attr" and "{" in str(fill.attr):
                fill = replace(fill, attr=str(fill.attr).format(**lowered))
        if "per" in body:
            fill = self._per(body["per"], fill, file, table, col.name)
        return replace(col, fill=fill, fill_class=cls, fill_note=note,
                       value_range=tuple(value_range) if value_range else col.value_range)

    def _per(self, raw: Any, fill: Fill, file: str, table: str, column: str) -> Fill:
        """A rule's ``per``: the attributes that key the column's draw (see ``Fill.per``)."""
        if (not isinstance(raw, list) or not raw
                or not all(isinstance(name, str) and name for name in raw)):
            self.problem(file, "per must be a list of attribute names", table, column)
            return fill
        if fill.kind not in ("draw", "derive"):
            self.problem(file, f"per keys a draw; a {fill.kind} fill draws nothing", table,
                         column)
            return fill
        return replace(fill, per=tuple(raw))

    def _check_links(self, tables: list[TableSpec]) -> None:
        by_name = {t.name: t for t in tables}
        seen_tables: set[str] = set()
        for table in tables:
            if table.name in seen_tables:
                self.problem(table.source_file, "table declared twice", table.name)
            seen_tables.add(table.name)
            for col in table.columns:
                if col.key is not None and col.key not in self.keyspaces:
                    self.problem(table.source_file, f"unknown keyspace {col.key!r} (known: "
                                 f"{', '.join(sorted(self.keyspaces))})", table.name, col.name)
                if col.references is not None:
                    self._check_reference(col.references, by_name, table, col.name)
        for ks in self.keyspaces.values():
            if ks.home is not None:
                self._check_reference(ks.home, by_name, None, None, where=f"keyspace {ks.name}")

    def _check_reference(self, ref: str, by_name: dict[str, TableSpec], table: TableSpec | None,
                         column: str | None, where: str = "") -> None:
        file = table.source_file if table else "keyspaces"
        tname = table.name if table else None
        prefix = f"{where}: " if where else ""
        target_table, _, target_col = ref.partition(".")
        if target_table not in by_name:
            extra = did_you_mean(target_table, by_name)
            self.problem(file, f"{prefix}dangling reference {ref!r}: no table "
                               f"{target_table!r}{extra}", tname, column)
            return
        names = [c.name for c in by_name[target_table].columns]
        if target_col not in names:
            self.problem(file, f"{prefix}dangling reference {ref!r}: table {target_table!r} has "
                               f"no column {target_col!r}", tname, column)

    def _check_physical_names(self, tables: list[TableSpec]) -> None:
        """Expanded relation and column names must be unique (case-insensitively, as in SQL)."""
        for iteration in (1, 2):
            seen: dict[str, str] = {}
            for table in tables:
                if iteration not in table.iterations:
                    continue
                for rel in expand_table(table, iteration):
                    key = rel.name.lower()
                    if key in seen and seen[key] != table.name:
                        self.problem(table.source_file, f"relation name {rel.name!r} also "
                                     f"produced by table {seen[key]!r}", table.name)
                    seen[key] = table.name
                    cols: set[str] = set()
                    for col in rel.columns:
                        if col.name.lower() in cols:
                            self.problem(table.source_file, f"duplicate column in {rel.name} "
                                         f"(iteration {iteration})", table.name, col.name)
                        cols.add(col.name.lower())
