"""index only the rows that have a set-aside batch or an organizer email

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24

Every signature has a NULL invalidation_id and every confirmation email a NULL blast_id;
full indexes on those columns cost each signing two index writes that no query uses.

"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_index('ix_signatures_invalidation_id')
        batch_op.create_index('ix_signatures_invalidation_id', ['invalidation_id'], unique=False,
                              postgresql_where=sa.text('invalidation_id IS NOT NULL'),
                              sqlite_where=sa.text('invalidation_id IS NOT NULL'))
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_blast_status')
        batch_op.create_index('ix_outbox_blast_status', ['blast_id', 'status'], unique=False,
                              postgresql_where=sa.text('blast_id IS NOT NULL'),
                              sqlite_where=sa.text('blast_id IS NOT NULL'))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_blast_status')
        batch_op.create_index('ix_outbox_blast_status', ['blast_id', 'status'], unique=False)
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_index('ix_signatures_invalidation_id')
        batch_op.create_index('ix_signatures_invalidation_id', ['invalidation_id'], unique=False)
