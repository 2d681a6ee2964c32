"""Backups of a running installation and their restore (docs/backup.md).

`nolkumuh backup PATH` writes one archive (tar.gz or zip): the database (SQLite through its online
backup API, PostgreSQL through `pg_dump -Fc`), the files of the data folder that cannot be made
again (photos, uploads, job results) and a manifest (version, time, engine, migrations, row
counts). `nolkumuh restore ARCHIVE` puts it back into an empty data folder and an empty database
and checks the row counts; it refuses, with a message saying what to do, an archive that is
broken or hostile, from a newer version, or from the other database engine.
"""

from nolkumuh.core.backup.create import BackupResult, backup_create
from nolkumuh.core.backup.problems import BackupRefused
from nolkumuh.core.backup.restore import RestoreResult, backup_restore

__all__ = ["BackupRefused", "BackupResult", "RestoreResult", "backup_create", "backup_restore"]
