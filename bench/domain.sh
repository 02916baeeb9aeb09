#!/usr/bin/env bash
# delete_domain benchmark for docs/PERFORMANCE.md (issue 9): a dynamic domain holding USERS
# accounts (default 100,000) with ITEMS roster items each (default 10; every item in one
# group: USERS*ITEMS rosterusers and as many rostergroups rows), beside a second dynamic
# domain of USERS/10 accounts that must stay. Usage: bench/domain.sh
# Floor: the sqlite3 shell running the equivalent statements (the domain_settings row, its
# event, one set-based DELETE per table) in one transaction on the same file, with SQLite's
# defaults and with the pragmas mongooseimctl sets. Every run starts from a fresh copy of the
# seeded file (hyperfine --prepare).
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
cat > "$W/mongooseim.toml" <<'TOML'
[general]
  hosts = ["localhost"]
  host_types = ["dyn"]
  default_server_domain = "localhost"
[auth.rdbms]
[services.service_admin_extra]
[services.service_domain_db]
[modules.mod_roster]
  backend = "rdbms"
[modules.mod_last]
  backend = "rdbms"
TOML
USERS=${USERS:-100000}
ITEMS=${ITEMS:-10}
M="$BIN -c $W/mongooseim.toml --store $W/run.db -o text"
$BIN -c "$W/mongooseim.toml" --store "$W/seed.db" insert_domain big.example dyn >/dev/null
$BIN -c "$W/mongooseim.toml" --store "$W/seed.db" insert_domain keep.example dyn >/dev/null
python3 - "$W/seed.db" "$USERS" "$ITEMS" <<'PY'
import sqlite3, sys
db, users, items = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
c = sqlite3.connect(db)
for server, n in (("big.example", users), ("keep.example", max(users // 10, items + 1))):
    c.executemany("INSERT INTO users (username, server, password) VALUES (?, ?, 'x')",
                  ((f"user{i:06d}", server) for i in range(n)))
    def contacts():
        for i in range(n):
            for k in range(1, items + 1):
                yield (server, f"user{i:06d}", f"user{(i + k) % n:06d}@{server}")
    c.executemany("INSERT INTO rosterusers (server, username, jid, nick, subscription, ask, askmessage) "
                  "VALUES (?, ?, ?, 'nick', 'B', 'N', '')", contacts())
    c.executemany("INSERT INTO rostergroups (server, username, jid, grp) VALUES (?, ?, ?, 'friends')",
                  contacts())
    c.executemany("INSERT INTO last (server, username, seconds, state) VALUES (?, ?, 1, '')",
                  ((server, f"user{i:06d}") for i in range(0, n, 2)))
c.commit()
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
PY
echo "== seeded: $(sqlite3 "$W/seed.db" "SELECT COUNT(*) FROM users WHERE server = 'big.example'") accounts, \
$(sqlite3 "$W/seed.db" "SELECT COUNT(*) FROM rosterusers WHERE server = 'big.example'") rosterusers, \
$(sqlite3 "$W/seed.db" "SELECT COUNT(*) FROM rostergroups WHERE server = 'big.example'") rostergroups of big.example; \
$(du -h "$W/seed.db" | cut -f1)"

TABLES="users:server last:server rosterusers:server rostergroups:server roster_version:server \
vcard:server vcard_search:server private_storage:server offline_message:server inbox:lserver \
mongooseimctl_sessions:server mongooseimctl_delivered:server"
{
  echo "BEGIN IMMEDIATE;"
  echo "DELETE FROM domain_settings WHERE domain = 'big.example';"
  echo "INSERT INTO domain_events (domain) VALUES ('big.example');"
  for tc in $TABLES; do echo "DELETE FROM ${tc%%:*} WHERE ${tc##*:} = 'big.example';"; done
  echo "COMMIT;"
} > "$W/delete.sql"
{
  echo "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;"
  cat "$W/delete.sql"
} > "$W/delete_pragmas.sql"
PREP="rm -f $W/run.db-wal $W/run.db-shm && cp $W/seed.db $W/run.db"
hyperfine --warmup 1 --runs ${RUNS:-10} --prepare "$PREP" --export-markdown "$W/delete.md" \
  -n "sqlite3 (defaults)" "sqlite3 $W/run.db < $W/delete.sql" \
  -n "sqlite3 (our pragmas)" "sqlite3 $W/run.db < $W/delete_pragmas.sql" \
  -n "mongooseimctl delete_domain" "$M delete_domain big.example dyn"
cat "$W/delete.md"
# The result is right: nothing of big.example is left, keep.example is whole.
eval "$PREP"
$M delete_domain big.example dyn
for tc in $TABLES; do
  n=$(sqlite3 "$W/run.db" "SELECT COUNT(*) FROM ${tc%%:*} WHERE ${tc##*:} = 'big.example'")
  [ "$n" = 0 ] || { echo "rows left in ${tc%%:*}: $n"; exit 1; }
done
echo "keep.example: $(sqlite3 "$W/run.db" "SELECT COUNT(*) FROM rosterusers WHERE server = 'keep.example'") rosterusers left"
