#!/usr/bin/env bash
# How waybill's durable path grows with the store: for each size, the store is grown to that
# many orders (with `waybill apply`, groups of 1000: create, place, capture, a shipment, ship),
# then measured:
#   - a cold `order fire ORDER approve` (one process per command, each on another order):
#     median wall time, CPU time (user + system) and peak memory (RSS) of RUNS runs;
#   - `apply` of ONE_BY_ONE `order.fire approve` lines on distinct random stored orders, in
#     groups of 1000: microseconds per command;
#   - disk per stored order (the store's folder, after the commands above).
#
#   benches/growth.sh [SIZES] [RUNS]       (defaults: "10000 100000 500000", 21)
#
# WAYBILL=PATH measures another binary (default: the release build, built first);
# ONE_BY_ONE=N sets the apply workload (default 5000). The store is kept in target/growth and
# grown from one size to the next, so the sizes must increase.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${1:-10000 100000 500000}
RUNS=${2:-21}
ONE_BY_ONE=${ONE_BY_ONE:-5000}
WORK=target/growth
if [ -z "${WAYBILL:-}" ]; then
  cargo build --release -q -p waybill
  WAYBILL=target/release/waybill
fi
rm -rf "$WORK" && mkdir -p "$WORK"
DATA="$WORK/data"

# Lines for orders FROM..TO-1 (shipments are numbered in creation order: one per order).
grow_lines() {
  python3 - "$1" "$2" <<'EOF'
import json, sys
lo, hi = int(sys.argv[1]), int(sys.argv[2])
for i in range(lo, hi):
    o = f"ORD-{i}"
    print(json.dumps({"op": "order.create", "order": {"id": o, "lines": [
        {"id": "l1", "sku": "MUG", "qty": 2, "price": "12.50"},
        {"id": "l2", "sku": "TEE", "qty": 1, "price": "20.00"}],
        "customer": {"name": "Ada Lovelace", "email": "ada@example.com"},
        "shipping": {"address": {"country": "NL"}}}}))
    print(json.dumps({"op": "order.fire", "id": o, "event": "place"}))
    print(json.dumps({"op": "order.fire", "id": o, "event": "capture", "input": {"amount": "20.00"}}))
    print(json.dumps({"op": "shipment.create", "order": o, "shipment": {"items": [{"line": "l1", "qty": 2}], "tracking": [{"code": f"T{i}"}]}}))
    print(json.dumps({"op": "shipment.fire", "id": f"SHP-{i + 1}", "event": "ship"}))
EOF
}

# COUNT distinct random order ids below N, from seed SEED, one per line.
pick() {
  python3 -c 'import random,sys; n,c,s=map(int,sys.argv[1:]); random.seed(s); [print(f"ORD-{i}") for i in random.sample(range(n), min(c, n))]' "$@"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

echo "machine: $(nproc) cores; $RUNS cold runs per size; apply of $ONE_BY_ONE commands"
printf '| stored orders | cold order fire (median) | its CPU time | peak memory (median) | apply, random orders | disk per order |\n|---|---|---|---|---|---|\n'
have=0
for n in $SIZES; do
  grow_lines "$have" "$n" > "$WORK/grow.jsonl"
  "$WAYBILL" --data "$DATA" apply --group 1000 "$WORK/grow.jsonl" >/dev/null 2>"$WORK/grow.log" || {
    cat "$WORK/grow.log" >&2; exit 1; }
  have=$n
  # One cold command first, so every measured run opens a store already recovered once.
  "$WAYBILL" --data "$DATA" order show ORD-0 >/dev/null
  # Distinct orders: the first RUNS for the cold commands, the rest for apply.
  pick "$n" $((RUNS + ONE_BY_ONE)) 1 > "$WORK/ids.txt"
  head -n "$RUNS" "$WORK/ids.txt" > "$WORK/cold-ids.txt"
  # Wall time and peak RSS (wait4's rusage) of each cold process.
  python3 - "$WAYBILL" "$DATA" "$WORK/cold-ids.txt" > "$WORK/cold.txt" <<'EOF'
import os, subprocess, sys, time
exe, data, ids = sys.argv[1:]
for order in open(ids).read().split():
    t = time.perf_counter()
    p = subprocess.Popen([exe, "--data", data, "order", "fire", order, "approve"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    cpu = (usage.ru_utime + usage.ru_stime) * 1000
    print(f"{(time.perf_counter() - t) * 1000:.2f} {usage.ru_maxrss} {cpu:.2f}")
EOF
  cold_ms=$(cut -d' ' -f1 "$WORK/cold.txt" | median)
  peak_kib=$(cut -d' ' -f2 "$WORK/cold.txt" | median)
  cpu_ms=$(cut -d' ' -f3 "$WORK/cold.txt" | median)
  tail -n +$((RUNS + 1)) "$WORK/ids.txt" | awk '{printf "{\"op\":\"order.fire\",\"id\":\"%s\",\"event\":\"approve\"}\n", $1}' > "$WORK/random.jsonl"
  rate=$({ "$WAYBILL" --data "$DATA" apply --group 1000 "$WORK/random.jsonl" 2>&1 >/dev/null || true; } \
    | grep -o '([0-9]*/s)' | tr -d '()/s')
  bytes=$(du -sb "$DATA" | cut -f1)
  printf '| %s | %s ms | %s ms | %.1f MiB | %.1f µs/command | %.2f KB |\n' "$n" "$cold_ms" "$cpu_ms" \
    "$(awk -v k="$peak_kib" 'BEGIN {print k / 1024}')" "$(awk -v r="$rate" 'BEGIN {print 1e6 / r}')" \
    "$(awk -v b="$bytes" -v n="$n" 'BEGIN {print b / n / 1000}')"
done
