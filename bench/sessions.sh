#!/usr/bin/env bash
# Live-state benchmarks for docs/PERFORMANCE.md (issue 8): a store with SESSIONS sessions
# (default 100,000) over SESSIONS/2 users. Usage: bench/sessions.sh
# Floors: the sqlite3 shell running the same query on the same file. Peak RSS of the
# streamed listing (connected_users_info) is measured at 10,000 and at SESSIONS sessions.
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
SESSIONS=${SESSIONS:-100000}

# seed FILE N: N sessions over N/2 accounts (two resources each), presences spread over
# available/away/dnd/xa/unavailable, priorities 0..9 or unset.
seed() {
  "$BIN" -c "$W/mongooseim.toml" --store "$1" status >/dev/null
  python3 - "$1" "$2" <<'PY'
import sqlite3, sys
db, n = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db)
users = n // 2
c.executemany("INSERT INTO users (username, server, password) VALUES (?, 'localhost', 'x')",
              ((f"user{i:06d}",) for i in range(users)))
shows = ["available", "away", "dnd", "xa", "unavailable"]
def rows():
    for i in range(n):
        u, r = divmod(i, 2)
        show = shows[i % 5]
        prio = None if show == "unavailable" else i % 10
        yield (f"user{u:06d}", f"res{r}", 1764547200000000 + i, prio, show,
               "" if show == "unavailable" else f"status {i}", f"10.0.{i // 256 % 256}.{i % 256}", 40000 + i % 20000)
c.executemany("INSERT INTO mongooseimctl_sessions (username, server, resource, opened_at, priority, show, status, connection, ip, port, node) "
              "VALUES (?, 'localhost', ?, ?, ?, ?, ?, 'c2s_tls', ?, ?, 'mongooseim@localhost')", rows())
c.commit()
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
PY
}

seed "$W/small.db" 10000
seed "$W/store.db" "$SESSIONS"
M="$BIN -c $W/mongooseim.toml --store $W/store.db -o text"
echo "== store of $SESSIONS sessions over $((SESSIONS / 2)) users"
hyperfine -N --warmup 5 --runs 100 --export-markdown "$W/count.md" \
  "sqlite3 $W/store.db \"SELECT COUNT(*) FROM mongooseimctl_sessions WHERE show = 'away'\"" \
  "$M status_num away" \
  "sqlite3 $W/store.db \"SELECT COUNT(*) FROM mongooseimctl_sessions WHERE server = 'localhost' AND username = 'user025000'\"" \
  "$M num_resources user025000 localhost" \
  "sqlite3 $W/store.db \"SELECT COUNT(*) FROM mongooseimctl_sessions WHERE show = 'away' AND server = 'localhost'\"" \
  "$M status_num_host localhost away"
cat "$W/count.md"

echo "== listing every session (output to /dev/null)"
hyperfine -N --warmup 2 --runs 10 --output=null --export-markdown "$W/list.md" \
  "sqlite3 -separator ' ' $W/store.db \"SELECT username || '@' || server || '/' || resource, connection, ip, port, priority, node, opened_at FROM mongooseimctl_sessions\"" \
  "$M connected_users_info" \
  "$BIN -c $W/mongooseim.toml --store $W/store.db -o json connected_users_info" \
  "$M status_list away"
cat "$W/list.md"

echo "== peak RSS of the streamed listings (KiB)"
for f in small store; do
  n=$(sqlite3 "$W/$f.db" "SELECT COUNT(*) FROM mongooseimctl_sessions")
  for fmt in text json; do
    kb=$( { /usr/bin/time -f "%M" "$BIN" -c "$W/mongooseim.toml" --store "$W/$f.db" -o $fmt connected_users_info >/dev/null; } 2>&1 )
    echo "connected_users_info -o $fmt, $n sessions: $kb KiB"
  done
  kb=$( { /usr/bin/time -f "%M" sqlite3 "$W/$f.db" "SELECT * FROM mongooseimctl_sessions" >/dev/null; } 2>&1 )
  echo "floor sqlite3 SELECT *, $n sessions: $kb KiB"
done
