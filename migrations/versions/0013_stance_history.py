"""alder stances: co-sponsors, the evidence for each stance, its history, a public scoreboard

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03

"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

STANCES = ('co_sponsor', 'supports', 'opposes', 'undecided', 'unknown')


def upgrade():
    if op.get_context().dialect.name == 'postgresql':
        # A new enum value cannot be used in the transaction that adds it; nothing here does.
        op.execute("ALTER TYPE alder_stance ADD VALUE IF NOT EXISTS 'co_sponsor' "
                   "BEFORE 'supports'")
    with op.batch_alter_table('alder_stances', schema=None) as batch_op:
        if op.get_context().dialect.name != 'postgresql':  # a VARCHAR as long as the longest
            batch_op.alter_column('stance', existing_type=sa.Enum(*STANCES[1:],
                                                                  name='alder_stance'),
                                  type_=sa.Enum(*STANCES, name='alder_stance'),
                                  existing_nullable=False)
        batch_op.add_column(sa.Column('source_url', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('source_note', sa.String(length=300), nullable=True))
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scoreboard_public', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.create_table(
        'stance_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('petition_id', sa.Integer(), nullable=False),
        sa.Column('ward', sa.Integer(), nullable=False),
        sa.Column('stance', sa.Enum(*STANCES, name='alder_stance', create_type=False),
                  nullable=False),
        sa.Column('source_url', sa.String(length=500), nullable=True),
        sa.Column('source_note', sa.String(length=300), nullable=True),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.Column('changed_by_id', sa.Integer(), nullable=True),
        sa.Column('changed_by_email', sa.String(length=254), nullable=False),
        sa.ForeignKeyConstraint(['changed_by_id'], ['organizers.id'],
                                name=op.f('fk_stance_changes_changed_by_id_organizers'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'],
                                name=op.f('fk_stance_changes_petition_id_petitions'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_stance_changes')),
    )
    op.create_index('ix_stance_changes_petition_ward', 'stance_changes',
                    ['petition_id', 'ward'], unique=False)


def downgrade():
    op.drop_index('ix_stance_changes_petition_ward', table_name='stance_changes')
    op.drop_table('stance_changes')
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.drop_column('scoreboard_public')
    with op.batch_alter_table('alder_stances', schema=None) as batch_op:
        batch_op.drop_column('source_note')
        batch_op.drop_column('source_url')
