"""360° panoramas: asset kind and tiles, a stop's start view, hotspot directions and links

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 11:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("model_assets", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=16), server_default="model", nullable=False)
        )
        batch_op.add_column(sa.Column("tiles", sa.JSON(), nullable=True))
    with op.batch_alter_table("stops", schema=None) as batch_op:
        batch_op.add_column(sa.Column("panorama_view", sa.JSON(), nullable=True))
    with op.batch_alter_table("hotspots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("yaw", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("pitch", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("link_stop_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_hotspots_link_stop_id"), ["link_stop_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_hotspots_link_stop_id_stops"),
            "stops",
            ["link_stop_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("hotspots", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_hotspots_link_stop_id_stops"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_hotspots_link_stop_id"))
        batch_op.drop_column("link_stop_id")
        batch_op.drop_column("pitch")
        batch_op.drop_column("yaw")
    with op.batch_alter_table("stops", schema=None) as batch_op:
        batch_op.drop_column("panorama_view")
    with op.batch_alter_table("model_assets", schema=None) as batch_op:
        batch_op.drop_column("tiles")
        batch_op.drop_column("kind")
