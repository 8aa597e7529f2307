"""What the variable request form (VRF) says about each field, as spec column keys.

A spec table that names its ``vrf_table`` takes from ``schemas/vrf/`` the facts the VRF is the
authority on, for every column that matches a VRF field (by name, case-insensitively, after the
documented name fixes): ``description``, ``codes``, ``years``, ``terms`` and ``request``. The
YAML states such a key only where it departs from the VRF (an improved description, a corrected
code list), so a spec diff shows decisions, not copies. ``tools/sync_specs.py`` writes the specs
with the same rules (:func:`vrf_defaults` and :func:`strip_vrf_defaults` are inverses).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from leo_synth.spec.years import format_years, parse_years

VRF_FILES = ("vrf_fields.csv", "field_name_fixes.csv", "code_list_amendments.csv")
"""The files of ``schemas/vrf/`` whose content a loaded catalog depends on."""
VRF_KEYS = ("description", "codes", "years", "terms", "request")
ALL_TERMS = ["", "aut", "spr", "sum"]

Row = dict[str, str]


def vrf_paths(vrf_dir: Path) -> list[Path]:
    """The VRF files present in ``vrf_dir`` (none when the folder has no field list)."""
    if not (vrf_dir / VRF_FILES[0]).is_file():
        return []
    return [vrf_dir / name for name in VRF_FILES if (vrf_dir / name).is_file()]


def read_vrf_fields(vrf_dir: Path) -> dict[str, list[Row]]:
    """VRF fields by table key, name fixes applied. A field the VRF lists twice (or more,
    case-insensitively) is one field held in the years of every row, with the codes of every
    row (:func:`_merge`): ``CIN_Ethnicity`` is listed for 2008/09 (codes ``A1``...) and again
    for 2009/10 to 2020/21 (``WBRI``...), and the second row's years had been dropped with it
    (the column NULL after 2008/09). Rejected: a code list per year, which the spec does not
    hold."""
    fixes: dict[tuple[str, str], list[str]] = {}
    if (vrf_dir / "field_name_fixes.csv").is_file():
        for row in _rows(vrf_dir / "field_name_fixes.csv"):
            fixes[(row["table"], row["vrf_field"])] = row["spec_fields"].split(";")
    tables: dict[str, list[Row]] = {}
    seen: dict[str, dict[str, Row]] = {}
    for row in _rows(vrf_dir / "vrf_fields.csv"):
        for name in fixes.get((row["table"], row["field"]), [row["field"]]):
            first = seen.setdefault(row["table"], {}).get(name.lower())
            if first is not None:
                if first["years"] and row["years"]:
                    _merge(first, row)
                continue
            kept = {**row, "field": name}
            seen[row["table"]][name.lower()] = kept
            tables.setdefault(row["table"], []).append(kept)
    return tables


def _merge(first: Row, row: Row) -> None:
    """Fold a second VRF row of a field into its first, in place: the years of both, the row
    of the most years for the description, and the codes of both (those of that row first)."""
    held, more = parse_years(first["years"]), parse_years(row["years"])
    base, other = (row, first) if len(more) > len(held) else (first, row)
    codes = json.loads(base["codes"] or "[]")
    known = {code for code, _ in codes}
    codes += [pair for pair in json.loads(other["codes"] or "[]") if pair[0] not in known]
    first.update({**base, "field": first["field"], "years": format_years(held | more),
                  "codes": json.dumps(codes) if codes else base["codes"]})


Amendments = dict[tuple[str, str], tuple[str, list[tuple[str, str]]]]


def code_amendments(vrf_dir: Path) -> Amendments:
    """Documented corrections of VRF code lists (``code_list_amendments.csv``)."""
    path = vrf_dir / "code_list_amendments.csv"
    amendments: Amendments = {}
    for row in _rows(path) if path.is_file() else []:
        codes = [item.split("=", 1) for item in row["codes"].split(";") if item]
        amendments[(row["table"], row["field"])] = (row["action"], [(c, lab) for c, lab in codes])
    return amendments


def _rows(path: Path) -> Iterable[Row]:
    with open(path, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def codes_of(row: Row, amendments: Amendments) -> list[tuple[str, str]]:
    """The VRF code list, amended, with numeric runs such as ``1-14`` expanded to single codes."""
    out: list[tuple[str, str]] = []
    action, extra = amendments.get((row["table"], row["field"]), ("", []))
    if action == "drop":
        return []
    for code, label in [*json.loads(row["codes"] or "[]"), *extra]:
        code = code.strip().strip("`'\"")
        run = re.fullmatch(r"(\d+)\s*-\s*(\d+)", code)
        if run and int(run.group(2)) - int(run.group(1)) < 100:
            out.extend((str(i), label) for i in range(int(run.group(1)), int(run.group(2)) + 1))
        elif code and "/" not in code:
            out.append((code, label))
    unique: dict[str, str] = {}
    for code, label in out:
        unique.setdefault(code, label)
    return list(unique.items())


def description_of(row: Row) -> str:
    """The VRF description without its appended notes."""
    text = row["description"].split(" | Notes:")[0].strip()
    return text or f"{row['field']} (no description in the variable request form)."


class VrfFacts:
    """The VRF field list of a ``schemas/vrf/`` folder, read once."""

    def __init__(self, vrf_dir: Path):
        self.fields = read_vrf_fields(vrf_dir)
        self.amendments = code_amendments(vrf_dir)

    def rows(self, table: dict[str, Any]) -> dict[str, Row]:
        """A spec table's VRF rows by lower-case field name (none without ``vrf_table``)."""
        key = table.get("vrf_table")
        return {row["field"].lower(): row for row in self.fields.get(str(key), [])} \
            if key else {}

    def defaults(self, row: Row, table: dict[str, Any]) -> dict[str, Any]:
        """The column keys the VRF gives a field of ``table`` (a spec table mapping)."""
        return vrf_defaults(row, table, self.amendments)


def vrf_defaults(row: Row, table: dict[str, Any], amendments: Amendments) -> dict[str, Any]:
    """The column keys the VRF gives a field of ``table`` (a spec table mapping)."""
    facts: dict[str, Any] = {"description": description_of(row)}
    codes = codes_of(row, amendments)
    if codes:
        facts["codes"] = dict(codes)
    if row["years"] and row["years"] != str(table.get("years", "")) \
            and table.get("calendar") != "none":
        facts["years"] = row["years"]
    if row["terms"]:
        terms = row["terms"].split(";")
        if "spr" in terms:
            terms = ["", *terms]  # PLASC (to 2004/05) was the January collection
        if sorted(terms) != ALL_TERMS:
            facts["terms"] = terms
    if row["section"] in ("default", "by_request"):
        facts["request"] = row["section"]
    return facts


def _same(key: str, stated: Any, vrf: Any) -> bool:
    """Does a stated value load to what the VRF gives (codes compared as loaded strings)?"""
    if key == "codes":
        return isinstance(stated, dict) and isinstance(vrf, dict) and [
            (str(k), None if v is None else str(v)) for k, v in stated.items()] == [
            (str(k), str(v)) for k, v in vrf.items()]
    if key == "description":
        return str(stated).strip() == str(vrf).strip()
    if key == "terms":
        return isinstance(stated, list) and [str(t) for t in stated] == vrf
    return str(stated) == str(vrf)


def repeated_keys(column: dict[str, Any], facts: dict[str, Any]) -> list[str]:
    """The keys a column states that only repeat the VRF (none in a file sync_specs wrote)."""
    return [key for key in column if key in facts and _same(key, column[key], facts[key])]


def strip_vrf_defaults(column: dict[str, Any], facts: dict[str, Any]) -> dict[str, Any]:
    """The column without the keys that only repeat the VRF; a key the VRF gives but the
    column lacks is stated as ``null``, so loading gives the column back."""
    repeated = repeated_keys(column, facts)
    out = {key: value for key, value in column.items() if key not in repeated}
    out.update({key: None for key in facts if key not in column})
    return out
