"""Alembic environment on SQLModel.metadata, in batch mode for SQLite.

backcare passes an open connection in `config.attributes["connection"]` (see
backcare.store.migrate); the developer CLI (`alembic ...` with alembic.ini) uses the URL.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from backcare.store.tables import metadata

config = context.config


def _run(connection: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things: copy-and-move tables
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.connect() as conn:
        _run(conn)


if context.is_offline_mode():
    raise SystemExit("backcare migrations run online only")
run_migrations_online()
