"""The calibration report: targets file, SQL definitions on SQLite and Parquet, HTML, CLI.

These tests check that the report runs and is well formed on the small extract; they do not
require targets to pass (the data are not calibrated at 1,000 persons).
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from leo_synth.cli import LeoGroup
from leo_synth.errors import LeoSynthError
from leo_synth.report import stats
from leo_synth.report.command import default_targets, report
from leo_synth.report.evaluate import EARNINGS_SPREAD, STAT_FACTOR, Report, _null_se, evaluate
from leo_synth.report.html import definition_html, render_html
from leo_synth.report.registry import DEFINITIONS, load_all
from leo_synth.report.render import render_text, to_json
from leo_synth.report.source import Workspace, open_duckdb, open_parquet, open_sqlite
from leo_synth.report.targets import Metric, TargetsFile, load_targets

SVG = "{http://www.w3.org/2000/svg}svg"
REQUIRED_DEFINITIONS = {
    "census_fsm_rate", "census_sen_rate", "census_sen_need_share", "census_ethnicity_share",
    "ks4_rate", "ks4_mean", "ks4_destination_share", "he_initial_participation",
    "hesa_qualifier_female_share", "graduate_median_earnings", "median_earnings_by_age",
    "graduate_further_study", "hesa_subject_share", "apprenticeship_start_share",
    "apprentice_sustained_employment", "adult_fe_destination", "concurrent_jobs_share",
    "short_year_employees", "self_employment_share", "uc_conditionality_share",
    "claimant_rate", "benefits_after_gcse",
}
"""Definitions the targets file must use (one per family of calibration_targets.md rows)."""


@pytest.fixture(scope="module")
def targets() -> TargetsFile:
    return load_targets(default_targets())


@pytest.fixture(scope="module")
def sqlite_ws(small_sqlite) -> Workspace:
    ws = open_sqlite(small_sqlite[0])
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def sqlite_report(sqlite_ws: Workspace, targets: TargetsFile) -> Report:
    return evaluate(sqlite_ws, targets)


@pytest.fixture(scope="module")
def parquet_report(small_parquet: Path, targets: TargetsFile) -> Report:
    ws = open_parquet(small_parquet)
    try:
        return evaluate(ws, targets, statistical=True)
    finally:
        ws.close()


@pytest.fixture(scope="module")
def duckdb_report(small_duckdb: Path, targets: TargetsFile) -> Report:
    ws = open_duckdb(small_duckdb)
    try:
        return evaluate(ws, targets, statistical=True)
    finally:
        ws.close()


def _cli(*args: str) -> tuple[int, str, str]:
    group = LeoGroup(name="leo-synth", commands=[report])
    result = CliRunner().invoke(group, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


# -- targets file ------------------------------------------------------------------------

def test_targets_file_is_well_formed(targets: TargetsFile) -> None:
    assert len(targets.targets) >= 80
    definitions = load_all()
    for t in targets.targets:
        assert t.source and t.description and t.breakdown and t.year_source, t.id
        assert isinstance(t.value, float) and math.isfinite(t.value), t.id
        assert t.tolerance.amount > 0, t.id
        if t.metric is None:
            assert t.status, f"{t.id}: no definition and no status"
        else:
            for leaf in t.metric.leaves():
                assert leaf.definition in definitions, t.id
        if t.status == "skip":
            assert t.reason, t.id
    used = {leaf.definition for t in targets.targets if t.metric for leaf in t.metric.leaves()}
    assert used >= REQUIRED_DEFINITIONS
    assert any(t.status and t.status.startswith("needs") for t in targets.targets)
    assert len(targets.relationships) >= 15
    for r in targets.relationships:
        assert r.min is not None or r.max is not None, r.id
        assert all(leaf.definition in definitions for leaf in r.metric.leaves()), r.id


POOLED = (2016, 2017, 2018, 2019, 2020)
"""The tax years the subject shapes are pooled over."""
PUBLISHED_GRADUATE_FIGURES = [
    # (value, leaves as (yag, tax year(s), cah2 or sex)): subject_earnings.md's figures the
    # extract can compute at a usable sample size (Table B levels, Table A and B shapes) and
    # the women's 5 YAG gap in each year published.
    (25600, [(3, 2020, "CAH17-01")]), (19700, [(3, 2020, "CAH21-01")]),
    (27400, [(3, 2020, "CAH02-06")]),
    (67.6, [(10, POOLED, "CAH13-01"), (1, POOLED, "CAH13-01")]),
    (12.9, [(5, POOLED, "CAH13-01"), (5, POOLED, "CAH17-01")]),
    (-1.0, [(5, POOLED, "CAH02-06"), (5, POOLED, "CAH17-01")]),
    (-22.3, [(5, POOLED, "CAH21-01"), (5, POOLED, "CAH17-01")]),
    (28.9, [(10, POOLED, "CAH22-01"), (1, POOLED, "CAH22-01")]),
    (67.0, [(10, POOLED, "CAH19-01"), (1, POOLED, "CAH19-01")]),
    (-11.7, [(5, POOLED, "CAH22-01"), (5, POOLED, "CAH17-01")]),
    (-13.1, [(5, POOLED, "CAH19-01"), (5, POOLED, "CAH17-01")]),
    (-13.4, [(5, 2018, "F"), (5, 2018, "M")]), (-11.8, [(5, 2020, "F"), (5, 2020, "M")]),
    (-10.7, [(5, 2014, "F"), (5, 2014, "M")]),
]


def test_published_graduate_figures_are_targets(targets: TargetsFile) -> None:
    """Each published graduate figure above is checked, with its years and subjects."""
    def leaf(m: Metric) -> tuple:
        p = m.params
        years = tuple(p["tax_year"]) if isinstance(p["tax_year"], list) else p["tax_year"]
        return (p["yag"], years, p.get("cah2") or p.get("sex"))

    found = {(t.value, tuple(leaf(m) for m in t.metric.leaves())) for t in targets.targets
             if t.metric and all(m.definition == "graduate_median_earnings"
                                 and m.params.get("level") == "first_degree"
                                 for m in t.metric.leaves())}
    missing = [(v, ls) for v, ls in PUBLISHED_GRADUATE_FIGURES if (v, tuple(ls)) not in found]
    assert not missing, missing


def test_apprenticeship_level_shift_is_a_relationship(targets: TargetsFile) -> None:
    """calibration_targets.md: earlier years had far more intermediate (L2) starts."""
    assert any(leaf.definition == "apprenticeship_start_share"
               and leaf.params.get("measure") == "level2"
               for r in targets.relationships for leaf in r.metric.leaves())


def test_every_definition_is_documented() -> None:
    for key, spec in load_all().items():
        assert spec.doc, key
        assert re.fullmatch(r"[a-z0-9_]+", key)


def test_targets_file_problems_are_reported_together(tmp_path: Path) -> None:
    bad = tmp_path / "targets.yaml"
    bad.write_text(
        "targets:\n"
        "  - {id: A, description: x, value: 1, unit: rate, breakdown: b,\n"
        "     year: {source: '2018/19', start_year: 2018}, source: s, tolerance: {abs: 2},\n"
        "     definition: no_such_definition}\n"
        "  - {id: b_ok, description: x, value: one, unit: furlongs, breakdown: b,\n"
        "     year: {source: '2018/19'}, source: s, definition: ks4_rate,\n"
        "     params: {year: 2018, measure: em94}}\n", encoding="utf-8")
    with pytest.raises(LeoSynthError) as err:
        load_targets(bad)
    message = str(err.value)
    for fragment in ("snake_case", "no_such_definition", "value must be a number", "unit",
                     "tolerance"):
        assert fragment in message


# -- statistics ----------------------------------------------------------------------------

def test_estimates_and_standard_errors() -> None:
    r = stats.rate(25, 100)
    assert r.value == 0.25 and r.n == 100
    assert r.se == pytest.approx(math.sqrt(0.25 * 0.75 / 100))
    assert stats.rate(0, 0).value is None
    m = stats.mean(4, 10.0, 30.0)
    assert m.value == 2.5 and m.se == pytest.approx(math.sqrt((30 - 4 * 6.25) / 3 / 4))
    med = stats.median(list(range(1, 1002)))
    assert med.value == 501 and med.n == 1001
    # order-statistic interval of a uniform sample: about 1.96 * sqrt(n) / 2 ranks each side
    assert med.se == pytest.approx(math.sqrt(1001) / 2, rel=0.1)
    assert stats.median([]).value is None
    # too few values for the interval: the asymptotic SE, not none (no noise at all)
    few = stats.median([30000.0, 34000.0, 38000.0, 42000.0, 60000.0])
    sd = math.sqrt(sum((v - 40800) ** 2 for v in (30000, 34000, 38000, 42000, 60000)) / 4)
    assert few.value == 38000 and few.se == pytest.approx(
        math.sqrt(math.pi / 2) * sd / math.sqrt(5))
    assert stats.median([5.0]).se is None
    d = stats.difference(stats.Estimate(0.5, 0.03, 10), stats.Estimate(0.2, 0.04, 20))
    assert d.value == pytest.approx(0.3) and d.se == pytest.approx(0.05) and d.n == 30
    g = stats.ratio(stats.Estimate(137.0, 0.0, 5), stats.Estimate(100.0, 0.0, 5))
    assert g.value == pytest.approx(0.37)
    a = stats.growth(stats.Estimate(121.0, 1.0, 5), stats.Estimate(100.0, 1.0, 5), 2)
    assert a.value == pytest.approx(0.1)


# -- the report on the small extract -----------------------------------------------------------

def test_every_computed_target_yields_a_number_and_n(sqlite_report: Report) -> None:
    computed = [r for r in sqlite_report.targets if r.passed is not None]
    assert len(computed) >= 80
    with_values = 0
    for r in computed:
        assert isinstance(r.n, int) and r.n >= 0, r.target.id
        if r.achieved is None:
            assert r.reason == "no observations", r.target.id
        else:
            with_values += 1
            assert math.isfinite(r.achieved), r.target.id
            assert r.n > 0, r.target.id
            assert r.se is None or r.se >= 0, r.target.id
            assert r.effective_tolerance >= r.tolerance
            band_se = _null_se(r.target, r.n) or r.se  # a simple rate: its noise on target
            if band_se is not None:
                assert r.effective_tolerance >= STAT_FACTOR * band_se - 1e-9
            if r.se is not None:  # never narrower than its own noise (HEIPR: summed rates)
                assert r.effective_tolerance >= STAT_FACTOR * r.se - 1e-9, r.target.id
    # a handful of small groups (doctorates, apprenticeship achievers) may be empty at 1,000;
    # so may the subject (CAH2) breakdowns, a few dozen graduates a subject at 200,000
    by_subject = [r for r in computed
                  if any("cah2" in m.params for m in r.target.metric.leaves())]
    assert with_values - sum(r.achieved is not None for r in by_subject) >= 0.9 * (
        len(computed) - len(by_subject))
    skipped = [r for r in sqlite_report.targets if r.passed is None]
    assert skipped and all(r.reason for r in skipped)


def test_rates_are_percentages_and_money_in_pounds(sqlite_report: Report) -> None:
    by_id = {r.target.id: r for r in sqlite_report.targets}
    for r in by_id.values():
        if r.achieved is not None and r.target.unit in ("rate", "share") \
                and not (r.target.metric and r.target.metric.is_gap):
            assert 0.0 <= r.achieved <= 100.0, r.target.id
    assert 5_000 < by_id["grad_median_1yag_2016"].achieved < 100_000
    assert 0 < by_id["ks4_a8_mean_2018"].achieved < 90


def test_relationship_checks_run(sqlite_report: Report) -> None:
    assert len(sqlite_report.relationships) >= 15
    for r in sqlite_report.relationships:
        assert r.status in ("pass", "fail", "no data"), r.relationship.id
        assert isinstance(r.n, int)
    statuses = {r.relationship.id: r.status for r in sqlite_report.relationships}
    assert statuses["fsm6_lower_attainment"] in ("pass", "fail")


@pytest.mark.parametrize("other", ["parquet_report", "duckdb_report"])
def test_parquet_and_duckdb_give_the_same_figures_as_sqlite(sqlite_report: Report, other: str,
                                                            request) -> None:
    other_report: Report = request.getfixturevalue(other)
    for a, b in zip(sqlite_report.targets, other_report.targets, strict=True):
        assert a.target.id == b.target.id
        assert a.n == b.n, a.target.id
        if a.achieved is None:
            assert b.achieved is None
        else:
            assert b.achieved == pytest.approx(a.achieved, rel=1e-9, abs=1e-9), a.target.id
    for a, b in zip(sqlite_report.relationships, other_report.relationships, strict=True):
        assert (a.achieved is None) == (b.achieved is None)
        if a.achieved is not None:
            assert b.achieved == pytest.approx(a.achieved, rel=1e-9, abs=1e-9)
    assert other_report.statistical


def test_text_and_json_output(sqlite_report: Report) -> None:
    text = render_text(sqlite_report)
    for r in sqlite_report.targets:
        assert r.target.id in text
    assert "Relationships" in text and "targets:" in text
    data = __import__("json").loads(to_json(sqlite_report))
    assert len(data["targets"]) == len(sqlite_report.targets)
    assert {"achieved", "se", "n", "tolerance", "status"} <= set(data["targets"][0])


def test_html_is_well_formed_and_has_charts(sqlite_ws: Workspace,
                                            sqlite_report: Report) -> None:
    page = render_html(sqlite_ws, sqlite_report, "small.sqlite")
    assert page.startswith("<!DOCTYPE html>")
    root = ET.fromstring(page.split("\n", 1)[1])  # XHTML: parses as XML after the doctype
    svgs = root.findall(f".//{SVG}")
    assert len(svgs) >= 6
    assert "http" not in re.sub(r'xmlns="[^"]+"', "", page)  # no external assets
    assert "not available" not in page


def test_html_draws_bands_and_shows_each_targets_sql(sqlite_ws: Workspace,
                                                     sqlite_report: Report) -> None:
    page = render_html(sqlite_ws, sqlite_report, "small.sqlite")
    root = ET.fromstring(page.split("\n", 1)[1])
    classes = [el.get("class") for el in root.iter() if el.get("class")]
    assert "band-tolerance" in classes and "band-stat" in classes
    for svg in root.findall(f".//{SVG}"):  # scales with the page
        assert svg.get("viewBox") and "max-width:100%" in (svg.get("style") or "")
    computed = [r for r in sqlite_report.targets if r.passed is not None]
    assert computed
    for r in computed:
        block = root.find(f".//*[@id='sql-{r.target.id}']")
        assert block is not None, r.target.id
        pre = block.find(".//{http://www.w3.org/1999/xhtml}pre")
        assert pre is not None and "SELECT" in (pre.text or "").upper(), r.target.id
    figures = [f for f in root.iter("{http://www.w3.org/1999/xhtml}figure")
               if (f.get("id") or "").startswith("figure-")]
    assert figures and all(f.find(".//{http://www.w3.org/1999/xhtml}pre") is not None
                           for f in figures)
    # definitions are paragraphs and lists, not docstrings in <pre> with their indentation
    definitions = page.split("<h2>Definitions</h2>", 1)[1].split("<h2>", 1)[0]
    assert "<pre>" not in definitions and "<p>" in definitions and "<li>" in definitions
    assert "\n    " not in definitions


def _bar_parts(page: str, key: str) -> list[str]:
    """The titles of the bar parts in figure ``key``: "name: 12.3%"."""
    root = ET.fromstring(page.split("\n", 1)[1])
    figure = root.find(f".//*[@id='figure-{key}']")
    assert figure is not None, key
    return [t.text or "" for t in figure.iter(SVG.replace("}svg", "}title"))]


def test_html_destination_charts_plot_the_targets(sqlite_ws: Workspace,
                                                  sqlite_report: Report) -> None:
    """Both destination charts take the published shares from the targets file (not a copy
    in the code) and the institutions chart shows each institution target's achieved share."""
    page = render_html(sqlite_ws, sqlite_report, "small.sqlite")
    by_id = {r.target.id: r for r in sqlite_report.targets}
    parts = _bar_parts(page, "destinations")
    education = by_id["ks4_dest_education_2018"].target.value
    assert f"education: {education:.1f}%" in parts
    parts = _bar_parts(page, "institutions")
    for category in ("school_sixth_form", "sixth_form_college", "fe_college"):
        r = by_id[f"ks4_dest_{category}_2014"]
        assert r.achieved is not None
        assert f"{category}: {r.achieved:.1f}%" in parts
        assert f"{category}: {r.target.value:.1f}%" in parts
    assert sum(p.startswith("elsewhere: ") for p in parts) == 2


def test_definition_html_dedents_and_lists() -> None:
    html = definition_html("""First line
        goes on with ``code``.

        * one item
          continued
        * two
        """)
    assert html == ("<p>First line goes on with <code>code</code>.</p>\n"
                    "<ul><li>one item continued</li><li>two</li></ul>")


# -- the command --------------------------------------------------------------------------------

def test_cli_exit_status_follows_the_verdicts(small_sqlite, tmp_path: Path) -> None:
    db = str(small_sqlite[0])
    body = ("targets:\n  - {{id: em94, description: x, value: {value}, unit: rate, "
            "breakdown: b, year: {{source: '2018/19', start_year: 2018}}, source: s, "
            "tolerance: {{abs: {tol}}}, definition: ks4_rate, "
            "params: {{year: 2018, measure: em94}}}}\n")
    passing = tmp_path / "pass.yaml"
    passing.write_text(body.format(value=50, tol=60), encoding="utf-8")
    failing = tmp_path / "fail.yaml"
    failing.write_text(body.format(value=0.5, tol=0.1), encoding="utf-8")
    code, out, _ = _cli("report", "--db", db, "--targets", str(passing))
    assert code == 0 and "em94" in out
    html = tmp_path / "r.html"
    code, out, err = _cli("report", "--db", db, "--targets", str(failing), "--html", str(html),
                        "--statistical")
    assert code == 1 and "FAIL" in out
    assert "<svg" in html.read_text(encoding="utf-8")
    assert "1 of 1 figures fail" in err and "try more persons" in err  # already --statistical
    code, _, err = _cli("report", "--db", db, "--targets", str(failing))
    assert code == 1 and "try --statistical" in err and "more persons" in err


def test_cli_full_report_on_parquet(small_parquet: Path, tmp_path: Path,
                                    sqlite_report: Report) -> None:
    """The command's JSON holds the figures the library computes (same seed, other backend)."""
    out_json = tmp_path / "r.json"
    code, out, _ = _cli("report", "--parquet", str(small_parquet), "--json", str(out_json))
    assert code == (1 if sqlite_report.failures() else 0)
    assert "Relationships" in out
    written = json.loads(out_json.read_text(encoding="utf-8"))
    assert [(t["id"], t["achieved"], t["n"]) for t in written["targets"]] == [
        (r.target.id, r.achieved, r.n) for r in sqlite_report.targets]


@pytest.mark.parametrize("args, message", [
    (("report",), "--db FILE, --parquet DIR or --duckdb DIR"),
    (("report", "--parquet", "/nonexistent/a", "--duckdb", "/nonexistent/b"), "(exactly one)"),
    (("report", "--duckdb", "/nonexistent/folder"), "no DuckDB extract"),
    (("report", "--db", "/nonexistent/leo.sqlite"), "no SQLite extract"),
    (("report", "--parquet", "/nonexistent/folder"), "no Parquet extract"),
    (("report", "--db", "DB", "--targets", "/nonexistent/t.yaml"), "no targets file"),
])
def test_cli_user_errors(args: tuple[str, ...], message: str, small_sqlite) -> None:
    args = tuple(str(small_sqlite[0]) if a == "DB" else a for a in args)
    code, _, err = _cli(*args)
    assert code == 2
    assert message in err and "Traceback" not in err


def test_missing_relation_is_a_clear_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite"
    sqlite3.connect(empty).execute("CREATE TABLE unrelated (x INTEGER)").connection.close()
    code, _, err = _cli("report", "--db", str(empty))
    assert code == 2
    assert "lacks relations" in err and "spring_census_" in err


def test_needs_status_activates_when_the_relation_exists(targets: TargetsFile,
                                                         sqlite_ws: Workspace) -> None:
    from leo_synth.report.evaluate import metric_needs, plan

    skipped = plan(sqlite_ws, targets)
    for t in targets.targets:
        if t.needs and t.metric is not None:
            present = not sqlite_ws.missing(t.needs + metric_needs(t.metric))
            assert (t.id not in skipped) == present, t.id
        if t.status == "skip":
            assert t.id in skipped
    assert set(DEFINITIONS) >= REQUIRED_DEFINITIONS


def test_a_median_of_a_few_alike_earnings_is_judged_by_earnings_spread(targets) -> None:
    """A median of earnings' band uses its noise on target, from earnings' usual spread, when
    its own sample's is narrower: 8 doctorates within about 4,500 pounds of each other had an
    SE of 2,300 pounds and failed a 38,000 target at 48,500 (the published spread gives about
    7,200 at 8 values); a combination (a gender difference) keeps its own SE."""
    by_id = {t.id: t for t in targets.targets}
    doctorates = by_id["pg_doctorate_median_5yag_2018"]
    assert _null_se(doctorates, 8) == pytest.approx(
        stats.MEDIAN_SE_FACTOR * EARNINGS_SPREAD * 38_000 / 8 ** 0.5)
    assert 7_000 < _null_se(doctorates, 8) < 7_500
    assert _null_se(doctorates, 800) < _null_se(doctorates, 8) / 9
    assert _null_se(by_id["grad_gender_diff_3yag_2014"], 300) is None
