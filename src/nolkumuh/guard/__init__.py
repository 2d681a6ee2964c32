"""Guarding the service from files sent by anyone (pure: no Django).

:func:`check_file` checks a file's kind by content, its size, the inside of archives and the rows
and columns of spreadsheets before any parser sees it; :func:`run_isolated` runs the parser in a
child process with memory and time limits. Every upload of the web app and every input of the
command line goes through both (docs/security.md, "Berkas unggahan").
"""

from nolkumuh.guard.files import KIND_NAMES, check_content, check_file, sniff
from nolkumuh.guard.isolate import run_isolated
from nolkumuh.guard.limits import Limits, limits_from_env

__all__ = ["KIND_NAMES", "Limits", "check_content", "check_file", "limits_from_env", "run_isolated", "sniff"]
