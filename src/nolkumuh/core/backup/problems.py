"""The one error of backups and restores: a message in Indonesian saying what is wrong, where, and
how to fix it. Nothing is left half-written when it is raised."""


class BackupRefused(Exception):
    """A backup or restore that was not done (the message says why and what to do)."""


def first_few(names: list[str], limit: int = 5) -> str:
    """The first names of a list for a message, and how many more there are ("a, b dan 3 lainnya")."""
    rest = len(names) - limit
    return ", ".join(names[:limit]) + (f" dan {rest} lainnya" if rest > 0 else "")
