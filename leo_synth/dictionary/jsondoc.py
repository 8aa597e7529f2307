"""JSON rendering: one object per physical relation, with its columns, keys and code lists."""

from __future__ import annotations

import json
from typing import Any

from leo_synth.dictionary import text
from leo_synth.dictionary.model import Dictionary, RelationColumnDoc, RelationDoc


def column_record(rc: RelationColumnDoc) -> dict[str, Any]:
    """A relation column as a JSON-ready mapping."""
    col = rc.column
    return {
        "name": rc.name,
        "template_column": col.name,
        "vrf_name": rc.vrf_name,
        "name_source": rc.name_source,
        "type": col.type,
        "nullable": col.nullable,
        "description": col.description,
        "years": sorted(rc.years),
        "years_label": rc.years_label,
        "terms": list(col.terms) if col.terms is not None else None,
        "request": col.request,
        "codes": [{"code": c.code, "label": c.label} for c in col.codes],
        "range": list(col.value_range) if col.value_range is not None else None,
        "keyspace": col.keyspace,
        "references": col.references,
        "fill_class": col.fill_class,
        "fill_rule": col.fill_rule,
    }


def relation_record(rel: RelationDoc) -> dict[str, Any]:
    """A physical relation as a JSON-ready mapping."""
    return {
        "name": rel.name,
        "qualified_name": f"{rel.database}.{rel.name}",
        "database": rel.database,
        "srs_name": rel.srs_name,
        "template": rel.template,
        "family": rel.family,
        "grain": rel.grain,
        "description": rel.description,
        "calendar": rel.calendar,
        "year": rel.year,
        "term": rel.term,
        "years": sorted(rel.years),
        "years_label": rel.years_label,
        "primary_key": list(rel.primary_key),
        "columns": [column_record(rc) for rc in rel.columns],
    }


def render_json(d: Dictionary) -> str:
    """The dictionary as a JSON document (stable key order, no timestamps).

    Compact, with one line per keyspace and per relation, so that the file stays small as the
    catalog grows and still diffs and greps by relation.
    """
    doc = {
        "title": f"{text.TITLE}: Iteration {d.iteration}",
        "generator": "leo-synth dictionary",
        "iteration": d.iteration,
        "note": "Years are start years of academic or tax years (2010 is 2010/11).",
        "keyspaces": [
            {"name": k.name, "column": k.label, "type": k.type, "description": k.description,
             "marker": k.marker, "home": k.home, "linkage": k.linkage,
             "carried_by": [{"relation": name, "columns": list(cols)}
                            for name, cols in k.carriers]}
            for k in d.keyspaces
        ],
        "relations": [relation_record(rel) for rel in d.relations],
    }
    lines = []
    for key, value in doc.items():
        if isinstance(value, list):
            items = ",\n".join(_dump(item) for item in value)
            lines.append(f"{_dump(key)}:[\n{items}\n]")
        else:
            lines.append(f"{_dump(key)}:{_dump(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _dump(value: Any) -> str:
    """Compact JSON of one value."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
