-- Blocks a tenant on every replica for ARGV[1] ms, unless it is already blocked for longer.
-- KEYS[1]: the tenant's block key.
local wait = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) < wait then
  redis.call('SET', KEYS[1], '1', 'PX', wait)
end
return 0
