-- wrk script for `waybill serve`: every request creates an order (one command), with ids
-- unique across threads and connections. (wrk has no state per connection, so a workload whose
-- commands depend on each other, create then place, would race across connections.) `benches/serve.sh` runs it:
--   TOKEN=... wrk -t2 -c64 -d10s -s benches/serve_wrk.lua --latency URL
-- Only 2xx answers are durable commands; the summary counts the others apart.

local threads = {}
local token = os.getenv("TOKEN")

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  n = 0
  bad = 0
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  n = n + 1
  local body = '{"id": "W-' .. tid .. '-' .. n .. '", "lines": [{"id": "l1", "sku": "SKU", "qty": 1, ' ..
    '"price": "10.00"}], "customer": {"name": "Load", "email": "load@example.com"}, ' ..
    '"shipping": {"address": {"country": "NL", "city": "Amsterdam"}}}'
  return wrk.format("POST", "/v1/orders", nil, body)
end

function response(status, headers, body)
  if status >= 300 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local failed = 0
  for _, t in ipairs(threads) do
    failed = failed + t:get("bad")
  end
  local ok = summary.requests - failed
  io.write(string.format("durable commands: %d in %.1f s (%.0f/s), %d not 2xx; latency p50 %.2f ms, p99 %.2f ms\n",
    ok, summary.duration / 1e6, ok / (summary.duration / 1e6), failed,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
