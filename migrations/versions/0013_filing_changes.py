"""备案变更 and 延期开工: an application may change a completed filing
(applications.amends_id); an approval's start may be extended (applications.start_extended_months)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 14:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('amends_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_applications_amends_id_applications', 'applications', ['amends_id'], ['id'])
        batch_op.create_index('ix_applications_amends_id', ['amends_id'], unique=False)
        batch_op.add_column(sa.Column('start_extended_months', sa.Integer(), nullable=True))
    # One change in flight per filing: two clicks at once cannot open two.
    in_flight = sa.text("status IN ('draft', 'submitted', 'accepted', 'returned') AND amends_id IS NOT NULL")
    op.create_index('uq_applications_open_change', 'applications', ['amends_id'], unique=True,
                    postgresql_where=in_flight, sqlite_where=in_flight)


def downgrade():
    op.drop_index('uq_applications_open_change', table_name='applications')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_column('start_extended_months')
        batch_op.drop_index('ix_applications_amends_id')
        batch_op.drop_constraint('fk_applications_amends_id_applications', type_='foreignkey')
        batch_op.drop_column('amends_id')
