#!/usr/bin/env bash
# Measures waybill against the peer workloads (XState 5, pytransitions, pytransitions + SQLite
# WAL), interleaved in one sitting, and prints medians and ratios.
#
#   benches/peers.sh [ROUNDS] [SHIPMENTS]      (defaults: 3 rounds, 20000 shipments)
#
# PEERS=DIR points at the peers' folder (default ../shared/peers). It copies them into
# target/peers, installs xstate@5 there with npm and transitions==0.9.3 into a virtualenv there
# with pip, builds the release binary, then runs every contender once per round, in turns.
# waybill's figures count what it does per shipment: the in-memory bench counts the shipment's
# creation, its four events and the refused cancel (6); `apply` counts every command (creating
# the order and the shipment, four events, the refused cancel: 7). The peers count the four
# events and the refused cancel (5), creating their shipments outside the timed part. The
# one-flush-per-command pair runs a hundredth of the shipments (a flush costs milliseconds).
#
# ONLY=durable runs the durable contenders alone (SQLite batch and each, apply --group 1000
# and 1). Then benches/growth.sh measures how the durable path grows with the store, with
# GROWTH_SIZES (default "10000 100000 500000"; empty skips it).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
N=${2:-20000}
PEERS=${PEERS:-../shared/peers}
WORK=target/peers
mkdir -p "$WORK"
cp "$PEERS"/*.py "$PEERS"/*.mjs "$PEERS"/*.yaml "$WORK"/
if [ "${ONLY:-}" != durable ] && [ ! -d "$WORK/node_modules/xstate" ]; then
  (cd "$WORK" && npm install --silent --no-audit --no-fund xstate@5 >/dev/null)
fi
if [ ! -x "$WORK/venv/bin/python" ]; then
  python3 -m venv "$WORK/venv"
  "$WORK/venv/bin/pip" install -q transitions==0.9.3
fi
PY="$PWD/$WORK/venv/bin/python"
cargo build --release -q -p waybill
WAYBILL=target/release/waybill

# The peers' lifecycle as `waybill apply` lines on the equal-work rules.
"$PY" - "$N" > "$WORK/lifecycle.jsonl" <<'EOF'
import json, sys
n = int(sys.argv[1])
for i in range(n):
    order = f"B-{i}"
    print(json.dumps({"op": "order.create", "order": {"id": order, "lines": [{"id": "l1", "sku": "SKU", "qty": 3, "price": "10.00"}], "shipping": {"address": {"country": "NL"}}}}))
    print(json.dumps({"op": "shipment.create", "order": order, "shipment": {"items": [{"line": "l1", "qty": 3}], "tracking": [{"code": "3SABCD123"}]}}))
    for event in ("process", "ship", "out_for_delivery", "deliver", "cancel"):
        print(json.dumps({"op": "shipment.fire", "id": f"SHP-{i + 1}", "event": event}))
EOF

# One figure (a number per second) from one run of a contender.
rate() {
  case "$1" in
    xstate) (cd "$WORK" && node xstate_lifecycle.mjs "$N") | grep -o '[0-9,]* events/s' | tr -d ',' | cut -d' ' -f1 ;;
    waybill-equal) "$WAYBILL" --json --rules "$WORK/shipment_only.yaml" bench lifecycle --shipments "$N" \
        --events process,ship,out_for_delivery,deliver | "$PY" -c 'import json,sys; print(round(json.load(sys.stdin)["events_per_second"]))' ;;
    waybill-default) "$WAYBILL" --json bench lifecycle --shipments "$N" \
        | "$PY" -c 'import json,sys; print(round(json.load(sys.stdin)["events_per_second"]))' ;;
    transitions) "$PY" "$WORK/transitions_lifecycle.py" "$N" | grep -o '[0-9,]* events/s' | tr -d ',' | cut -d' ' -f1 ;;
    sqlite-batch|sqlite-each)
      local mode=${1#sqlite-} count=$N
      [ "$mode" = each ] && count=$((N / 100))
      rm -f "$WORK/peer.db"*
      (cd "$WORK" && "$PY" transitions_sqlite.py "$count" "$mode") | grep -o '[0-9,]* durable' | tr -d ',' | cut -d' ' -f1 ;;
    apply-1000|apply-1)
      local group=${1#apply-} file="$WORK/lifecycle.jsonl"
      if [ "$group" = 1 ]; then head -n $((N / 100 * 7)) "$WORK/lifecycle.jsonl" > "$WORK/lifecycle-each.jsonl"; file="$WORK/lifecycle-each.jsonl"; fi
      rm -rf "$WORK/data"
      # The refused cancels make `apply` exit 1; its summary line has the rate.
      { "$WAYBILL" --data "$WORK/data" --rules "$WORK/shipment_only.yaml" apply --group "$group" "$file" 2>&1 >/dev/null || true; } \
        | grep -o '([0-9]*/s)' | tr -d '()/s' ;;
  esac
}

CONTENDERS="xstate waybill-equal waybill-default transitions sqlite-batch apply-1000 sqlite-each apply-1"
[ "${ONLY:-}" = durable ] && CONTENDERS="sqlite-batch apply-1000 sqlite-each apply-1"
declare -A RUNS
for round in $(seq "$ROUNDS"); do
  for c in $CONTENDERS; do
    RUNS[$c]="${RUNS[$c]:-} $(rate "$c")"
  done
  echo "round $round done" >&2
done

median() { printf '%s\n' $1 | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }
declare -A M
for c in $CONTENDERS; do M[$c]=$(median "${RUNS[$c]}"); done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo "machine: $(nproc) cores; $ROUNDS rounds, $N shipments; medians (all runs)"
printf '| workload | peer | waybill | ratio |\n|---|---|---|---|\n'
# One row, if both of its contenders ran.
row() {
  local what=$1 peer=$2 a=$3 b=$4 unit=$5
  [ -n "${M[$a]:-}" ] && [ -n "${M[$b]:-}" ] || return 0
  printf '| %s | %s %s/s | %s%s/s | %s× |\n' "$what" "$peer" "${M[$a]}" "$unit" "${M[$b]}" "$(ratio "${M[$b]}" "${M[$a]}")"
}
row "in memory, equal work (peers rules)" XState xstate waybill-equal ""
row "in memory, full default rules" XState xstate waybill-default ""
row "in memory, equal work" pytransitions transitions waybill-equal ""
row "durable, groups of 1000" "pytransitions + SQLite batch" sqlite-batch apply-1000 "apply "
row "durable, one flush per command" "pytransitions + SQLite each" sqlite-each apply-1 "apply --group 1 "
for c in $CONTENDERS; do echo "runs $c:${RUNS[$c]}"; done
GROWTH_SIZES=${GROWTH_SIZES-10000 100000 500000}
if [ -n "$GROWTH_SIZES" ]; then
  WAYBILL="$WAYBILL" benches/growth.sh "$GROWTH_SIZES"
fi
