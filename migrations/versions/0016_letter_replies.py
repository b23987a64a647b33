"""ask letter senders whether their alder replied

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03

"""
import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


REPLIES = ('yes', 'no', 'not_yet')


def upgrade():
    # add_column does not create an enum type on PostgreSQL (create_table does).
    sa.Enum(*REPLIES, name='letter_reply').create(op.get_bind(), checkfirst=True)
    with op.batch_alter_table('letter_campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_check_days', sa.Integer(), nullable=False,
                                      server_default='14'))
        batch_op.add_column(sa.Column('reply_rates_public', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_asked_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('reply', sa.Enum(*REPLIES, name='letter_reply',
                                                       create_type=False), nullable=True))
        batch_op.add_column(sa.Column('reply_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_column('reply_at')
        batch_op.drop_column('reply')
        batch_op.drop_column('reply_asked_at')
    with op.batch_alter_table('letter_campaigns', schema=None) as batch_op:
        batch_op.drop_column('reply_rates_public')
        batch_op.drop_column('reply_check_days')
    if op.get_context().dialect.name == 'postgresql':
        op.execute("DROP TYPE IF EXISTS letter_reply")
