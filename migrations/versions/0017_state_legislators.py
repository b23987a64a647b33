"""Illinois House and Senate members; each signature's House and Senate district

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03

"""
import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'legislators',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('chamber', sa.String(length=6), nullable=False),
        sa.Column('district', sa.Integer(), nullable=False),
        sa.Column('vacant', sa.Boolean(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('party', sa.String(length=40), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('phone', sa.String(length=60), nullable=False),
        sa.Column('office_address', sa.String(length=300), nullable=False),
        sa.Column('website', sa.String(length=300), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_legislators')),
        sa.UniqueConstraint('chamber', 'district', name=op.f('uq_legislators_chamber')),
    )
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state_house', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('state_senate', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_column('state_senate')
        batch_op.drop_column('state_house')
    op.drop_table('legislators')
