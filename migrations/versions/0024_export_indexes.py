"""export indexes: one ward's export reads the index alone for its count and filter
(the House and Senate district indexes came with 0023)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-03

"""
from alembic import op

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

# The export's count and its WHERE read these columns: in the index, the count needs no
# row and rows the filter drops are never fetched. id stays third for the keyset order.
WARD_COLUMNS = ['petition_id', 'ward', 'id', 'ward_status', 'confirmed_at', 'invalidated_at',
                'anonymized_at']


def upgrade():
    # Plain index statements, not a batch: SQLite must not copy a large table for them.
    op.drop_index('ix_signatures_petition_ward', table_name='signatures')
    op.create_index('ix_signatures_petition_ward', 'signatures', WARD_COLUMNS)


def downgrade():
    op.drop_index('ix_signatures_petition_ward', table_name='signatures')
    op.create_index('ix_signatures_petition_ward', 'signatures', ['petition_id', 'ward', 'id'])
