"""Alembic environment: runs on the connection the Store hands over, or on the configured URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from newsdesk.store.models import Base

target_metadata = Base.metadata
config = context.config


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Leave the full-text search tables (migration 0005, no ORM model) out of autogenerate."""
    return not (type_ == "table" and (name or "").startswith("search_index"))


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            include_name=include_name,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        context.configure(
            connection=conn,
            target_metadata=target_metadata,
            include_name=include_name,
            render_as_batch=conn.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations()
