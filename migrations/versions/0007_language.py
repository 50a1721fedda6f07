"""Municipality texts in English, message text in notifications

Revision ID: 0007_language
Revises: 0006_offers
Create Date: 2026-11-29 12:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007_language'
down_revision = '0006_offers'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
