"""Relation builders: from simulated life courses to the rows of each SRS relation.

Importing the package registers every builder (one module per source family).
"""

from leo_synth.relations import dwp, hesa, hmrc, lilr, linkage, npd  # noqa: F401
