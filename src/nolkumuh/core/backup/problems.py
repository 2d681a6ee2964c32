"""The one error of backups and restores: a message in Indonesian saying what is wrong, where, and
how to fix it. Nothing is left half-written when it is raised."""


class BackupRefused(Exception):
    """A backup or restore that was not done (the message says why and what to do)."""
