"""the reported start on the case (applications.started_on, backfilled from
project_reports) and a partial index of completed filings not started, so the
watch list and the sweep find them without an anti-join over every start report

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 18:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

UNSTARTED = "status = 'completed' AND started_on IS NULL AND is_preview = false"


def upgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('started_on', sa.Date(), nullable=True))
    op.execute("UPDATE applications SET started_on = (SELECT min(happened_on) FROM project_reports "
               "WHERE project_reports.application_id = applications.id AND project_reports.kind = 'start')")
    op.create_index('ix_applications_unstarted', 'applications', ['completed_at'],
                    postgresql_where=sa.text(UNSTARTED), sqlite_where=sa.text(UNSTARTED))


def downgrade():
    op.drop_index('ix_applications_unstarted', table_name='applications')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_column('started_on')
