"""Local change, local effect: each simulation sub-step draws from its own keyed stream, so an
extra draw in one sub-step leaves every other sub-step's draws unchanged."""

from __future__ import annotations

import numpy as np
import pytest

from leo_synth.engine.keys import KeyMaker
from leo_synth.simulation.context import BlockContext
from leo_synth.simulation.labour import COVID_TAX_YEAR
from leo_synth.simulation.life import LifeCourse, simulate_block
from leo_synth.simulation.parameters import load_parameters
from leo_synth.simulation.pools import build_pools

N = 1_500


def _block(catalog, greedy: str | None = None) -> LifeCourse:
    """One block of persons; with ``greedy``, that stream gives away 1,000 draws first, as if
    its sub-step had started drawing more."""
    params = load_parameters(None)
    ctx = BlockContext(11, 0, 0, N, params, build_pools(11, N, params),
                       KeyMaker(catalog.keyspaces, 11))
    plain = ctx.rng

    def rng(name: str) -> np.random.Generator:
        generator = plain(name)
        if name == greedy:
            generator.random(1_000)
        return generator

    ctx.rng = rng  # type: ignore[method-assign]
    return simulate_block(ctx)


@pytest.fixture(scope="module")
def baseline(catalog) -> LifeCourse:
    return _block(catalog)


def test_an_extra_draw_in_ks5_grades_moves_only_ks5_grades(catalog, baseline) -> None:
    changed = _block(catalog, greedy="post16.ks5")
    assert not np.array_equal(changed.post16.ks5["al1"], baseline.post16.ks5["al1"])
    p16, base = changed.post16, baseline.post16
    for name in ("route", "level3_year", "leave_date", "neet_months"):
        np.testing.assert_array_equal(getattr(p16, name), getattr(base, name), err_msg=name)
    for name in p16.youth_fe.columns():
        np.testing.assert_array_equal(p16.youth_fe[name], base.youth_fe[name], err_msg=name)
    # (a sixth-form college student's ILR aims are the KS5 A levels, so they follow them; the
    # other aims stay)
    aims, base_aims = changed.fe.aims, baseline.fe.aims
    np.testing.assert_array_equal(aims["end_date"][aims["a_level"] < 0],
                                  base_aims["end_date"][base_aims["a_level"] < 0])


def test_an_extra_draw_in_fsm_histories_leaves_sen_and_schools_alone(catalog, baseline) -> None:
    changed = _block(catalog, greedy="schooling.fsm")
    assert not np.array_equal(changed.schooling.fsm, baseline.schooling.fsm)
    for name in ("sen", "sen_need", "primary_school", "secondary_school", "entry_nc", "exit_nc"):
        np.testing.assert_array_equal(getattr(changed.schooling, name),
                                      getattr(baseline.schooling, name), err_msg=name)
    for name in baseline.persons.columns():
        np.testing.assert_array_equal(changed.persons[name], baseline.persons[name],
                                      err_msg=name)


def _same_columns(changed, base, names) -> None:
    for name in names:
        np.testing.assert_array_equal(changed[name], base[name], err_msg=name)


def test_an_extra_draw_in_pay_moves_only_pay(catalog, baseline) -> None:
    changed = _block(catalog, greedy="labour.pay")
    assert not np.array_equal(changed.labour.pay["amount"], baseline.labour.pay["amount"])
    _same_columns(changed.labour.pay, baseline.labour.pay, ("person", "tax_year", "enterprise"))
    _same_columns(changed.labour.spells, baseline.labour.spells, baseline.labour.spells.columns())
    for part in ("self_employment", "cjrs"):
        frame, base = getattr(changed.labour, part), getattr(baseline.labour, part)
        _same_columns(frame, base, base.columns())
    # SEISS reads the pay (profits at least the PAYE pay of 2016/17 to 2018/19): the grants of
    # traders without such pay stay as they were
    base_pay = baseline.labour.pay
    paid = base_pay["person"][(base_pay["tax_year"] >= 2016) & (base_pay["tax_year"] <= 2018)]
    seiss, base = changed.labour.seiss, baseline.labour.seiss
    unpaid, base_unpaid = ~np.isin(seiss["person"], paid), ~np.isin(base["person"], paid)
    assert base_unpaid.sum() > 10
    _same_columns(seiss.take(unpaid), base.take(base_unpaid), base.columns())


def test_an_extra_draw_in_employers_leaves_spells_and_pay_alone(catalog, baseline) -> None:
    changed = _block(catalog, greedy="labour.employers")
    spells, base = changed.labour.spells, baseline.labour.spells
    assert not np.array_equal(spells["enterprise"], base["enterprise"])
    _same_columns(spells, base, ("person", "start", "end", "kind", "part_time", "log_rate",
                                 "uncertain_start", "uncertain_end"))
    # Pay stays, except in 2020/21, whose COVID cut depends on the employer's sector.
    pay, base_pay = changed.labour.pay, baseline.labour.pay
    covid = base_pay["tax_year"] == COVID_TAX_YEAR
    np.testing.assert_array_equal(pay["amount"][~covid], base_pay["amount"][~covid])


def test_an_extra_draw_in_subject_sectors_moves_only_vocational_graduates(catalog,
                                                                         baseline) -> None:
    changed = _block(catalog, greedy="labour.subject_sectors")
    spells, base = changed.labour.spells, baseline.labour.spells
    _same_columns(spells, base, ("person", "start", "end", "kind", "part_time", "log_rate"))
    moved = spells["enterprise"] != base["enterprise"]
    assert moved.any()
    params = load_parameters(None)
    codes = [s["cah2"] for s in params["he.subjects"]]
    vocational = [codes.index(c) for c in params["labour.subject_sectors"]]
    subject = baseline.education.subject_cah2[spells["person"][moved]]
    assert np.isin(subject, vocational).all()


def test_an_extra_draw_in_student_jobs_leaves_main_jobs_alone(catalog, baseline) -> None:
    changed = _block(catalog, greedy="labour.student_jobs")
    spells, base = changed.labour.spells, baseline.labour.spells
    assert not np.array_equal(spells["start"][spells["kind"] == 1],
                              base["start"][base["kind"] == 1])
    # Main jobs come first in every later sub-step's draws, so their dates, part-time status
    # and pay level stay (their employers and yearly pay noise follow the spell count).
    main, base_main = spells.take(spells["kind"] == 0), base.take(base["kind"] == 0)
    _same_columns(main, base_main, ("person", "start", "end", "part_time", "log_rate",
                                    "uncertain_start", "uncertain_end"))


def test_an_extra_draw_in_degree_class_leaves_entry_subject_and_provider(catalog,
                                                                          baseline) -> None:
    changed = _block(catalog, greedy="he.degree_class")
    he, base = changed.he, baseline.he
    assert not np.array_equal(he.degree_class, base.degree_class)
    for name in ("degree_year", "subject", "tariff"):
        np.testing.assert_array_equal(getattr(he, name), getattr(base, name), err_msg=name)
    first, base_first = (h.instances.take(h.instances["level"] >= 4) for h in (he, base))
    _same_columns(first, base_first, ("person", "start_year", "end_year", "subject",
                                      "provider", "part_time", "qualified", "start_date"))


def test_an_extra_draw_in_subjects_leaves_class_and_provider(catalog, baseline) -> None:
    changed = _block(catalog, greedy="he.subject")
    he, base = changed.he, baseline.he
    assert not np.array_equal(he.subject, base.subject)
    for name in ("degree_year", "degree_class", "tariff", "postgraduate"):
        np.testing.assert_array_equal(getattr(he, name), getattr(base, name), err_msg=name)


def test_an_extra_draw_in_ks2_subject_noise_leaves_the_latent_reading(catalog,
                                                                       baseline) -> None:
    from leo_synth.simulation.key_stages import assessed_pupils, subject_levels

    changed = _block(catalog, greedy="key_stages.ks2.subject_noise")
    rows, base = assessed_pupils(changed, "ks2"), assessed_pupils(baseline, "ks2")
    assert len(base) > 0
    _same_columns(rows, base, ("person", "year", "school", "latent"))
    assert not np.array_equal(rows["noise"], base["noise"])
    assert any(not np.array_equal(a, b) for a, b in zip(
        subject_levels(rows, "ks2").values(), subject_levels(base, "ks2").values(), strict=True))
    ks1, base_ks1 = assessed_pupils(changed, "ks1"), assessed_pupils(baseline, "ks1")
    _same_columns(ks1, base_ks1, ("latent", "noise"))


def test_an_extra_draw_in_ilr_monitoring_codes_leaves_other_ilr_draws(catalog, baseline) -> None:
    """LDM codes and ALS costs (relation-level draws) have streams of their own: more draws in
    one leave the other, the aims' LARS references and the simulation unchanged."""
    from leo_synth.relations.derive_ilr import aim_lars, monitoring_codes
    from leo_synth.relations.lilr import als_cost

    changed = _block(catalog, greedy="ilr.ldm")
    assert not np.array_equal(monitoring_codes(changed), monitoring_codes(baseline))
    np.testing.assert_array_equal(aim_lars(changed)["index"], aim_lars(baseline)["index"])
    lldd = np.where(np.arange(len(baseline.fe.learners)) % 3 == 0, 1, 2)
    for part in (als_cost(changed, lldd), als_cost(baseline, lldd)):
        assert part.null.mean() > 0.7  # support for a minority only
    np.testing.assert_array_equal(als_cost(changed, lldd).values, als_cost(baseline, lldd).values)
    np.testing.assert_array_equal(als_cost(changed, lldd).null, als_cost(baseline, lldd).null)
    _same_columns(changed.fe.aims, baseline.fe.aims, baseline.fe.aims.columns())
