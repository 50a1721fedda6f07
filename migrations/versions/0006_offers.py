"""Offers that help several people, follow-up after the agreed day

Revision ID: 0006_offers
Revises: 0005_hardening
Create Date: 2026-11-29 12:20:00

"""

from alembic import op
import sqlalchemy as sa


revision = "0006_offers"
down_revision = "0005_hardening"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("slot", sa.Integer(), nullable=True))
    # Every listing had at most one match so far: an ask's takes the ask's slot, an offer's
    # the slot of the person it helped, so that the offer can still help others.
    op.execute(
        "UPDATE matches SET slot = CASE WHEN listing_id IN "
        "(SELECT id FROM listings WHERE kind = 'offer') THEN partner_id ELSE 0 END"
    )
    # The new constraint's name, by the naming convention, is the old one's.
    with op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.drop_constraint("uq_matches_listing_id", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_matches_listing_id"), ["listing_id", "slot"]
        )


def downgrade():
    # Only an ask's match, or an offer's first, fits the old one-match-per-listing rule.
    op.execute(
        "DELETE FROM matches WHERE id NOT IN (SELECT MIN(id) FROM matches GROUP BY listing_id)"
    )
    with op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.drop_constraint("uq_matches_listing_id", type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_matches_listing_id"), ["listing_id"])
        batch_op.drop_column("slot")
