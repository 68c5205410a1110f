#!/usr/bin/env bash
# Proves the deploy path a user runs: `sam build` of a function with cargo-lambda (pinned SAM CLI
# and cargo-lambda with its zig, from PyPI), then checks the bootstrap it packaged. Builds for
# x86_64: the arm64 standard library comes from rustup's servers, which this machine cannot reach.
# Usage: sam_build.sh <function logical id, e.g. UsersFunction>
set -euo pipefail
cd "$(dirname "$0")/.."
function=${1:-UsersFunction}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/connection-target}"
venv="${CONNECTION_SAM_VENV:-$HOME/.cache/connection-sam-venv}"
# A venv of its own: SAM CLI pins other boto versions than ministack.
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check aws-sam-cli==1.170.0 cargo-lambda==1.9.2
export PATH="$venv/bin:$PATH" SAM_CLI_TELEMETRY=0
build_dir=$(mktemp -d)
trap 'rm -rf "$build_dir"' EXIT
sam build "$function" --build-dir "$build_dir" --parameter-overrides Architecture=x86_64 </dev/null
bootstrap="$build_dir/$function/bootstrap"
[ -x "$bootstrap" ] || { echo "sam build left no executable bootstrap for $function" >&2; exit 1; }
"$venv/bin/python" - "$bootstrap" <<'PY'
import sys
with open(sys.argv[1], "rb") as f:
    head = f.read(20)
assert head[:4] == b"\x7fELF", "not an ELF executable"
assert int.from_bytes(head[18:20], "little") == 62, "not x86-64"
print(f"sam build: {sys.argv[1].split('/')[-2]} bootstrap is an x86-64 ELF")
PY
