"""CSV on the Web (W3C CSVW): a CSV with one row per relation column, and its metadata.

The metadata file (``<csv>-metadata.json``, found next to the CSV by CSVW processors) declares
every CSV column with its title, datatype and description.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from leo_synth.dictionary import text
from leo_synth.dictionary.model import Dictionary

COLUMNS: tuple[tuple[str, Any, str], ...] = (
    ("database", "string", "Source database (SRS schema) of the relation."),
    ("relation", "string", "Physical relation (view) name as in the SRS."),
    ("template", "string", "Table template of the specs that produces the relation."),
    ("position", "integer", "1-based position of the column in the relation."),
    ("column", "string", "Physical column name."),
    ("template_column", "string", "Column name in the specs, with [term]/[yy] placeholders."),
    ("vrf_name", "string", "The VRF's name for the column here (differs under a name rule)."),
    ("name_source", "string", "Where the physical name is documented, when a rule gave it."),
    ("type", "string", "SQL type as written in the variable request form."),
    ("nullable", {"base": "boolean", "format": "true|false"}, "Whether NULL is allowed."),
    ("years", "string", "Years populated in this relation (academic or tax years)."),
    ("year_starts", "integer", "Start years populated in this relation, space separated."),
    ("terms", "string", "Collection terms the column is restricted to (empty: all)."),
    ("request", "string", "VRF request section: default or by_request (empty: not split)."),
    ("keyspace", "string", "Pseudonymous id space of a key column."),
    ("references", "string", "relation.column this column references."),
    ("codes", "json", "Code list as a JSON array of [code, label] pairs."),
    ("description", "string", "What the column holds."),
)


def _rows(d: Dictionary) -> list[list[str]]:
    """One CSV row per relation column, in dictionary order."""
    rows = []
    for rel in d.relations:
        for position, rc in enumerate(rel.columns, start=1):
            col = rc.column
            rows.append([
                rel.database, rel.name, rel.template, str(position), rc.name, col.name,
                rc.vrf_name, rc.name_source or "",
                col.type, "true" if col.nullable else "false", rc.years_label or "",
                " ".join(str(y) for y in sorted(rc.years)), text.terms_label(col),
                col.request or "", col.keyspace or "", col.references or "",
                json.dumps([[c.code, c.label] for c in col.codes], ensure_ascii=False)
                if col.codes else "",
                col.description,
            ])
    return rows


def render_csvw(d: Dictionary, csv_url: str) -> tuple[str, str]:
    """The CSV text and its CSVW metadata (``csv_url`` is the CSV's name seen from it)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([name for name, _, _ in COLUMNS])
    writer.writerows(_rows(d))
    columns = []
    for name, datatype, description in COLUMNS:
        entry: dict[str, Any] = {"name": name, "titles": name, "datatype": datatype,
                                 "dc:description": description}
        if name == "year_starts":
            entry["separator"] = " "
        if name in ("database", "relation", "template", "position", "column", "type",
                    "nullable", "description"):
            entry["required"] = True
        columns.append(entry)
    metadata = {
        "@context": "http://www.w3.org/ns/csvw",
        "url": csv_url,
        "dc:title": f"{text.TITLE}: Iteration {d.iteration}",
        "dc:description": "One row per column of each physical relation of the synthetic LEO "
                          "extract, generated from the leo-synth specs.",
        "tableSchema": {"columns": columns, "primaryKey": ["database", "relation", "column"]},
    }
    return buffer.getvalue(), json.dumps(metadata, indent=1, ensure_ascii=False) + "\n"
