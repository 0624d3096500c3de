#!/usr/bin/env bash
# Restore drill (docs/operations.md, "Backups"): prove that a backup restores into a working
# StrategyHub. Run in CI (.ci/run); run it against a copy of production on a schedule.
#
#   1. the source: DRILL_SOURCE_DATABASE_URL (a real database, only read), or else a new
#      database of its own, migrated and seeded with the demo agency;
#   2. pg_dump -Fc of it (the backup format docs/operations.md prescribes), and a tar of the
#      file storage (MEDIA_ROOT), as the nightly backup takes them;
#   3. pg_restore into a new, empty database; tar extracted into a new directory;
#   4. checks on the restored copy: every table has the same rows as the source (a digest of
#      each); `migrate --check` finds no migration missing; `recompute_rollups` changes no
#      row (the derived scores, roll-ups and measure states were consistent in the backup);
#      /healthz/ready answers 200 on it; the restored files are the backed-up files.
#   5. the databases it made are dropped, whatever happened.
#
# Needs: pg_dump, pg_restore, psql, createdb, dropdb (Debian: postgresql-client) of a major
# version at least the server's; DATABASE_URL naming the PostgreSQL server (its database is
# not touched; the drill's databases are made beside it).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
: "${DATABASE_URL:?set DATABASE_URL to a postgres:// URL of the server to drill on}"

say() { printf '[restore drill] %s\n' "$*"; }
fail() { printf '[restore drill] FAILED: %s\n' "$*" >&2; exit 1; }

# The server, from DATABASE_URL (libpq reads PGHOST, PGPORT, PGUSER, PGPASSWORD).
eval "$("$PY" - <<'EOF'
import os, shlex, urllib.parse
url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
for name, value in (("PGHOST", url.hostname or "127.0.0.1"), ("PGPORT", url.port or 5432),
                    ("PGUSER", urllib.parse.unquote(url.username or "postgres")),
                    ("PGPASSWORD", urllib.parse.unquote(url.password or ""))):
    print(f"export {name}={shlex.quote(str(value))}")
EOF
)"
server_url() {  # the URL of database $1 on that server
  "$PY" -c 'import os, sys, urllib.parse as u; p = u.urlsplit(os.environ["DATABASE_URL"]); print(u.urlunsplit(p._replace(path="/" + sys.argv[1], query="")))' "$1"
}

suffix="$$_$(date +%s)"
source_db="" made_source=0
restore_db="strategyhub_drill_restore_${suffix}"
work="$(mktemp -d)"
cleanup() {
  [ "$made_source" = 1 ] && dropdb --if-exists "$source_db" 2>/dev/null || true
  dropdb --if-exists "$restore_db" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Production settings (DEBUG off), with a key of the drill's own.
export DJANGO_SETTINGS_MODULE=strategyhub.config.settings DEBUG=0 ALLOWED_HOSTS=localhost
export SECRET_KEY="drill-$("$PY" -c 'import secrets; print(secrets.token_urlsafe(48))')"
export LOG_LEVEL=WARNING
manage() { "$PY" manage.py "$@"; }

if [ -n "${DRILL_SOURCE_DATABASE_URL:-}" ]; then
  source_url="$DRILL_SOURCE_DATABASE_URL"
  media_source="${DRILL_SOURCE_MEDIA_ROOT:-}"
  say "source: DRILL_SOURCE_DATABASE_URL (read only)"
else
  source_db="strategyhub_drill_source_${suffix}"
  createdb "$source_db"
  made_source=1
  source_url="$(server_url "$source_db")"
  media_source="$work/source-media"
  mkdir -p "$media_source/logos"
  head -c 4096 /dev/urandom > "$media_source/logos/drill.bin"
  say "source: a new database $source_db, migrated and seeded with the demo agency"
  DATABASE_URL="$source_url" manage migrate --noinput >/dev/null
  DATABASE_URL="$source_url" manage seed_demo --allow-known-passwords >/dev/null
fi

digest() {  # one line per table: name, row count, md5 of its rows in a stable order
  psql -d "$1" -XtAq -v ON_ERROR_STOP=1 <<'EOF'
CREATE TEMP TABLE drill_digest (name text, rows bigint, hash text);
DO $$
DECLARE t record; n bigint; h text;
BEGIN
  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename LOOP
    EXECUTE format('SELECT count(*), md5(coalesce(string_agg(x::text, E''\n'' ORDER BY x::text), '''')) FROM %I x', t.tablename) INTO n, h;
    INSERT INTO drill_digest VALUES (t.tablename, n, h);
  END LOOP;
END $$;
SELECT name || ' ' || rows || ' ' || hash FROM drill_digest ORDER BY name;
EOF
}

say "backup: pg_dump -Fc, and a tar of the file storage"
pg_dump -Fc --no-owner --no-acl -f "$work/strategyhub.dump" -d "$source_url"
if [ -n "$media_source" ] && [ -d "$media_source" ]; then
  tar -C "$media_source" -czf "$work/media.tar.gz" .
fi
digest "$source_url" > "$work/source.digest"

say "restore: into a new database $restore_db"
createdb "$restore_db"
restore_url="$(server_url "$restore_db")"
pg_restore --no-owner --no-acl --exit-on-error -d "$restore_url" "$work/strategyhub.dump"
digest "$restore_url" > "$work/restored.digest"
diff -u "$work/source.digest" "$work/restored.digest" >&2 \
  || fail "the restored database differs from the source"
tables=$(wc -l < "$work/restored.digest")
say "  $tables tables, the same rows as the source"

export DATABASE_URL="$restore_url"
manage migrate --check >/dev/null || fail "the restored database lacks migrations of this release"
say "  migrate --check: no migration missing"

manage recompute_rollups >/dev/null
digest "$restore_url" > "$work/recomputed.digest"
diff -u "$work/restored.digest" "$work/recomputed.digest" >&2 \
  || fail "recompute_rollups changed rows: the backup's derived data was inconsistent"
say "  recompute_rollups: nothing to change"

"$PY" - <<'EOF' || fail "/healthz/ready does not answer 200 on the restored database"
import json, warnings
import django
warnings.filterwarnings("ignore", "No directory at")  # static files: not collected here
django.setup()
from django.test import Client
response = Client().get("/healthz/ready", HTTP_HOST="127.0.0.1")
body = json.loads(response.content)
print(f"[restore drill]   /healthz/ready: {response.status_code} {body['status']}")
assert response.status_code == 200 and body["checks"]["database"]["ok"], body
EOF

if [ -f "$work/media.tar.gz" ]; then
  mkdir "$work/restored-media"
  tar -C "$work/restored-media" -xzf "$work/media.tar.gz"
  diff -r "$media_source" "$work/restored-media" >&2 || fail "the restored files differ"
  say "  file storage: $(find "$work/restored-media" -type f | wc -l) file(s) restored intact"
fi
say "passed"
