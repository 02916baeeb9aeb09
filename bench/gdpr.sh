#!/usr/bin/env bash
# retrieve_personal_data benchmarks for docs/PERFORMANCE.md (issue 9): one account with N
# roster items (one group each) and N offline messages, plus a vCard and a private element, at
# N = 1,000, N = ROWS (default 10,000) and N = BIG (default 100,000). Usage: bench/gdpr.sh
# Floor: the sqlite3 shell exporting the same rows (the roster joined with its groups, the
# offline messages) as CSV (`.mode csv`) into files. Peak RSS from /usr/bin/time, against
# `check_account` on the same store (the cost of starting and opening the store).
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
[modules.mod_vcard]
  backend = "rdbms"
[modules.mod_private]
[modules.mod_offline]
  backend = "rdbms"
[modules.mod_inbox]
TOML
ROWS=${ROWS:-10000}

# seed FILE N: alice@localhost with N roster items and N offline messages; 100 other
# accounts with 10 items and 10 messages each (rows the export must skip).
seed() {
  "$BIN" -c "$W/mongooseim.toml" --store "$1" status >/dev/null
  python3 - "$1" "$2" <<'PY'
import sqlite3, sys
db, n = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db)
owners = [("alice", n)] + [(f"user{i:03d}", 10) for i in range(100)]
c.executemany("INSERT INTO users (username, server, password) VALUES (?, 'localhost', 'x')",
              ((u,) for u, _ in owners))
subs, asks = "NFTB", "NIOBSU"
for u, k in owners:
    c.executemany("INSERT INTO rosterusers (server, username, jid, nick, subscription, ask, askmessage) "
                  "VALUES ('localhost', ?, ?, ?, ?, ?, '')",
                  ((u, f"contact{i:06d}@example.org", f"Contact {i}, \"nick\"", subs[i % 4], asks[i % 6])
                   for i in range(k)))
    c.executemany("INSERT INTO rostergroups (server, username, jid, grp) VALUES ('localhost', ?, ?, ?)",
                  ((u, f"contact{i:06d}@example.org", f"group{i % 50}") for i in range(k)))
    c.executemany("INSERT INTO offline_message (timestamp, expire, server, username, from_jid, packet, permanent_fields) "
                  "VALUES (?, NULL, 'localhost', ?, ?, ?, X'836a')",
                  ((1764547200000000 + i * 1000, u, f"contact{i:06d}@example.org/phone",
                    f"<message type='chat' id='{i:016x}'><body>message number {i}, with a comma</body></message>")
                   for i in range(k)))
c.execute("INSERT INTO vcard (username, server, vcard) VALUES ('alice', 'localhost', "
          "'<vCard xmlns=''vcard-temp''><FN>Alice</FN></vCard>')")
c.execute("INSERT INTO private_storage (server, username, namespace, data) VALUES "
          "('localhost', 'alice', 'storage:bookmarks', '<storage xmlns=''storage:bookmarks''/>')")
c.commit()
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
PY
}

# The floor's script: the same rows as CSV files, by the sqlite3 shell.
cat > "$W/floor.sql" <<SQL
.mode csv
.headers on
.once $W/floor-roster.csv
SELECT u.jid, u.nick, u.subscription, u.ask, group_concat(g.grp, ', ') AS groups, u.askmessage, '' AS xs
  FROM rosterusers u LEFT JOIN rostergroups g ON g.server = u.server AND g.username = u.username AND g.jid = u.jid
  WHERE u.server = 'localhost' AND u.username = 'alice' GROUP BY u.rowid ORDER BY u.rowid;
.once $W/floor-offline.csv
SELECT strftime('%Y-%m-%dT%H:%M:%SZ', timestamp / 1000000, 'unixepoch') AS timestamp, from_jid, 'alice@localhost', packet
  FROM offline_message WHERE server = 'localhost' AND username = 'alice' ORDER BY timestamp, id;
SQL

for n in 1000 "$ROWS" "${BIG:-100000}"; do
  db="$W/store-$n.db"
  seed "$db" "$n"
  M="$BIN -c $W/mongooseim.toml --store $db -o text"
  echo "== alice: $n roster items + $n offline messages"
  hyperfine -N --warmup 3 --runs 30 --export-markdown "$W/time-$n.md" \
    "sqlite3 $db \".read $W/floor.sql\"" \
    "$M retrieve_personal_data alice localhost $W/alice-$n.zip"
  cat "$W/time-$n.md"
  ls -l "$W/alice-$n.zip" | awk '{print "archive: " $5 " bytes"}'
  for cmd in "check_account alice localhost" "retrieve_personal_data alice localhost $W/alice-$n.zip"; do
    kb=$( { /usr/bin/time -f "%M" $M $cmd >/dev/null; } 2>&1 )
    echo "peak RSS, ${cmd%% *}: $kb KiB"
  done
  kb=$( { /usr/bin/time -f "%M" sqlite3 "$db" ".read $W/floor.sql" >/dev/null; } 2>&1 )
  echo "peak RSS, sqlite3 floor: $kb KiB"
done
