"""letters to both state members: the State Senator's district on the letter
(letters.senate_district), filled for the letters already sent

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


def downgrade():
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_column('senate_district')
