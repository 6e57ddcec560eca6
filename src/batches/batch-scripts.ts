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

/** ARGV fields per document in `recordResultsScript`. */
export const RESULT_FIELDS = 9;

/**
 * Records the results of one or more documents of a batch in one call: a worker sends
 * the results of all its jobs that finished since its last call together, so that the
 * per-call cost (the script call, the counters, the finish check) is paid once per call,
 * not once per document.
 * ARGV: ttlSeconds, nowMs, then per document: docId, resultJson, status (ok|failed),
 * cacheCounter (cacheMiss|cacheExact|cacheSemantic), llmCalls, tokensIn, tokensOut,
 * tokensSaved, writeId.
 * Returns one answer per document, in order: 1 when recorded, 2 when recorded and this
 * result finished the batch (at most one document per finish), 0 when an earlier success
 * was kept over this failure. A repeated writeId answers what its first execution answered
 * and changes nothing.
 */
export const recordResultsScript = `
local ttl, now = ARGV[1], ARGV[2]
${finishIfDone}
-- Counter changes are summed here and written once per call (commutative, so exact).
local delta = {}
local function add(field, n) delta[field] = (delta[field] or 0) + n end
local minute = tostring(math.floor(tonumber(now) / 60000) * 60)
local answers = {}
local recorded = 0
local lastDoc, lastState, lastAt
for i = 3, #ARGV, ${RESULT_FIELDS} do
  local docId, status, cache, writeId = ARGV[i], ARGV[i + 2], ARGV[i + 3], ARGV[i + 8]
  -- Written per document (not at the end), so a document twice in one call sees its first state.
  local previous = redis.call('HGET', KEYS[3], docId)
  local pStatus, pCache, pWrites, repeated
  if previous then
    pStatus, pCache, pWrites = string.match(previous, '^(%a+)|(%a+)(.*)$')
    local at = string.find(pWrites, ' ' .. writeId .. '=', 1, true)
    if at then
      local answer = at + #writeId + 2
      repeated = tonumber(string.sub(pWrites, answer, answer))
    end
  end
  if repeated then
    answers[#answers + 1] = repeated
  else
    -- The document's state: status|cache, then the last few write ids with their answers.
    local function stateOf(s, c)
      local writes = {}
      for w in string.gmatch(pWrites or '', '%S+') do writes[#writes + 1] = w end
      local first = math.max(1, #writes - ${KEPT_WRITE_IDS} + 2)
      local kept = table.concat(writes, ' ', first)
      if kept ~= '' then kept = kept .. ' ' end
      return s .. '|' .. c .. ' ' .. kept .. writeId .. '='
    end
    -- Tokens spent were spent, even by a job that ran twice: they always count (once per write id).
    add('llmCalls', tonumber(ARGV[i + 4]))
    add('tokensIn', tonumber(ARGV[i + 5]))
    add('tokensOut', tonumber(ARGV[i + 6]))
    if previous and pStatus == 'ok' and status == 'failed' then
      redis.call('HSET', KEYS[3], docId, stateOf(pStatus, pCache) .. '0')
      answers[#answers + 1] = 0
    else
      if previous then
        add('reprocessed', 1)
        add(pStatus, -1)
        if pStatus == 'ok' then add(pCache, -1) end
      else
        -- Savings count once per document, like its result; so do the per-minute counts.
        add('tokensSaved', tonumber(ARGV[i + 7]))
        add(minute .. ':' .. status, 1)
        if status == 'ok' then add(minute .. ':' .. cache, 1) end
      end
      add(status, 1)
      if status == 'ok' then add(cache, 1) end
      redis.call('HSET', KEYS[2], docId, ARGV[i + 1])
      lastDoc, lastState = docId, stateOf(status, cache)
      redis.call('HSET', KEYS[3], docId, lastState .. '1')
      answers[#answers + 1] = 1
      lastAt = #answers
      recorded = recorded + 1
    end
  end
end
for field, n in pairs(delta) do
  if n ~= 0 then
    if string.find(field, ':', 1, true) then redis.call('HINCRBY', KEYS[5], field, n)
    else redis.call('HINCRBY', KEYS[1], field, n) end
  end
end
if recorded == 0 then return answers end
redis.call('HSET', KEYS[1], 'updatedAt', now)
-- Lifetimes are refreshed on the first result and every 256th after it (and when the batch
-- finishes), not on every result: five EXPIREs per document were a measurable share of the
-- broker's work, and a batch's keys live for days.
local count = redis.call('HINCRBY', KEYS[1], 'recorded', recorded)
if math.floor((count - 1) / 256) ~= math.floor((count - recorded - 1) / 256) then
  for k = 1, 5 do redis.call('EXPIRE', KEYS[k], ttl) end
end
if finishIfDone() == 2 then
  -- The last document recorded here is the one that finished the batch.
  redis.call('HSET', KEYS[3], lastDoc, lastState .. '2')
  answers[lastAt] = 2
end
return answers
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
