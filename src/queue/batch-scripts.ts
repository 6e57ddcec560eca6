/*
 * Lua scripts of the batch store. Each runs atomically in the broker, so counters stay
 * exact when a job runs twice (at-least-once delivery) or results race with sealing.
 *
 * Each is also safe to repeat. A command the broker executed may still lose its reply (a
 * reset connection, a proxy, the broker dying between its AOF write and its answer), and
 * ioredis re-sends unanswered commands when it reconnects; callers retry too. So every
 * write either changes nothing the second time by construction (HSETNX, HSET of the same
 * value), or carries a write id that the script records with what it changed, and a
 * repeated write id changes nothing and answers what the first execution answered.
 *
 * A script whose first write is refused (OOM, READONLY, ...) changes nothing at all: Redis
 * refuses a script's writes only until it has written, so no script is half applied.
 */

/**
 * Records document ids as accepted, each only if new, and adds to `total` exactly the
 * number it newly recorded: repeated, it adds nothing. Moves `updatedAt`, so that a
 * running ingest is seen to progress (a killed one is seen to stand still).
 * KEYS: 1 meta, 2 docs. ARGV: ttlSeconds, runId, nowMs, id... Returns how many ids were new.
 */
export const recordDocsScript = `
local added = 0
for i = 4, #ARGV do
  added = added + redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[2])
end
if added > 0 then redis.call('HINCRBY', KEYS[1], 'total', added) end
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[1])
return added
`;

/**
 * Marks the batch's ingest failed with its reason, only if the failing ingest run is still
 * the batch's latest (\`ingestRun\`): a mark re-sent after a later ingest opened the batch
 * again changes nothing. Repeated, it writes the same values and answers the same.
 * KEYS: 1 meta. ARGV: runId, reason, nowMs, ttlSeconds. Returns 1 when marked, 0 when a later run owns the batch.
 */
export const ingestFailedScript = `
if redis.call('HGET', KEYS[1], 'ingestRun') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'ingestFailed', ARGV[2], 'ingestFailedAt', ARGV[3], 'updatedAt', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 1
`;

/**
 * Marks the batch finished when it is sealed and every accepted document has a result.
 * Returns 2 when this call finished it (exactly one write per finish sees 2), else 1.
 * Expects KEYS 1-4 (meta, results, states, docs) and locals `ttl`, `now`.
 */
const finishIfDone = `
local function finishIfDone()
  local b = redis.call('HMGET', KEYS[1], 'sealed', 'total', 'ok', 'failed', 'finishedAt')
  if b[1] == '1' and not b[5] and (tonumber(b[3] or '0') + tonumber(b[4] or '0')) >= tonumber(b[2] or '0') then
    redis.call('HSET', KEYS[1], 'finishedAt', now)
    for i = 1, 4 do redis.call('EXPIRE', KEYS[i], ttl) end
    return 2
  end
  return 1
end
`;

/**
 * A document's state is `status|cacheCounter` followed by the write ids that touched it,
 * each with the answer it got: `ok|cacheMiss Kq3xZ0aB=1`. Only the last few are kept: a
 * re-sent command arrives within one reconnect, not after several later writes.
 */
const KEPT_WRITE_IDS = 4;

/**
 * ARGV: docId, resultJson, status (ok|failed), cacheCounter (cacheMiss|cacheExact|cacheSemantic),
 * ttlSeconds, llmCalls, tokensIn, tokensOut, tokensSaved, nowMs, writeId.
 * Returns 1 when recorded, 2 when recorded and this result finished the batch, 0 when an
 * earlier success was kept over this failure. A repeated writeId returns its first answer.
 */
export const recordResultScript = `
local ttl, now, writeId = ARGV[5], ARGV[10], ARGV[11]
${finishIfDone}
local previous = redis.call('HGET', KEYS[3], ARGV[1])
local pStatus, pCache, pWrites
if previous then
  pStatus, pCache, pWrites = string.match(previous, '^(%a+)|(%a+)(.*)$')
  local at = string.find(pWrites, ' ' .. writeId .. '=', 1, true)
  if at then
    local answer = at + #writeId + 2
    return tonumber(string.sub(pWrites, answer, answer))
  end
end
local function remember(status, cache, answer)
  local writes = {}
  for w in string.gmatch(pWrites or '', '%S+') do writes[#writes + 1] = w end
  writes[#writes + 1] = writeId .. '=' .. answer
  local first = math.max(1, #writes - ${KEPT_WRITE_IDS} + 1)
  redis.call('HSET', KEYS[3], ARGV[1], status .. '|' .. cache .. ' ' .. table.concat(writes, ' ', first))
end
-- Tokens spent were spent, even by a job that ran twice: they always count (once per write id).
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
  if pStatus == 'ok' and ARGV[3] == 'failed' then
    remember(pStatus, pCache, 0)
    return 0
  end
  redis.call('HINCRBY', KEYS[1], 'reprocessed', 1)
  redis.call('HINCRBY', KEYS[1], pStatus, -1)
  if pStatus == 'ok' then redis.call('HINCRBY', KEYS[1], pCache, -1) end
end
redis.call('HINCRBY', KEYS[1], ARGV[3], 1)
if ARGV[3] == 'ok' then redis.call('HINCRBY', KEYS[1], ARGV[4], 1) end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[1], 'updatedAt', now)
-- Lifetimes are refreshed on the first result and every 256th after it (and when the batch
-- finishes), not on every result: five EXPIREs per document were a measurable share of the
-- broker's work, and a batch's keys live for days.
if redis.call('HINCRBY', KEYS[1], 'recorded', 1) % 256 == 1 then
  for i = 1, 5 do redis.call('EXPIRE', KEYS[i], ttl) end
end
local answer = finishIfDone()
remember(ARGV[3], ARGV[4], answer)
return answer
`;

/**
 * ARGV: ttlSeconds, nowMs, writeId. Seals the batch: no more documents are coming. Returns 2
 * when this seal finished it, else 1; a repeated writeId returns its first answer.
 */
export const sealScript = `
local ttl, now, writeId = ARGV[1], ARGV[2], ARGV[3]
${finishIfDone}
local last = redis.call('HGET', KEYS[1], 'sealWrite')
if last and string.sub(last, 1, #writeId + 1) == writeId .. '=' then return tonumber(string.sub(last, #writeId + 2)) end
redis.call('HSET', KEYS[1], 'sealed', '1', 'updatedAt', now)
for i = 1, 4 do redis.call('EXPIRE', KEYS[i], ttl) end
local answer = finishIfDone()
redis.call('HSET', KEYS[1], 'sealWrite', writeId .. '=' .. answer)
return answer
`;

/**
 * Which of the given documents no job will ever finish: no result yet, and their job is
 * gone or already finished (completed or failed without recording one). One atomic look,
 * so a job that records its result and completes meanwhile is never mistaken for stranded.
 * KEYS: 1 states, 2 the queue's completed set, 3 its failed set, then one job hash key per
 * document. ARGV: docId, jobId pairs in the same order. Returns the stranded doc ids.
 */
export const strandedDocsScript = `
local stranded = {}
for i = 1, #ARGV, 2 do
  local docId, jobId = ARGV[i], ARGV[i + 1]
  if redis.call('HEXISTS', KEYS[1], docId) == 0 then
    local jobKey = KEYS[3 + (i + 1) / 2]
    local live = redis.call('EXISTS', jobKey) == 1
      and not redis.call('ZSCORE', KEYS[2], jobId)
      and not redis.call('ZSCORE', KEYS[3], jobId)
    if not live then stranded[#stranded + 1] = docId end
  end
end
return stranded
`;
