"""state districts: indexes on signatures' House and Senate districts (per petition, like
the ward index), the per-district counters (district_counts, filled from the signatures
already stored), and digests per State Representative or Senator (letter_digests.chamber,
letters.senate_digest_id)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04

"""
import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

CHAMBER_COLUMNS = {"house": "state_house", "senate": "state_senate"}


def upgrade():
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.create_index('ix_signatures_petition_house',
                              ['petition_id', 'state_house', 'id'], unique=False)
        batch_op.create_index('ix_signatures_petition_senate',
                              ['petition_id', 'state_senate', 'id'], unique=False)
    op.create_table(
        'district_counts',
        sa.Column('petition_id', sa.Integer(), nullable=False),
        sa.Column('chamber', sa.String(length=6), nullable=False),
        sa.Column('district', sa.Integer(), nullable=False),
        sa.Column('confirmed', sa.Integer(), nullable=False),
        sa.Column('pending', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('petition_id', 'chamber', 'district'),
    )
    _count_existing_signatures()
    with op.batch_alter_table('letter_digests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chamber', sa.String(length=6), nullable=False,
                                      server_default=''))
        batch_op.drop_index('uq_letter_digests_campaign_ward_day')
        batch_op.create_index('uq_letter_digests_campaign_chamber_ward_day',
                              ['campaign_id', 'chamber', 'ward', 'day'], unique=True)
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('senate_digest_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_letters_senate_digest_id'), ['senate_digest_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_letters_senate_digest_id_letter_digests'),
                                    'letter_digests', ['senate_digest_id'], ['id'],
                                    ondelete='SET NULL')


def _count_existing_signatures():
    """Count the valid signatures already stored per House and Senate district (0: none)."""
    for chamber, column in CHAMBER_COLUMNS.items():
        op.execute(sa.text(
            "INSERT INTO district_counts (petition_id, chamber, district, confirmed, pending, "
            f"updated_at) SELECT petition_id, '{chamber}', coalesce({column}, 0), "
            "sum(CASE WHEN confirmed_at IS NULL THEN 0 ELSE 1 END), "
            "sum(CASE WHEN confirmed_at IS NULL THEN 1 ELSE 0 END), CURRENT_TIMESTAMP "
            "FROM signatures WHERE invalidated_at IS NULL "
            f"GROUP BY petition_id, coalesce({column}, 0)"))


def downgrade():
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_letters_senate_digest_id_letter_digests'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_letters_senate_digest_id'))
        batch_op.drop_column('senate_digest_id')
    # State members' digests cannot be told from alders' without the chamber.
    op.execute("DELETE FROM letter_digests WHERE chamber <> ''")
    with op.batch_alter_table('letter_digests', schema=None) as batch_op:
        batch_op.drop_index('uq_letter_digests_campaign_chamber_ward_day')
        batch_op.create_index('uq_letter_digests_campaign_ward_day',
                              ['campaign_id', 'ward', 'day'], unique=True)
        batch_op.drop_column('chamber')
    op.drop_table('district_counts')
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_index('ix_signatures_petition_senate')
        batch_op.drop_index('ix_signatures_petition_house')
