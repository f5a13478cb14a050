"""linked calendar sync lease

Revision ID: 5c1e2a9d7f30
Revises: 0358447a4dc7
Create Date: 2026-11-21 19:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa

import meetapp.models
from alembic import op

revision: str = "5c1e2a9d7f30"
down_revision: str | None = "0358447a4dc7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("linked_calendars", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sync_lease_until", meetapp.models.UtcDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("linked_calendars", schema=None) as batch_op:
        batch_op.drop_column("sync_lease_until")
