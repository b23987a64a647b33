"""calls supporters report making to their alder's office

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03

"""
import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

OUTCOMES = ('spoke_to_alder', 'spoke_to_staff', 'voicemail', 'no_answer')
STANCES = ('co_sponsor', 'supports', 'opposes', 'undecided', 'unknown')


def upgrade():
    op.create_table(
        'calls',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('petition_id', sa.Integer(), nullable=False),
        sa.Column('signature_id', sa.Integer(), nullable=False),
        sa.Column('ward', sa.Integer(), nullable=False),
        sa.Column('outcome', sa.Enum(*OUTCOMES, name='call_outcome'), nullable=False),
        sa.Column('heard_stance', sa.Enum(*STANCES, name='alder_stance', create_type=False),
                  nullable=True),
        sa.Column('note', sa.String(length=500), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'],
                                name=op.f('fk_calls_petition_id_petitions'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['signature_id'], ['signatures.id'],
                                name=op.f('fk_calls_signature_id_signatures'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_calls')),
    )
    op.create_index('ix_calls_petition_ward', 'calls', ['petition_id', 'ward'], unique=False)
    op.create_index(op.f('ix_calls_signature_id'), 'calls', ['signature_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_calls_signature_id'), table_name='calls')
    op.drop_index('ix_calls_petition_ward', table_name='calls')
    op.drop_table('calls')
    if op.get_context().dialect.name == 'postgresql':
        op.execute("DROP TYPE IF EXISTS call_outcome")
