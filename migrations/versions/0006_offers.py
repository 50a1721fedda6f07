"""Offers that help several people, follow-up after the agreed day

Revision ID: 0006_offers
Revises: 0005_hardening
Create Date: 2026-11-29 12:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006_offers'
down_revision = '0005_hardening'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
