"""All or nothing: what an import tells its user when the database refuses one of its writes.

Every import checks its file completely in a dry run, then writes in one transaction. A row can
still be refused when it is saved (a constraint the dry run cannot see, a row another user wrote in
the meantime); the transaction is then rolled back whole, and the views and jobs say so with this
message instead of answering 500. The database's own error goes to the log for the administrator.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def not_saved_message(exc: DatabaseError, *, what: str) -> str:
    """The user's message after ``what`` (an import) was rolled back because the database refused
    a write; call it only once the import's transaction has ended."""
    logger.warning("%s refused by the database and rolled back: %s", what, exc)
    logger.debug("the database's refusal of %s", what, exc_info=exc)  # the stack, when asked for
    return _(
        "Data tidak tersimpan: basis data menolak salah satu baris (mungkin data yang sama baru saja"
        " diubah pengguna lain). Tidak ada yang berubah; coba lagi."
    )
