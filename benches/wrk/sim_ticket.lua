-- wrk script: the floor for benches/server_load.sh — the very request zendesk_ticket_get sends,
-- GET /api/v2/tickets/1.json?include=users,groups,organizations (its default include sideloads
-- the users, groups and organization: ~4.9 KB, ~3x the bare ticket), straight to the simulator
-- (HTTPS, Host 127.0.0.1 → its default tenant acme), Basic auth from TW_SIM_AUTH
-- ("email/token:TOKEN"). TW_SIM_PATH overrides the path (e.g. "/api/v2/tickets/1.json", the
-- bare ticket the floor was before the sixth session).
-- Prints the same WRK line as execute_tool.lua.
local auth = os.getenv("TW_SIM_AUTH") or ""
local path = os.getenv("TW_SIM_PATH") or "/api/v2/tickets/1.json?include=users,groups,organizations"

local function b64(data)
  local chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
  return ((data:gsub(".", function(x)
    local r, b = "", x:byte()
    for i = 8, 1, -1 do r = r .. (b % 2 ^ i - b % 2 ^ (i - 1) > 0 and "1" or "0") end
    return r
  end) .. "0000"):gsub("%d%d%d?%d?%d?%d?", function(x)
    if #x < 6 then return "" end
    local c = 0
    for i = 1, 6 do c = c + (x:sub(i, i) == "1" and 2 ^ (6 - i) or 0) end
    return chars:sub(c + 1, c + 1)
  end) .. ({ "", "==", "=" })[#data % 3 + 1])
end

local req = wrk.format("GET", path,
  { ["Accept"] = "application/json", ["Authorization"] = "Basic " .. b64(auth) })

request = function() return req end

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "WRK requests=%d seconds=%.2f rps=%.0f non2xx=%d socket_errors=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    summary.requests, secs, summary.requests / secs, e.status,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
