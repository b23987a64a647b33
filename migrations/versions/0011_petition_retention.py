"""how long each petition keeps signers' details, and its call script, in the organizers' words

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03

"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('retention_es', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('call_script', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('call_script_es', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.drop_column('call_script_es')
        batch_op.drop_column('call_script')
        batch_op.drop_column('retention_es')
        batch_op.drop_column('retention')
