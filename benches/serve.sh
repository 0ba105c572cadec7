#!/usr/bin/env bash
# Measures `waybill serve` under load: a fresh store in a temporary folder, a release server
# on a free port, wrk (Debian's package, installed when missing) with CONNECTIONS concurrent
# clients for SECONDS, each request creating an order (benches/serve_wrk.lua); then a cold CLI
# command through the server, timed by hyperfine (installed when missing). It prints the
# durable commands per second (2xx answers: the server answers only once a command's group is
# flushed), the latency percentiles, and the CPU time of the server and of wrk.
#
#   benches/serve.sh [CONNECTIONS=64] [SECONDS=10] [STORED=0]
#
# STORED orders are put in the store first (with `waybill apply`), to see that a command
# through the server costs the same whatever the store's size.
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${1:-64}
SECONDS_=${2:-10}
STORED=${3:-0}
install() {
  command -v "$1" >/dev/null && return
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q "$1" >/dev/null; else sudo apt-get install -y -q "$1" >/dev/null; fi
}
install wrk
install hyperfine
cargo build --release -q -p waybill
W=target/release/waybill
DIR=$(mktemp -d)
SERVER=
trap '[ -n "$SERVER" ] && kill -TERM $SERVER 2>/dev/null; wait 2>/dev/null; rm -rf "$DIR"' EXIT
if [ "$STORED" -gt 0 ]; then
  python3 - "$STORED" > "$DIR/stored.jsonl" <<'PY'
import json, sys
for i in range(int(sys.argv[1])):
    print(json.dumps({"op": "order.create", "order": {"id": f"S-{i}", "lines": [{"id": "l1", "sku": "SKU", "qty": 1, "price": "10.00"}], "shipping": {"address": {"country": "NL"}}}}))
PY
  "$W" --data "$DIR/data" apply --group 1000 "$DIR/stored.jsonl" >/dev/null
  rm "$DIR/stored.jsonl"
fi
TOKEN=$("$W" --data "$DIR/data" token add load --role backoffice 2>/dev/null)
export TOKEN
"$W" --data "$DIR/data" --json serve --listen 127.0.0.1:0 > "$DIR/ready" 2>"$DIR/serve.log" &
SERVER=$!
for _ in $(seq 100); do [ -s "$DIR/ready" ] && break; sleep 0.05; done
URL=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$DIR/ready")
echo "server at $URL, $(nproc) cores, $STORED orders stored first, $CONNECTIONS connections, ${SECONDS_} s"
/usr/bin/time -f "wrk cpu: user %U s, sys %S s" \
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_}s" -s benches/serve_wrk.lua "$URL" 2>&1 | grep -E "durable|cpu|Socket"
awk '{printf "server cpu: user %.2f s, sys %.2f s\n", $14/100, $15/100}' "/proc/$SERVER/stat"

# A cold CLI process whose command goes through the server.
"$W" --data "$DIR/data" order create - >/dev/null <<<'{"id": "COLD-1", "lines": [{"id": "l1", "sku": "S", "qty": 1, "price": "1.00"}], "shipping": {"address": {"country": "NL"}}}'
hyperfine -N --warmup 20 --runs 300 --export-json "$DIR/cold.json" \
  "$W --data $DIR/data order note COLD-1 hello" >/dev/null 2>&1
python3 - "$DIR/cold.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"cold CLI through the server (order note): median {r['median']*1000:.2f} ms, mean {r['mean']*1000:.2f} ms, min {r['min']*1000:.2f} ms over {len(r['times'])} runs")
PY
