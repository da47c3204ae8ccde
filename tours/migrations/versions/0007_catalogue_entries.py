"""catalogue entries: published tours prepared for listing and search in the database

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 08:05:00
"""

import sqlalchemy as sa
from alembic import op

from tours.listing import entry_fields, primary_language

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    if postgres:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    entries = op.create_table(
        "catalogue_entries",
        sa.Column("tour_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("site_key", sa.String(length=200), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("card", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["tour_revisions.id"],
            name=op.f("fk_catalogue_entries_revision_id_tour_revisions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tour_id"],
            ["tours.id"],
            name=op.f("fk_catalogue_entries_tour_id_tours"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tour_id", name=op.f("pk_catalogue_entries")),
    )
    with op.batch_alter_table("catalogue_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_catalogue_entries_published", ["published_at", "tour_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_catalogue_entries_revision_id"), ["revision_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_catalogue_entries_site_key"), ["site_key"], unique=False
        )
    op.create_index(
        "ix_catalogue_entries_search_trgm",
        "catalogue_entries",
        ["search_text"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
        sqlite_where=sa.false(),
    )
    languages = op.create_table(
        "catalogue_languages",
        sa.Column("tour_id", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=35), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["tour_id"],
            ["catalogue_entries.tour_id"],
            name=op.f("fk_catalogue_languages_tour_id_catalogue_entries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tour_id", "locale", name=op.f("pk_catalogue_languages")),
    )
    with op.batch_alter_table("catalogue_languages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalogue_languages_language"), ["language"], unique=False
        )
    _fill(bind, entries, languages)


def _fill(bind: sa.engine.Connection, entries: sa.Table, languages: sa.Table) -> None:
    """Prepare the entries of the tours published before this migration."""
    published = bind.execute(
        sa.text(
            "SELECT r.id, r.tour_id, r.number, r.document, r.published_at"
            " FROM tour_revisions r JOIN tours t"
            " ON t.id = r.tour_id AND t.published_number = r.number"
        ).columns(document=sa.JSON(), published_at=sa.DateTime(timezone=True))
    )
    for revision_id, tour_id, number, document, published_at in published:
        fields = entry_fields(document, number)
        bind.execute(
            entries.insert().values(
                tour_id=tour_id, revision_id=revision_id, published_at=published_at, **fields
            )
        )
        for tag in dict.fromkeys(fields["card"]["locales"]):
            bind.execute(
                languages.insert().values(
                    tour_id=tour_id, locale=tag, language=primary_language(tag)
                )
            )


def downgrade() -> None:
    with op.batch_alter_table("catalogue_languages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalogue_languages_language"))
    op.drop_table("catalogue_languages")
    op.drop_index("ix_catalogue_entries_search_trgm", table_name="catalogue_entries")
    with op.batch_alter_table("catalogue_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalogue_entries_site_key"))
        batch_op.drop_index(batch_op.f("ix_catalogue_entries_revision_id"))
        batch_op.drop_index("ix_catalogue_entries_published")
    op.drop_table("catalogue_entries")
