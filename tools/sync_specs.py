"""Bring the column lists of the specs in line with the variable request form (VRF).

    python tools/sync_specs.py            # update schemas/**/*.yaml in place
    python tools/sync_specs.py --check    # exit 1 if the specs are not in sync (changes nothing)

Input: the checked-in VRF field list ``schemas/vrf/vrf_fields.csv`` (made from the form by
``tools/vrf_extract.py``), the documented name fixes ``schemas/vrf/field_name_fixes.csv`` and
the FFT code lists ``schemas/vrf/fft_codelists.csv``. Every spec table that names its
``vrf_table`` gets exactly the VRF's fields, in the VRF's order:

* what the VRF is the authority on is refreshed every time: ``years``, ``terms``, ``request``;
* everything else in an existing column (type, fill, description, codes, keys) is curation and
  is kept; keys it lacks are filled from the VRF;
* then every key that only repeats the VRF (``description``, ``codes``, ``years``, ``terms``,
  ``request``) is left out of the file, because the loader merges the VRF's facts at load
  (``leo_synth/spec/vrf_facts.py``); a file holds only the decisions;
* a field new to the spec gets a type inferred from the VRF's data type and allowed values, and
  a fill: the builder's attribute when the field is one of the shared characteristics (gender,
  birth, FSM, SEN, school ...) the builder provides, otherwise a draw from the field's code list
  or range, or a derivation for dates and free codes.

The specs stay the source of truth that the generator reads; this tool only keeps them complete
and in step with the form.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import OrderedDict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
VRF = ROOT / "schemas" / "vrf"
SCHEMAS = ROOT / "schemas"

sys.path.insert(0, str(ROOT))

from leo_synth import relations  # noqa: E402,F401 - registers builders
from leo_synth.relations.registry import BUILDERS  # noqa: E402
from leo_synth.spec.vrf_facts import (  # noqa: E402
    VrfFacts,
    description_of,
    strip_vrf_defaults,
)

FACTS: list[VrfFacts] = []
"""The VRF field list, read once by :func:`main`."""


def codes_of(row: dict[str, str]) -> list[tuple[str, str]]:
    """The VRF code list as the loader reads it (amended, runs expanded)."""
    from leo_synth.spec.vrf_facts import codes_of as vrf_codes

    return vrf_codes(row, FACTS[0].amendments)

ALL_TERMS = ["", "aut", "spr", "sum"]
TABLE_PREFIXES = re.compile(
    r"^(KS[1-5]|PRU|AP|FSP|pl|cla|CIN|NCCIS|YPMAD|HE)_", re.IGNORECASE)
PLACEHOLDERS = re.compile(r"(?:_(?:\[term\]|spr|sum|aut|ab|ex))?\[(?:yy|yyyy|n)\]",
                          re.IGNORECASE)

# Shared characteristics: normalised VRF base name -> builder attribute (see
# leo_synth/relations/pupil.py). Used only when the table's builder provides the attribute.
ALIASES = {
    "pupilmatchingrefanonymous": "pmr", "s.pupilmatchingrefanonymous": "pmr",
    "gender": "gender", "sex": "gender", "female": "female_flag",
    "yearofbirth": "year_of_birth", "monthofbirth": "month_of_birth",
    "ageatstartofacademicyear": "age_start", "age_start": "age_start",
    "monthpartofageatstartofacademicyear": "month_part", "month_part": "month_part",
    "ethnicgroupminor": "ethnic_group_minor", "ethnicity": "ethnicity",
    "ethnicgroupmajor": "ethnic_group_major", "ethnicgroup": "ethnic_group_old",
    "fsmeligible": "fsm", "fsm": "fsm", "everfsm_6": "ever_fsm_6", "fsm6": "ever_fsm_6",
    "everfsm_6_p": "ever_fsm_6", "fsm6_p": "ever_fsm_6", "everfsm_3": "ever_fsm_3",
    "everfsm_all": "ever_fsm_all", "firstlanguage": "first_language",
    "languagegroupminor": "language_group_minor", "languagegroupmajor": "language_group_major",
    "lang1st": "language_group_minor", "senprovision": "sen_provision", "senf": "sen_provision",
    "senprovisionmajor": "sen_provision_major", "primarysentype": "primary_sen_type",
    "sentype": "primary_sen_type", "secondarysentype": "secondary_sen_type",
    "senk": "sen_support_flag", "sene": "sen_ehc_flag", "sense": "sen_statement_or_ehc_flag",
    "sen_all": "sen_any_flag", "sena": "sen_action_flag",
    "senps": "sen_action_plus_or_statement_flag",
    "la_anon": "la_anon", "la_9code_anon": "la_9code_anon", "laestab_anon": "laestab_anon",
    "urn_anon": "urn_anon", "homela_anon": "home_la_anon",
    "homela_9code_anon": "home_la_9code_anon", "lsoa11": "lsoa", "lsoa01": "lsoa",
    "llsoa": "lsoa", "coa": "coa", "idaciscore": "idaci_score", "idacirank": "idaci_rank",
    "idaci": "idaci_score", "idaci_s": "idaci_score", "idaci_r": "idaci_rank",
    "acadyr": "academic_year", "academicyear": "academic_year",
    "ncyearactual": "ncyear_actual",
}
DATE_NAME = re.compile(r"date|_dob$|^dob|birth_month|death_month|comdate|enddate|dateleft",
                       re.IGNORECASE)
FLOAT_NAME = re.compile(r"score|idaci|_va|va_|cva|pred|dev|avg|mean|pct|percent|prop|width|"
                        r"rate|stuload|fte|load|aps|_ps$", re.IGNORECASE)


class FlowList(list):
    """A list dumped in flow style ([a, b])."""


def _flow(dumper: yaml.SafeDumper, value: FlowList) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


def _ordered(dumper: yaml.SafeDumper, value: OrderedDict) -> yaml.Node:
    return dumper.represent_dict(value.items())


class Dumper(yaml.SafeDumper):
    """Block mappings, flow short lists, insertion order, no aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


Dumper.add_representer(FlowList, _flow)
Dumper.add_representer(OrderedDict, _ordered)


# -- reading the VRF field list ---------------------------------------------------------------

def fft_codelists() -> dict[str, list[tuple[str, str]]]:
    lists: dict[str, list[tuple[str, str]]] = {}
    with open(VRF / "fft_codelists.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            lists.setdefault(row["list"], []).append((row["code"], row["label"]))
    return lists


def base_name(field: str) -> str:
    """``KS4_FSM6`` -> ``fsm6``; ``LAEstab_[term][yy]_anon`` -> ``laestab_anon``."""
    name = PLACEHOLDERS.sub("", field)
    name = TABLE_PREFIXES.sub("", name)
    return name.lower()


# -- inference ----------------------------------------------------------------------------------

def _int_like(values: list[str]) -> bool:
    return all(re.fullmatch(r"-?\d+", v) for v in values)


TYPE_BY_BASE = {"acadyr": "varchar(9)", "academicyear": "varchar(9)",
                "academic_year": "varchar(9)", "reportingacademicyear": "varchar(9)"}


def infer_type(row: dict[str, str], codes: list[tuple[str, str]]) -> str:
    """A SQL type for a VRF field from its data type, code list and name."""
    if base_name(row["field"]) in TYPE_BY_BASE:
        return TYPE_BY_BASE[base_name(row["field"])]
    raw = row["data_type"].strip()
    low = raw.lower().replace(" ", "")
    name = row["field"]
    sized = re.fullmatch(r"n?(varchar|char)\((\d+|max)\)", low)
    if sized:
        return "varchar" if sized.group(2) == "max" else f"varchar({sized.group(2)})"
    if low in {"int", "bigint", "smallint", "tinyint", "bit", "date", "datetime", "float",
               "real"}:
        return low
    if re.fullmatch(r"(decimal|numeric)\(\d+,\d+\)", low):
        return low.replace("decimal", "numeric")
    if low.startswith("date9"):
        return "date"
    if low in {"num", "numeric"}:
        return "int"
    if DATE_NAME.search(name) and not codes:
        return "date"
    if codes:
        values = [c for c, _ in codes]
        if _int_like(values):
            return "int"
        return f"varchar({max(max(len(v) for v in values), 1)})"
    if low == "dichotomous":
        return "int"
    if low == "continuous" or (not low and row["value_range"]):
        decimals = "dp" in row["allowed_values_raw"].lower() or "." in row["value_range"]
        return "float" if decimals or FLOAT_NAME.search(name) else "int"
    if low in {"char", "text"} or name.lower().endswith("_anon"):
        return "varchar(30)"
    return "varchar(50)"


def numeric_range(row: dict[str, str], sql_type: str) -> list[float] | None:
    """The VRF's range, or a conservative one for a numeric field without it."""
    if row["value_range"]:
        low, _, high = row["value_range"].partition("..")
        low_v = float(low)
        high_v = float(high) if high else low_v + (30 if "hour" in row["field"].lower() else 20)
        as_int = sql_type in {"int", "bigint", "smallint", "tinyint"}
        return [int(low_v), int(high_v)] if as_int else [low_v, high_v]
    name = row["field"].lower()
    if re.search(r"point|pts|score|aps", name):
        return [0, 100] if sql_type == "float" else [0, 500]
    if re.search(r"_va|cva|pred", name):
        return [950.0, 1050.0]
    if re.search(r"pct|percent|prop|width|fte|load", name):
        return [0.0, 100.0]
    if re.search(r"session|hour|count|num|entries|total|weeks|days", name):
        return [0, 40]
    return [0, 9]


def new_column(row: dict[str, str], provides: frozenset[str],
               fft: dict[str, list[tuple[str, str]]],
               kinds: dict[str, str] | None = None) -> OrderedDict:
    """A spec column for a field the spec does not have yet."""
    codes = codes_of(row)
    sql_type = infer_type(row, codes)
    col: OrderedDict = OrderedDict(name=row["field"], type=sql_type)
    col["description"] = description_of(row)
    attribute = _attribute(row["field"], provides)
    if attribute is not None:
        col["fill"] = attribute
        observed = (kinds or {}).get(attribute.replace("[n]", "1"))
        if observed and not _explicit_sql_type(row):
            col["type"] = observed
        if codes:
            col["codes"] = OrderedDict(codes)
        return col
    if codes:
        col["codes"] = OrderedDict(codes)
        col["fill"] = OrderedDict(draw="codes")
    elif sql_type == "date":
        col["fill"] = OrderedDict(derive="date_in_year")
    elif sql_type.startswith(("int", "bigint", "smallint", "float", "numeric", "bit")):
        col["range"] = FlowList(numeric_range(row, sql_type))
        col["fill"] = OrderedDict(draw="range")
    else:
        length = int(re.search(r"\d+", sql_type).group()) if "(" in sql_type else 30
        col["fill"] = OrderedDict(derive="reference_code", length=min(length, 12))
    return col


def _explicit_sql_type(row: dict[str, str]) -> bool:
    """Does the VRF give a real SQL type (LILR, LEO sheets) rather than a kind of variable?"""
    return row["data_type"].strip().lower().replace(" ", "") not in {
        "", "categorical", "dichotomous", "continuous", "text"}


def attribute_kinds(persons: int = 1500) -> dict[str, dict[str, str]]:
    """SQL types of every builder attribute, read off a small simulated block.

    A field filled from a builder attribute takes the attribute's type (the VRF's "Continuous"
    or "Categorical" says nothing of text vs number), so spec and data always agree.
    """
    from leo_synth.engine.keys import KeyMaker
    from leo_synth.relations.registry import StaticContext
    from leo_synth.simulation.context import BlockContext
    from leo_synth.simulation.frame import Masked
    from leo_synth.simulation.life import simulate_block
    from leo_synth.simulation.parameters import load_parameters
    from leo_synth.simulation.pools import build_pools
    from leo_synth.spec.loader import load_catalog

    catalog = load_catalog()
    params = load_parameters()
    keys = KeyMaker(catalog.keyspaces, 1)
    pools = build_pools(1, persons, params)
    life = simulate_block(BlockContext(1, 0, 0, persons, params, pools, keys))
    static = StaticContext(1, params, pools, keys)
    kinds: dict[str, dict[str, str]] = {}
    physical = catalog.relations(2)
    for table in catalog.tables:
        builder = BUILDERS.get(table.builder)
        rel = next((r for r in physical if r.table.name == table.name), None)
        if builder is None or rel is None or table.builder in kinds:
            continue
        frame = builder.build(static if builder.static else life, rel)
        found: dict[str, str] = {}
        for name in frame.columns():
            values = frame[name]
            values = values.values if isinstance(values, Masked) else values
            found[name] = _sql_kind(values)
        kinds[table.builder] = found
    return kinds


def _sql_kind(values: Any) -> str:
    import numpy as np

    values = np.asarray(values)
    kind = values.dtype.kind
    if kind in "iub":
        return "bigint" if len(values) and np.abs(values).max() > 2**31 - 1 else "int"
    if kind == "f":
        return "float"
    if kind == "M":
        return "date"
    longest = max((len(str(v)) for v in values[:2000]), default=1)
    return f"varchar({max(longest, 1) if longest <= 10 else 10 * ((longest + 9) // 10)})"


def _attribute(field: str, provides: frozenset[str]) -> str | None:
    """The builder attribute for a field: a shared characteristic, or the field's own base name
    (``[n]`` fields map to ``<base>_[n]`` when the builder provides ``<base>_1``)."""
    base = base_name(field)
    for candidate in (base, ALIASES.get(base)):
        if candidate is None:
            continue
        if "[n]" in field and f"{candidate}_1" in provides:
            return f"{candidate}_[n]"
        if "[n]" not in field and candidate in provides:
            return candidate
    return None


GENERIC_DERIVATIONS = {"date_in_year", "reference_code"}


def _generic(col: dict[str, Any]) -> bool:
    """Is the column's fill one this tool chose (so a builder attribute may replace it)?"""
    fill = col.get("fill")
    return isinstance(fill, dict) and (
        "draw" in fill or fill.get("derive") in GENERIC_DERIVATIONS)


# -- syncing ------------------------------------------------------------------------------------

def sync_table(table: dict[str, Any], fields: list[dict[str, str]],
               fft: dict[str, list[tuple[str, str]]],
               kinds: dict[str, dict[str, str]]) -> list[str]:
    """Update one spec table in place; return messages about columns the VRF lacks."""
    builder = BUILDERS.get(table.get("builder", ""))
    provides = builder.provides if builder else frozenset()
    observed = kinds.get(table.get("builder", ""), {})
    existing = {str(c["name"]).lower(): c for c in table.get("columns") or []}
    columns = []
    for row in fields:
        col = existing.pop(row["field"].lower(), None)
        if col is None:
            col = new_column(row, provides, fft, observed)
        else:
            col = OrderedDict({**FACTS[0].defaults(row, table), **col})  # VRF facts merged
            attribute = _attribute(row["field"], provides)
            if attribute is not None and _generic(col):
                col["fill"] = attribute
                kind = observed.get(attribute.replace("[n]", "1"))
                if kind and not _explicit_sql_type(row):
                    col["type"] = kind
        if (row["table"], row["field"]) in FACTS[0].amendments:  # documented corrections
            col.pop("codes", None)
            if codes_of(row):
                col["codes"] = OrderedDict(codes_of(row))
        _refresh(col, row, table)
        col = OrderedDict(strip_vrf_defaults(col, FACTS[0].defaults(row, table)))
        _reorder(col)
        columns.append(col)
    extra = [f"{table['name']}: column {name} is not in the VRF (kept)" for name in existing]
    columns.extend(OrderedDict(c) for c in existing.values())
    table["columns"] = columns
    return extra


KEY_OF_ATTRIBUTE = {
    "pmr": "pmr", "pupilmatchingrefanonymous": "pmr", "laestab_anon": "school",
    "urn_anon": "school", "la_anon": "la", "la_9code_anon": "la", "home_la_anon": "la",
    "home_la_9code_anon": "la",
}
"""Builder attributes that carry a pseudonymous key: their columns join through its keyspace."""


def _refresh(col: OrderedDict, row: dict[str, str], table: dict[str, Any]) -> None:
    """Set what the VRF is the authority on: years, terms and request section; mark key
    columns with their keyspace."""
    fill = col.get("fill")
    if isinstance(fill, str) and fill in KEY_OF_ATTRIBUTE and "references" not in col:
        col.setdefault("key", KEY_OF_ATTRIBUTE[fill])
    for key in ("years", "terms", "request"):
        col.pop(key, None)
    table_years = str(table.get("years", ""))
    if row["years"] and row["years"] != table_years and table.get("calendar") != "none":
        col["years"] = row["years"]
    if row["terms"]:
        terms = row["terms"].split(";")
        if "spr" in terms:
            terms = ["", *terms]  # PLASC (to 2004/05) was the January collection
        if sorted(terms) != ALL_TERMS:
            col["terms"] = FlowList(terms)
    if row["section"] in ("default", "by_request"):
        col["request"] = row["section"]
    if "[n]" in row["field"]:
        col.setdefault("repeat", 40)
    _reorder(col)


ORDER = ("name", "type", "nullable", "description", "years", "terms", "request", "repeat",
         "codes", "codelist", "range", "key", "references", "i1_name", "iterations", "fill")


def _reorder(col: OrderedDict) -> None:
    items = sorted(col.items(), key=lambda kv: ORDER.index(kv[0]) if kv[0] in ORDER else 99)
    col.clear()
    col.update(items)


def _load(path: Path) -> tuple[list[str], Any]:
    text = path.read_text(encoding="utf-8")
    header = []
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            header.append(line)
        else:
            break
    return header, yaml.safe_load(text)


def _dump(header: list[str], doc: Any) -> str:
    body = yaml.dump(_to_ordered(doc), Dumper=Dumper, sort_keys=False, width=100,
                     allow_unicode=True, default_flow_style=False)
    return "\n".join(header).rstrip() + "\n" + body if header else body


def _to_ordered(node: Any) -> Any:
    if isinstance(node, FlowList):
        return node
    if isinstance(node, dict):
        return OrderedDict((k, _to_ordered(v)) for k, v in node.items())
    if isinstance(node, list):
        if node and all(isinstance(v, str | int | float) for v in node) and len(node) <= 12:
            return FlowList(node)
        return [_to_ordered(v) for v in node]
    return node


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="report drift, change nothing")
    parser.add_argument("--reset", nargs="*", default=[], metavar="TABLE",
                        help="rebuild these tables' columns from the VRF (drops curation)")
    args = parser.parse_args()
    FACTS.append(VrfFacts(VRF))
    fields = FACTS[0].fields
    fft = fft_codelists()
    kinds = attribute_kinds()
    changed, messages, synced = [], [], set()
    for path in sorted(SCHEMAS.rglob("*.yaml")):
        header, doc = _load(path)
        if not isinstance(doc, dict) or not doc.get("tables"):
            continue
        for table in doc["tables"]:
            key = table.get("vrf_table")
            if table["name"] in args.reset:
                table["columns"] = []
            if key:
                if key not in fields:
                    messages.append(f"{path.name}: {table['name']}: unknown vrf_table {key!r}")
                    continue
                messages += sync_table(table, fields[key], fft, kinds)
                synced.add(key)
        new_text = _dump(header, doc)
        if new_text != path.read_text(encoding="utf-8"):
            changed.append(path)
            if not args.check:
                path.write_text(new_text, encoding="utf-8")
    missing = sorted(set(fields) - synced)
    for message in messages:
        print(message, file=sys.stderr)
    if missing:
        print(f"VRF tables without a spec table: {', '.join(missing)}", file=sys.stderr)
    verb = "would change" if args.check else "changed"
    print(f"{verb} {len(changed)} spec file(s): {', '.join(p.name for p in changed) or '-'}")
    return 1 if args.check and (changed or missing) else 0


if __name__ == "__main__":
    sys.exit(main())
