"""A fuzzer over what users hand leo-synth: run configs, variable requests and parameter files.

Hypothesis mutates the real files (and writes some nonsense of its own); every case must either
be accepted or be refused with a :class:`LeoSynthError` (the one-line exit 2 of the CLI),
never a traceback. An accepted parameter file must also simulate a small block without
error, so the checks are not merely permissive. The checks run in-process (hundreds of cases
in seconds); a handful of CLI runs confirm the wiring to exit 2 and one error block.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from conftest import ROOT
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_cli import run

from leo_synth.config import load_config
from leo_synth.engine.keys import KeyMaker
from leo_synth.errors import LeoSynthError
from leo_synth.request import load_request
from leo_synth.resources import config_file
from leo_synth.simulation.context import BlockContext
from leo_synth.simulation.life import simulate_block
from leo_synth.simulation.parameters import load_parameters
from leo_synth.simulation.pools import build_pools
from leo_synth.spec.loader import read_yaml

DEFAULTS = read_yaml(config_file("parameters.yaml"))


def fuzz(cases: int) -> settings:
    """``cases`` generated inputs, the same ones on every run (derandomized, so the suite is
    deterministic: a failure found once is found again, and CI never fails on a new draw)."""
    return settings(max_examples=cases, deadline=None, derandomize=True, suppress_health_check=[
        HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, -1, 0.5, 2.5, 7, 100, 1e300, -0.0, "", "x", "2020-01-01", "1e3"]),
    st.text(max_size=12))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.text(max_size=8), st.integers(-5, 3000)), inner, max_size=4)),
    max_leaves=8)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path into the defaults (mapping keys and list positions)."""
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


PATHS = _paths(DEFAULTS)


def _nudged(value: Any, draw: Any) -> Any:
    """A plausible edit of a default: scaled, negated, stretched or emptied."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return draw(st.sampled_from([value * 2, -value, value + 0.5, 0, value * 1000, 1.0]))
    if isinstance(value, list):
        return draw(st.sampled_from([value[:-1], value + value[-1:], [], value[::-1]]))
    if isinstance(value, dict):
        keys = list(value)
        return draw(st.sampled_from([{}, {k: value[k] for k in keys[:1]},
                                     {**value, "zz_extra": 1}]))
    return draw(values)


@st.composite
def parameter_overrides(draw: Any) -> Any:
    """An override document: a few defaults replaced by nudged or arbitrary values."""
    if draw(st.integers(0, 9)) == 0:  # sometimes not even a mapping of sections
        return draw(values)
    tree = copy.deepcopy(DEFAULTS)
    edited = draw(st.lists(st.sampled_from(PATHS), min_size=1, max_size=3))
    for path in edited:
        node = tree
        try:
            for part in path[:-1]:
                node = node[part]
            old = node[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier edit removed this path
        node[path[-1]] = _nudged(old, draw) if draw(st.booleans()) else draw(values)
    sections = {path[0] for path in edited} | draw(st.sets(st.sampled_from(sorted(tree)),
                                                             max_size=2))
    return {section: tree[section] for section in sections}


def _write(path: Path, doc: Any) -> Path:
    try:
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    except (yaml.YAMLError, ValueError):  # e.g. a value PyYAML cannot represent
        path.write_text("{", encoding="utf-8")
    return path


@pytest.mark.filterwarnings("error::RuntimeWarning")  # overflow or NaN is a bad value let in
@fuzz(200)
@given(doc=parameter_overrides())
def test_parameter_files_are_accepted_and_simulate_or_are_refused(tmp_path, catalog,
                                                                  doc) -> None:
    path = _write(tmp_path / "parameters.yaml", doc)
    try:
        params = load_parameters(path)
    except LeoSynthError as exc:
        assert str(exc).strip()
        event("refused")
        return
    event("accepted")
    persons = 20
    pools = build_pools(3, persons, params)
    ctx = BlockContext(3, 0, 0, persons, params, pools, KeyMaker(catalog.keyspaces, 3))
    life = simulate_block(ctx)
    assert len(life.persons) == persons


config_values = st.one_of(values, st.integers(-5, 60_000_000), st.sampled_from(
    ["sqlite", "parquet", "postgres", "fail", "replace", "postgresql://u:pw@h/db", "out/x.db"]))
config_keys = st.sampled_from(["persons", "seed", "iteration", "block_size", "workers", "format",
                               "out", "if_exists", "parameters", "request", "base_dir", "sede"])


@fuzz(150)
@given(doc=st.one_of(st.dictionaries(config_keys, config_values, max_size=6), values))
def test_run_configs_are_accepted_or_refused(tmp_path, doc) -> None:
    path = _write(tmp_path / "config.yaml", doc)
    try:
        config = load_config(path)
    except LeoSynthError as exc:
        assert str(exc).strip()
        return
    assert config.persons >= 1 and config.format in ("sqlite", "parquet", "postgres")


REAL_TABLES = ["school_census", "ks4_pupil", "hesa", "leo_employment", "leo_earnings",
               "Spring_Census_2011", "lilr_learners", "leo_benefit"]
request_items = st.one_of(st.sampled_from(["default", "all", "everything", None]),
                          st.lists(st.one_of(st.sampled_from(["Gender", "FSMeligible",
                                                              "KS4_FSM6", "EduKey", "gendr"]),
                                             values), max_size=4), values)


@fuzz(150)
@given(doc=st.one_of(
    st.fixed_dictionaries({"tables": st.dictionaries(
        st.one_of(st.sampled_from(REAL_TABLES), st.text(max_size=10)), request_items,
        max_size=4)}),
    st.dictionaries(st.sampled_from(["tables", "table", "iteration"]), values, max_size=2),
    values))
def test_requests_are_accepted_or_refused(tmp_path, catalog, doc) -> None:
    path = _write(tmp_path / "request.yaml", doc)
    try:
        request = load_request(path, catalog)
    except LeoSynthError as exc:
        assert str(exc).strip()
        return
    assert request.select(catalog.relations(2))


@fuzz(60)
@given(text=st.one_of(st.text(max_size=80), st.sampled_from(
    ["? [a, b]\n: 1\n", "a: 1\na: 2\n", "{", "- [", "\t: x", "population: {\n",
     "!!python/object:os.system ls"])))
def test_any_yaml_text_is_read_or_refused(tmp_path, catalog, text) -> None:
    path = tmp_path / "any.yaml"
    path.write_text(text, encoding="utf-8")
    for read in (load_config, load_parameters, lambda p: load_request(p, catalog)):
        try:
            read(path)
        except LeoSynthError as exc:
            assert str(exc).strip()


@pytest.mark.parametrize("text, shown", [
    ("fsm: {rate: null}\n", "fsm.rate: must be a mapping, got null"),
    ("population: {cohort_births: {}}\n", "population.cohort_births: must not be empty"),
    ("population: {female_share: 7}\nsen: {statement_rate: {2001: .inf}}\n",
     "population.female_share: must be a probability between 0 and 1, got 7"),
])
def test_the_cli_refuses_bad_parameters_in_one_block(tmp_path, text, shown) -> None:
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "run.yaml").write_text("persons: 200\nparameters: p.yaml\n", encoding="utf-8")
    for args in (["generate", "--config", str(tmp_path / "run.yaml"), "--out",
                  str(tmp_path / "x.sqlite")], ["validate", str(tmp_path / "run.yaml")],
                 ["validate", str(tmp_path / "p.yaml")]):
        result = run(*args, cwd=tmp_path)
        assert result.returncode == 2, result
        assert "Traceback" not in result.stderr and shown in result.stderr
        assert all(line.startswith(("leo-synth:", str(tmp_path))) for line in
                   result.stderr.strip().splitlines())
    assert not (tmp_path / "x.sqlite").exists()


def test_the_defaults_pass_their_own_schema() -> None:
    from leo_synth.simulation.parameters_schema import parameter_problems

    assert parameter_problems(copy.deepcopy(DEFAULTS), DEFAULTS) == []
    assert math.isfinite(np.float64(1.0)) and ROOT.exists()


@pytest.mark.parametrize("text, shown", [
    ("population: {kinds: {school: 1.2, adult_learner: -0.2, he_only: 0.0}}",
     "population.kinds: shares must each be between 0 and 1"),
    ("population: {kinds: {school: 0.5, adult_learner: 0.2, he_only: 0.1}}",
     "population.kinds: shares must sum to 1, they sum to 0.8"),
    ("sen: {statement_rate: 2.5}", "sen.statement_rate: must be a mapping, got 2.5"),
    ("fsm: {rate: {2001: .inf}}", "fsm.rate[2001]: must be a finite number, got inf"),
    ("population: {cohort_births: {1990: -5}}",
     "population.cohort_births[1990]: must be greater than 0, got -5"),
    ("geography: {regions: [{code: E1, name: North East, las: 2, share_white_british: 0.5, "
     "share_other: 0.5, idaci: 0.2}]}", "geography.regions: must list the nine English regions"),
    ("linkage: {pmrs_per_pupil: [1, 0]}", "linkage.pmrs_per_pupil: must be a list of 4 values"),
    ("labour: {shocks: [{start: soon, days: 0, probability: 2, young_factor: 1}]}",
     "labour.shocks[0].start: must be an ISO date"),
    ("pools: {fe_providers: {per_persons: 300, min: 0.5, max: 1500}}",
     "pools.fe_providers.min: must be a whole number between 1 and 10,000,000, got 0.5"),
    ("he: {subjects: []}", "he.subjects: must not be empty"),
    ("post16: {route_shift: {neet: {2001: 12}}}",
     "post16.route_shift.neet[2001]: must be a shift of log odds between -10 and 10, got 12"),
    ("sen: {bogus: 1}", "unknown parameter 'sen.bogus'"),
])
def test_nonsense_parameters_named_by_their_path(tmp_path, text, shown) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(LeoSynthError) as refused:
        load_parameters(path)
    assert shown in str(refused.value)


@pytest.mark.parametrize("code", ["", "CAH99-99", "twice"])
def test_degree_subjects_must_be_the_jacs_mappings(tmp_path, code: str) -> None:
    """A degree subject's CAH2 code the JACS mapping lacks (or one listed twice) is refused
    when the parameters are read, not midway through a run (hypothesis found a blank code
    that passed the check and stopped the simulation)."""
    subjects = copy.deepcopy(DEFAULTS["he"]["subjects"])
    first = subjects[0]["cah2"]
    subjects[0]["cah2"] = subjects[1]["cah2"] if code == "twice" else code
    path = _write(tmp_path / "p.yaml", {"he": {"subjects": subjects}})
    with pytest.raises(LeoSynthError) as refused:
        load_parameters(path)
    message = str(refused.value)
    assert "he.subjects: CAH2 subjects of jacs_cah2.csv" in message
    assert f"not in he.subjects ['{first}']" in message
