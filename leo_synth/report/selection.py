"""Which relations the calibration report reads, to generate only those.

A calibration run does not need the thousands of columns nobody's target reads (key stage 2
results, the I1 layout, absence by term...). ``report_selector`` narrows a run to the
relations named by the targets file's definitions (whole relations: a definition reading one
column of a view still gets the view as the catalogue defines it), so ``leo-synth generate
--for-report`` and the calibration test produce exactly what ``leo-synth report`` reads.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from pathlib import Path

from leo_synth.report.evaluate import metric_needs
from leo_synth.report.targets import TargetsFile, load_targets
from leo_synth.spec.model import Relation


def relation_patterns(targets: TargetsFile) -> set[str]:
    """Lower-case relation names or shell patterns (``hesa_*``) the report reads: those it
    requires and those it reads when the extract has them (PLASC for pupils' sex and birth,
    the benefit spells a P14 return repeats), without which its figures would differ from a
    whole extract's."""
    needs: set[str] = set()
    for target in targets.targets:
        if target.metric is not None:
            needs.update(metric_needs(target.metric, optional=True))
        needs.update(target.needs or [])
    for relationship in targets.relationships:
        needs.update(metric_needs(relationship.metric, optional=True))
    return {need.partition(".")[0].lower() for need in needs}


def report_selector(targets_path: Path) -> Callable[[list[Relation]], list[Relation]]:
    """``generate(..., select=...)`` keeping the relations the targets file reads."""
    patterns = relation_patterns(load_targets(targets_path))

    def select(relations: list[Relation]) -> list[Relation]:
        return [rel for rel in relations
                if any(fnmatch.fnmatchcase(rel.name.lower(), p) for p in patterns)]

    return select
