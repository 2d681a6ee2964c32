"""Slum area by class and the 100-0-100 indicators (RULES.md section 7)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nolkumuh.scoring.assess import Assessment
from nolkumuh.scoring.table import Groups

WATER_KEY = "air_minum_akses"
SANITATION_KEY = "air_limbah_sistem"


@dataclass(frozen=True)
class SlumArea:
    """Hectares per group and class (columns in the ruleset's class order, heaviest first)."""

    by_class: np.ndarray  # (groups, classes) float64
    class_codes: tuple[str, ...]

    @property
    def slum(self) -> np.ndarray:
        """Slum area of each group: all classes except the last (tidak kumuh)."""
        return self.by_class[:, :-1].sum(axis=1)

    def of(self, code: str) -> np.ndarray:
        return self.by_class[:, self.class_codes.index(code)]


def slum_area(luas: np.ndarray, rt_assessment: Assessment, groups: Groups) -> SlumArea:
    """Sum of the declared ``luas`` of each group's RTs, per class of each RT.

    There is no official weighted formula [RECALL]: this is the plain sum the rules describe.
    """
    n_classes = len(rt_assessment.ruleset.classes)
    cells = groups.codes * n_classes + rt_assessment.class_index
    sums = np.bincount(cells, weights=luas, minlength=len(groups) * n_classes)
    codes = tuple(c.code for c in rt_assessment.ruleset.classes)
    return SlumArea(by_class=sums.reshape(len(groups), n_classes), class_codes=codes)


def access_hundredths(assessment: Assessment, key: str) -> np.ndarray | None:
    """100 - percentage of a household criterion, as hundredths; None if the ruleset lacks it."""
    if key not in assessment.ruleset.keys:
        return None
    return 10000 - assessment.hundredths[assessment.row_of(key)]


def water_access_hundredths(assessment: Assessment) -> np.ndarray | None:
    """Access to safe drinking water (%) x 100 = 100 - percentage of air_minum_akses."""
    return access_hundredths(assessment, WATER_KEY)


def sanitation_access_hundredths(assessment: Assessment) -> np.ndarray | None:
    """Access to proper sanitation (%) x 100 = 100 - percentage of air_limbah_sistem."""
    return access_hundredths(assessment, SANITATION_KEY)
