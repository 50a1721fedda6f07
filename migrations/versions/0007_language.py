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
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('welcome_text_en', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('help_hours_en', sa.String(length=200), nullable=True))

    with op.batch_alter_table('notification_preferences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('with_text', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table('notification_preferences', schema=None) as batch_op:
        batch_op.drop_column('with_text')

    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.drop_column('help_hours_en')
        batch_op.drop_column('welcome_text_en')
