"""retention: deleting an account never deletes its cases (applications.user_id
no longer cascades); an account is deactivated instead (users.deactivated_at)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 15:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deactivated_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_constraint('fk_applications_user_id_users', type_='foreignkey')
        batch_op.create_foreign_key('fk_applications_user_id_users', 'users', ['user_id'], ['id'])


def downgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_constraint('fk_applications_user_id_users', type_='foreignkey')
        batch_op.create_foreign_key('fk_applications_user_id_users', 'users', ['user_id'], ['id'],
                                    ondelete='CASCADE')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('deactivated_at')
