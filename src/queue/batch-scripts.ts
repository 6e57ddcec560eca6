/*
 * Lua scripts of the batch store. Each runs atomically in the broker, so counters stay
 * exact when a job runs twice (at-least-once delivery) or results race with sealing.
 * KEYS: 1 meta, 2 results, 3 states, 4 docs, 5 timeline (record only).
 */

/**
 * Marks the batch finished when it is sealed and every accepted document has a result,
 * then returns 2 when this call finished it (exactly one call per finish sees 2), else 1.
 * It ends the script, so it comes last.
 */
const markFinishedIfDone = `
local b = redis.call('HMGET', KEYS[1], 'sealed', 'total', 'ok', 'failed', 'finishedAt')
if b[1] == '1' and not b[5] and (tonumber(b[3] or '0') + tonumber(b[4] or '0')) >= tonumber(b[2] or '0') then
  redis.call('HSET', KEYS[1], 'finishedAt', now)
  for i = 1, 4 do redis.call('EXPIRE', KEYS[i], ttl) end
  return 2
end
return 1
`;

/**
 * ARGV: docId, resultJson, status (ok|failed), cacheCounter (cacheMiss|cacheExact|cacheSemantic),
 * ttlSeconds, llmCalls, tokensIn, tokensOut, tokensSaved, nowMs.
 * Returns 1 when recorded, 2 when recorded and this result finished the batch, 0 when an
 * earlier success was kept over this failure.
 */
export const recordResultScript = `
local ttl, now = ARGV[5], ARGV[10]
local previous = redis.call('HGET', KEYS[3], ARGV[1])
-- Tokens spent were spent, even by a job that ran twice: they always count.
if ARGV[6] ~= '0' then redis.call('HINCRBY', KEYS[1], 'llmCalls', ARGV[6]) end
if ARGV[7] ~= '0' then redis.call('HINCRBY', KEYS[1], 'tokensIn', ARGV[7]) end
if ARGV[8] ~= '0' then redis.call('HINCRBY', KEYS[1], 'tokensOut', ARGV[8]) end
if not previous then
  -- Savings count once per document, like its result.
  if ARGV[9] ~= '0' then redis.call('HINCRBY', KEYS[1], 'tokensSaved', ARGV[9]) end
  -- Per-minute counts of first results, for throughput and hit-rate charts.
  local minute = tostring(math.floor(tonumber(now) / 60000) * 60)
  redis.call('HINCRBY', KEYS[5], minute .. ':' .. ARGV[3], 1)
  if ARGV[3] == 'ok' then redis.call('HINCRBY', KEYS[5], minute .. ':' .. ARGV[4], 1) end
end
if previous then
  local pStatus, pCache = string.match(previous, '^(%a+)|(%a+)$')
  if pStatus == 'ok' and ARGV[3] == 'failed' then return 0 end
  redis.call('HINCRBY', KEYS[1], 'reprocessed', 1)
  redis.call('HINCRBY', KEYS[1], pStatus, -1)
  if pStatus == 'ok' then redis.call('HINCRBY', KEYS[1], pCache, -1) end
end
redis.call('HINCRBY', KEYS[1], ARGV[3], 1)
if ARGV[3] == 'ok' then redis.call('HINCRBY', KEYS[1], ARGV[4], 1) end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3] .. '|' .. ARGV[4])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[1], 'updatedAt', now)
-- Lifetimes are refreshed on the first result and every 256th after it (and when the batch
-- finishes), not on every result: five EXPIREs per document were a measurable share of the
-- broker's work, and a batch's keys live for days.
if redis.call('HINCRBY', KEYS[1], 'recorded', 1) % 256 == 1 then
  for i = 1, 5 do redis.call('EXPIRE', KEYS[i], ttl) end
end
${markFinishedIfDone}`;

/** ARGV: ttlSeconds, nowMs. Seals the batch: no more documents are coming. Returns 2 when this seal finished it, else 1. */
export const sealScript = `
local ttl, now = ARGV[1], ARGV[2]
redis.call('HSET', KEYS[1], 'sealed', '1', 'updatedAt', now)
for i = 1, 4 do redis.call('EXPIRE', KEYS[i], ttl) end
${markFinishedIfDone}`;
