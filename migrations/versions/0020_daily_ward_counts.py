"""daily ward counts: the dashboard's per-day chart and pending column without a scan

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03

"""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

CITY_TZ = ZoneInfo("America/Chicago")

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'daily_ward_counts',
        sa.Column('petition_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('ward_key', sa.String(length=10), nullable=False),
        sa.Column('confirmed', sa.Integer(), nullable=False),
        sa.Column('pending', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('petition_id', 'day', 'ward_key'),
    )
    _count_existing_signatures()


def _count_existing_signatures():
    """Count the valid signatures already stored, by Chicago day of signing and ward."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        hour = "to_char(created_at, 'YYYY-MM-DD HH24')"
    else:
        hour = "strftime('%Y-%m-%d %H', created_at)"
    rows = bind.execute(sa.text(
        f"SELECT petition_id, ward_status, ward, {hour}, confirmed_at IS NOT NULL, count(*) "
        "FROM signatures WHERE invalidated_at IS NULL "
        f"GROUP BY petition_id, ward_status, ward, {hour}, confirmed_at IS NOT NULL"))
    totals = {}
    for petition_id, status, ward, utc_hour, confirmed, n in rows:
        moment = datetime.strptime(utc_hour, "%Y-%m-%d %H").replace(tzinfo=UTC)
        key = "outside" if status == "outside_chicago" else str(ward) if ward else "unknown"
        entry = totals.setdefault((petition_id, moment.astimezone(CITY_TZ).date(), key), [0, 0])
        entry[0 if confirmed else 1] += n
    table = sa.table('daily_ward_counts', sa.column('petition_id'), sa.column('day'),
                     sa.column('ward_key'), sa.column('confirmed'), sa.column('pending'))
    if totals:
        op.bulk_insert(table, [
            {"petition_id": petition_id, "day": day, "ward_key": key,
             "confirmed": confirmed, "pending": pending}
            for (petition_id, day, key), (confirmed, pending) in totals.items()])


def downgrade():
    op.drop_table('daily_ward_counts')
