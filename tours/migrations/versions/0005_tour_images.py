"""tour images: pictures in narration and hotspot texts

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-05 07:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tour_images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tour_id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("variants", sa.JSON(), nullable=False),
        sa.Column("alt", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tour_id"],
            ["tours.id"],
            name=op.f("fk_tour_images_tour_id_tours"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tour_images")),
        sa.UniqueConstraint("tour_id", "ref", name=op.f("uq_tour_images_tour_id")),
    )
    with op.batch_alter_table("tour_images", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tour_images_tour_id"), ["tour_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tour_images", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tour_images_tour_id"))
    op.drop_table("tour_images")
