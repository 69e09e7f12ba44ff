"""issued documents (sealed, verifiable) and courier requests

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 06:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('issued_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('office', sa.String(length=200), nullable=False),
    sa.Column('project_code', sa.String(length=24), nullable=True),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('superseded_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_issued_documents_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['case_events.id'], name=op.f('fk_issued_documents_event_id_case_events')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_issued_documents_issued_by_id_users')),
    sa.ForeignKeyConstraint(['superseded_by_id'], ['issued_documents.id'], name=op.f('fk_issued_documents_superseded_by_id_issued_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_documents')),
    sa.UniqueConstraint('code', name=op.f('uq_issued_documents_code')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_issued_documents_stored_name'))
    )
    with op.batch_alter_table('issued_documents', schema=None) as batch_op:
        batch_op.create_index('ix_issued_documents_application_kind', ['application_id', 'kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_issued_documents_sha256'), ['sha256'], unique=False)

    op.create_table('courier_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=40), nullable=False),
    sa.Column('mobile', sa.String(length=20), nullable=False),
    sa.Column('town', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('dispatched_at', sa.DateTime(), nullable=True),
    sa.Column('carrier', sa.String(length=40), nullable=True),
    sa.Column('tracking_number', sa.String(length=40), nullable=True),
    sa.Column('dispatched_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_courier_requests_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['dispatched_by_id'], ['users.id'], name=op.f('fk_courier_requests_dispatched_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_courier_requests')),
    sa.UniqueConstraint('application_id', name=op.f('uq_courier_requests_application_id'))
    )


def downgrade():
    op.drop_table('courier_requests')
    with op.batch_alter_table('issued_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issued_documents_sha256'))
        batch_op.drop_index('ix_issued_documents_application_kind')
    op.drop_table('issued_documents')
