"""petitions: title, summary and text in Spanish

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24

"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_es', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('summary_es', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('body_es', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.drop_column('body_es')
        batch_op.drop_column('summary_es')
        batch_op.drop_column('title_es')
