//! Lua scripts of the Valkey backend. Each state change is one script so that a
//! job's record, its stream entry and the indexes never disagree, whatever dies
//! when. Keys are `PREFIX job:ID`, `PREFIX q:QUEUE:PRIORITY` (stream),
//! `PREFIX delayed` (zset), `PREFIX dead:QUEUE` (zset), `PREFIX jobs` (zset),
//! `PREFIX idem:KEY`.

/// KEYS: job, idem, jobs, stream, delayed, seq. ARGV: id, use_idem, idem_ttl_ms, now, due, fields...
pub(super) const ENQUEUE: &str = r#"
if ARGV[2] == '1' then
  local existing = redis.call('GET', KEYS[2])
  if existing then return {existing, 1} end
  redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3])
end
local fields = {}
for i = 6, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
-- Scored by a counter: enqueue order even within one millisecond.
redis.call('ZADD', KEYS[3], redis.call('INCR', KEYS[6]), ARGV[1])
if tonumber(ARGV[5]) > tonumber(ARGV[4]) then
  redis.call('HSET', KEYS[1], 'run_after', ARGV[5])
  redis.call('ZADD', KEYS[5], ARGV[5], ARGV[1])
else
  redis.call('XADD', KEYS[4], '*', 'id', ARGV[1])
end
return {ARGV[1], 0}
"#;

/// The start of one delivered entry, shared by START and READ: mark it running
/// and append entry + HGETALL to `out` (with the stream first when `with_stream`),
/// or drop it when stale (finished, gone, or out of attempts: a poison job).
macro_rules! start_one {
    () => {
        r#"
local function start_one(stream, group, now, worker, p, entry, id, out, with_stream)
  local h = p .. 'job:' .. id
  local st = redis.call('HMGET', h, 'status', 'attempts', 'max_attempts', 'queue', 'run_after')
  local skip = false
  if (not st[1]) or st[1] == 'succeeded' or st[1] == 'dead' then
    skip = true
  elseif tonumber(st[2]) >= tonumber(st[3]) then
    -- Every holder died mid-job: a poison job; stop handing it out.
    redis.call('HSET', h, 'status', 'dead', 'finished_at', now, 'updated_at', now,
      'last_error', 'worker stopped while running the job (' .. st[2] .. ' attempts); not retried again')
    redis.call('ZADD', p .. 'dead:' .. st[4], now, id)
    skip = true
  end
  if skip then
    redis.call('XACK', stream, group, entry)
    redis.call('XDEL', stream, entry)
  else
    redis.call('HSET', h, 'status', 'running', 'attempts', tonumber(st[2]) + 1,
      'started_at', now, 'updated_at', now, 'heartbeat_at', now, 'worker', worker)
    if st[5] then redis.call('HDEL', h, 'run_after') end
    if with_stream then out[#out + 1] = stream end
    out[#out + 1] = entry
    out[#out + 1] = redis.call('HGETALL', h)
  end
end
"#
    };
}

/// Mark delivered entries running (or drop stale ones). KEYS: stream.
/// ARGV: group, now, worker, prefix, then entry/id pairs. Returns entry, HGETALL pairs.
pub(super) const START: &str = concat!(
    start_one!(),
    r#"
local out = {}
for i = 5, #ARGV, 2 do
  start_one(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[i], ARGV[i + 1], out, false)
end
return out
"#
);

/// Read new entries of the streams in order (non-blocking) and start them, in
/// one round trip. KEYS: streams. ARGV: group, now, worker, prefix, max.
/// Returns stream, entry, HGETALL triples.
pub(super) const READ: &str = concat!(
    start_one!(),
    r#"
local out = {}
local want = tonumber(ARGV[5])
local taken = 0
for k = 1, #KEYS do
  if taken >= want then break end
  local r = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[3], 'COUNT', want - taken,
    'STREAMS', KEYS[k], '>')
  if r then
    for _, e in ipairs(r[1][2]) do
      local id = '-'
      local f = e[2]
      if f then
        for j = 1, #f, 2 do
          if f[j] == 'id' then id = f[j + 1] end
        end
      end
      local before = #out
      start_one(KEYS[k], ARGV[1], ARGV[2], ARGV[3], ARGV[4], e[1], id, out, true)
      if #out > before then taken = taken + 1 end
    end
  end
end
return out
"#
);

/// KEYS: job, stream. ARGV: group, entry, now, result, retention_ms.
pub(super) const COMPLETE: &str = r#"
local st = redis.call('HGET', KEYS[1], 'status')
if st and st ~= 'succeeded' and st ~= 'dead' then
  redis.call('HSET', KEYS[1], 'status', 'succeeded', 'result', ARGV[4],
    'finished_at', ARGV[3], 'updated_at', ARGV[3])
  redis.call('HDEL', KEYS[1], 'run_after')
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
end
redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[2], ARGV[2])
return 1
"#;

/// KEYS: job, stream, delayed. ARGV: group, entry, now, error, due, retryable, prefix, id.
pub(super) const FAIL: &str = r#"
local st = redis.call('HMGET', KEYS[1], 'status', 'attempts', 'max_attempts', 'queue')
local outcome = 'ignored'
if st[1] and st[1] ~= 'succeeded' and st[1] ~= 'dead' then
  if ARGV[6] == '1' and tonumber(st[2]) < tonumber(st[3]) then
    redis.call('HSET', KEYS[1], 'status', 'failed', 'last_error', ARGV[4],
      'run_after', ARGV[5], 'updated_at', ARGV[3])
    redis.call('ZADD', KEYS[3], ARGV[5], ARGV[8])
    outcome = 'retry'
  else
    redis.call('HSET', KEYS[1], 'status', 'dead', 'last_error', ARGV[4],
      'finished_at', ARGV[3], 'updated_at', ARGV[3])
    redis.call('HDEL', KEYS[1], 'run_after')
    redis.call('ZADD', ARGV[7] .. 'dead:' .. st[4], ARGV[3], ARGV[8])
    outcome = 'dead'
  end
end
redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[2], ARGV[2])
return outcome
"#;

/// KEYS: job, stream. ARGV: group, entry, now, id.
pub(super) const RELEASE: &str = r#"
local st = redis.call('HMGET', KEYS[1], 'status', 'attempts')
if st[1] == 'running' then
  redis.call('HSET', KEYS[1], 'status', 'queued', 'updated_at', ARGV[3],
    'attempts', math.max(0, tonumber(st[2]) - 1))
  redis.call('XADD', KEYS[2], '*', 'id', ARGV[4])
end
redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[2], ARGV[2])
return 1
"#;

/// Reset the idle time of an entry we still own and note it on the record.
/// KEYS: stream, job. ARGV: group, entry, consumer, now.
pub(super) const HEARTBEAT: &str = r#"
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)
if #p == 0 or p[1][2] ~= ARGV[3] then return 0 end
redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[3], 0, ARGV[2], 'JUSTID')
if redis.call('HGET', KEYS[2], 'status') == 'running' then
  redis.call('HSET', KEYS[2], 'heartbeat_at', ARGV[4])
end
return 1
"#;

/// Move due delayed jobs to their streams. KEYS: delayed. ARGV: now, prefix, limit.
pub(super) const PROMOTE: &str = r#"
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[3])
local moved = 0
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[1], id)
  local h = ARGV[2] .. 'job:' .. id
  local f = redis.call('HMGET', h, 'status', 'queue', 'priority')
  if f[1] == 'queued' or f[1] == 'failed' then
    redis.call('HSET', h, 'status', 'queued', 'updated_at', ARGV[1])
    redis.call('XADD', ARGV[2] .. 'q:' .. f[2] .. ':' .. f[3], '*', 'id', id)
    moved = moved + 1
  end
end
return moved
"#;

/// KEYS: job, delayed. ARGV: now, prefix, id. Returns 'ok', 'missing' or the status.
pub(super) const RETRY: &str = r#"
local f = redis.call('HMGET', KEYS[1], 'status', 'queue', 'priority')
if not f[1] then return 'missing' end
if f[1] ~= 'dead' and f[1] ~= 'failed' then return f[1] end
redis.call('ZREM', ARGV[2] .. 'dead:' .. f[2], ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[3])
redis.call('HSET', KEYS[1], 'status', 'queued', 'attempts', 0, 'updated_at', ARGV[1])
redis.call('HDEL', KEYS[1], 'finished_at', 'run_after', 'last_error', 'result')
redis.call('PERSIST', KEYS[1])
redis.call('XADD', ARGV[2] .. 'q:' .. f[2] .. ':' .. f[3], '*', 'id', ARGV[3])
return 'ok'
"#;

/// Delete one finished job if its status is still the one we saw.
/// KEYS: job, jobs. ARGV: prefix, id, status.
pub(super) const PURGE_ONE: &str = r#"
local f = redis.call('HMGET', KEYS[1], 'status', 'queue')
if f[1] ~= ARGV[3] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('ZREM', ARGV[1] .. 'dead:' .. f[2], ARGV[2])
return 1
"#;
