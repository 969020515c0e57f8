//! Lua scripts of the Valkey backend. Each state change is one script so that a
//! job's record, its stream entry, its group lease and the indexes never
//! disagree, whatever dies when. Keys are `PREFIX job:ID` (hash),
//! `PREFIX q:QUEUE:PRIORITY` (stream), `PREFIX delayed` (zset),
//! `PREFIX dead:QUEUE` (zset), `PREFIX jobs` (zset), `PREFIX idem:KEY`,
//! `PREFIX group:GROUP` (string: the lease of the group's running job, `ID
//! CONSUMER`, expiring after the visibility timeout unless heartbeated) and
//! `PREFIX gwait:GROUP` (list: ids of jobs parked while their group was busy).
//!
//! Scripts that handle many jobs build job keys from the prefix: the backend
//! runs on one server, not a cluster.

/// Free group `g` when `me` (`ID CONSUMER`) holds it, or, with `me` false, when
/// any holder of job `id` does (or nobody does); then wake its next parked job
/// (back to the end of its stream). A group held by another job is left alone:
/// that job wakes the next one when it finishes.
macro_rules! release_group {
    () => {
        r#"
local function release_group(p, g, id, me)
  if not g then return end
  local gk = p .. 'group:' .. g
  local owner = redis.call('GET', gk)
  if owner then
    local mine
    if me then mine = owner == me else mine = string.sub(owner, 1, #id + 1) == id .. ' ' end
    if not mine then return end
    redis.call('DEL', gk)
  end
  local wk = p .. 'gwait:' .. g
  while true do
    local nxt = redis.call('LPOP', wk)
    if not nxt then return end
    local f = redis.call('HMGET', p .. 'job:' .. nxt, 'status', 'queue', 'priority')
    if f[1] == 'queued' then
      redis.call('XADD', p .. 'q:' .. f[2] .. ':' .. f[3], '*', 'id', nxt)
      return
    end
  end
end
"#
    };
}

/// Acknowledge succeeded jobs given in ARGV from `from` on (stream, entry, id,
/// consumer, result per job), with one XACK and one XDEL per stream for the
/// lot. A job finished elsewhere keeps its outcome ("finished is final").
/// Needs `release_group`.
macro_rules! complete_jobs {
    () => {
        r#"
local function complete_jobs(g, now, keep, p, from)
  local acks, order = {}, {}
  for i = from, #ARGV, 5 do
    local stream, entry, id = ARGV[i], ARGV[i + 1], ARGV[i + 2]
    local h = p .. 'job:' .. id
    -- A record that is not a hash (damaged by hand) must not fail the fetch
    -- this rides along with: its entry is still acknowledged.
    local f = redis.pcall('HMGET', h, 'status', 'run_after', 'group')
    if f.err then f = {} end
    if f[1] and f[1] ~= 'succeeded' and f[1] ~= 'dead' then
      redis.call('HSET', h, 'status', 'succeeded', 'result', ARGV[i + 4],
        'finished_at', now, 'updated_at', now)
      if f[2] then redis.call('HDEL', h, 'run_after') end
      redis.call('PEXPIRE', h, keep)
    end
    release_group(p, f[3], id, id .. ' ' .. ARGV[i + 3])
    if not acks[stream] then
      acks[stream] = {}
      order[#order + 1] = stream
    end
    local a = acks[stream]
    a[#a + 1] = entry
  end
  for _, s in ipairs(order) do
    redis.call('XACK', s, g, unpack(acks[s]))
    redis.call('XDEL', s, unpack(acks[s]))
  end
end
"#
    };
}

/// Enqueue jobs, each as before: record, index entry, and stream entry (or
/// delayed entry), many per call. ARGV: idem_ttl_ms, now, prefix, n, then per
/// job: id, stream, idempotency key ('' for none), due, field count, fields...
/// Returns id, duplicate (0 or 1) per job.
pub(super) const ENQUEUE: &str = r#"
local ttl, now, p, n = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local seq = redis.call('INCRBY', p .. 'seq', n) - n
local out, index = {}, {}
local i = 5
for _ = 1, n do
  local id, stream, idem, due, nf = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], tonumber(ARGV[i + 4])
  local first = i + 5
  i = first + nf
  local existing = false
  if idem ~= '' then
    existing = redis.call('GET', p .. 'idem:' .. idem)
    if not existing then redis.call('SET', p .. 'idem:' .. idem, id, 'PX', ttl) end
  end
  if existing then
    out[#out + 1] = existing
    out[#out + 1] = 1
  else
    local fields = {}
    for j = first, i - 1 do fields[#fields + 1] = ARGV[j] end
    if tonumber(due) > now then
      fields[#fields + 1] = 'run_after'
      fields[#fields + 1] = due
      redis.call('ZADD', p .. 'delayed', due, id)
    else
      redis.call('XADD', stream, '*', 'id', id)
    end
    redis.call('HSET', p .. 'job:' .. id, unpack(fields))
    -- Scored by a counter: enqueue order even within one millisecond.
    seq = seq + 1
    index[#index + 1] = seq
    index[#index + 1] = id
    out[#out + 1] = id
    out[#out + 1] = 0
  end
end
if #index > 0 then redis.call('ZADD', p .. 'jobs', unpack(index)) end
return out
"#;

/// The start of one delivered entry, shared by START and READ: read the record
/// once (HGETALL), then mark it running and append entry + the record as read
/// (a JSON object of its fields)
/// to `out` (with the stream first when `with_stream`); or drop the entry when
/// stale (finished, gone, or out of attempts: a poison job), or park the job
/// when another job of its group runs (no attempt counted, no slot taken).
macro_rules! start_one {
    () => {
        concat!(
            release_group!(),
            r#"
local function start_one(stream, group, now, worker, p, vis, entry, id, out, with_stream)
  local h = p .. 'job:' .. id
  local all = redis.call('HGETALL', h)
  local r = {}
  for j = 1, #all, 2 do r[all[j]] = all[j + 1] end
  local drop = (not r.status) or r.status == 'succeeded' or r.status == 'dead'
  if not drop and tonumber(r.attempts) >= tonumber(r.max_attempts) then
    -- Every holder died mid-job: a poison job; stop handing it out.
    redis.call('HSET', h, 'status', 'dead', 'finished_at', now, 'updated_at', now,
      'last_error', 'worker stopped while running the job (' .. r.attempts .. ' attempts); not retried again')
    redis.call('ZADD', p .. 'dead:' .. r.queue, now, id)
    release_group(p, r.group, id, false)
    drop = true
  end
  if not drop and r.group then
    local gk = p .. 'group:' .. r.group
    local owner = redis.call('GET', gk)
    if owner and string.sub(owner, 1, #id + 1) ~= id .. ' ' then
      redis.call('RPUSH', p .. 'gwait:' .. r.group, id)
      if r.status ~= 'queued' then
        redis.call('HSET', h, 'status', 'queued', 'updated_at', now)
      end
      drop = true
    else
      redis.call('SET', gk, id .. ' ' .. worker, 'PX', vis)
    end
  end
  if drop then
    redis.call('XACK', stream, group, entry)
    redis.call('XDEL', stream, entry)
    return
  end
  redis.call('HSET', h, 'status', 'running', 'attempts', tonumber(r.attempts) + 1,
    'started_at', now, 'updated_at', now, 'heartbeat_at', now, 'worker', worker)
  if r.run_after then redis.call('HDEL', h, 'run_after') end
  -- The record as read, as one JSON object (cheaper to send and to parse
  -- than a list of fields): the client applies what was just set.
  if with_stream then out[#out + 1] = stream end
  out[#out + 1] = entry
  out[#out + 1] = cjson.encode(r)
end
"#
        )
    };
}

/// Mark delivered entries running (or drop stale ones). KEYS: stream.
/// ARGV: group, now, worker, prefix, visibility_ms, then entry/id pairs.
/// Returns entry, record pairs.
pub(super) const START: &str = concat!(
    start_one!(),
    r#"
local out = {}
for i = 6, #ARGV, 2 do
  start_one(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[i], ARGV[i + 1], out, false)
end
return out
"#
);

/// Acknowledge the worker's just-succeeded jobs (as COMPLETE), then read new
/// entries of the streams in order (non-blocking) and start them, in one round
/// trip. KEYS: streams. ARGV: group, now, worker, prefix, max, visibility_ms,
/// retention_ms, then per succeeded job: stream, entry, id, consumer, result.
/// Returns stream, entry, record triples.
pub(super) const READ: &str = concat!(
    start_one!(),
    complete_jobs!(),
    r#"
complete_jobs(ARGV[1], ARGV[2], ARGV[7], ARGV[4], 8)
local out = {}
local want = tonumber(ARGV[5])
local taken = 0
for k = 1, #KEYS do
  -- Parked or stale entries free their place: read on until `want` jobs
  -- started or the stream has no more.
  while taken < want do
    local count = want - taken
    local r = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[3], 'COUNT', count,
      'STREAMS', KEYS[k], '>')
    if not r then break end
    local entries = r[1][2]
    for _, e in ipairs(entries) do
      local id = '-'
      local f = e[2]
      if f then
        for j = 1, #f, 2 do
          if f[j] == 'id' then id = f[j + 1] end
        end
      end
      local before = #out
      start_one(KEYS[k], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[6], e[1], id, out, true)
      if #out > before then taken = taken + 1 end
    end
    if #entries < count then break end
  end
end
return out
"#
);

/// Acknowledge succeeded jobs, many per call. ARGV: group, now, retention_ms,
/// prefix, then per job: stream, entry, id, consumer, result.
pub(super) const COMPLETE: &str = concat!(
    release_group!(),
    complete_jobs!(),
    r#"
complete_jobs(ARGV[1], ARGV[2], ARGV[3], ARGV[4], 5)
return 1
"#
);

/// KEYS: job, stream, delayed. ARGV: group, entry, now, error, due, retryable, prefix, id, consumer.
pub(super) const FAIL: &str = concat!(
    release_group!(),
    r#"
local st = redis.call('HMGET', KEYS[1], 'status', 'attempts', 'max_attempts', 'queue', 'group')
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
release_group(ARGV[7], st[5], ARGV[8], ARGV[8] .. ' ' .. ARGV[9])
redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[2], ARGV[2])
return outcome
"#
);

/// KEYS: job, stream. ARGV: group, entry, now, id, prefix, consumer.
pub(super) const RELEASE: &str = concat!(
    release_group!(),
    r#"
local st = redis.call('HMGET', KEYS[1], 'status', 'attempts', 'group')
release_group(ARGV[5], st[3], ARGV[4], ARGV[4] .. ' ' .. ARGV[6])
if st[1] == 'running' then
  redis.call('HSET', KEYS[1], 'status', 'queued', 'updated_at', ARGV[3],
    'attempts', math.max(0, tonumber(st[2]) - 1))
  redis.call('XADD', KEYS[2], '*', 'id', ARGV[4])
end
redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[2], ARGV[2])
return 1
"#
);

/// Reset the idle time of an entry we still own, note it on the record and
/// renew the job's group lease (taking it again if it lapsed and nobody took it).
/// KEYS: stream, job. ARGV: group, entry, consumer, now, prefix, visibility_ms, id.
pub(super) const HEARTBEAT: &str = r#"
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)
if #p == 0 or p[1][2] ~= ARGV[3] then return 0 end
redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[3], 0, ARGV[2], 'JUSTID')
local f = redis.call('HMGET', KEYS[2], 'status', 'group')
if f[1] == 'running' then
  redis.call('HSET', KEYS[2], 'heartbeat_at', ARGV[4])
end
if f[2] then
  local gk = ARGV[5] .. 'group:' .. f[2]
  local me = ARGV[7] .. ' ' .. ARGV[3]
  local owner = redis.call('GET', gk)
  if owner == me then
    redis.call('PEXPIRE', gk, ARGV[6])
  elseif not owner then
    redis.call('SET', gk, me, 'PX', ARGV[6])
  end
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
