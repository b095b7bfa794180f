"""full-text search index of the public site (SQLite FTS5 or PostgreSQL tsvector)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 10:00:00

`search_index` is not an ORM model: it is written and read with SQL by newsdesk.web.site.search,
and kept out of the model/migration comparison by name.
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # kind, ref_id and stamp are stored but not searched; stamp says which version of the
        # row was indexed, so the search module can re-index what changed
        op.execute(
            "CREATE VIRTUAL TABLE search_index USING fts5("
            "kind UNINDEXED, ref_id UNINDEXED, stamp UNINDEXED, title, body, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        return
    op.execute(
        "CREATE TABLE search_index ("
        "id SERIAL PRIMARY KEY, "
        "kind VARCHAR(16) NOT NULL, "
        "ref_id INTEGER NOT NULL, "
        "stamp TEXT NOT NULL DEFAULT '', "
        "title TEXT NOT NULL DEFAULT '', "
        "body TEXT NOT NULL DEFAULT '', "
        "tsv TSVECTOR GENERATED ALWAYS AS "
        "(to_tsvector('simple'::regconfig, title || ' ' || body)) STORED, "
        "CONSTRAINT uq_search_index_ref UNIQUE (kind, ref_id))"
    )
    op.execute("CREATE INDEX ix_search_index_tsv ON search_index USING GIN (tsv)")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS search_index")
