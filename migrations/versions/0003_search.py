"""Full-text search of asks and offers

Revision ID: 0003_search
Revises: 0002_asks_and_offers
Create Date: 2026-11-29 09:00:00.000000

PostgreSQL: a GIN index on the Dutch text-search vector of title and description.
SQLite: an FTS5 table with the stems of title and description, filled from the listings
that exist already (buurtplatform/search.py keeps it up to date from then on).
"""
from alembic import op
import sqlalchemy as sa

from buurtplatform.search import reindex_sqlite


# revision identifiers, used by Alembic.
revision = '0003_search'
down_revision = '0002_asks_and_offers'
branch_labels = None
depends_on = None


def upgrade():
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        op.create_index(
            "ix_listings_search",
            "listings",
            [sa.text("to_tsvector('dutch', (title || ' ') || description)")],
            postgresql_using="gin",
        )
    elif connection.dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE listings_fts "
            "USING fts5(words, tokenize = 'unicode61 remove_diacritics 2')"
        )
        reindex_sqlite(connection)


def downgrade():
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        op.drop_index("ix_listings_search", table_name="listings")
    elif connection.dialect.name == "sqlite":
        op.execute("DROP TABLE listings_fts")
