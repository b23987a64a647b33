"""outbox priority: confirmations ahead of bulk mail

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03

"""
import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

NORMAL, URGENT, BULK = 1, 0, 2


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priority', sa.SmallInteger(), nullable=False,
                                      server_default=str(NORMAL)))
        batch_op.drop_index('ix_outbox_due')
        batch_op.create_index('ix_outbox_due', ['status', 'priority', 'next_attempt_at', 'id'])
    # Mail already queued keeps its place: what waits for a person goes first.
    outbox = sa.table('outbox_messages', sa.column('kind', sa.String),
                      sa.column('priority', sa.SmallInteger))
    op.execute(outbox.update().where(outbox.c.kind.in_(['confirmation', 'blast_test']))
               .values(priority=URGENT))
    op.execute(outbox.update().where(outbox.c.kind.in_(['blast', 'letter_digest',
                                                        'letter_reply_check']))
               .values(priority=BULK))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_due')
        batch_op.create_index('ix_outbox_due', ['status', 'next_attempt_at'])
        batch_op.drop_column('priority')
