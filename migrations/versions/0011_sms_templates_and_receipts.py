"""sms messages: template key and parameters, the provider that sent it, delivery receipts

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 20:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sms_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('template_key', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('provider', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('delivery', sa.Enum('delivered', 'undelivered', name='delivery',
                                                          native_enum=False, length=12), nullable=True))
        batch_op.add_column(sa.Column('delivery_detail', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('delivery_reported_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_sms_messages_provider_message', ['provider', 'provider_message_id'], unique=False)


def downgrade():
    with op.batch_alter_table('sms_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_sms_messages_provider_message')
        batch_op.drop_column('delivery_reported_at')
        batch_op.drop_column('delivery_detail')
        batch_op.drop_column('delivery')
        batch_op.drop_column('provider')
        batch_op.drop_column('params')
        batch_op.drop_column('template_key')
