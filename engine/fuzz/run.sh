#!/usr/bin/env bash
# Runs the cargo-fuzz targets for a while: `engine/fuzz/run.sh TARGET SECONDS`, or
# `engine/fuzz/run.sh all SECONDS` for each target in turn. Not part of CI.
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a compiler that takes `-Z` flags: a nightly
# toolchain if rustup has one (`cargo +nightly fuzz`), else the stable one with
# RUSTC_BOOTSTRAP=1, which lets a stable rustc accept nightly flags (fine for a local fuzzing
# run, never for a release build). FUZZ_TOOLCHAIN=stable or =nightly chooses.
#
# Before each run the seeds are written from the repository's own files into corpus/TARGET/
# (ignored by git, kept between runs so the corpus grows): the rule files, order files, apply
# lines and the carriers' sample webhooks. Crashes are left in artifacts/TARGET/; rerun one with
# `cargo fuzz run TARGET artifacts/TARGET/crash-...` from engine/, or turn it into a test.
#
# `run.sh seeds` only writes the seeds. FUZZ_ARGS adds libFuzzer options (e.g. FUZZ_ARGS="-jobs=2"); CARGO_TARGET_DIR is honoured.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
targets=(rules_load order_file apply_line carrier_webhook)

usage() {
    echo "usage: $0 {all|$(IFS='|' && echo "${targets[*]}")} SECONDS, or $0 seeds" >&2
    exit 2
}
[[ $# -eq 2 && $2 =~ ^[0-9]+$ ]] || [[ $# -eq 1 && $1 == seeds ]] || usage

# A JSON string of a file's text, newlines dropped (the samples are pretty-printed JSON).
json_text() {
    tr -d '\r\n' <"$1" | sed 's/\\/\\\\/g; s/"/\\"/g'
}

order_json='{"id": "ORD-1001", "kind": "order", "customer": {"name": "Ada", "email": "ada@example.com"}, "currency": "EUR", "market": "eu", "lines": [{"id": "l1", "sku": "MUG-RED", "qty": 2, "price": "12.50", "weight_g": 400, "category": "fragile"}], "shipping": {"method": "standard", "partial_delivery": true, "carrier": "nationalpost", "preferred_delivery_date": "2026-12-01", "address": {"country": "NL", "postcode": "1011AB", "city": "Amsterdam", "lat": 52.37, "lng": 4.89}}}'

seed() {
    local target=$1 dir="$here/corpus/$1" i=0 carrier file
    mkdir -p "$dir"
    case $target in
    rules_load)
        cp "$repo/rules/default.yaml" "$dir/default.yaml"
        for file in "$repo"/rules/examples/*.yaml; do
            cp "$file" "$dir/example-$(basename "$file")"
        done
        ;;
    order_file)
        printf '%s\n' "$order_json" >"$dir/order.json"
        cat >"$dir/order.yaml" <<'YAML'
id: ORD-1002
lines:
  - { id: l1, sku: MUG, qty: 2, price: "12.50" }
  - { id: l2, sku: TEE, qty: 1 }
shipping:
  partial_delivery: false
  address: { country: NL, city: Utrecht }
YAML
        # The fixture store holds ORD-1: a duplicate id.
        printf '{"id": "ORD-1", "lines": [{"id": "l1", "sku": "MUG", "qty": 1}], "shipping": {"address": {"country": "NL"}}}\n' >"$dir/duplicate.json"
        ;;
    apply_line)
        {
            printf '{"op": "order.create", "order": %s}\n' "$order_json"
            printf '%s\n' \
                '{"op": "order.fire", "id": "ORD-1001", "event": "place", "key": "k-17"}' \
                '{"op": "shipment.create", "order": "ORD-1001", "shipment": {"location": "ams", "items": [{"line": "l1", "qty": 2}]}}' \
                '{"op": "shipment.split", "order": "ORD-2", "strategy": ["split_shipments"]}' \
                '{"op": "order.fire", "id": "ORD-1", "event": "capture", "input": {"amount": "25.00"}}' \
                '{"op": "shipment.fire", "id": "SHP-1", "event": "ship", "as": "backoffice"}' \
                '{"op": "order.note", "id": "ORD-1", "text": "called the customer"}' \
                '{"op": "stock.set", "location": "ams", "sku": "MUG", "qty": 0}' \
                '{"op": "outbox.ack", "id": 1}'
        } >"$dir/commands.jsonl"
        for file in "$repo"/carriers/samples/*/*.json; do
            carrier=$(basename "$(dirname "$file")")
            printf '{"op": "carrier.webhook", "carrier": "%s", "as": "carrier", "body": "%s"}\n' \
                "$carrier" "$(json_text "$file")" >"$dir/webhook-$carrier-$(basename "$file" .json).jsonl"
        done
        ;;
    carrier_webhook)
        # The first byte picks the adapter: its index among the built-in ids, sorted.
        for file in "$repo"/carriers/adapters/*.rhai; do
            carrier=$(basename "$file" .rhai)
            for sample in "$repo/carriers/samples/$carrier"/*.json; do
                [[ -e $sample ]] || continue
                {
                    printf "\\x$(printf '%02x' "$i")"
                    printf 'content-type: application/json\n\n'
                    cat "$sample"
                } >"$dir/$carrier-$(basename "$sample" .json)"
            done
            i=$((i + 1))
        done
        ;;
    esac
}

fuzz() {
    local target=$1 seconds=$2 toolchain=() args=()
    local choice=${FUZZ_TOOLCHAIN:-}
    if [[ -z $choice ]]; then
        choice=stable
        if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
            choice=nightly
        fi
    fi
    if [[ $choice == nightly ]]; then
        toolchain=(+nightly)
    else
        export RUSTC_BOOTSTRAP=1
    fi
    if [[ -n ${CARGO_TARGET_DIR:-} ]]; then
        args+=(--target-dir "$CARGO_TARGET_DIR/fuzz")
    fi
    # The workspace's versions, plus what only the fuzz crate uses.
    [[ -e $here/Cargo.lock ]] || cp "$repo/Cargo.lock" "$here/Cargo.lock"
    seed "$target"
    mkdir -p "$here/artifacts/$target"
    echo "== $target for ${seconds}s" >&2
    # shellcheck disable=SC2086 # FUZZ_ARGS is a list of options
    (cd "$here/.." && cargo "${toolchain[@]}" fuzz run --fuzz-dir "$here" "${args[@]}" "$target" \
        "$here/corpus/$target" -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$here/artifacts/$target/" ${FUZZ_ARGS:-})
}

case $1 in
seeds)
    for target in "${targets[@]}"; do
        seed "$target"
    done
    ;;
all)
    for target in "${targets[@]}"; do
        fuzz "$target" "$2"
    done
    ;;
rules_load | order_file | apply_line | carrier_webhook) fuzz "$1" "$2" ;;
*) usage ;;
esac
