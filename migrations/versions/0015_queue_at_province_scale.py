"""province scale: answers and outcomes as JSONB, trigram indexes for the
queue's substring search (PostgreSQL); the working days each case took, kept
when it is decided, so that statistics aggregate in SQL (both databases)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 15:10:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

JSON_COLUMNS = [('applications', 'answers'), ('submissions', 'answers'), ('submissions', 'outcome'),
                ('submissions', 'materials'), ('case_events', 'data')]
SEARCHED = ['reference', 'project_name', 'enterprise_name', 'credit_code']


def _backfill_working_days():
    """The working days of the cases decided before this revision (the holiday calendar is Python's)."""
    from app.workdays import working_days_between

    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT id, submitted_at, accepted_at, completed_at FROM applications "
        "WHERE submitted_at IS NOT NULL AND (accepted_at IS NOT NULL OR completed_at IS NOT NULL)")).all()
    for row in rows:
        connection.execute(sa.text(
            "UPDATE applications SET accept_working_days = :a, complete_working_days = :c WHERE id = :id"),
            {"id": row.id,
             "a": working_days_between(row.submitted_at, row.accepted_at) if row.accepted_at else None,
             "c": working_days_between(row.submitted_at, row.completed_at) if row.completed_at else None})


def upgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accept_working_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('complete_working_days', sa.Integer(), nullable=True))
        batch_op.create_index('ix_applications_project_name_id', ['project_name', 'id'], unique=False)  # sort
    _backfill_working_days()
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table, column in JSON_COLUMNS:
        op.alter_column(table, column, type_=postgresql.JSONB(), postgresql_using=f'{column}::jsonb')
    op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    for column in SEARCHED:
        op.execute(f'CREATE INDEX IF NOT EXISTS ix_applications_{column}_trgm ON applications '
                   f'USING gin ({column} gin_trgm_ops)')


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for column in SEARCHED:
            op.execute(f'DROP INDEX IF EXISTS ix_applications_{column}_trgm')
        for table, column in JSON_COLUMNS:
            op.alter_column(table, column, type_=sa.JSON(), postgresql_using=f'{column}::json')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index('ix_applications_project_name_id')
        batch_op.drop_column('complete_working_days')
        batch_op.drop_column('accept_working_days')
