"""a signature goal per ward

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03

"""
import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'ward_goals',
        sa.Column('petition_id', sa.Integer(), nullable=False),
        sa.Column('ward', sa.Integer(), nullable=False),
        sa.Column('goal', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'],
                                name=op.f('fk_ward_goals_petition_id_petitions'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('petition_id', 'ward', name=op.f('pk_ward_goals')),
    )


def downgrade():
    op.drop_table('ward_goals')
