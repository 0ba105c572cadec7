#!/usr/bin/env bash
# Measures `waybill serve` under load: a fresh store in a temporary folder, a release server
# on a free port, and benches/src/bin/serve_load.rs with CLIENTS concurrent HTTP clients for
# SECONDS; then the cold CLI command through the server (hyperfine when installed, else a
# loop of 200 runs).
#
#   benches/serve.sh [CLIENTS=64] [SECONDS=10]
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS=${1:-64}
SECONDS_=${2:-10}
cargo build --release -q -p waybill -p waybill-benches --bin waybill --bin serve_load
W=target/release/waybill
DIR=$(mktemp -d)
trap 'kill -TERM $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$DIR"' EXIT
TOKEN=$("$W" --data "$DIR/data" token add load --role backoffice 2>/dev/null)
"$W" --data "$DIR/data" --json serve --listen 127.0.0.1:0 > "$DIR/ready" 2>"$DIR/serve.log" &
SERVER=$!
for _ in $(seq 100); do [ -s "$DIR/ready" ] && break; sleep 0.05; done
URL=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$DIR/ready")
echo "server at $URL, $(nproc) cores"
target/release/serve_load "$URL" "$TOKEN" "$CLIENTS" "$SECONDS_"

# A cold CLI process whose command goes through the server.
"$W" --data "$DIR/data" order create - <<<'{"id": "COLD-1", "lines": [{"id": "l1", "sku": "S", "qty": 1, "price": "1.00"}], "shipping": {"address": {"country": "NL"}}}' >/dev/null
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 20 --runs 300 "$W --data $DIR/data order note COLD-1 hello"
else
  python3 - "$W" "$DIR/data" <<'PY'
import statistics, subprocess, sys, time
w, data = sys.argv[1], sys.argv[2]
times = []
for i in range(300):
    t = time.perf_counter()
    subprocess.run([w, "--data", data, "order", "note", "COLD-1", f"hello {i}"], check=True, stdout=subprocess.DEVNULL)
    times.append((time.perf_counter() - t) * 1000)
times.sort()
print(f"cold CLI through the server: median {statistics.median(times):.2f} ms, p90 {times[int(len(times)*0.9)]:.2f} ms over {len(times)} runs")
PY
fi
