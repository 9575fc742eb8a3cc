"""The red-flag answers on the account: the signs ticked, when, in which plan cycle, and
"checked by a clinician on a date" for the ticked signs that check covers.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 01:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# app.models.UTCDateTime stores exactly this; the migration does not import the app.
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table('screening',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('signs', sa.JSON(), nullable=False),
    sa.Column('answered_at', TIMESTAMP, nullable=False),
    sa.Column('cycle', sa.Integer(), nullable=True),
    sa.Column('cleared_on', sa.Date(), nullable=True),
    sa.Column('cleared_signs', sa.JSON(), nullable=False),
    sa.Column('updated_at', TIMESTAMP, nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_screening_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_screening'))
    )


def downgrade() -> None:
    op.drop_table('screening')
