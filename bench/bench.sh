#!/usr/bin/env bash
# Benchmarks for docs/PERFORMANCE.md. Usage: bench/bench.sh [quick]
# Needs hyperfine (installed from Debian's packages if missing) and python3 for seeding.
# BASELINE=/path/to/an/older/mongooseimctl adds that binary to the two floor comparisons.
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
cat > "$W/mongooseim.toml" <<'TOML'
[general]
  hosts = ["localhost"]
  default_server_domain = "localhost"
[auth.rdbms]
[services.service_admin_extra]
[modules.mod_roster]
  backend = "rdbms"
[modules.mod_last]
  backend = "rdbms"
TOML
M="$BIN -c $W/mongooseim.toml --store $W/store.db -o text"
$M status >/dev/null
USERS=${USERS:-100000}
# Seed accounts directly (the same SCRAM string for all: hashing is not what is measured here).
DETAILS=$($M register_identified seed localhost pencil >/dev/null && sqlite3 "$W/store.db" "SELECT pass_details FROM users WHERE username='seed'")
python3 - "$W/store.db" "$USERS" "$DETAILS" <<'PY'
import sqlite3, sys
db, n, details = sys.argv[1], int(sys.argv[2]), sys.argv[3]
c = sqlite3.connect(db)
c.executemany("INSERT INTO users (username, server, password, pass_details) VALUES (?, 'localhost', '', ?)",
              ((f"user{i:06d}", details) for i in range(n)))
c.commit()
PY
echo "== store of $USERS users"
# Floor: the sqlite3 shell opening the same file and doing the same primary-key lookup.
OLD=()
[ -n "${BASELINE:-}" ] && OLD=("$BASELINE -c $W/mongooseim.toml --store $W/store.db -o text check_account user050000 localhost")
hyperfine -N -i --warmup 5 --runs 300 --export-markdown "$W/floor.md" \
  "sqlite3 $W/store.db \"SELECT 1 FROM users WHERE server = 'localhost' AND username = 'user050000'\"" \
  "$M check_account user050000 localhost" "${OLD[@]}"
cat "$W/floor.md"
hyperfine -N -i --warmup 5 --runs 200 --export-markdown "$W/cmds.md" \
  "$M check_account user050000 localhost" \
  "$M check_account nobody localhost" \
  "$M set_last user050000 localhost 1700000000 bench" \
  "$M get_loglevel"
cat "$W/cmds.md"
hyperfine -N --warmup 2 --runs 20 "$M registered_users localhost" | grep -E "Time|Range"
hyperfine -N --warmup 1 --runs 10 --prepare "$M unregister benchuser localhost" \
  "$M register_identified benchuser localhost pencil" | grep -E "Time|Range"

echo "== import_users of 10000 rows (SCRAM, 5 hashes x 10000 iterations each)"
python3 -c "
for i in range(10000): print(f'imp{i},localhost,password{i}')" > "$W/import.csv"
/usr/bin/time -f "import_users: %e s wall, %U s user, %S s sys, %P CPU" $M import_users "$W/import.csv" | cut -f1 | sort | uniq -c

N=${ROSTER_USERS:-1000}
echo "== push_roster_alltoall of $N users vs the sqlite3 shell inserting the same rows (INSERT ... SELECT, one transaction)"
sqlite3 "$W/store.db" "DELETE FROM users; DELETE FROM rosterusers; DELETE FROM rostergroups;"
python3 - "$W/store.db" "$N" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executemany("INSERT INTO users (username, server, password) VALUES (?, 'localhost', 'x')",
              ((f"user{i:05d}",) for i in range(int(sys.argv[2]))))
c.commit()
PY
sqlite3 "$W/store.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
cp "$W/store.db" "$W/base.db"
RESET="cp $W/base.db $W/work.db; rm -f $W/work.db-wal $W/work.db-shm"
cat > "$W/floor.sql" <<'SQL'
PRAGMA cache_size = -65536;
BEGIN;
INSERT INTO rosterusers (server, username, jid, nick, subscription, ask, askmessage)
  SELECT 'localhost', a.username, b.username || '@localhost', b.username, 'B', 'N', ''
  FROM users a JOIN users b ON b.username <> a.username
  WHERE a.server = 'localhost' AND b.server = 'localhost' ORDER BY a.username, b.username;
INSERT INTO rostergroups (server, username, jid, grp)
  SELECT 'localhost', a.username, b.username || '@localhost', 'all'
  FROM users a JOIN users b ON b.username <> a.username
  WHERE a.server = 'localhost' AND b.server = 'localhost' ORDER BY a.username, b.username;
COMMIT;
SQL
MW="$BIN -c $W/mongooseim.toml --store $W/work.db -o text"
OLD=()
[ -n "${BASELINE:-}" ] && OLD=("$BASELINE -c $W/mongooseim.toml --store $W/work.db -o text push_roster_alltoall localhost all")
hyperfine -N --warmup 1 --runs 5 --prepare "sh -c '$RESET'" --export-markdown "$W/a2a.md" \
  "sh -c 'sqlite3 $W/work.db < $W/floor.sql'" \
  "$MW push_roster_alltoall localhost all" "${OLD[@]}"
cat "$W/a2a.md"
sqlite3 "$W/work.db" "SELECT COUNT(*) || ' roster items, ' || (SELECT COUNT(*) FROM rostergroups) || ' group rows' FROM rosterusers"

echo "== get_roster of a 10000-item roster"
sqlite3 "$W/store.db" "DELETE FROM rosterusers; DELETE FROM rostergroups; INSERT INTO users (username, server, password) VALUES ('big', 'localhost', 'x');"
python3 - "$W/store.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executemany("INSERT INTO rosterusers (server, username, jid, nick, subscription, ask, askmessage) VALUES ('localhost', 'big', ?, ?, 'B', 'N', '')",
              ((f"c{i:05d}@example.org", f"C {i}") for i in range(10000)))
c.executemany("INSERT INTO rostergroups (server, username, jid, grp) VALUES ('localhost', 'big', ?, 'friends')",
              ((f"c{i:05d}@example.org",) for i in range(10000)))
c.commit()
PY
hyperfine -N --warmup 3 --runs 30 "$M get_roster big localhost" | grep -E "Time|Range"
