#!/bin/sh
# Nightly backup of Buurtplatform: a PostgreSQL dump (pg_dump's custom format, restored with
# pg_restore) and a snapshot of the uploads, both kept BACKUP_KEEP_DAYS days (docs/deploy.md).
# Reads DATABASE_URL and UPLOAD_FOLDER from the app's env file; copy BACKUP_DIR off the
# machine afterwards (another site, another provider).
set -eu

BACKUP_DIR="${BACKUP_DIR:-/var/backups/buurtplatform}"
KEEP_DAYS="${BACKUP_KEEP_DAYS:-14}"
UPLOADS="${UPLOAD_FOLDER:-/var/lib/buurtplatform/uploads}"
# SQLAlchemy's URL names the driver (postgresql+psycopg://); pg_dump wants plain libpq.
DATABASE="$(printf '%s' "$DATABASE_URL" | sed 's|^postgresql+[a-z0-9]*://|postgresql://|')"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"

umask 077
mkdir -p "$BACKUP_DIR"

# The dump appears whole or not at all.
pg_dump --format=custom --no-owner --no-acl --file="$BACKUP_DIR/db-$STAMP.dump.partial" "$DATABASE"
mv "$BACKUP_DIR/db-$STAMP.dump.partial" "$BACKUP_DIR/db-$STAMP.dump"

# Uploads never change under their key, so each night's snapshot hard-links the files it
# shares with the night before: a full copy per night for the space of the new files only.
if [ -d "$BACKUP_DIR/uploads-latest" ]; then
    rsync -a --delete --link-dest="$BACKUP_DIR/uploads-latest/" "$UPLOADS/" "$BACKUP_DIR/uploads-$STAMP/"
else
    rsync -a --delete "$UPLOADS/" "$BACKUP_DIR/uploads-$STAMP/"
fi
ln -sfn "uploads-$STAMP" "$BACKUP_DIR/uploads-latest"

# Older backups go: deleted accounts and photos must not live on in backups for ever.
find "$BACKUP_DIR" -maxdepth 1 -name 'db-*.dump' -mtime "+$KEEP_DAYS" -delete
find "$BACKUP_DIR" -maxdepth 1 -name 'uploads-2*' -type d -mtime "+$KEEP_DAYS" -exec rm -rf {} +

echo "Backup done: $BACKUP_DIR/db-$STAMP.dump and uploads-$STAMP"
