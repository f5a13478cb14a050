"""Database engine, sessions and the schema-version guard.

Services receive a `sqlmodel.Session`; this module is the one place that knows
how to open one, so the same code runs on embedded SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from meetapp.config import PROJECT_ROOT, get_settings


def _configure_sqlite(engine: Engine) -> None:
    """Make SQLite behave like a server database for our purposes.

    pysqlite's own transaction handling is switched off so that ``open_session`` can
    issue `BEGIN IMMEDIATE`.
    """

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection):
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def create_db_engine(url: str) -> Engine:
    """Create an engine for `url`, preparing SQLite files and pragmas.

    Args:
        url: A SQLAlchemy database URL.

    Returns:
        The engine.
    """
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False})
        _configure_sqlite(engine)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


@lru_cache(maxsize=1)
def get_engine() -> Engine:
    """Return the process-wide engine for the configured database."""
    return create_db_engine(get_settings().database_url)


@contextmanager
def open_session(engine: Engine | None = None) -> Iterator[Session]:
    """Open a transaction that commits on success and rolls back on error.

    On SQLite it takes the database write lock up front (`BEGIN IMMEDIATE`, waiting up
    to the busy timeout): a deferred transaction that reads and then writes fails at
    once with "database is locked" whenever another connection committed in between,
    which the outbox worker and the calendar sync do all the time. Sessions are short,
    so serializing them costs little; on PostgreSQL this is an ordinary transaction
    and constraints and row locks keep concurrent writers apart.

    Args:
        engine: The engine to use; the configured one by default.

    Yields:
        The session.
    """
    base = engine or get_engine()
    if base.dialect.name == "sqlite":
        base = base.execution_options(sqlite_begin="IMMEDIATE")
    with Session(base, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


class SchemaOutOfDate(RuntimeError):
    """The database is not at the newest migration."""


def check_schema_is_current(engine: Engine | None = None) -> None:
    """Refuse to run on a database that migrations have not brought up to date.

    Args:
        engine: The engine to check; the configured one by default.

    Raises:
        SchemaOutOfDate: With the command that fixes it.
    """
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    head = ScriptDirectory.from_config(config).get_current_head()
    with (engine or get_engine()).connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current != head:
        raise SchemaOutOfDate(
            f"The database is at migration {current or 'none'} but the code needs {head}. "
            "Run `make migrate` (or `.venv/bin/alembic upgrade head`) and start again."
        )
