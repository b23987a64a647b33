"""letters to both state members: the State Senator's district on the letter
(letters.senate_district), filled for the letters already sent; calls to a state member
(calls.chamber, calls.district), filled for calls already reported on a petition to one
chamber (a call on a petition to both cannot say which member it reached)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-03

"""
import sqlalchemy as sa
from alembic import op

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('senate_district', sa.Integer(), nullable=True))
    # Letters already sent on a petition to both members went to the signer's Senator too.
    op.execute(sa.text(
        "UPDATE letters SET senate_district = (SELECT state_senate FROM signatures "
        "WHERE signatures.id = letters.signature_id) "
        "WHERE recipient_chamber = 'house' AND petition_id IN "
        "(SELECT id FROM petitions WHERE target = 'state_both')"))
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chamber', sa.String(length=6), nullable=True))
        batch_op.add_column(sa.Column('district', sa.Integer(), nullable=True))
        batch_op.create_index('ix_calls_petition_chamber_district',
                              ['petition_id', 'chamber', 'district'], unique=False)
    for target, chamber, column in (('state_house', 'house', 'state_house'),
                                    ('state_senate', 'senate', 'state_senate')):
        op.execute(sa.text(
            f"UPDATE calls SET chamber = '{chamber}', district = (SELECT {column} FROM "
            "signatures WHERE signatures.id = calls.signature_id) WHERE petition_id IN "
            f"(SELECT id FROM petitions WHERE target = '{target}')"))


def downgrade():
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_index('ix_calls_petition_chamber_district')
        batch_op.drop_column('district')
        batch_op.drop_column('chamber')
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_column('senate_district')
