"""Hardening: email claims, round-up items tied to their email, new-ask notices by a job,
sessions that can be ended

Revision ID: 0005_hardening
Revises: 0004_background_work
Create Date: 2026-11-29 11:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0005_hardening'
down_revision = '0004_background_work'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('emails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('listings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('helpers_notified_at', sa.DateTime(timezone=True), nullable=True))
    # Asks posted before this change were announced in their own request.
    op.execute('UPDATE listings SET helpers_notified_at = created_at')

    with op.batch_alter_table('pending_notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_pending_notifications_email_id_emails'), 'emails', ['email_id'], ['id'], ondelete='SET NULL')
        batch_op.drop_index('ix_pending_notifications_unsent')
        batch_op.create_index('ix_pending_notifications_unsent', ['email_id', 'membership_id'], unique=False)
    # Items already sent belong to no email we can name: tie them to none, but keep them out of
    # the next round-up by removing them (they were mailed).
    op.execute('DELETE FROM pending_notifications WHERE sent_at IS NOT NULL')
    with op.batch_alter_table('pending_notifications', schema=None) as batch_op:
        batch_op.drop_column('sent_at')

    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_user_sessions_key_hash'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))
    op.drop_table('user_sessions')

    with op.batch_alter_table('pending_notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_index('ix_pending_notifications_unsent')
        batch_op.create_index('ix_pending_notifications_unsent', ['sent_at', 'membership_id'], unique=False)
        batch_op.drop_constraint(batch_op.f('fk_pending_notifications_email_id_emails'), type_='foreignkey')
        batch_op.drop_column('email_id')

    with op.batch_alter_table('listings', schema=None) as batch_op:
        batch_op.drop_column('helpers_notified_at')

    with op.batch_alter_table('emails', schema=None) as batch_op:
        batch_op.drop_column('claimed_until')
