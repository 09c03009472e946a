-- wrk script for scripts/bench: POSTs the same JSON chat request (BENCH_BODY) with `Authorization: Bearer
-- BENCH_KEY`, counts the requests it sent, and prints one machine-readable RESULT line at the end.
local body = os.getenv("BENCH_BODY")
local key = os.getenv("BENCH_KEY") or "sk-bench"
wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. key

local threads = {}
function setup(thread)
    table.insert(threads, thread)
end

sent = 0
local prepared
function init(args)
    prepared = wrk.format()
end

function request()
    sent = sent + 1
    return prepared
end

function done(summary, latency, requests)
    local total_sent = 0
    for _, thread in ipairs(threads) do
        total_sent = total_sent + (thread:get("sent") or 0)
    end
    local e = summary.errors
    io.write(string.format(
        "RESULT requests=%d sent=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d mean_us=%.1f max_us=%d " ..
        "connect_err=%d read_err=%d write_err=%d status_err=%d timeout_err=%d\n",
        summary.requests, total_sent, summary.duration, summary.requests / (summary.duration / 1e6),
        latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max,
        e.connect, e.read, e.write, e.status, e.timeout))
end
