"""The RT exchange format (FORMAT.md): read and write CSV and XLSX. Pure: no Django."""

from nolkumuh.exchange.output import LEVELS, OutColumn, OutputTable, aggregated_output, rt_output
from nolkumuh.exchange.parse import RtInput, parse_sheet
from nolkumuh.exchange.read import RawSheet, read_sheet
from nolkumuh.exchange.score import read_rt_file, score_input
from nolkumuh.exchange.write import write_csv, write_table, write_xlsx

__all__ = [
    "LEVELS",
    "OutColumn",
    "OutputTable",
    "RawSheet",
    "RtInput",
    "aggregated_output",
    "parse_sheet",
    "read_rt_file",
    "read_sheet",
    "rt_output",
    "score_input",
    "write_csv",
    "write_table",
    "write_xlsx",
]
