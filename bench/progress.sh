#!/usr/bin/env bash
# Cost of progress output (issue 12 item 2) for docs/PERFORMANCE.md: import_users of ROWS
# rows (default 10,000) into a fresh store, `--progress never` against `--progress always`,
# with stderr a pseudo-terminal (`script`: the bar is drawn in place, the real cost) and with
# stderr a file (plain lines). Both sides run under the same `script` wrapper and write stdout
# to /dev/null. Plain passwords and SCRAM (SCRAM_ITER rounds, default 1,000, so that a run
# takes seconds rather than a minute; the bar's cost per row does not depend on it).
# Usage: bench/progress.sh   (RUNS, SCRAM_RUNS, ROWS, SCRAM_ITER override the defaults)
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
ROWS=${ROWS:-10000}
RUNS=${RUNS:-30}
SCRAM_RUNS=${SCRAM_RUNS:-5}
SCRAM_ITER=${SCRAM_ITER:-1000}
cat > "$W/plain.toml" <<'TOML'
[general]
  hosts = ["localhost"]
  default_server_domain = "localhost"
[auth]
  password.format = "plain"
  [auth.rdbms]
TOML
cat > "$W/scram.toml" <<TOML
[general]
  hosts = ["localhost"]
  default_server_domain = "localhost"
[auth]
  password.format = "scram"
  password.scram_iterations = $SCRAM_ITER
  [auth.rdbms]
TOML
python3 -c "
import sys
with open('$W/users.csv', 'w') as f:
    for i in range($ROWS):
        f.write(f'user{i:06d},localhost,secret{i}\n')
"
for kind in plain scram; do
  runs=$RUNS
  [ "$kind" = scram ] && runs=$SCRAM_RUNS
  M="$BIN -c $W/$kind.toml --store $W/run.db -o text"
  echo "== $kind passwords, $ROWS rows, $runs runs each"
  hyperfine -N --warmup 1 --runs "$runs" --prepare "rm -f $W/run.db $W/run.db-wal $W/run.db-shm" \
    -n "never, stderr a pty" "script -qec '$M --progress never import_users $W/users.csv >/dev/null' /dev/null" \
    -n "always, stderr a pty (bar)" "script -qec '$M --progress always import_users $W/users.csv >/dev/null' /dev/null" \
    -n "always, stderr a file (lines)" "script -qec '$M --progress always import_users $W/users.csv >/dev/null 2>$W/err.txt' /dev/null"
done
