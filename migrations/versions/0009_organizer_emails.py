"""organizer emails to signers: blasts, unsubscribes, outbox_messages.blast_id and the
'skipped' outbox status

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24

"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('blasts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_by_email', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('format', sa.Enum('text', 'markdown', name='blast_format'), nullable=False),
    sa.Column('all_wards', sa.Boolean(), nullable=False),
    sa.Column('wards', sa.String(length=200), nullable=False),
    sa.Column('include_outside', sa.Boolean(), nullable=False),
    sa.Column('include_unknown', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'queued', name='blast_status'), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('queued_at', sa.DateTime(), nullable=True),
    sa.Column('queued_by_email', sa.String(length=254), nullable=True),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.Column('skipped_unsubscribed', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['organizers.id'], name=op.f('fk_blasts_created_by_id_organizers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_blasts_petition_id_petitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blasts'))
    )
    with op.batch_alter_table('blasts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_blasts_petition_id'), ['petition_id'], unique=False)

    op.create_table('unsubscribes',
    sa.Column('email_normalized', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_unsubscribes_petition_id_petitions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('email_normalized', name=op.f('pk_unsubscribes'))
    )

    if op.get_bind().dialect.name == 'postgresql':
        # A new enum value cannot be used in the transaction that adds it; nothing here does.
        op.execute("ALTER TYPE outbox_status ADD VALUE IF NOT EXISTS 'skipped'")
    # On SQLite the status is a VARCHAR(7) without a CHECK: 'skipped' fits as it is.

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blast_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_outbox_blast_status', ['blast_id', 'status'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outbox_messages_blast_id_blasts'), 'blasts', ['blast_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_messages_blast_id_blasts'), type_='foreignkey')
        batch_op.drop_index('ix_outbox_blast_status')
        batch_op.drop_column('blast_id')

    # Skipped messages were never sent: before 'skipped' existed they would have failed.
    op.execute("UPDATE outbox_messages SET status = 'failed' WHERE status = 'skipped'")
    if op.get_bind().dialect.name == 'postgresql':
        # PostgreSQL cannot drop an enum value: rebuild the type without it.
        op.execute("ALTER TYPE outbox_status RENAME TO outbox_status_old")
        op.execute("CREATE TYPE outbox_status AS ENUM ('pending', 'sent', 'failed')")
        op.execute("ALTER TABLE outbox_messages ALTER COLUMN status TYPE outbox_status "
                   "USING status::text::outbox_status")
        op.execute("DROP TYPE outbox_status_old")

    op.drop_table('unsubscribes')
    with op.batch_alter_table('blasts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_blasts_petition_id'))

    op.drop_table('blasts')
    sa.Enum(name='blast_status').drop(op.get_bind(), checkfirst=True)
    sa.Enum(name='blast_format').drop(op.get_bind(), checkfirst=True)
