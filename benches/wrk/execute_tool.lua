-- wrk script: POST /v1/execute_tool (zendesk_ticket_get, ticket 1) spread over identifiers
-- user_0000000 .. user_{N-1}. Environment:
--   TOOLWIRE_API_KEY  bearer key of the server
--   TW_IDENTIFIERS    N (default 1000)
--   TW_STRIDE         step between consecutive identifiers of one thread (default 1; a large
--                     prime makes consecutive calls touch far-apart accounts)
-- Prints one machine-readable line at the end:
--   WRK requests=.. seconds=.. rps=.. non2xx=.. socket_errors=.. p50_us=.. p90_us=.. p99_us=.. max_us=..
local n = tonumber(os.getenv("TW_IDENTIFIERS") or "1000")
local stride = tonumber(os.getenv("TW_STRIDE") or "1")
local key = os.getenv("TOOLWIRE_API_KEY") or ""
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  -- each thread starts at a different offset
  counter = (tid or 0) * 100003
end

local headers = {
  ["Content-Type"] = "application/json",
  ["Authorization"] = "Bearer " .. key,
}

request = function()
  counter = counter + 1
  local i = (counter * stride) % n
  local body = string.format(
    '{"identifier":"user_%07d","tool_name":"zendesk_ticket_get","tool_input":{"ticket_id":1}}', i)
  return wrk.format("POST", "/v1/execute_tool", headers, body)
end

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "WRK requests=%d seconds=%.2f rps=%.0f non2xx=%d socket_errors=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    summary.requests, secs, summary.requests / secs, e.status,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
