"""sign-in allowances: the per-number cooldown and daily cap as guarded counter rows

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 05:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sign_in_allowances',
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('known_requester', sa.Boolean(), nullable=False),
    sa.Column('window_started_at', sa.DateTime(), nullable=False),
    sa.Column('sent_in_window', sa.Integer(), nullable=False),
    sa.Column('last_sent_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('phone', 'known_requester', name=op.f('pk_sign_in_allowances'))
    )


def downgrade():
    op.drop_table('sign_in_allowances')
