-- Extends one in-flight slot's lease, only while that lease still holds the slot.
-- KEYS[1]: the tenant's slots (sorted set: member = lease id, score = lease expiry in ms)
-- ARGV[1]: the lease in ms, ARGV[2]: the lease id
-- Returns 1 extended, 0 the slot is no longer this lease's (given back, or expired: an expired
-- lease may already have been counted free by another replica, so it is never revived).
local score = redis.call('ZSCORE', KEYS[1], ARGV[2])
if not score then
  return 0
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if tonumber(score) <= now then
  return 0
end
local lease = tonumber(ARGV[1])
redis.call('ZADD', KEYS[1], 'XX', now + lease, ARGV[2])
if redis.call('PTTL', KEYS[1]) < lease then
  redis.call('PEXPIRE', KEYS[1], lease)
end
return 1
