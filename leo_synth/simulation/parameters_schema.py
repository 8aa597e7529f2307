"""Check a parameters tree before any run: types from the defaults, constraints from one table.

The *shape* of every parameter is read from ``config/parameters.yaml`` itself: a number must
stay a finite number, text stays text (a date stays an ISO date), a list of numbers keeps its
length, a list of records keeps its record keys and is not empty, a table keyed by years or
codes stays a non-empty table with keys of the same kind. What the defaults cannot say
(probabilities, percentages, shares that sum to one, positive means and counts, ordered
ranges) is declared once in :data:`CONSTRAINTS`. Every problem is named with its dotted path,
and all are reported together.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import math
from collections.abc import Callable, Iterator
from fnmatch import fnmatchcase
from typing import Any

SHARE_TOLERANCE = 1e-3
"""How far shares may sum from 1 (they are normalised before use, but must mean shares)."""

# Constraints by dotted path; "*" stands for any key or list position. A constraint on a
# table or list applies to every number in it. Kinds: see _CHECKS below.
CONSTRAINTS: dict[str, tuple[str, ...]] = {
    # population
    "population.kinds": ("shares",),
    "population.cohort_births": ("positive",),
    "population.adult_learner_birth_years": ("year", "ordered"),
    "population.he_only_birth_years": ("year", "ordered"),
    "population.female_share": ("probability",),
    "population.he_only_female_share": ("probability",),
    "population.ethnicity": ("weights",),
    "population.eal_by_ethnicity": ("probability",),
    "population.minority_trend.per_cohort": ("non_negative",),
    "population.minority_trend.centre": ("year",),
    "population.minority_trend.range": ("non_negative", "ordered"),
    # geography
    "geography.regions": ("english_regions",),
    "geography.regions.*.las": ("count",),
    "geography.regions.*.share_*": ("probability",),
    "geography.regions.*.idaci": ("probability",),
    "geography.constituencies_per_la": ("positive",),
    "geography.output_areas_per_la": ("count",),
    "geography.abroad_share": ("probability",),
    "geography.other_uk_share": ("probability",),
    "geography.unknown_share": ("probability",),
    "geography.move_probability": ("probability",),
    "geography.local_move_probability": ("probability",),
    "geography.graduate_london_pull": ("probability",),
    # pools
    "pools.pupils_per_primary_cohort": ("positive",),
    "pools.pupils_per_secondary_cohort": ("positive",),
    "pools.max_primary_schools": ("count",),
    "pools.max_secondary_schools": ("count",),
    "pools.special_school_share": ("probability",),
    "pools.fe_providers.per_persons": ("positive",),
    "pools.fe_providers.min": ("count",),
    "pools.fe_providers.max": ("count",),
    "pools.he_providers": ("count",),
    "pools.enterprises.per_persons": ("positive",),
    "pools.enterprises.min": ("count",),
    "pools.enterprise_death_share": ("probability",),
    "pools.legal_status_small": ("shares",),
    "pools.legal_status_large": ("shares",),
    "pools.central_government_share": ("probability",),
    "alternative_provision.*_share": ("probability",),
    # school types (simulation/school_types.py): a school converts once, so shares only rise
    "school_types.maintained_shares.*": ("shares",),
    "school_types.academy_share.*": ("probability", "rising"),
    "school_types.sponsored_until": ("year",),
    "school_types.*_share": ("probability",),
    "school_types.grammar_disadvantage_tilt": ("non_negative",),
    "exams.teacher_assessed_from": ("year",),
    "cjrs.weeks_capped_above": ("count",),
    "pools.enterprises.max": ("count",),
    "pools.enterprises.zipf": ("exponent",),
    # linkage
    "linkage.pmrs_per_pupil": ("shares",),
    "linkage.edukeys_per_person": ("shares",),
    "linkage.dwp_unmatched_by_last_record": ("probability",),
    "linkage.*_share": ("probability",),
    # schooling, FSM, SEN
    "schooling.*": ("probability",),
    "schooling.move_month_shares": ("shares",),
    "schooling.arrival_month_shares": ("shares",),
    "fsm.rate": ("percent",),
    "fsm.by_ethnicity": ("percent",),
    "absence.overall_rate": ("percent",),
    "absence.unauthorised_rate": ("percent",),
    "exclusions.*": ("percent",),
    "fsm.persistence": ("probability",),
    "fsm.year_to_year_correlation": ("probability",),
    "sen.any_rate": ("percent",),
    "sen.statement_rate": ("percent",),
    "sen.ehc_share": ("probability",),
    "sen.support_k_share": ("probability",),
    "sen.school_action_share": ("probability",),
    "sen.need_support": ("weights",),
    "sen.need_ehc": ("weights",),
    # attainment and post-16
    "key_stages.latent.damp_at_reception": ("probability",),
    "key_stages.latent.school_weight": ("non_negative",),
    "key_stages.latent.noise_sd": ("non_negative",),
    "key_stages.*.spread": ("positive",),
    "key_stages.*.latent": ("non_negative",),
    "key_stages.*.noise": ("non_negative",),
    "ks4.spread": ("positive",),
    "ks4.subject_noise": ("non_negative",),
    "ks4.ebacc_slot_gap": ("probability",),
    "ks4.no_entries_share": ("probability",),
    "ks4.equivalents.share": ("probability",),
    "ks4.equivalents.diploma": ("probability",),
    "ks4.equivalents.grade_noise": ("non_negative",),
    "post16.route_shift.*": ("logit_shift",),
    "post16.sixth_form_dropout": ("probability",),
    "post16.sixth_form_fsm_kept": ("probability",),
    "post16.college_withdrawal": ("probability",),
    "post16.fe_second_year": ("probability",),
    "post16.fe_third_year": ("probability",),
    "post16.neet_months": ("positive",),
    "post16.neet_after_learning": ("probability",),
    "ucas.unplaced.level3": ("probability",),
    "ucas.unplaced.not_achieved": ("probability",),
    "ucas.unplaced.later": ("probability", "non_empty"),
    "ucas.unplaced.last_age": ("count",),
    "post16.neet_after_learning_months": ("positive",),
    "ks5.points_per_entry_spread": ("non_negative",),
    "ks5.a_levels": ("shares",),
    "ks5.grade.noise_sd": ("non_negative",),
    "ks5.as_level.share.*": ("probability",),
    # higher and further education
    "he.young_entry.*gap_year": ("probability",),
    "he.mature_entry_hazard": ("probability",),
    "he.mature_female_ratio": ("positive",),
    "he.first_degree_share": ("probability",),
    "he.part_time_share_*": ("probability",),
    "he.four_year_share": ("probability",),
    "he.joint_honours.default": ("probability",),
    "he.joint_honours.by_subject": ("probability",),
    "he.joint_honours.kinds": ("shares",),
    "he.dropout_later_year": ("probability",),
    "he.first_class_share": ("probability",),
    "he.upper_second_share": ("probability",),
    "he.third_share": ("probability",),
    "he.postgraduate.phd_share": ("probability",),
    "he.postgraduate.phd_*_factor": ("non_negative",),
    "he.postgraduate.*_completion": ("probability",),
    "he.postgraduate.straight_on_share": ("probability",),
    "he.postgraduate.part_time_share": ("probability",),
    "he.postgraduate.max_years_away": ("count",),
    "he.postgraduate.phd_years": ("count",),
    "he.mature_entry_max_wait": ("count",),
    "he.entry_score.noise_sd": ("non_negative",),
    "he.tariff_group.noise_sd": ("non_negative",),
    "he.degree_class_score.*_sd": ("positive",),
    "he.subjects": ("non_empty", "jacs_mapped"),
    "he.subjects.*.share": ("non_negative",),
    "he.subjects.*.median": ("positive",),
    "he.subject_tilt.variance": ("non_negative",),
    "he.subjects.*.female": ("percent",),
    "fe.adult_learning_years": ("non_negative",),
    "fe.adult_learning_hazard_school_persons": ("probability",),
    "fe.adult_levels": ("shares",),
    "fe.aims_per_learner": ("shares",),
    "fe.lldd_primary": ("shares",),
    "fe.achievement_rate": ("probability",),
    "fe.withdrawal_rate": ("probability",),
    "fe.adult_apprenticeship_hazard": ("probability",),
    "fe.apprenticeship_levels.*": ("shares",),
    "fe.apprenticeship_achievement": ("probability",),
    "fe.adult_year_course_share": ("probability",),
    "fe.ldm_first_share": ("probability",),
    "fe.ldm_next_share": ("probability",),
    "fe.ldm_codes": ("shares",),
    "fe.als_share_lldd": ("probability",),
    "fe.als_share_other": ("probability",),
    "fe.als_cost_median": ("positive",),
    "fe.als_cost_sigma": ("non_negative",),
    "fe.condition_of_funding.from_year": ("year",),
    "fe.condition_of_funding.enrolled": ("probability",),
    "fe.condition_of_funding.gcse_share": ("probability",),
    "fe.condition_of_funding.gcse_share_2014": ("probability",),
    "fe.condition_of_funding.gcse_grade_4": ("probability",),
    "fe.condition_of_funding.functional_achieved": ("probability",),
    # labour and earnings
    "labour.spell_years_by_age": ("positive",),
    "labour.graduate_spell_factor": ("positive",),
    "labour.job_to_job_share": ("probability",),
    "labour.gap_months": ("positive",),
    "labour.attachment_strength": ("non_negative",),
    "labour.recession_gap_factor": ("positive",),
    "labour.career_break_share": ("probability",),
    "labour.career_break_years": ("positive",),
    "labour.first_job_months": ("positive",),
    "labour.part_time": ("probability",),
    "labour.part_time_pay_factor": ("positive",),
    "labour.concurrent.share": ("probability",),
    "labour.concurrent.max_*": ("probability",),
    "labour.concurrent.min_days": ("count",),
    "labour.career_break_age": ("positive", "ordered"),
    "labour.spell_shape.*": ("positive",),
    "labour.job_to_job_max_days": ("count",),
    "labour.attachment.noise_sd": ("non_negative",),
    "labour.student_job.*_days": ("count",),
    "labour.student_job.term_only_share": ("probability",),
    "labour.section_mix.*": ("weights",),
    "labour.subject_sectors.*.share": ("probability",),
    "labour.subject_sectors.*.section": ("sic_section",),
    "earnings.covid_pay_shift_sections": ("non_negative",),
    "earnings.person_ability_weight": ("probability",),
    "earnings.subject_growth_experience": ("non_negative",),
    "self_employment.first_tax_year": ("year",),
    "self_employment.seiss_further_grant_share": ("probability",),
    "cjrs.in_post_days": ("count",),
    "labour.student_job_share": ("probability",),
    "labour.gap_year_work_share": ("probability",),
    "labour.apprentice_retention": ("probability",),
    "labour.apprentice_stay_years": ("positive",),
    "labour.shocks.*.days": ("count",),
    "labour.shocks.*.probability": ("probability",),
    "labour.shocks.*.young_factor": ("non_negative",),
    "labour.inactivity.years": ("positive",),
    "labour.uncertain_*_share": ("probability",),
    "earnings.prior_qualification.*": ("shares",),
    "earnings.*_sd": ("non_negative",),
    "earnings.nominal_index": ("positive",),
    "earnings.zero_share": ("probability",),
    "self_employment.ever_share": ("probability",),
    "self_employment.start_age": ("count", "ordered"),
    "self_employment.years": ("count", "ordered"),
    "self_employment.drop_paye": ("probability",),
    "self_employment.person_log_sd": ("non_negative",),
    "self_employment.year_log_sd": ("non_negative",),
    "self_employment.female_log_gap": ("non_negative",),
    "self_employment.female_share": ("probability",),
    "self_employment.loss_share": ("probability",),
    "self_employment.partnership_share": ("probability",),
    "self_employment.both_share": ("probability",),
    "self_employment.seiss_take_up": ("probability",),
    "cjrs.furlough_share": ("probability",),
    "cjrs.months_mean": ("positive",),
    "cjrs.second_wave_share": ("probability",),
    "cjrs.second_wave_november": ("probability",),
    "cjrs.april_start_share": ("probability",),
    "cjrs.through_autumn_share": ("probability",),
    "cjrs.new_in_second_wave": ("positive",),
    "cjrs.march_start_share": ("probability",),
    "cjrs.ends_during_month_share": ("probability",),
    # benefits
    "benefits.min_gap_days": ("count",),
    "benefits.uc_regimes.*": ("shares",),
    "benefits.lone_parent_share": ("probability",),
    "benefits.income_support.*": ("probability",),
    "benefits.disability_share": ("probability",),
    "benefits.pip_reassessment_years": ("year", "ordered"),
    "benefits.pip_award_rate": ("probability",),
    "benefits.pip_review_years": ("positive", "ordered"),
    "benefits.pip_review_disallowed": ("probability",),
    "benefits.carer_share": ("probability",),
    "benefits.uc_rollout": ("ordered",),
    "benefits.ib_reassessment.dates": ("ordered",),
    "benefits.ib_reassessment.esa_share": ("probability",),
    "benefits.in_work_uc_share": ("probability",),
    "benefits.degenerate_share": ("probability",),
    "benefits.out_of_work.*": ("flag",),
    # children's social care (simulation/social_care.py)
    "social_care.*_share": ("probability",),
    "social_care.referral_logit.frailty": ("non_negative",),
    "social_care.frailty_ability": ("correlation",),
    "social_care.care_share_by_age": ("probability",),
    "social_care.care_family.slope": ("non_negative",),
    "social_care.voluntary_share": ("probability",),
    "social_care.voluntary_from_16": ("probability",),
    "social_care.primary_need": ("weights",),
    "social_care.referral_source": ("weights",),
    "social_care.reason_for_closure": ("weights",),
    "social_care.category_of_abuse": ("weights",),
    "social_care.care_routes.*": ("weights",),
    "social_care.reasons_ceased.*": ("weights",),
    "social_care.placement_by_age.*": ("weights",),
    "social_care.foster_codes*": ("weights",),
    "social_care.*_days": ("positive", "ordered"),
    "social_care.care_days.*": ("positive",),
    "social_care.disabled_n2_factor": ("positive",),
}


def _numbers(node: Any) -> Iterator[float]:
    for _, value in _walk(node, ()):
        if _is_number(value):
            yield value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _shares(node: Any) -> str | None:
    values = list(_numbers(node))
    if any(not 0 <= v <= 1 for v in values):
        return f"shares must each be between 0 and 1, got {values}"
    if abs(sum(values) - 1) > SHARE_TOLERANCE:
        return f"shares must sum to 1, they sum to {sum(values):g}"
    return None


def _weights(node: Any) -> str | None:
    values = list(_numbers(node))
    if any(v < 0 for v in values) or sum(values) <= 0:
        return "weights must be 0 or more with a positive total"
    return None


def _ordered(node: Any) -> str | None:
    if isinstance(node, list) and len(node) == 2 and not node[0] <= node[1]:
        return f"must be a range [low, high] with low <= high, got {node}"
    return None


def _rising(node: Any) -> str | None:
    values = [node[key] for key in sorted(node)] if isinstance(node, dict) else []
    if any(later < earlier for earlier, later in itertools.pairwise(values)):
        return f"must not fall from one year to the next, got {values}"
    return None


def _english_regions(node: Any) -> str | None:
    """The simulation finds London by position (graduates' moves), so the list keeps the nine
    English regions in ONS order."""
    if len(node) != 9 or node[6].get("name") != "London":
        return "must list the nine English regions in ONS order (London seventh)"
    return None


def _sic_section(node: Any) -> str | None:
    from leo_synth.simulation.pools import SIC_SECTIONS  # the pools read parameters

    letters = [letter for letter, _, _ in SIC_SECTIONS]
    if node not in letters:
        return f"must be a SIC section letter ({letters[0]} to {letters[-1]}), got {node!r}"
    return None


def _jacs_mapped(node: Any) -> str | None:
    """The degree subjects' CAH2 codes are the JACS mapping's, each once (the simulation draws
    principal subjects within them)."""
    from leo_synth.simulation.subjects import mapping_mismatch  # the subjects read parameters

    if not isinstance(node, list) or not all(isinstance(s, dict) for s in node):
        return None  # the shape check reports it
    return mapping_mismatch([str(s.get("cah2")) for s in node])


def _non_empty(node: Any) -> str | None:
    return "must not be empty" if isinstance(node, list | dict) and not node else None


_EACH: dict[str, tuple[Callable[[float], bool], str]] = {
    "probability": (lambda v: 0 <= v <= 1, "a probability between 0 and 1"),
    "correlation": (lambda v: -1 <= v <= 1, "a correlation between -1 and 1"),
    "percent": (lambda v: 0 <= v <= 100, "a percentage between 0 and 100"),
    "positive": (lambda v: v > 0, "greater than 0"),
    "non_negative": (lambda v: v >= 0, "0 or more"),
    "count": (lambda v: v == int(v) and 1 <= v <= 10_000_000,
              "a whole number between 1 and 10,000,000"),
    "year": (lambda v: v == int(v) and 1900 <= v <= 2100, "a year between 1900 and 2100"),
    "flag": (lambda v: v in (0, 1), "0 or 1"),
    "exponent": (lambda v: 0 < v <= 5, "an exponent above 0 and at most 5"),
    "logit_shift": (lambda v: -10 <= v <= 10, "a shift of log odds between -10 and 10"),
}
"""Constraints on every number of the node, each reported at its own path."""

_WHOLE: dict[str, Callable[[Any], str | None]] = {
    "shares": _shares,
    "weights": _weights,
    "ordered": _ordered,
    "rising": _rising,
    "non_empty": _non_empty,
    "jacs_mapped": _jacs_mapped,
    "english_regions": _english_regions,
    "sic_section": _sic_section,
}


def parameter_problems(tree: Any, defaults: dict[str, Any]) -> list[str]:
    """Every problem of a (merged) parameters tree, as ``dotted.path: what is wrong``."""
    if not isinstance(tree, dict):
        return ["parameters must be a mapping of sections"]
    shape: list[tuple[tuple, str]] = []
    _check_shape(tree, defaults, (), shape)
    problems = [message for _, message in shape]
    misshapen = [path for path, _ in shape]
    for path, node in _walk(tree, ()):
        candidates = _constraints_by_head().get((len(path), str(path[0]) if path else None))
        if not candidates:
            continue
        if any(path[:len(bad)] == bad or bad[:len(path)] == path for bad in misshapen):
            continue  # constraints read numbers: only where the shape is right
        for pattern, kinds in candidates:
            if _matches(path, pattern):
                problems += _constraint_problems(path, node, kinds)
    return problems


@functools.cache
def _constraints_by_head() -> dict[tuple[int, str | None], list[tuple[str, tuple[str, ...]]]]:
    """``CONSTRAINTS`` by (segments, first segment), in their order: a path is tried only
    against the patterns it could match (every pattern for every node of the tree was 290,000
    matches, a fifth of a second per parameters file). First segments are section names,
    never wildcards (asserted)."""
    index: dict[tuple[int, str | None], list[tuple[str, tuple[str, ...]]]] = {}
    for pattern, kinds in CONSTRAINTS.items():
        parts = pattern.split(".")
        assert not any(c in parts[0] for c in "*?["), f"wildcard section: {pattern}"
        index.setdefault((len(parts), parts[0]), []).append((pattern, kinds))
    return index


def _constraint_problems(path: tuple, node: Any, kinds: tuple[str, ...]) -> list[str]:
    problems = []
    for kind in kinds:
        if kind in _EACH:
            test, wants = _EACH[kind]
            problems += [f"{_display((*path, *inner))}: must be {wants}, got {value!r}"
                         for inner, value in _walk(node, ()) if _is_number(value)
                         and not test(value)]
        elif message := _WHOLE[kind](node):
            problems.append(f"{_display(path)}: {message}")
    return problems


def _matches(path: tuple, pattern: str) -> bool:
    """Whether a path matches a dotted pattern, "*" matching within one segment."""
    parts = pattern.split(".")
    return len(parts) == len(path) and all(
        fnmatchcase(str(segment), part) for segment, part in zip(path, parts, strict=True))


def _walk(node: Any, path: tuple) -> Iterator[tuple[tuple, Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, (*path, index))


def _display(path: tuple) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) and text else (f".{part}" if text else
                                                                     str(part))
    return text or "(top level)"


def _shown(value: Any) -> str:
    """A value as the YAML file spelt it (null, true), shortened."""
    if value is None:
        text = "null"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind(default: Any) -> str:
    if isinstance(default, bool):
        return "true or false"
    if _is_number(default):
        return "a number"
    if isinstance(default, str):
        return "an ISO date (YYYY-MM-DD)" if _is_date(default) else "text"
    if isinstance(default, list):
        return "a list"
    return "a mapping"


def _is_date(text: Any) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except (TypeError, ValueError):
        return False
    return True


def is_table(node: dict[str, Any]) -> bool:
    """Mappings keyed by data (years, codes) are replaced whole rather than merged."""
    return any(not isinstance(k, str) or not k.isidentifier() for k in node)


def _at(path: tuple, message: str) -> tuple[tuple, str]:
    return path, f"{_display(path)}: {message}"


def _check_shape(value: Any, default: Any, path: tuple, problems: list[tuple[tuple, str]]
                 ) -> None:
    """Append (path, message) for every place where ``value`` is not shaped like ``default``."""
    wrong = _at(path, f"must be {_kind(default)}, got {_shown(value)}")
    if isinstance(default, bool):
        if not isinstance(value, bool):
            problems.append(wrong)
    elif _is_number(default):
        if not _is_number(value):
            problems.append(wrong)
        elif not math.isfinite(value):
            problems.append(_at(path, f"must be a finite number, got {value!r}"))
    elif isinstance(default, str):
        if not isinstance(value, str) or (_is_date(default) and not _is_date(value)):
            problems.append(wrong)
    elif isinstance(default, list):
        _check_list(value, default, path, problems, wrong)
    elif isinstance(default, dict):
        _check_mapping(value, default, path, problems, wrong)


def _check_list(value: Any, default: list, path: tuple, problems: list[tuple[tuple, str]],
                wrong: tuple[tuple, str]) -> None:
    if not isinstance(value, list):
        problems.append(wrong)
    elif default and isinstance(default[0], dict):  # records: any number, same fields
        if not value:
            problems.append(_at(path, "must not be empty"))
        for index, item in enumerate(value):
            _check_shape(item, default[0], (*path, index), problems)
    elif len(value) != len(default):
        problems.append(_at(path, f"must be a list of {len(default)} values, got "
                                  f"{len(value)}"))
    else:
        for index, (item, model) in enumerate(zip(value, default, strict=True)):
            _check_shape(item, model, (*path, index), problems)


def _check_mapping(value: Any, default: dict, path: tuple, problems: list[tuple[tuple, str]],
                   wrong: tuple[tuple, str]) -> None:
    if not isinstance(value, dict):
        problems.append(wrong)
        return
    if not value:
        problems.append(_at(path, "must not be empty"))
        return
    if is_table(default) and all(isinstance(k, int) for k in default):  # keyed by years, levels
        model = next(iter(default.values()))
        for key, item in value.items():
            if not isinstance(key, int) or isinstance(key, bool):
                problems.append(_at(path, f"keys must be whole numbers (years or levels), "
                                          f"got {key!r}"))
            else:
                _check_shape(item, model, (*path, key), problems)
        return
    missing = [k for k in default if k not in value]
    unknown = [k for k in value if k not in default]
    if missing:
        problems.append(_at(path, f"missing {', '.join(map(str, missing))}"))
    if unknown:
        problems.append(_at(path, f"unknown {', '.join(map(repr, unknown))}"))
    for key in default:
        if key in value:
            _check_shape(value[key], default[key], (*path, key), problems)
