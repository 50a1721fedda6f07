"""Full-text search of asks and offers

Revision ID: 0003_search
Revises: 0002_asks_and_offers
Create Date: 2026-11-29 09:00:00.000000

PostgreSQL: a GIN index on the Dutch text-search vector of title and description.
SQLite: an FTS5 table with the stems of title and description, filled from the listings
that exist already (buurtplatform/search.py keeps it up to date from then on).
"""
from alembic import op

from buurtplatform.search import create_search_index, drop_search_index


# revision identifiers, used by Alembic.
revision = '0003_search'
down_revision = '0002_asks_and_offers'
branch_labels = None
depends_on = None


def upgrade():
    create_search_index(op, "listings")


def downgrade():
    drop_search_index(op, "listings")
