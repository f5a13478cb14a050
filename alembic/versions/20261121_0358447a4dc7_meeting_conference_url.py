"""meeting conference url

Revision ID: 0358447a4dc7
Revises: 8e7a35032213
Create Date: 2026-11-21 17:32:51.307073
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0358447a4dc7"
down_revision: str | None = "8e7a35032213"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "conference_url", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("conference_url")
