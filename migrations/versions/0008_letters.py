"""letters to alders: letter_campaigns, letters, letter_digests

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24

"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('letter_campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('supporters_may_edit', sa.Boolean(), nullable=False),
    sa.Column('delivery', sa.Enum('each', 'digest', name='letter_delivery'), nullable=False),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_letter_campaigns_petition_id_petitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['organizers.id'], name=op.f('fk_letter_campaigns_updated_by_id_organizers'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_campaigns')),
    sa.UniqueConstraint('petition_id', name=op.f('uq_letter_campaigns_petition_id'))
    )
    op.create_table('letter_digests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('ward', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('alder_name', sa.String(length=120), nullable=False),
    sa.Column('alder_email', sa.String(length=254), nullable=False),
    sa.Column('letters', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('outbox_message_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['letter_campaigns.id'], name=op.f('fk_letter_digests_campaign_id_letter_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_messages.id'], name=op.f('fk_letter_digests_outbox_message_id_outbox_messages'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_digests'))
    )
    with op.batch_alter_table('letter_digests', schema=None) as batch_op:
        batch_op.create_index('uq_letter_digests_campaign_ward_day', ['campaign_id', 'ward', 'day'], unique=True)

    op.create_table('letters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('signature_id', sa.Integer(), nullable=False),
    sa.Column('ward', sa.Integer(), nullable=False),
    sa.Column('alder_name', sa.String(length=120), nullable=False),
    sa.Column('alder_email', sa.String(length=254), nullable=False),
    sa.Column('signer_name', sa.String(length=201), nullable=False),
    sa.Column('reply_to', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('edited', sa.Boolean(), nullable=False),
    sa.Column('for_digest', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('outbox_message_id', sa.Integer(), nullable=True),
    sa.Column('digest_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['letter_campaigns.id'], name=op.f('fk_letters_campaign_id_letter_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['digest_id'], ['letter_digests.id'], name=op.f('fk_letters_digest_id_letter_digests'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_messages.id'], name=op.f('fk_letters_outbox_message_id_outbox_messages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_letters_petition_id_petitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signature_id'], ['signatures.id'], name=op.f('fk_letters_signature_id_signatures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letters'))
    )
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.create_index('ix_letters_campaign_ward_digest', ['campaign_id', 'ward', 'digest_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letters_digest_id'), ['digest_id'], unique=False)
        batch_op.create_index('ix_letters_petition_ward', ['petition_id', 'ward'], unique=False)
        batch_op.create_index('uq_letters_campaign_signature', ['campaign_id', 'signature_id'], unique=True)


def downgrade():
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_index('uq_letters_campaign_signature')
        batch_op.drop_index('ix_letters_petition_ward')
        batch_op.drop_index(batch_op.f('ix_letters_digest_id'))
        batch_op.drop_index('ix_letters_campaign_ward_digest')

    op.drop_table('letters')
    with op.batch_alter_table('letter_digests', schema=None) as batch_op:
        batch_op.drop_index('uq_letter_digests_campaign_ward_day')

    op.drop_table('letter_digests')
    op.drop_table('letter_campaigns')
    sa.Enum(name='letter_delivery').drop(op.get_bind(), checkfirst=True)
