"""invalidations.reason: manual, or rate_limit for signatures flagged at signing

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24

"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('invalidations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.String(length=20), nullable=False,
                                      server_default='manual'))


def downgrade():
    with op.batch_alter_table('invalidations', schema=None) as batch_op:
        batch_op.drop_column('reason')
