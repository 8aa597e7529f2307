"""The data dictionary (``leo-synth dictionary``): docs up to date, complete, same facts in
every format, and the command's file and error handling."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from leo_synth.dictionary import (
    FORMATS,
    Dictionary,
    build_dictionary,
    render_html,
    render_json,
    render_markdown,
)
from leo_synth.dictionary.command import DOCS_COMMAND, dictionary
from leo_synth.dictionary.markdown import cell
from leo_synth.dictionary.text import code
from leo_synth.errors import LeoSynthError
from leo_synth.spec.model import Catalog, ColumnSpec

DOCS = ROOT / "docs" / "data_dictionary.md"
PERSON_KEYSPACES = ("pmr", "ae_id", "edukey", "recordid", "external_id")


@pytest.fixture(scope="module")
def dictionary_i2(catalog: Catalog) -> Dictionary:
    """The Iteration 2 dictionary, built once for the module."""
    return build_dictionary(catalog, 2)


@pytest.fixture
def fast_command(monkeypatch: pytest.MonkeyPatch, catalog: Catalog) -> None:
    """Let the command use the session catalog instead of parsing the specs again (the module
    entry point test runs the real thing)."""
    monkeypatch.setattr("leo_synth.dictionary.command.load_catalog",
                        lambda schema_dir=None: catalog)


@pytest.fixture(scope="module")
def markdown(dictionary_i2: Dictionary) -> str:
    """Its Markdown rendering (what docs/data_dictionary.md must hold)."""
    return render_markdown(dictionary_i2)


def _sections(markdown: str) -> dict[str, str]:
    """Template name -> its Markdown section (from its ``###`` heading to the next heading)."""
    parts = re.split(r"^(#{2,3} .+)$", markdown, flags=re.M)
    return {parts[i][4:]: parts[i + 1] for i in range(1, len(parts) - 1, 2)
            if parts[i].startswith("### ")}


def _mermaid(markdown: str) -> str:
    """The source of the document's Mermaid block."""
    match = re.search(r"^```mermaid\n(.*?)^```$", markdown, flags=re.M | re.S)
    assert match, "no ```mermaid block"
    return match.group(1)


# -- the checked-in docs -----------------------------------------------------------------------

def test_docs_are_up_to_date(markdown: str) -> None:
    message = (f"docs/data_dictionary.md is out of date with the specs; regenerate it with:\n"
               f"    {DOCS_COMMAND}")
    assert DOCS.exists(), message
    if DOCS.read_text(encoding="utf-8") != markdown:
        pytest.fail(message, pytrace=False)


def test_render_is_deterministic(catalog: Catalog, markdown: str) -> None:
    again = build_dictionary(catalog, 2)
    assert render_markdown(again) == markdown
    assert render_json(again) == render_json(build_dictionary(catalog, 2))
    assert render_html(again) == render_html(build_dictionary(catalog, 2))


# -- completeness ------------------------------------------------------------------------------

def test_every_relation_and_column_has_a_description(catalog: Catalog) -> None:
    missing = []
    for iteration in (1, 2):
        for rel in catalog.relations(iteration):
            if not rel.table.description.strip() or not rel.table.grain.strip():
                missing.append(rel.name)
            missing += [f"{rel.name}.{col.name}" for col in rel.columns
                        if not col.spec.description.strip()]
    assert not missing, f"no description: {missing[:20]}"


def _template_columns(catalog: Catalog, iteration: int) -> dict[tuple[str, str], ColumnSpec]:
    """(template, column name in the iteration) -> spec, for every relation column."""
    out = {}
    for rel in catalog.relations(iteration):
        for col in rel.columns:
            spec = col.spec
            name = spec.i1_name if iteration == 1 and spec.i1_name else spec.name
            out[(rel.table.name, name)] = spec
    return out


@pytest.mark.parametrize("iteration", [1, 2])
def test_markdown_shows_every_relation_and_column(catalog: Catalog, iteration: int) -> None:
    text = render_markdown(build_dictionary(catalog, iteration))
    sections = _sections(text)
    problems = [f"relation {rel.name} not in the index" for rel in catalog.relations(iteration)
                if f"| `{rel.name}` |" not in text]
    for template, name in _template_columns(catalog, iteration):
        if template not in sections:
            problems.append(f"no section for template {template}")
        elif f"| {cell(code(name))} |" not in sections[template]:
            problems.append(f"column {name} not in section {template}")
    assert not problems, problems[:20]


def test_markdown_summarises_relation_names_and_missing_years(
        dictionary_i2: Dictionary, markdown: str) -> None:
    sections = _sections(markdown)
    for template in dictionary_i2.templates:
        for variant in template.variants:
            for run in variant.runs:
                assert code(run.first) in sections[template.name]
                assert code(run.last) in sections[template.name]
            for name in variant.missing_names:
                assert f"no {code(name)}" in sections[template.name]


def test_code_lists_keep_every_code(catalog: Catalog, markdown: str) -> None:
    sections = _sections(markdown)
    problems = []
    for (template, name), spec in _template_columns(catalog, 2).items():
        section = sections[template]
        for value, label in spec.codes:
            if cell(code(value)) not in section:
                problems.append(f"{template}.{name}: code {value}")
            elif label and cell(label) not in section:
                problems.append(f"{template}.{name}: label {label!r}")
    assert not problems, problems[:20]


def test_json_has_one_entry_per_relation(catalog: Catalog, dictionary_i2: Dictionary) -> None:
    doc = json.loads(render_json(dictionary_i2))
    relations = catalog.relations(2)
    names = [r["name"] for r in doc["relations"]]
    assert len(names) == len(set(names)) == len(relations)
    assert set(names) == {r.name for r in relations}
    by_name = {r.name: r for r in relations}
    for entry in doc["relations"]:
        rel = by_name[entry["name"]]
        assert entry["database"] == rel.database
        assert entry["description"].strip() and entry["grain"].strip()
        assert entry["primary_key"] == list(rel.primary_key)
        assert [c["name"] for c in entry["columns"]] == [c.name for c in rel.columns]
        for column, rc in zip(entry["columns"], rel.columns, strict=True):
            assert column["description"].strip()
            assert column["type"] == str(rc.spec.type)
            assert column["keyspace"] == rc.spec.key
            assert [(c["code"], c["label"]) for c in column["codes"]] == list(rc.spec.codes)
            assert column["years"] == sorted(rc.active_years)
    assert {k["name"] for k in doc["keyspaces"]} == set(catalog.keyspaces)


# -- the id-space diagram ----------------------------------------------------------------------

def test_mermaid_shows_the_id_spaces_and_lookups(catalog: Catalog, markdown: str) -> None:
    diagram = _mermaid(markdown)
    assert diagram.startswith("flowchart ")
    for ks in PERSON_KEYSPACES:
        assert ks in catalog.keyspaces
        assert re.search(rf"^\s*k_{ks}\(\[", diagram, flags=re.M), f"no node for {ks}"
    homes = {ks.home.partition(".")[0] for ks in catalog.keyspaces.values() if ks.home}
    assert homes, "no keyspace declares a home"
    for table in homes:
        assert f"t_{table}[" in diagram, f"lookup {table} missing from the diagram"
    # every template carrying a person key is drawn (alone or in a group node) and linked
    for table in catalog.tables:
        if 2 not in table.iterations:
            continue
        for col in table.columns:
            if col.key in PERSON_KEYSPACES:
                assert table.name in diagram, f"{table.name} ({col.key}) not in the diagram"
                assert re.search(rf"(^|\s)k_{col.key} (---|===)\|", diagram, flags=re.M) or \
                    re.search(rf"(---|===)\|.*\| k_{col.key}$", diagram, flags=re.M)
            if col.references:
                target = col.references.partition(".")[2]
                assert f'-->|"{col.name} → {target}"|' in diagram, col.references


def test_mermaid_nodes_are_declared(markdown: str) -> None:
    diagram = _mermaid(markdown)
    declared = set(re.findall(r"^\s*([A-Za-z0-9_]+)[\[(]", diagram, flags=re.M))
    for line in diagram.splitlines():
        edge = re.match(r"^\s*(\S+) (?:---|===|-->)\|\".*\"\| (\S+)$", line)
        if edge:
            assert {edge.group(1), edge.group(2)} <= declared, line


def test_canonical_routes_go_through_the_lookups(dictionary_i2: Dictionary) -> None:
    routes = {(r.source, r.target): r for r in dictionary_i2.routes}
    pmr_to_edukey = routes.get(("pmr", "edukey"))
    assert pmr_to_edukey is not None, list(routes)
    homes = {k.name: k.home for k in dictionary_i2.keyspaces}
    first, last = pmr_to_edukey.hops[0], pmr_to_edukey.hops[-1]
    assert f"{first.relation}.{first.enter}" == homes["pmr"]
    assert f"{last.relation}.{last.leave}" == homes["edukey"]
    assert all(hop.keyspace in dictionary_i2.graph.nodes for hop in pmr_to_edukey.hops)


# -- HTML --------------------------------------------------------------------------------------

class _TagChecker(HTMLParser):
    """Checks that tags nest and that no link or source leaves the page."""

    VOID = frozenset({"meta", "br", "hr", "img", "link", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value and not value.startswith("#"):
                self.external.append(value)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> at {self.getpos()}")
        else:
            self.stack.pop()


def test_html_is_self_contained_and_complete(catalog: Catalog,
                                            dictionary_i2: Dictionary) -> None:
    page = render_html(dictionary_i2)
    checker = _TagChecker()
    checker.feed(page)
    assert not checker.errors and not checker.stack, (checker.errors[:5], checker.stack)
    assert not checker.external, checker.external[:5]
    for rel in catalog.relations(2):
        assert f"<code>{rel.name}</code>" in page, rel.name


class _Ids(HTMLParser):
    """Collects element ids (with repeats), the links and the tags seen."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if found.get("href"):
            self.hrefs.append(str(found["href"]))


def test_html_is_navigable(dictionary_i2: Dictionary) -> None:
    page = render_html(dictionary_i2)
    parsed = _Ids()
    parsed.feed(page)
    ids = set(parsed.ids)
    assert len(ids) == len(parsed.ids), "duplicate ids"
    # every in-page link lands somewhere
    assert {h[1:] for h in parsed.hrefs if h.startswith("#")} <= ids
    # a filter box and the script that reads it, with no network
    assert ("input", {"id": "filter"}) in [(t, {"id": a.get("id")}) for t, a in parsed.tags]
    script = page.split("<script>", 1)[1].split("</script>", 1)[0]
    assert 'getElementById("filter")' in script and "http" not in script
    # an anchor per physical relation and per template column, each in its database section
    for t in dictionary_i2.templates:
        assert t.anchor in ids
        for rel in t.relations:
            assert f"rel-{rel.name}" in ids, rel.name
    cols = [i for i in parsed.ids if i.startswith("col-")]
    assert len(cols) == sum(len(t.columns) for t in dictionary_i2.templates)
    assert "col-school_census-LAEstab_termyy_anon" in ids
    sections = [a["id"] for t, a in parsed.tags if t == "section"]
    assert sections == [f"db-{db.name}" for db in dictionary_i2.databases if db.templates]
    assert page.count('<details class="template"') == len(list(dictionary_i2.templates))


def test_html_draws_the_id_spaces_as_svg(dictionary_i2: Dictionary) -> None:
    page = render_html(dictionary_i2)
    assert "flowchart" not in page and 'class="mermaid"' not in page
    svg = page.split('<div class="diagram-box">', 1)[1].split("</svg>", 1)[0] + "</svg>"
    root = ET.fromstring(svg)  # well-formed XML on its own
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("viewBox")
    nodes = {g.get("id") for g in root.iter("{http://www.w3.org/2000/svg}g")}
    for ks in dictionary_i2.graph.nodes:
        assert f"diagram-k_{ks}" in nodes, ks
    for table in dictionary_i2.graph.home_templates:
        assert f"diagram-t_{table}" in nodes, table
    paths = list(root.iter("{http://www.w3.org/2000/svg}path"))
    assert len(paths) - 1 >= len(dictionary_i2.references) + len(dictionary_i2.graph.nodes)


# -- the command -------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.usefixtures("fast_command")
def test_command_writes_every_format(tmp_path: Path, catalog: Catalog, fmt: str) -> None:
    out = tmp_path / f"dictionary.{fmt}"
    result = CliRunner().invoke(dictionary, ["--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0
    assert not [p.name for p in tmp_path.iterdir() if "leo-synth-tmp" in p.name]
    mask = os.umask(0o022)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask  # as every other output (not 0600)
    if fmt == "markdown":
        assert out.read_text(encoding="utf-8") == render_markdown(build_dictionary(catalog, 2))
    if fmt == "json":
        assert len(json.loads(out.read_text(encoding="utf-8"))["relations"]) == len(
            catalog.relations(2))
    if fmt == "html":
        assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.usefixtures("fast_command")
def test_csvw_has_one_row_per_relation_column(tmp_path: Path, catalog: Catalog) -> None:
    out = tmp_path / "dictionary.csv"
    result = CliRunner().invoke(dictionary, ["--format", "csvw", "--out", str(out),
                                             "--iteration", "1"])
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames
        rows = list(reader)
    expected = [(rel.name, col.name) for rel in catalog.relations(1) for col in rel.columns]
    assert sorted((row["relation"], row["column"]) for row in rows) == sorted(expected)
    assert len(rows) == len(expected)
    assert all(row["description"].strip() for row in rows)
    metadata = json.loads(Path(f"{out}-metadata.json").read_text(encoding="utf-8"))
    assert metadata["@context"] == "http://www.w3.org/ns/csvw"
    assert metadata["url"] == out.name
    columns = metadata["tableSchema"]["columns"]
    assert [c["name"] for c in columns] == header
    assert [c["titles"] for c in columns] == header
    assert all(c.get("datatype") and c.get("dc:description") for c in columns)
    assert set(metadata["tableSchema"]["primaryKey"]) <= set(header)
    for row in rows:
        if row["codes"]:
            assert all(len(pair) == 2 for pair in json.loads(row["codes"]))


@pytest.mark.usefixtures("fast_command")
def test_command_writes_json_to_stdout(catalog: Catalog) -> None:
    result = CliRunner().invoke(dictionary, ["--format", "json", "--out", "-",
                                             "--iteration", "1"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["iteration"] == 1
    assert len(doc["relations"]) == len(catalog.relations(1))


@pytest.mark.parametrize("args, fragment", [
    (["--format", "csvw", "--out", "-"], "give --out PATH"),
    (["--out", "no/such/folder/dictionary.md"], "does not exist"),
])
@pytest.mark.usefixtures("fast_command")
def test_command_user_errors(args: list[str], fragment: str) -> None:
    result = CliRunner().invoke(dictionary, args)
    assert isinstance(result.exception, LeoSynthError), result.output
    assert fragment in str(result.exception)


def test_module_entry_point_regenerates_the_docs(tmp_path: Path, markdown: str) -> None:
    out = tmp_path / "data_dictionary.md"
    done = subprocess.run([sys.executable, "-m", "leo_synth.dictionary", "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == markdown
    bad = subprocess.run([sys.executable, "-m", "leo_synth.dictionary", "--format", "csvw"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and bad.stderr.startswith("leo-synth: error: ")
