"""an organizer's email to signers in Spanish too

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03

"""
import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('blasts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject_es', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('body_es', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('blasts', schema=None) as batch_op:
        batch_op.drop_column('body_es')
        batch_op.drop_column('subject_es')
