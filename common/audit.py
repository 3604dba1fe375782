"""The audit log: the moves that change who may rely on a figure, one JSON line each.

Approvals, returns sent back, reopened returns, applied imports and failed log-ins are written
by the code that makes them, in the transaction's ``on_commit`` so a move that rolls back is
never logged as made. Fields are ids, counts and user names, never a password,
comment or answer a user typed.
"""

import logging

from django.db import transaction

logger = logging.getLogger("ccgportal.audit")


def record(event: str, *, at_commit: bool = True, **fields) -> None:
    """Log ``event`` with ``fields`` once the current transaction commits (at once outside
    one); ``at_commit=False`` for what happened whatever the transaction does (a failed
    log-in)."""

    def write():
        logger.info(event, extra={"event": event, **fields})

    if at_commit:
        transaction.on_commit(write)
    else:
        write()
