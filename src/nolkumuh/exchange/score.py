"""From a file in the exchange format to its scored output table."""

from __future__ import annotations

from pathlib import Path

from nolkumuh.exchange.output import OutputTable, aggregated_output, rt_output
from nolkumuh.exchange.parse import RtInput, parse_sheet
from nolkumuh.exchange.read import Progress, no_progress, read_sheet
from nolkumuh.scoring.assess import assess


def read_rt_file(
    path: Path,
    *,
    ruleset: str | None = None,
    decimal_comma: bool = False,
    progress: Progress = no_progress,
) -> RtInput:
    """Read and check a CSV/XLSX file; raises InvalidInput with every problem."""
    return parse_sheet(
        read_sheet(Path(path), progress=progress), ruleset_option=ruleset, decimal_comma=decimal_comma
    )


def score_input(data: RtInput, *, level: str = "rt") -> OutputTable:
    """Score the RTs and return the output table, per RT or aggregated to ``level``."""
    rt_assessment = assess(data.table, data.ruleset)
    if level == "rt":
        return rt_output(data, rt_assessment)
    return aggregated_output(data, rt_assessment, level)
