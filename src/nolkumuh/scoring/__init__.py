"""The scoring engine, the rules of the regulation only: pure Python and numpy, no Django.

See docs/scoring.md and docs/architecture.md. The planning mathematics (activity catalogue,
simulation, budget, optimizer) builds on it in :mod:`nolkumuh.planmath`.
"""

from nolkumuh.scoring.aggregate import aggregate, group_counts
from nolkumuh.scoring.assess import Assessment, assess
from nolkumuh.scoring.criteria import HEADER_FIELDS, Aspect, Criterion, HeaderField, catalogue
from nolkumuh.scoring.handling import apply_handling, handling_contribution, no_longer_slum
from nolkumuh.scoring.indicators import (
    SlumArea,
    sanitation_access_hundredths,
    slum_area,
    water_access_hundredths,
)
from nolkumuh.scoring.issues import InvalidInput, Issue
from nolkumuh.scoring.nonphysical import (
    NonPhysical,
    assess_nonphysical,
    assessment_marks,
    handling_pattern,
    is_legal,
    kawasan_type,
    nonphysical_level,
    priority_rank,
)
from nolkumuh.scoring.rulesets import DEFAULT_RULESET, Ruleset, all_rulesets, load_ruleset, shipped_ids
from nolkumuh.scoring.table import Groups, RtTable
from nolkumuh.scoring.validate import validate_table

__all__ = [
    "DEFAULT_RULESET",
    "HEADER_FIELDS",
    "Aspect",
    "Assessment",
    "Criterion",
    "Groups",
    "HeaderField",
    "InvalidInput",
    "Issue",
    "NonPhysical",
    "RtTable",
    "Ruleset",
    "SlumArea",
    "aggregate",
    "all_rulesets",
    "apply_handling",
    "assess",
    "assess_nonphysical",
    "assessment_marks",
    "catalogue",
    "group_counts",
    "handling_contribution",
    "handling_pattern",
    "is_legal",
    "kawasan_type",
    "load_ruleset",
    "no_longer_slum",
    "nonphysical_level",
    "priority_rank",
    "sanitation_access_hundredths",
    "shipped_ids",
    "slum_area",
    "validate_table",
    "water_access_hundredths",
]
