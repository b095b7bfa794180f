"""Storage: the data model, sessions and migrations in one place."""

from newsdesk.store.database import Store, open_store
from newsdesk.store.models import (
    Article,
    Base,
    Entry,
    EntryState,
    FetchLog,
    FetchOutcome,
    Passage,
    PollPolicy,
    Snapshot,
    Source,
    SourceKind,
    passage_id,
    utcnow,
)

__all__ = [
    "Article",
    "Base",
    "Entry",
    "EntryState",
    "FetchLog",
    "FetchOutcome",
    "Passage",
    "PollPolicy",
    "Snapshot",
    "Source",
    "SourceKind",
    "Store",
    "open_store",
    "passage_id",
    "utcnow",
]
