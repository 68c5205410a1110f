#!/usr/bin/env bash
# Runs every test on a fresh machine: installs the pinned Python tools, lints the template,
# builds, starts ministack on a free loopback port, runs unit, local-invoke and conformance
# tests (SQLite and DynamoDB), fuzzes the local stack against its OpenAPI document with
# schemathesis, deploys template.yaml into ministack and calls it, and runs `sam build`.
set -euo pipefail
cd "$(dirname "$0")/.."

# Builds are cached outside the clone so a fresh checkout reuses them.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/connection-target}"
venv="${CONNECTION_VENV:-$HOME/.cache/connection-venv}"
python_tools=(ministack==1.5.33 boto3==1.43.106 aws-sam-translator==1.115.0 cfn-lint==1.58.0 schemathesis==4.32.5)

echo "== python tools (${python_tools[*]})"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "${python_tools[@]}"

echo "== cfn-lint template.yaml"
"$venv/bin/cfn-lint" template.yaml

echo "== cargo fmt, clippy, build"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo build --workspace --all-targets --locked

port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ministack_url="http://127.0.0.1:$port"
ministack_log="$(mktemp)"
echo "== ministack on $ministack_url (log: $ministack_log)"
# The functions ministack runs inherit its environment, so they reach its DynamoDB and S3.
# TCP_NODELAY on its runtime API removes a 40 ms stall per invocation.
env AWS_ENDPOINT_URL="$ministack_url" AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
  AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 BIND_HOST=127.0.0.1 GATEWAY_PORT="$port" \
  "$venv/bin/python" -c 'import socketserver; socketserver.StreamRequestHandler.disable_nagle_algorithm = True; from ministack.app import main; main()' \
  >"$ministack_log" 2>&1 &
ministack_pid=$!
trap 'kill "$ministack_pid" 2>/dev/null || true; wait "$ministack_pid" 2>/dev/null || true' EXIT
healthy() { "$venv/bin/python" -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$ministack_url/_ministack/health" 2>/dev/null; }
for _ in $(seq 1 100); do
  healthy && break
  kill -0 "$ministack_pid" 2>/dev/null || break
  sleep 0.2
done
if ! healthy; then
  echo "ministack did not start:" >&2
  cat "$ministack_log" >&2
  exit 1
fi

echo "== cargo test"
CONNECTION_TEST_DYNAMODB="$ministack_url" CONNECTION_TEST_MINISTACK="$ministack_url" \
  cargo test --workspace --locked -- --include-ignored

echo "== schemathesis against the local stack (every operation of /openapi.json)"
"$venv/bin/python" tests/api_fuzz.py "$CARGO_TARGET_DIR/debug/connection-local" "$venv/bin/st"

echo "== deploy template.yaml into ministack"
MINISTACK_URL="$ministack_url" "$venv/bin/python" tests/smoke/deploy.py "$CARGO_TARGET_DIR/debug"

echo "== sam build of a function, as a user deploys it"
bash tests/sam_build.sh UsersFunction
