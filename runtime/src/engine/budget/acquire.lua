-- Takes one of a tenant's in-flight slots across replicas, unless the tenant is blocked.
-- KEYS[1]: the tenant's block key (exists while the vendor asked it to wait; PX expiry)
-- KEYS[2]: the tenant's slots (sorted set: member = lease id, score = lease expiry in ms)
-- ARGV[1]: the cap, ARGV[2]: the lease in ms, ARGV[3]: this lease's id
-- Returns {0, 0} taken, {1, ms} blocked for ms, {2, 0} full (try again shortly).
local blocked = redis.call('PTTL', KEYS[1])
if blocked > 0 then
  return {1, blocked}
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
-- Leases of replicas that died (or calls that outlived their lease) give their slot back.
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[1]) then
  return {2, 0}
end
local lease = tonumber(ARGV[2])
redis.call('ZADD', KEYS[2], now + lease, ARGV[3])
redis.call('PEXPIRE', KEYS[2], lease)
return {0, 0}
