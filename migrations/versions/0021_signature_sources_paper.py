"""signature sources and paper signatures: source, sheet number, a petition's paper setting

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03

"""
import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('sheet_number', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('signed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('collected_by', sa.String(length=100), nullable=True))
        batch_op.create_index('ix_signatures_petition_source', ['petition_id', 'source'])
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paper_without_email_counts', sa.Boolean(),
                                      nullable=False, server_default=sa.true()))


def downgrade():
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.drop_column('paper_without_email_counts')
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_index('ix_signatures_petition_source')
        batch_op.drop_column('collected_by')
        batch_op.drop_column('signed_on')
        batch_op.drop_column('sheet_number')
        batch_op.drop_column('source')
