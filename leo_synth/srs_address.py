"""SRS addressing: the three-part name ``<database>.<project>.<relation>`` of every relation.

In the SRS, LEO is a set of SQL Server views over several databases, one schema per project,
so researchers write ``[NPD].[2002237].[Spring_Census_2011]`` (Iteration 1) or
``LEO_i2."2002237".learner_ae_id_to_edukey_lookup`` (Iteration 2). The database names per
iteration are in the spec (``schemas/databases.yaml``, on each table as ``srs_database``); the
project number is a run setting (``--srs-project``). Every backend that offers SRS names takes
them from here.

The default project, 2002237, is the number in the public researcher code the reference pack
quotes (``leo_schema.md`` section 1.1), so scripts copied from it run without a find/replace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from leo_synth.errors import LeoSynthError
from leo_synth.spec.model import Relation

DEFAULT_PROJECT = "2002237"
PROJECT_PATTERN = re.compile(r"[0-9]{1,12}")
"""SRS project numbers are numeric (the schema every project's views live in)."""


def check_project(project: Any) -> str:
    """The project number as text; a one-line error for anything that is not 1-12 digits."""
    text = str(project) if isinstance(project, int) and not isinstance(project, bool) else project
    if not isinstance(text, str) or not PROJECT_PATTERN.fullmatch(text):
        raise LeoSynthError(f"bad SRS project {project!r}: give the project number, 1 to 12 "
                            f"digits (e.g. {DEFAULT_PROJECT})")
    return text


def srs_database(relation: Relation, iteration: int) -> str:
    """The SRS database a relation lives in, in an iteration (``NPD_i2``, ``LEO`` ...)."""
    names = dict(relation.table.srs_database)
    if iteration not in names:
        raise LeoSynthError(f"{relation.name}: database {relation.database} has no SRS name in "
                            f"iteration {iteration}")
    return names[iteration]


@dataclass(frozen=True)
class SrsNaming:
    """How one run's relations are addressed in the SRS: iteration and project number."""

    iteration: int = 2
    project: str = DEFAULT_PROJECT

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> SrsNaming:
        """The naming recorded in a run manifest's settings."""
        return cls(int(settings.get("iteration", 2)),
                   check_project(settings.get("srs_project", DEFAULT_PROJECT)))

    def database(self, relation: Relation) -> str:
        """The relation's SRS database (the catalog of its three-part name)."""
        return srs_database(relation, self.iteration)

    def parts(self, relation: Relation) -> tuple[str, str, str]:
        """(database, project, relation), e.g. ``("NPD_i2", "2002237", "spring_census_2011")``."""
        return self.database(relation), self.project, relation.name

    def three_part_name(self, relation: Relation) -> str:
        """The bracketed T-SQL name: ``[NPD_i2].[2002237].[spring_census_2011]``."""
        return ".".join(f"[{part}]" for part in self.parts(relation))

    def databases(self, relations: list[Relation]) -> list[str]:
        """The SRS databases these relations live in, sorted."""
        return sorted({self.database(rel) for rel in relations})
