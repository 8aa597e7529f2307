"""Check generated outputs against their manifests, and the parts of a run against each other.

A run's manifest records, per relation, the rows it wrote and their order-independent checksum
(``leo_synth/checksum.py``): the same rows give the same checksum in any backend and any row
order, and the checksums of a run's parts add up to the whole run's. So an output copied from
another machine, a database a test suite may have changed, or the ``--part K/N`` outputs of a
run split across machines can be checked by reading their relations back:

* :func:`check_output` reads every relation of an output (SQLite, Parquet or a Dask dataset,
  DuckDB, CSV, PostgreSQL) and compares rows and checksum with its manifest (columns as the
  output holds them: a ``--request`` run keeps fewer);
* :func:`combine_parts` checks that outputs are the parts of one run (the same settings but
  the part, each part once, the blocks contiguous) and adds their manifests up to the whole
  run's;
* :func:`compare_manifests` compares per-relation rows and checksums of two manifests (the
  parts' sum with a whole run made elsewhere, or a SQLite file with a Parquet folder).

A relation is read back a slice at a time (``output_reading.relation_slices``) and its
checksum added up slice by slice, the next slices read while the last is hashed, so memory grows
far less than the persons (a Parquet file's footer, which pyarrow parses whole, still grows).
Reading back takes about as long as the backend's reader (about
4-4.5 s for a 10,000-person SQLite file, 2.5 s for a Parquet folder, with the checksums):
checking the manifests alone is instant.
"""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from leo_synth.checksum import Checksum
from leo_synth.engine.parts import Part
from leo_synth.output_reading import (
    Output,
    held_relation,
    reading_connection,
    reading_errors,
    relation_slices,
)
from leo_synth.read_ahead import read_ahead
from leo_synth.spec.model import Catalog, Relation
from leo_synth.spec.physical import arrow_schema

RUN_SETTINGS = ("seed", "persons", "block_size", "iteration", "srs_project", "spec_sha256",
                "parameters_sha256", "profile", "quirk_rates", "ledger", "version")
"""The settings that make two outputs parts of one run (the part itself aside): what decides
the rows. (The libraries' versions are told apart in a problem, as they may change values.)"""


@dataclass
class Finding:
    """What checking an output found: its problems (one line each) and what it holds."""

    problems: list[str] = field(default_factory=list)
    relations: int = 0
    rows: int = 0


READ_AHEAD = 2
"""Slices of a relation read ahead of the hashing, at most."""


def check_output(output: Output, catalog: Catalog,
                 advance: Callable[[int], None] | None = None) -> Finding:
    """Read every relation the manifest lists, a slice at a time
    (:func:`~leo_synth.output_reading.relation_slices`: no relation is held whole), and
    compare its rows and checksum with it (``advance(rows)`` is told the rows of each slice
    read and hashed). The
    next slices are read while the last is hashed (:func:`~leo_synth.read_ahead.read_ahead`)."""
    listed: dict[str, dict[str, Any]] = output.manifest["relations"]
    known = {rel.name: rel for rel in catalog.relations(int(output.settings.get("iteration", 2)))}
    finding = Finding(relations=len(listed))
    checksum, problem = Checksum(), None
    with contextlib.closing(read_ahead(lambda: _read_back(output, list(listed), known),
                                       READ_AHEAD, "leo-synth-verify-reader")) as pieces:
        for name, relation, piece in pieces:
            if isinstance(piece, pa.Table):
                if problem is None and relation is not None:
                    problem = _hashed(output, relation, piece, checksum)
                if advance:
                    advance(piece.num_rows)
                continue
            if relation is None:
                problem = f"{name}: not a relation of this leo-synth's specs"
            elif problem is None:
                problem = piece or _compared(relation, listed[name], checksum)
            finding.rows += checksum.rows
            if problem:
                finding.problems.append(problem)
            checksum, problem = Checksum(), None
    return finding


def _read_back(output: Output, names: list[str], known: dict[str, Relation]
               ) -> Iterator[tuple[str, Relation | None, pa.Table | str | None]]:
    """Each listed relation read back with the columns the output holds, through a connection
    of the reading thread's own: its slices (tables), then its end (None), or, in place of its
    end, why it cannot be read (a line)."""
    with reading_connection(output) as conn:
        for name in names:
            relation = known.get(name)
            if relation is None:
                yield name, None, None
                continue
            where = relation.qualified_name
            try:
                held = held_relation(output, relation, conn)
                if held is None:
                    yield name, relation, f"{where}: missing"
                    continue
                for piece in relation_slices(output, held, conn):
                    yield name, held, piece
            except reading_errors(output) as exc:  # a damaged file, a value of another type
                yield name, relation, unreadable(where, exc)
                continue
            yield name, held, None


def unreadable(where: str, exc: BaseException) -> str:
    """The line for a relation (at ``where``) that cannot be read: the reader's own words."""
    message = " ".join(str(exc).split()) or type(exc).__name__
    return f"{where}: cannot be read with the spec's types ({message})"


def _hashed(output: Output, relation: Relation, piece: pa.Table,
            checksum: Checksum) -> str | None:
    """Add a slice of a relation to its checksum; why it cannot be (a line) when a value is
    not of the spec's type (text in an integer column: the cast fails)."""
    try:
        checksum.add(piece, arrow_schema(relation))
    except reading_errors(output) as exc:
        return unreadable(relation.qualified_name, exc)
    return None


def _compared(relation: Relation, recorded: dict[str, Any], checksum: Checksum) -> str | None:
    """What differs between a relation's rows read back (their checksum) and the manifest's
    record of them."""
    where = relation.qualified_name
    if checksum.rows != recorded.get("rows"):
        return f"{where}: {checksum.rows:,} rows, the manifest says {recorded.get('rows', 0):,}"
    if checksum.digest != recorded.get("checksum"):
        return f"{where}: the rows differ from those the run wrote (checksum " \
               f"{checksum.digest}, the manifest's {recorded.get('checksum')})"
    return None


def combine_parts(outputs: list[Output]) -> tuple[dict[str, Any], list[str]]:
    """The manifest of the whole run whose parts ``outputs`` are, and the problems that stop
    them from making it (different runs, a part missing or given twice, a part not holding
    its share of the blocks, an output that is a whole run)."""
    problems: list[str] = []
    whole = [o.shown for o in outputs if o.part is None]
    if whole:
        problems.append(f"not a part of a run (made without --part): {', '.join(whole)}")
        return {}, problems
    first = outputs[0]
    for other in outputs[1:]:
        differing = [key for key in RUN_SETTINGS
                     if other.settings.get(key) != first.settings.get(key)]
        if other.part["of"] != first.part["of"]:
            differing.append("part count")
        if differing:
            problems.append(f"{other.shown} is not a part of the same run as {first.shown} "
                            f"(they differ in {', '.join(differing)})")
    if problems:
        return {}, problems
    if len({json.dumps(o.settings.get("libraries"), sort_keys=True) for o in outputs}) > 1:
        problems.append("the parts were made with different library versions (numpy, pyarrow, "
                        "faker or Python), which may change generated values")
    count = first.part["of"]
    given: dict[int, list[Output]] = {}
    for output in outputs:
        given.setdefault(output.part["index"], []).append(output)
    for index in range(1, count + 1):
        if index not in given:
            problems.append(f"part {index} of {count} is missing")
        elif len(given[index]) > 1:
            problems.append(f"part {index} of {count} is given twice: "
                            f"{', '.join(o.shown for o in given[index])}")
    n_blocks = math.ceil(first.settings["persons"] / first.settings["block_size"])
    for output in outputs:  # (the share --part K/N takes: a manifest edited by hand differs)
        share = Part(output.part["index"], count).blocks(n_blocks)
        if list(output.part["blocks"]) != [share.start, share.stop]:
            problems.append(f"{output.shown} holds blocks {output.part['blocks']}, but part "
                            f"{output.part['index']} of {count} is blocks "
                            f"[{share.start}, {share.stop}]")
    return _summed(outputs), problems


def _summed(outputs: list[Output]) -> dict[str, Any]:
    """The manifests of the parts added up: settings without the part, per relation the rows
    and the combined checksum."""
    totals: dict[str, Checksum] = {}
    for output in outputs:
        for name, recorded in output.manifest["relations"].items():
            totals.setdefault(name, Checksum()).absorb(Checksum.from_digest(recorded["checksum"]))
    settings = {key: value for key, value in outputs[0].settings.items() if key != "part"}
    return {"leo_synth": settings,
            "relations": {name: {"checksum": c.digest, "rows": c.rows}
                          for name, c in totals.items()}}


def compare_manifests(mine: dict[str, Any], theirs: dict[str, Any], shown: str) -> list[str]:
    """Where two manifests' relations differ in rows or checksum (or are in one only)."""
    problems = []
    ours, other = mine["relations"], theirs["relations"]
    for name in sorted(set(ours) | set(other)):
        if name not in other:
            problems.append(f"{name}: not in {shown}")
        elif name not in ours:
            problems.append(f"{name}: only in {shown}")
        elif ours[name]["checksum"] != other[name]["checksum"]:
            problems.append(f"{name}: {ours[name]['rows']:,} rows, {other[name]['rows']:,} in "
                            f"{shown}, and other values (the checksums differ)"
                            if ours[name]["rows"] != other[name]["rows"] else
                            f"{name}: {ours[name]['rows']:,} rows as in {shown}, but other "
                            f"values (the checksums differ)")
    return problems
