"""material files: several per material, and where a reused file was copied from

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-12 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('material_files', schema=None) as batch_op:
        batch_op.drop_constraint('uq_material_files_application_id', type_='unique')
        batch_op.add_column(sa.Column('copied_from_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_material_files_copied_from_id_material_files'), 'material_files',
                                    ['copied_from_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index('ix_material_files_application_material', ['application_id', 'material_id'],
                              unique=False)


def downgrade():
    # One file per material again: each material keeps its first file. The other
    # rows go (their files stay on disk, unreferenced, until the folder is cleaned).
    op.execute("DELETE FROM material_files WHERE id NOT IN "
               "(SELECT keep FROM (SELECT MIN(id) AS keep FROM material_files "
               "GROUP BY application_id, material_id) AS first_files)")
    with op.batch_alter_table('material_files', schema=None) as batch_op:
        batch_op.drop_index('ix_material_files_application_material')
        batch_op.drop_constraint(batch_op.f('fk_material_files_copied_from_id_material_files'), type_='foreignkey')
        batch_op.drop_column('copied_from_id')
        batch_op.create_unique_constraint(batch_op.f('uq_material_files_application_id'),
                                          ['application_id', 'material_id'])
