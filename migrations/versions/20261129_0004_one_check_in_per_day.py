"""One check-in per account per day: where two devices each stored one for the same day, the
later edit stays (on a tie, the later stored), and the day becomes unique.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 22:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Delete every check-in that another of the same account and day outranks: edited later,
    # or edited at the same moment and stored later. Plain SQL that SQLite and PostgreSQL share.
    op.execute(
        """
        DELETE FROM checkin
        WHERE EXISTS (
            SELECT 1 FROM checkin AS other
            WHERE other.user_id = checkin.user_id
              AND other.day = checkin.day
              AND other.id <> checkin.id
              AND (other.updated_at > checkin.updated_at
                   OR (other.updated_at = checkin.updated_at AND other.seq > checkin.seq))
        )
        """
    )
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_index('ix_checkin_user_id_day')
        batch_op.create_index('ix_checkin_user_id_day', ['user_id', 'day'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_index('ix_checkin_user_id_day')
        batch_op.create_index('ix_checkin_user_id_day', ['user_id', 'day'], unique=False)
