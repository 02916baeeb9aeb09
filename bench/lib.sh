# Shared set-up of the benchmark scripts (sourced, not run): the tools, a release build of
# the binary in $BIN, and a work directory $W removed on exit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v hyperfine >/dev/null || apt-get install -y hyperfine >/dev/null
command -v sqlite3 >/dev/null || apt-get install -y sqlite3 >/dev/null
cargo build --release --quiet
BIN=$PWD/target/x86_64-unknown-linux-gnu/release/mongooseimctl
[ -x "$BIN" ] || BIN=$PWD/target/release/mongooseimctl
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
