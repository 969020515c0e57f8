//! Lua scripts of the Valkey backend. Each state change is one script so that a
//! job's record, its stream entry, its group lease and the indexes never
//! disagree, whatever dies when. Keys are `PREFIX job:ID` (hash),
//! `PREFIX q:QUEUE:PRIORITY` (stream), `PREFIX delayed` (zset),
//! `PREFIX dead:QUEUE` (zset), `PREFIX jobs` (zset), `PREFIX idem:KEY`,
//! `PREFIX group:GROUP` (string: the lease of the group's running job, `ID
//! CONSUMER`, expiring after the visibility timeout unless heartbeated) and
//! `PREFIX gwait:GROUP` (list: ids of jobs parked while their group was busy).
//!
//! A stream entry carries what a worker needs of the record (`id`, `kind`,
//! `payload`, `att`: attempts before this entry, `max`, `at`: created, and
//! `idem`, `group`, `err` when set), and the record names its entry (`entry`):
//! a job starts without touching its hash. While its entry is pending the job
//! runs; the consumer group's pending list says who holds it, since when (idle
//! time) and how often it was delivered (attempts = `att` + deliveries).
//! Entries of the earlier layout (only `id`) start as before: the record read,
//! marked running, its attempts counted on the hash.
//!
//! Scripts that handle many jobs build job keys from the prefix: the backend
//! runs on one server, not a cluster.

/// Add job `id` to the end of its stream, the entry carrying its record as
/// it stands (attempts included), and note the entry on the record, queued.
macro_rules! requeue {
    () => {
        r#"
local function requeue(p, id, now)
  local h = p .. 'job:' .. id
  local f = redis.call('HMGET', h, 'kind', 'payload', 'attempts', 'max_attempts',
    'created_at', 'queue', 'priority', 'idem', 'group', 'last_error')
  local e = {'id', id, 'kind', f[1], 'payload', f[2], 'att', f[3], 'max', f[4], 'at', f[5]}
  if f[8] then e[#e + 1] = 'idem'; e[#e + 1] = f[8] end
  if f[9] then e[#e + 1] = 'group'; e[#e + 1] = f[9] end
  if f[10] then e[#e + 1] = 'err'; e[#e + 1] = f[10] end
  local entry = redis.call('XADD', p .. 'q:' .. f[6] .. ':' .. f[7], '*', unpack(e))
  redis.call('HSET', h, 'status', 'queued', 'entry', entry, 'updated_at', now)
  redis.call('HDEL', h, 'started_at', 'heartbeat_at')
end
"#
    };
}

/// Free group `g` when `me` (`ID CONSUMER`) holds it, or, with `me` false, when
/// any holder of job `id` does (or nobody does); then wake its next parked job
/// (back to the end of its stream). A group held by another job is left alone:
/// that job wakes the next one when it finishes.
macro_rules! release_group {
    () => {
        concat!(
            requeue!(),
            r#"
local function release_group(p, g, id, me, now)
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
    if redis.call('HGET', p .. 'job:' .. nxt, 'status') == 'queued' then
      requeue(p, nxt, now)
      return
    end
  end
end
"#
        )
    };
}

/// Acknowledge succeeded jobs given in ARGV from `from` on (stream, entry, id,
/// consumer, result, attempts, started_at per job), with one XACK and one XDEL
/// per stream for the lot. A job finished elsewhere keeps its outcome
/// ("finished is final"). Needs `release_group`.
macro_rules! complete_jobs {
    () => {
        r#"
local function complete_jobs(g, now, keep, p, from)
  local acks, order = {}, {}
  for i = from, #ARGV, 7 do
    local stream, entry, id = ARGV[i], ARGV[i + 1], ARGV[i + 2]
    local h = p .. 'job:' .. id
    -- A record that is not a hash (damaged by hand) must not fail the fetch
    -- this rides along with: its entry is still acknowledged.
    local f = redis.pcall('HMGET', h, 'status', 'group')
    if f.err then f = {} end
    if f[1] and f[1] ~= 'succeeded' and f[1] ~= 'dead' then
      redis.call('HSET', h, 'status', 'succeeded', 'result', ARGV[i + 4],
        'finished_at', now, 'updated_at', now, 'attempts', ARGV[i + 5],
        'worker', ARGV[i + 3], 'started_at', ARGV[i + 6])
      redis.call('PEXPIRE', h, keep)
    end
    release_group(p, f[2], id, id .. ' ' .. ARGV[i + 3], now)
    local a = acks[stream]
    if not a then
      a = {}
      acks[stream] = a
      order[#order + 1] = stream
    end
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
/// (`kind`, `payload`, `max_attempts` and `created_at` among them).
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
    local fields, r = {}, {}
    for j = first, i - 1, 2 do
      fields[#fields + 1] = ARGV[j]
      fields[#fields + 1] = ARGV[j + 1]
      r[ARGV[j]] = ARGV[j + 1]
    end
    if tonumber(due) > now then
      fields[#fields + 1] = 'run_after'
      fields[#fields + 1] = due
      redis.call('ZADD', p .. 'delayed', due, id)
    else
      local e = {'id', id, 'kind', r.kind, 'payload', r.payload, 'att', '0',
        'max', r.max_attempts, 'at', r.created_at}
      if r.idem then e[#e + 1] = 'idem'; e[#e + 1] = r.idem end
      if r.group then e[#e + 1] = 'group'; e[#e + 1] = r.group end
      fields[#fields + 1] = 'entry'
      fields[#fields + 1] = redis.call('XADD', stream, '*', unpack(e))
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

/// The start of one delivered entry that is not simply handed out (START):
/// an entry of a job with a group, out of attempts, taken over, or of the
/// earlier layout. Append entry + what the worker needs: the entry's fields
/// with `d`, the deliveries, added; for an entry of the earlier layout, the record as read
/// (a JSON object), marked running. Or drop the entry when stale (finished,
/// gone, or out of attempts: a poison job), or park the job when another job
/// of its group runs (no attempt counted, no slot taken).
/// `f`: the entry's fields (nil when it is gone); `d`: its deliveries.
macro_rules! start_one {
    () => {
        concat!(
            release_group!(),
            r#"
local function start_one(stream, group, now, worker, p, vis, entry, f, d, out)
  local e = {}
  if f then for j = 1, #f, 2 do e[f[j]] = f[j + 1] end end
  local id = e.id or '-'
  local h = p .. 'job:' .. id
  -- r: what may have changed since the entry was written (finished
  -- elsewhere, removed); for an entry of the earlier layout, the whole record.
  local r, before, max, g
  if e.kind then
    local st = redis.call('HMGET', h, 'status', 'queue')
    r = {status = st[1], queue = st[2]}
    before, max, g = tonumber(e.att) + d - 1, tonumber(e.max), e.group
  else
    local all = redis.call('HGETALL', h)
    r = {}
    for j = 1, #all, 2 do r[all[j]] = all[j + 1] end
    before, max, g = tonumber(r.attempts), tonumber(r.max_attempts), r.group
  end
  local drop = (not r.status) or r.status == 'succeeded' or r.status == 'dead'
  if not drop and before >= max then
    -- Every holder died mid-job: a poison job; stop handing it out.
    redis.call('HSET', h, 'status', 'dead', 'attempts', before, 'finished_at', now,
      'updated_at', now, 'last_error',
      'worker stopped while running the job (' .. before .. ' attempts); not retried again')
    redis.call('ZADD', p .. 'dead:' .. r.queue, now, id)
    release_group(p, g, id, false, now)
    drop = true
  end
  if not drop and g then
    local gk = p .. 'group:' .. g
    local owner = redis.call('GET', gk)
    if owner and string.sub(owner, 1, #id + 1) ~= id .. ' ' then
      redis.call('RPUSH', p .. 'gwait:' .. g, id)
      redis.call('HSET', h, 'status', 'queued', 'attempts', before, 'updated_at', now)
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
  out[#out + 1] = entry
  if e.kind then
    if d > 1 then
      -- Taken over: note since when this worker runs it.
      redis.call('HSET', h, 'worker', worker, 'started_at', now, 'heartbeat_at', now)
    end
    f[#f + 1] = 'd'
    f[#f + 1] = d
    out[#out + 1] = f
    return
  end
  redis.call('HSET', h, 'status', 'running', 'attempts', before + 1,
    'started_at', now, 'updated_at', now, 'heartbeat_at', now, 'worker', worker)
  if r.run_after then redis.call('HDEL', h, 'run_after') end
  -- The record as read, as one JSON object: the client applies what was just set.
  out[#out + 1] = cjson.encode(r)
end
"#
        )
    };
}

/// Start delivered entries (taken over, or read by a blocking read), or drop
/// stale ones. KEYS: stream. ARGV: group, now, worker, prefix, visibility_ms,
/// then entry ids. Returns entry, fields (or record) pairs.
pub(super) const START: &str = concat!(
    start_one!(),
    r#"
local out = {}
for i = 6, #ARGV do
  local entry = ARGV[i]
  local f, d = nil, 1
  local r = redis.call('XRANGE', KEYS[1], entry, entry)
  if r[1] then f = r[1][2] end
  local pend = redis.call('XPENDING', KEYS[1], ARGV[1], entry, entry, 1)
  if pend[1] then d = tonumber(pend[1][4]) end
  start_one(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], entry, f, d, out)
end
return out
"#
);

/// Hand back entries of one stream just read but not wanted, as if never
/// read: when nobody read past them (the group's last delivered id is still
/// the last of them), take them off the pending list and move the group back
/// to `back_to`, the id just before them. KEYS: stream. ARGV: group,
/// back_to, then the entries in order. Returns 1, or 0 when others read on.
pub(super) const UNREAD: &str = r#"
local last = nil
for _, g in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
  local name, at = nil, nil
  for j = 1, #g, 2 do
    if g[j] == 'name' then name = g[j + 1] elseif g[j] == 'last-delivered-id' then at = g[j + 1] end
  end
  if name == ARGV[1] then last = at end
end
if last ~= ARGV[#ARGV] then return 0 end
redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, 3))
redis.call('XGROUP', 'SETID', KEYS[1], ARGV[1], ARGV[2])
return 1
"#;

/// Acknowledge succeeded jobs, many per call. ARGV: group, now, retention_ms,
/// prefix, then per job: stream, entry, id, consumer, result, attempts, started_at.
pub(super) const COMPLETE: &str = concat!(
    release_group!(),
    complete_jobs!(),
    r#"
complete_jobs(ARGV[1], ARGV[2], ARGV[3], ARGV[4], 5)
return 1
"#
);

/// Attempts of a job whose entry `entry` ends now without success: the
/// record's count, plus, for a record that names its entry (`named`), the
/// entry's deliveries (at least this one).
macro_rules! attempts_now {
    () => {
        r#"
local function attempts_now(stream, group, entry, att, named)
  local n = tonumber(att) or 0
  if not named then return n end
  local pend = redis.call('XPENDING', stream, group, entry, entry, 1)
  if pend[1] then return n + tonumber(pend[1][4]) end
  return n + 1
end
"#
    };
}

/// KEYS: job, stream, delayed. ARGV: group, entry, now, error, due, retryable, prefix, id, consumer.
pub(super) const FAIL: &str = concat!(
    release_group!(),
    attempts_now!(),
    r#"
local st = redis.call('HMGET', KEYS[1], 'status', 'attempts', 'max_attempts', 'queue', 'group', 'entry')
local outcome = 'ignored'
if st[1] and st[1] ~= 'succeeded' and st[1] ~= 'dead' then
  local att = attempts_now(KEYS[2], ARGV[1], ARGV[2], st[2], st[6])
  if ARGV[6] == '1' and att < tonumber(st[3]) then
    redis.call('HSET', KEYS[1], 'status', 'failed', 'last_error', ARGV[4],
      'run_after', ARGV[5], 'updated_at', ARGV[3], 'attempts', att)
    redis.call('ZADD', KEYS[3], ARGV[5], ARGV[8])
    outcome = 'retry'
  else
    redis.call('HSET', KEYS[1], 'status', 'dead', 'last_error', ARGV[4],
      'finished_at', ARGV[3], 'updated_at', ARGV[3], 'attempts', att)
    redis.call('HDEL', KEYS[1], 'run_after')
    redis.call('ZADD', ARGV[7] .. 'dead:' .. st[4], ARGV[3], ARGV[8])
    outcome = 'dead'
  end
end
release_group(ARGV[7], st[5], ARGV[8], ARGV[8] .. ' ' .. ARGV[9], ARGV[3])
redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[2], ARGV[2])
return outcome
"#
);

/// Hand a job back unfinished (no attempt counted): a new entry at the end of
/// its stream, when `consumer` still holds `entry`.
/// KEYS: job, stream. ARGV: group, entry, now, id, prefix, consumer.
pub(super) const RELEASE: &str = concat!(
    release_group!(),
    attempts_now!(),
    r#"
local st = redis.call('HMGET', KEYS[1], 'status', 'attempts', 'group', 'entry')
release_group(ARGV[5], st[3], ARGV[4], ARGV[4] .. ' ' .. ARGV[6], ARGV[3])
local pend = redis.call('XPENDING', KEYS[2], ARGV[1], ARGV[2], ARGV[2], 1)
local held = pend[1] and pend[1][2] == ARGV[6]
if held and (st[1] == 'running' or (st[4] and st[1] == 'queued')) then
  -- This run does not count; deliveries before it died and do.
  local att = attempts_now(KEYS[2], ARGV[1], ARGV[2], st[2], st[4]) - 1
  redis.call('HSET', KEYS[1], 'attempts', math.max(0, att))
  requeue(ARGV[5], ARGV[4], ARGV[3])
end
redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[2], ARGV[2])
return 1
"#
);

/// Reset the idle time of an entry we still own, note it on the record and
/// renew the job's group lease (taking it again if it lapsed and nobody took it).
/// A record that names its entry gets this worker and the run's start (the
/// entry's idle time before this heartbeat) at its first heartbeat.
/// KEYS: stream, job. ARGV: group, entry, consumer, now, prefix, visibility_ms, id.
pub(super) const HEARTBEAT: &str = r#"
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)
if #p == 0 or p[1][2] ~= ARGV[3] then return 0 end
redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[3], 0, ARGV[2], 'JUSTID')
local f = redis.call('HMGET', KEYS[2], 'status', 'group', 'entry', 'worker', 'started_at')
if f[1] == 'running' then
  redis.call('HSET', KEYS[2], 'heartbeat_at', ARGV[4])
elseif f[1] == 'queued' and f[3] then
  if f[4] ~= ARGV[3] or not f[5] then
    redis.call('HSET', KEYS[2], 'heartbeat_at', ARGV[4], 'worker', ARGV[3],
      'started_at', tonumber(ARGV[4]) - tonumber(p[1][3]))
  else
    redis.call('HSET', KEYS[2], 'heartbeat_at', ARGV[4])
  end
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
pub(super) const PROMOTE: &str = concat!(
    requeue!(),
    r#"
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[3])
local moved = 0
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[1], id)
  local h = ARGV[2] .. 'job:' .. id
  local st = redis.call('HGET', h, 'status')
  if st == 'queued' or st == 'failed' then
    redis.call('HDEL', h, 'run_after')
    requeue(ARGV[2], id, ARGV[1])
    moved = moved + 1
  end
end
return moved
"#
);

/// KEYS: job, delayed. ARGV: now, prefix, id. Returns 'ok', 'missing' or the status.
pub(super) const RETRY: &str = concat!(
    requeue!(),
    r#"
local f = redis.call('HMGET', KEYS[1], 'status', 'queue')
if not f[1] then return 'missing' end
if f[1] ~= 'dead' and f[1] ~= 'failed' then return f[1] end
redis.call('ZREM', ARGV[2] .. 'dead:' .. f[2], ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[3])
redis.call('HSET', KEYS[1], 'attempts', 0)
redis.call('HDEL', KEYS[1], 'finished_at', 'run_after', 'last_error', 'result')
redis.call('PERSIST', KEYS[1])
requeue(ARGV[2], ARGV[3], ARGV[1])
return 'ok'
"#
);

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
