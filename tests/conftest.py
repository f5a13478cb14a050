"""Shared fixtures: migrated databases (SQLite always, PostgreSQL when reachable)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.config import Config
from sqlalchemy.engine import Engine
from sqlmodel import Session

from alembic import command
from meetapp.config import PROJECT_ROOT
from meetapp.db import create_db_engine

POSTGRES_ADMIN_URL = os.environ.get(
    "MEETAPP_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def migrate(url: str) -> None:
    """Bring the database at `url` to the newest migration, as production does."""
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    config.attributes["database_url"] = url
    command.upgrade(config, "head")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'test.db'}"
    migrate(url)
    return url


@pytest.fixture
def engine(sqlite_url: str) -> Iterator[Engine]:
    engine = create_db_engine(sqlite_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session
        session.commit()


def _postgres_reachable() -> str | None:
    try:
        probe = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with probe.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
        probe.dispose()
        return None
    except Exception as error:  # any failure means: no server for us here
        return f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {error.__class__.__name__}"


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    """A fresh, migrated PostgreSQL database; skipped with the reason when none is reachable."""
    reason = _postgres_reachable()
    if reason:
        print(f"SKIP: {reason}")
        pytest.skip(reason)
    name = f"meetapp_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = (
        sa.engine.make_url(POSTGRES_ADMIN_URL)
        .set(database=name)
        .render_as_string(hide_password=False)
    )
    migrate(url)
    engine = create_db_engine(url)
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()
