"""stop framing, lighting, camera-exact posters and AR file; hotspot camera views

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 07:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stops", schema=None) as batch_op:
        batch_op.add_column(sa.Column("framing", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("lighting", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("posters", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("ar_key", sa.String(length=255), nullable=True))
    with op.batch_alter_table("hotspots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("view", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("hotspots", schema=None) as batch_op:
        batch_op.drop_column("view")
    with op.batch_alter_table("stops", schema=None) as batch_op:
        batch_op.drop_column("ar_key")
        batch_op.drop_column("posters")
        batch_op.drop_column("lighting")
        batch_op.drop_column("framing")
