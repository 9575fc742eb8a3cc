"""Plans per account with their history of changes, the person's own date on a session, and
whether symptoms spread on a check-in.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 23:33:14.117562
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# app.models.UTCDateTime stores exactly this; the migration does not import the app.
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table('plan',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('built_on', sa.Date(), nullable=False),
    sa.Column('built_from', sa.Integer(), nullable=False),
    sa.Column('catalogue_version', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('plan', sa.JSON(), nullable=False),
    sa.Column('state', sa.JSON(), nullable=False),
    sa.Column('updated_at', TIMESTAMP, nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_plan_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_plan'))
    )
    op.create_table('plan_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('rule', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('exercise', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('season_before', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('season_after', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_plan_change_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_change'))
    )
    with op.batch_alter_table('plan_change', schema=None) as batch_op:
        batch_op.create_index('ix_plan_change_user_id_id', ['user_id', 'id'], unique=False)

    with op.batch_alter_table('session_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('day', sa.Date(), nullable=True))

    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('symptoms_spread', sa.Boolean(), server_default=sa.false(), nullable=False)
        )



def downgrade() -> None:
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_column('symptoms_spread')

    with op.batch_alter_table('session_log', schema=None) as batch_op:
        batch_op.drop_column('day')

    with op.batch_alter_table('plan_change', schema=None) as batch_op:
        batch_op.drop_index('ix_plan_change_user_id_id')

    op.drop_table('plan_change')
    op.drop_table('plan')
