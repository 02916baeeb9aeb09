#!/usr/bin/env bash
# service_mongoose_system_metrics benchmark for docs/PERFORMANCE.md (issue 11): a command run
# when no report is due (the service configured, its first run recorded, initial_report far
# away: one read of the state key) against the same command with the section absent and with
# report = false (nothing read). check_account on a store of USERS accounts (default 10,000).
# Usage: bench/metrics.sh  (RUNS: hyperfine runs per command, default 300)
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
USERS=${USERS:-10000}
RUNS=${RUNS:-300}
BASE='[general]
  hosts = ["localhost"]
  default_server_domain = "localhost"
[auth.rdbms]
[services.service_admin_extra]
'
printf '%s' "$BASE" > "$W/absent.toml"
printf '%s[services.service_mongoose_system_metrics]\n  report = false\n' "$BASE" > "$W/off.toml"
printf '%s[services.service_mongoose_system_metrics]\n  report = true\n  initial_report = 86400000\n' \
  "$BASE" > "$W/notdue.toml"
$BIN -c "$W/absent.toml" --store "$W/s.db" registered_users localhost >/dev/null
python3 - "$W/s.db" "$USERS" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executemany("INSERT INTO users (username, server, password) VALUES (?, 'localhost', 'pw')",
              ((f"user{i:06d}",) for i in range(int(sys.argv[2]))))
c.commit()
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
PY
export MONGOOSEIMCTL_METRICS_FILE=$W/report.json
unset MONGOOSEIMCTL_METRICS_URL
# The first run with the service records first_seen; every later one is "not due".
$BIN -c "$W/notdue.toml" --store "$W/s.db" check_account user000042 localhost >/dev/null
echo "== state: $(sqlite3 "$W/s.db" "SELECT v FROM mongooseimctl_state WHERE k = 'system_metrics'")"
hyperfine -N --warmup 20 --runs "$RUNS" --export-markdown "$W/metrics.md" \
  -n absent "$BIN -c $W/absent.toml --store $W/s.db check_account user000042 localhost" \
  -n 'report = false' "$BIN -c $W/off.toml --store $W/s.db check_account user000042 localhost" \
  -n 'not due' "$BIN -c $W/notdue.toml --store $W/s.db check_account user000042 localhost"
cat "$W/metrics.md"
[ ! -e "$W/report.json" ] || { echo "a report was written: it should not have been due" >&2; exit 1; }
