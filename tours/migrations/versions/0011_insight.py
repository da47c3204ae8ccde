"""visit counts: visitor insight per day, tour, stop, language, event and device class

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 17:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "visit_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("tour_id", sa.Integer(), nullable=False),
        sa.Column("stop_number", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("event", sa.String(length=20), nullable=False),
        sa.Column("device", sa.String(length=10), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tour_id"],
            ["tours.id"],
            name=op.f("fk_visit_counts_tour_id_tours"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_counts")),
        sa.UniqueConstraint(
            "day", "tour_id", "stop_number", "language", "event", "device", name="uq_visit_counts"
        ),
    )
    with op.batch_alter_table("visit_counts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_counts_tour_id"), ["tour_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("visit_counts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_counts_tour_id"))
    op.drop_table("visit_counts")
