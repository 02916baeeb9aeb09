#!/usr/bin/env bash
# PostgreSQL benchmark for docs/PERFORMANCE.md (issue 10). Starts a throwaway PostgreSQL 15
# server (initdb + postgres from /usr/lib/postgresql/15/bin, data in a temporary directory,
# a Unix socket only, run as the `postgres` OS user when we are root, stopped at exit) and
# measures, in one run, each command against `psql` doing the same work over the same socket:
#   1. cold check_account on a 100,000-user store vs psql running the same SELECT;
#   2. import_users of a 10,000-row plain-password CSV vs \copy of the same rows into users;
#   3. push_roster_alltoall over 1,000 users vs \copy of the same 999,000 rosterusers and
#      999,000 rostergroups rows.
# Every run starts from the same state (hyperfine --prepare). Usage: bench/pg.sh
# Knobs: USERS (100000), IMPORT (10000), ROSTER (1000), RUNS (check_account runs, 200),
# BULK_RUNS (5).
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
[ -x "$PGBIN/postgres" ] || { echo "PostgreSQL 15 not found in $PGBIN" >&2; exit 1; }
USERS=${USERS:-100000}
IMPORT=${IMPORT:-10000}
ROSTER=${ROSTER:-1000}
RUNS=${RUNS:-200}
BULK_RUNS=${BULK_RUNS:-5}

PGD=$W/pg
mkdir -p "$PGD/sock"
AS=()
if [ "$(id -u)" = 0 ]; then
  chown -R postgres:postgres "$W"
  chmod 755 "$W"
  AS=(runuser -u postgres --)
fi
"${AS[@]}" "$PGBIN/initdb" -D "$PGD/data" -U postgres -A trust -E UTF8 --no-locale >"$PGD/initdb.log" 2>&1
stop() {
  "${AS[@]}" "$PGBIN/pg_ctl" -D "$PGD/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$W"
}
trap stop EXIT
"${AS[@]}" "$PGBIN/pg_ctl" -D "$PGD/data" -l "$PGD/server.log" -w \
  -o "-k $PGD/sock -c listen_addresses= -c shared_buffers=256MB -c max_wal_size=4GB" start >/dev/null
SOCK=$PGD/sock
PSQL=$PGBIN/psql
[ -x "$PSQL" ] || PSQL=$(command -v psql)
Q=("$PSQL" -X -q -h "$SOCK" -U postgres -d bench)
"$PSQL" -X -q -h "$SOCK" -U postgres -d postgres -c "CREATE DATABASE bench"

cat > "$W/mongooseim.toml" <<TOML
[general]
  hosts = ["localhost", "import.example", "roster.example"]
  default_server_domain = "localhost"
[auth]
  password.format = "plain"
  [auth.rdbms]
[outgoing_pools.rdbms.default]
  scope = "global"
  [outgoing_pools.rdbms.default.connection]
    driver = "pgsql"
    host = "$SOCK"
    database = "bench"
    username = "postgres"
    password = "unused-with-trust"
[services.service_admin_extra]
[modules.mod_roster]
  backend = "rdbms"
[modules.mod_last]
  backend = "rdbms"
TOML
chmod 644 "$W/mongooseim.toml"
M="$BIN -c $W/mongooseim.toml -o text"
$M init_schema >/dev/null

# Seed: USERS accounts on localhost, ROSTER accounts on roster.example (loaded with COPY).
awk -v n="$USERS" 'BEGIN { for (i = 0; i < n; i++) printf "user%06d,localhost,pw%d\n", i, i }' > "$W/seed.csv"
awk -v n="$ROSTER" 'BEGIN { for (i = 0; i < n; i++) printf "r%04d,roster.example,pw%d\n", i, i }' >> "$W/seed.csv"
"${Q[@]}" -c "\\copy users (username, server, password) FROM '$W/seed.csv' CSV" -c "VACUUM ANALYZE users"
# The import file (user,host,password: the users columns in the same order).
awk -v n="$IMPORT" 'BEGIN { for (i = 0; i < n; i++) printf "imp%06d,import.example,secret%d\n", i, i }' > "$W/import.csv"
# The rows push_roster_alltoall writes: every r-user gets every other (nick = user name,
# subscription both, ask none, group "all").
awk -v n="$ROSTER" 'BEGIN { for (a = 0; a < n; a++) for (b = 0; b < n; b++) if (a != b)
  printf "roster.example,r%04d,r%04d@roster.example,r%04d,B,N,\"\"\n", a, b, b }' > "$W/rosterusers.csv"
awk -v n="$ROSTER" 'BEGIN { for (a = 0; a < n; a++) for (b = 0; b < n; b++) if (a != b)
  printf "roster.example,r%04d,r%04d@roster.example,all\n", a, b }' > "$W/rostergroups.csv"
chmod 644 "$W"/*.csv
echo "== seeded: $("${Q[@]}" -Atc "SELECT count(*) FROM users") accounts; \
$(wc -l < "$W/import.csv") import rows; $(wc -l < "$W/rosterusers.csv") roster rows per table"

echo "== 1. cold check_account, $USERS-account store"
$M check_account user050000 localhost
hyperfine -N --warmup 20 --runs "$RUNS" --export-markdown "$W/check.md" \
  -n "psql: SELECT 1 FROM users WHERE server = 'localhost' AND username = 'user050000'" \
  "${Q[*]} -Atc \"SELECT 1 FROM users WHERE server = 'localhost' AND username = 'user050000'\"" \
  -n "check_account user050000 localhost" "$M check_account user050000 localhost"
cat "$W/check.md"

echo "== 2. import_users of $IMPORT plain-password rows (one write transaction)"
CLEAN_IMPORT="${Q[*]} -c \"DELETE FROM users WHERE server = 'import.example'\" -c \"VACUUM users\""
hyperfine --runs "$BULK_RUNS" --export-markdown "$W/import.md" --prepare "$CLEAN_IMPORT" \
  -n "psql: \\copy users (username, server, password) FROM import.csv" \
  "${Q[*]} -c \"\\copy users (username, server, password) FROM '$W/import.csv' CSV\"" \
  -n "import_users import.csv" "$M import_users $W/import.csv >/dev/null"
cat "$W/import.md"
echo "rows: $("${Q[@]}" -Atc "SELECT count(*) FROM users WHERE server = 'import.example'")"

echo "== 3. push_roster_alltoall over $ROSTER users"
CLEAN_ROSTER="${Q[*]} -c \"TRUNCATE rosterusers, rostergroups\""
hyperfine --runs "$BULK_RUNS" --export-markdown "$W/roster.md" --prepare "$CLEAN_ROSTER" \
  -n "psql: \\copy rosterusers + \\copy rostergroups (one transaction)" \
  "${Q[*]} -1 -c \"\\copy rosterusers (server, username, jid, nick, subscription, ask, askmessage) FROM '$W/rosterusers.csv' CSV\" -c \"\\copy rostergroups (server, username, jid, grp) FROM '$W/rostergroups.csv' CSV\"" \
  -n "push_roster_alltoall roster.example all" "$M push_roster_alltoall roster.example all"
cat "$W/roster.md"
echo "rows: $("${Q[@]}" -Atc "SELECT count(*) FROM rosterusers") rosterusers, \
$("${Q[@]}" -Atc "SELECT count(*) FROM rostergroups") rostergroups"
