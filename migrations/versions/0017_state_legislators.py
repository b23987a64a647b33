"""Illinois House and Senate members; each signature's House and Senate district; whom a
petition targets; a letter's recipient chamber and district; organizer emails by district

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


TARGETS = ('alder', 'state_house', 'state_senate', 'state_both')


def upgrade():
    # add_column does not create an enum type on PostgreSQL (create_table does).
    sa.Enum(*TARGETS, name='petition_target').create(op.get_bind(), checkfirst=True)
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target', sa.Enum(*TARGETS, name='petition_target',
                                                        create_type=False),
                                      nullable=False, server_default='alder'))
    with op.batch_alter_table('blasts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('house_districts', sa.String(length=400), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('senate_districts', sa.String(length=200),
                                      nullable=False, server_default=''))
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recipient_chamber', sa.String(length=6), nullable=True))
        batch_op.add_column(sa.Column('recipient_district', sa.Integer(), nullable=True))
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
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_column('recipient_district')
        batch_op.drop_column('recipient_chamber')
    with op.batch_alter_table('blasts', schema=None) as batch_op:
        batch_op.drop_column('senate_districts')
        batch_op.drop_column('house_districts')
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.drop_column('target')
    sa.Enum(name='petition_target').drop(op.get_bind(), checkfirst=True)
