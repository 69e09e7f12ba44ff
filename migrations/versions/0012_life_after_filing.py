"""life after filing: start and completion reports, deferred papers supplied after acceptance

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 12:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'project_reports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('happened_on', sa.Date(), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('reported_at', sa.DateTime(), nullable=False),
        sa.Column('reported_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['application_id'], ['applications.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['reported_by_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('application_id', 'kind'),
    )
    op.create_index('ix_project_reports_application_id', 'project_reports', ['application_id'], unique=False)
    with op.batch_alter_table('material_deferrals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supplied_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('material_deferrals', schema=None) as batch_op:
        batch_op.drop_column('supplied_at')
    op.drop_index('ix_project_reports_application_id', table_name='project_reports')
    op.drop_table('project_reports')
