#!/usr/bin/env bash
# Benchmarks for docs/PERFORMANCE.md. Usage: bench/bench.sh [quick]
# Needs hyperfine (installed from Debian's packages if missing) and python3 for seeding.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || apt-get install -y hyperfine >/dev/null
cargo build --release --quiet
BIN=$PWD/target/release/mongooseimctl
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
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

echo "== push_roster_alltoall of 2000 users"
sqlite3 "$W/store.db" "DELETE FROM users"
python3 - "$W/store.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executemany("INSERT INTO users (username, server, password) VALUES (?, 'localhost', 'x')",
              ((f"user{i:05d}",) for i in range(2000)))
c.commit()
PY
/usr/bin/time -f "push_roster_alltoall: %e s wall" $M push_roster_alltoall localhost all
sqlite3 "$W/store.db" "SELECT COUNT(*) || ' roster items' FROM rosterusers"
cargo bench --quiet --bench roster_floor -- 2000 2>/dev/null

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
