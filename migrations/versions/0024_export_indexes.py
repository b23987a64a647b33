"""export indexes: one ward's export reads the index alone for its count and filter; a
House or Senate district's export seeks its rows instead of scanning the table

Revision ID: 0024
Revises: 0021 (to be rechained after 0022 and 0023, which other branches add)
Create Date: 2026-12-03

"""
from alembic import op

revision = '0024'
down_revision = '0021'
branch_labels = None
depends_on = None

# The export's count and its WHERE read these columns: in the index, the count needs no
# row and rows the filter drops are never fetched. id stays third for the keyset order.
WARD_COLUMNS = ['petition_id', 'ward', 'id', 'ward_status', 'confirmed_at', 'invalidated_at',
                'anonymized_at']


def upgrade():
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_index('ix_signatures_petition_ward')
        batch_op.create_index('ix_signatures_petition_ward', WARD_COLUMNS)
        batch_op.create_index('ix_signatures_petition_house', ['petition_id', 'state_house', 'id'])
        batch_op.create_index('ix_signatures_petition_senate',
                              ['petition_id', 'state_senate', 'id'])


def downgrade():
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_index('ix_signatures_petition_senate')
        batch_op.drop_index('ix_signatures_petition_house')
        batch_op.drop_index('ix_signatures_petition_ward')
        batch_op.create_index('ix_signatures_petition_ward', ['petition_id', 'ward', 'id'])
