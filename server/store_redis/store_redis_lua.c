/* store_redis_lua.c - the Redis store's Lua scripts, one per op.
 *
 * Redis runs a script atomically (no other command runs in between), so
 * every read-then-write rule of an op lives in its script and holds across
 * all the nodes sharing the Redis. Every script starts with the feed
 * append of redis_feed.h and the prelude below; keys are built from the
 * prefix in ARGV[1] (one Redis, not Cluster). The data model is written
 * down in docs/architecture.md, "The Redis store". */
#include "redis/redis_feed.h"
#include "store_redis/store_redis_internal.h"

/* Helpers every script shares (ARGV[1] prefix, ARGV[2] now). */
/* clang-format off */
#define PRELUDE \
    "-- every script: ARGV[1] the key prefix, ARGV[2] now (ms), then the op's own\n" \
    "local P, NOW, NOWS = ARGV[1], tonumber(ARGV[2]), ARGV[2]\n" \
    "local FEED_PREFIX = 'a:' -- EDGE_STORE_FEED_PREFIX: feeds that are no participant\n" \
    "local function event(feed, cid, t, d)\n" \
    "  return feed_append(P .. 'seq', P .. 'fanout', 100000, P .. 'feed:' .. feed, feed, cid, t, d, NOWS)\n" \
    "end\n" \
    "local function unring(id, agent)\n" \
    "  redis.call('ZREM', P .. 'callsr', id)\n" \
    "  if agent and agent ~= '' and redis.call('HGET', P .. 'ringing', agent) == id then\n" \
    "    redis.call('HDEL', P .. 'ringing', agent)\n" \
    "  end\n" \
    "end\n" \
    "local function ring(id, agent)\n" \
    "  redis.call('HSET', P .. 'c:' .. id, 'state', 'ringing', 'offered', agent, 'updated', NOWS)\n" \
    "  redis.call('HSET', P .. 'ringing', agent, id)\n" \
    "  if redis.call('HGET', P .. 'c:' .. id, 'kind') == 'call' then redis.call('ZADD', P .. 'callsr', NOW, id) end\n" \
    "end\n" \
    "-- queue members sort by score (priority, then creation) and then by an\n" \
    "-- insertion counter, as SQLite's rowid does\n" \
    "local function enqueue(ck, queue, prio, id, created)\n" \
    "  local n = redis.call('INCR', P .. 'qseq')\n" \
    "  local m = string.format('%016d:', n) .. id\n" \
    "  redis.call('ZADD', P .. 'q:' .. queue, tonumber(prio) * 1e13 + tonumber(created), m)\n" \
    "  redis.call('SADD', P .. 'queues', queue)\n" \
    "  redis.call('HSET', ck, 'qm', m)\n" \
    "end\n" \
    "local function unqueue(ck, queue)\n" \
    "  local m = redis.call('HGET', ck, 'qm')\n" \
    "  if m and m ~= '' then\n" \
    "    redis.call('ZREM', P .. 'q:' .. queue, m)\n" \
    "    redis.call('HSET', ck, 'qm', '')\n" \
    "    if redis.call('ZCARD', P .. 'q:' .. queue) == 0 then redis.call('SREM', P .. 'queues', queue) end\n" \
    "  end\n" \
    "end\n" \
    "local function queue_id(m) return string.sub(m, 18) end\n" \
    "local function route_check(r, email)\n" \
    "  local h = redis.call('HMGET', r, 'email', 'used', 'expires')\n" \
    "  if not h[1] then return -1 end\n" \
    "  if string.lower(h[1]) ~= string.lower(email) then return -5 end\n" \
    "  if h[2] ~= '0' then return -2 end\n" \
    "  if NOW >= tonumber(h[3]) then return -4 end\n" \
    "  return 0\n" \
    "end\n" \
    "local function msg_append(cid, pid, role, dname, ctype, content, mid)\n" \
    "  return redis.call('RPUSH', P .. 'm:' .. cid, cjson.encode({mid, pid, role, dname, ctype, content, NOWS}))\n" \
    "end\n" \
    "local function msg_out(cid, seq, text)\n" \
    "  local e = cjson.decode(text)\n" \
    "  return {e[1], cid, e[2], e[3], e[4], e[5], e[6], tostring(seq), e[7]}\n" \
    "end\n" \
    "local function new_contact(cid, pid, kind, sub, name, email, queue, prio, prev, hasattrs, attrs, dname, to)\n" \
    "  local ck = P .. 'c:' .. cid\n" \
    "  local c = {'id', cid, 'kind', kind, 'state', 'queued', 'queue', queue, 'prio', prio, 'sub', sub,\n" \
    "    'name', name, 'email', email, 'offered', '', 'agent', '', 'prev', prev, 'reason', '',\n" \
    "    'created', NOWS, 'updated', NOWS, 'ended', '0', 'away', NOWS, 'cust', pid, 'to', to}\n" \
    "  if hasattrs == '1' then c[#c + 1] = 'attrs'; c[#c + 1] = attrs end\n" \
    "  redis.call('HSET', ck, unpack(c))\n" \
    "  redis.call('HSET', P .. 'p:' .. pid, 'id', pid, 'contact', cid, 'role', 'customer', 'sub', sub,\n" \
    "    'dname', dname, 'joined', NOWS, 'left', '0', 'away', NOWS)\n" \
    "  redis.call('RPUSH', P .. 'cp:' .. cid, pid)\n" \
    "  enqueue(ck, queue, prio, cid, NOW)\n" \
    "  redis.call('SADD', P .. 'openc', cid)\n" \
    "  if kind == 'call' then redis.call('ZADD', P .. 'callsopen', NOW, cid) end\n" \
    "  if prev ~= '' then redis.call('HSET', P .. 'c:' .. prev, 'next', cid) end\n" \
    "end\n" \
    "local function contacts(ids, from_queue)\n" \
    "  local out = {}\n" \
    "  for i, m in ipairs(ids) do\n" \
    "    out[i] = redis.call('HGETALL', P .. 'c:' .. (from_queue and queue_id(m) or m))\n" \
    "  end\n" \
    "  return out\n" \
    "end\n" \
    "local function agent_rows(subs)\n" \
    "  local out = {}\n" \
    "  for i, a in ipairs(subs) do\n" \
    "    local h = redis.call('HMGET', P .. 'ag:' .. a, 'avail', 'away')\n" \
    "    out[i] = {a, h[1] or '0', h[2] or '0'}\n" \
    "  end\n" \
    "  return out\n" \
    "end\n" \
    "-- the customer's stream state, on the participant and mirrored on its contact\n" \
    "local function set_away(pid, cid, role, away)\n" \
    "  redis.call('HSET', P .. 'p:' .. pid, 'away', away)\n" \
    "  if role == 'customer' then redis.call('HSET', P .. 'c:' .. cid, 'away', away) end\n" \
    "end\n" \
    "local function replace_all(s, pat, rep)\n" \
    "  local out, i = {}, 1\n" \
    "  while true do\n" \
    "    local a, b = string.find(s, pat, i, true)\n" \
    "    if not a then break end\n" \
    "    out[#out + 1] = string.sub(s, i, a - 1)\n" \
    "    out[#out + 1] = rep\n" \
    "    i = b + 1\n" \
    "  end\n" \
    "  out[#out + 1] = string.sub(s, i)\n" \
    "  return table.concat(out)\n" \
    "end\n"

#define SCRIPT(body) EDGE_REDIS_FEED_APPEND_LUA PRELUDE body

static const char *const LUA[RS_SCRIPT_COUNT] = {
    [RS_CHAT_START] = SCRIPT(
        "-- sub name email dname queue prio hasattrs attrs initial route cid pid mid\n"
        "local sub, email, queue, prio = ARGV[3], ARGV[5], ARGV[7], tonumber(ARGV[8])\n"
        "local route, cid, pid, aname = ARGV[12], ARGV[13], ARGV[14], ''\n"
        "local open = redis.call('GET', P .. 'open:' .. sub)\n"
        "if open then\n"
        "  local h = redis.call('HMGET', P .. 'c:' .. open, 'state', 'cust')\n"
        "  if h[1] and h[1] ~= 'ended' then\n"
        "    return {0, 1, redis.call('HGETALL', P .. 'c:' .. open), redis.call('HGETALL', P .. 'p:' .. h[2])}\n"
        "  end\n"
        "end\n"
        "if route ~= '' then\n"
        "  local r = P .. 'r:' .. route\n"
        "  local rc = route_check(r, email)\n"
        "  if rc ~= 0 then return {rc} end\n"
        "  queue = redis.call('HGET', r, 'queue')\n"
        "  prio = 1 -- EDGE_STORE_ROUTE_PRIORITY\n"
        "  redis.call('HSET', r, 'used', NOWS, 'usedby', cid)\n"
        "  aname = redis.call('HGET', P .. 'ag:' .. redis.call('HGET', r, 'agent'), 'name') or ''\n"
        "end\n"
        "local prev = redis.call('GET', P .. 'last:' .. sub) or ''\n"
        "new_contact(cid, pid, 'chat', sub, ARGV[4], email, queue, prio, prev, ARGV[9], ARGV[10], ARGV[6], '')\n"
        "redis.call('SET', P .. 'open:' .. sub, cid)\n"
        "redis.call('SET', P .. 'oc:' .. sub, cid .. '\\t' .. pid .. '\\t' .. prev)\n"
        "if ARGV[11] ~= '' then msg_append(cid, pid, 'customer', ARGV[6], 'text/plain', ARGV[11], ARGV[15]) end\n"
        "return {0, 0, redis.call('HGETALL', P .. 'c:' .. cid), redis.call('HGETALL', P .. 'p:' .. pid), aname}\n"),
    [RS_CALL_START] = SCRIPT(
        "-- sub name email queue prio hasattrs attrs to max_live cid pid\n"
        "local sub, max = ARGV[3], tonumber(ARGV[11])\n"
        "local live = P .. 'live:' .. sub\n"
        "if max > 0 and tonumber(redis.call('GET', live) or '0') >= max then return {-10} end\n"
        "redis.call('INCR', live)\n"
        "local cid, pid = ARGV[12], ARGV[13]\n"
        "new_contact(cid, pid, 'call', sub, ARGV[4], ARGV[5], ARGV[6], tonumber(ARGV[7]), '', ARGV[8], ARGV[9],\n"
        "  ARGV[4], ARGV[10])\n"
        "return {0, redis.call('HGETALL', P .. 'c:' .. cid), redis.call('HGETALL', P .. 'p:' .. pid)}\n"),
    [RS_CONTACT_GET] = SCRIPT(
        "-- id\n"
        "local h = redis.call('HGETALL', P .. 'c:' .. ARGV[3])\n"
        "if #h == 0 then return {-1} end\n"
        "return {0, h}\n"),
    [RS_CONTACT_RING] = SCRIPT(
        "-- id agent\n"
        "local st = redis.call('HGET', P .. 'c:' .. ARGV[3], 'state')\n"
        "if not st then return {-1} end\n"
        "if st ~= 'queued' then return {-3} end\n"
        "ring(ARGV[3], ARGV[4])\n"
        "return {0}\n"),
    [RS_CONTACT_ACCEPT] = SCRIPT(
        "-- id agent agent_name pid: one winner, whoever comes first\n"
        "local id, agent, pid = ARGV[3], ARGV[4], ARGV[6]\n"
        "local ck = P .. 'c:' .. id\n"
        "local h = redis.call('HMGET', ck, 'state', 'offered', 'kind', 'queue', 'created')\n"
        "if not h[1] then return {-1} end\n"
        "if h[1] == 'ended' then return {-3} end\n"
        "if h[1] == 'connected' or (h[1] == 'ringing' and h[2] ~= agent) then return {-2} end\n"
        "unring(id, h[2])\n"
        "unqueue(ck, h[4])\n"
        "redis.call('HSET', ck, 'state', 'connected', 'agent', agent, 'offered', '', 'updated', NOWS)\n"
        "redis.call('HSET', P .. 'p:' .. pid, 'id', pid, 'contact', id, 'role', 'agent', 'sub', agent,\n"
        "  'dname', ARGV[5], 'joined', NOWS, 'left', '0', 'away', NOWS)\n"
        "redis.call('RPUSH', P .. 'cp:' .. id, pid)\n"
        "redis.call('ZADD', P .. 'aopen:' .. agent, tonumber(h[5]), id)\n"
        "redis.call('ZADD', P .. 'ahist:' .. agent, tonumber(h[5]), id)\n"
        "if h[3] == 'call' then redis.call('HINCRBY', P .. 'oncall', agent, 1) end\n"
        "return {0, redis.call('HGETALL', P .. 'p:' .. pid)}\n"),
    [RS_CONTACT_REQUEUE] = SCRIPT(
        "-- id agent ('' = whoever it rings)\n"
        "local ck = P .. 'c:' .. ARGV[3]\n"
        "local h = redis.call('HMGET', ck, 'state', 'offered')\n"
        "if not h[1] then return {-1} end\n"
        "if h[1] == 'ended' then return {-3} end\n"
        "if ARGV[4] ~= '' then\n"
        "  if h[1] ~= 'ringing' or h[2] ~= ARGV[4] then return {-2} end\n"
        "elseif h[1] ~= 'ringing' then\n"
        "  return {-3}\n"
        "end\n"
        "unring(ARGV[3], h[2])\n"
        "redis.call('HSET', ck, 'state', 'queued', 'offered', '', 'updated', NOWS)\n"
        "return {0}\n"),
    [RS_CONTACT_END] = SCRIPT(
        "-- id reason\n"
        "local id = ARGV[3]\n"
        "local ck = P .. 'c:' .. id\n"
        "local h = redis.call('HMGET', ck, 'state', 'kind', 'sub', 'queue', 'agent', 'offered')\n"
        "if not h[1] then return {-1} end\n"
        "if h[1] == 'ended' then return {-3} end\n"
        "unring(id, h[6])\n"
        "unqueue(ck, h[4])\n"
        "redis.call('HSET', ck, 'state', 'ended', 'reason', ARGV[4], 'ended', NOWS, 'updated', NOWS,\n"
        "  'offered', '')\n"
        "if h[2] == 'chat' then\n"
        "  if redis.call('GET', P .. 'open:' .. h[3]) == id then\n"
        "    redis.call('DEL', P .. 'open:' .. h[3], P .. 'oc:' .. h[3])\n"
        "  end\n"
        "  redis.call('SET', P .. 'last:' .. h[3], id)\n"
        "else\n"
        "  redis.call('DECR', P .. 'live:' .. h[3])\n"
        "end\n"
        "redis.call('SREM', P .. 'openc', id)\n"
        "redis.call('ZREM', P .. 'callsopen', id)\n"
        "redis.call('ZADD', P .. 'ended', NOW, id)\n"
        "if h[1] == 'connected' then\n"
        "  redis.call('ZREM', P .. 'aopen:' .. h[5], id)\n"
        "  if h[2] == 'call' then redis.call('HINCRBY', P .. 'oncall', h[5], -1) end\n"
        "end\n"
        "for _, pid in ipairs(redis.call('LRANGE', P .. 'cp:' .. id, 0, -1)) do\n"
        "  if redis.call('HGET', P .. 'p:' .. pid, 'left') == '0' then\n"
        "    redis.call('HSET', P .. 'p:' .. pid, 'left', NOWS)\n"
        "  end\n"
        "end\n"
        "return {0}\n"),
    [RS_QUEUE_LIST] = SCRIPT(
        "-- queue cap (>= 1)\n"
        "return {0, contacts(redis.call('ZRANGE', P .. 'q:' .. ARGV[3], 0, tonumber(ARGV[4]) - 1), true)}\n"),
    [RS_QUEUE_DEPTH] = SCRIPT(
        "-- queue\n"
        "return {0, redis.call('ZCARD', P .. 'q:' .. ARGV[3])}\n"),
    [RS_PARTICIPANT_GET] = SCRIPT(
        "-- pid\n"
        "local h = redis.call('HGETALL', P .. 'p:' .. ARGV[3])\n"
        "if #h == 0 then return {-1} end\n"
        "return {0, h}\n"),
    [RS_PARTICIPANTS_OF] = SCRIPT(
        "-- cid cap (>= 1), customer first\n"
        "local ids = redis.call('LRANGE', P .. 'cp:' .. ARGV[3], 0, tonumber(ARGV[4]) - 1)\n"
        "if #ids == 0 and redis.call('EXISTS', P .. 'c:' .. ARGV[3]) == 0 then return {-1} end\n"
        "local out = {}\n"
        "for i, pid in ipairs(ids) do out[i] = redis.call('HGETALL', P .. 'p:' .. pid) end\n"
        "return {0, out}\n"),
    [RS_MESSAGE_SEND] = SCRIPT(
        "-- pid ctype content token max_count mid event_type data cap placeholder\n"
        "local pid, token = ARGV[3], ARGV[6]\n"
        "local h = redis.call('HMGET', P .. 'p:' .. pid, 'contact', 'role', 'dname')\n"
        "if not h[1] then return {-1} end\n"
        "local cid = h[1]\n"
        "local mk = P .. 'm:' .. cid\n"
        "if token ~= '' then\n"
        "  local seq = redis.call('HGET', P .. 'tok:' .. pid, token)\n"
        "  if seq then return {0, 1, msg_out(cid, seq, redis.call('LINDEX', mk, tonumber(seq) - 1))} end\n"
        "end\n"
        "if redis.call('HGET', P .. 'c:' .. cid, 'state') == 'ended' then return {-3} end\n"
        "local max = tonumber(ARGV[7])\n"
        "if max > 0 and redis.call('LLEN', mk) >= max then return {-11} end\n"
        "local seq = msg_append(cid, pid, h[2], h[3], ARGV[4], ARGV[5], ARGV[8])\n"
        "if token ~= '' then redis.call('HSET', P .. 'tok:' .. pid, token, seq) end\n"
        "local ids, pids, data, cap = {}, {}, '', tonumber(ARGV[11])\n"
        "if cap > 0 then\n"
        "  data = replace_all(ARGV[10], ARGV[12], tostring(seq))\n"
        "  for i, to in ipairs(redis.call('LRANGE', P .. 'cp:' .. cid, 0, cap - 1)) do\n"
        "    ids[i] = event(to, cid, ARGV[9], data)\n"
        "    pids[i] = to\n"
        "  end\n"
        "end\n"
        "return {0, 0, msg_out(cid, seq, redis.call('LINDEX', mk, seq - 1)), ids, data, pids}\n"),
    [RS_TRANSCRIPT] = SCRIPT(
        "-- cid after_seq cap (>= 1)\n"
        "local cid, after, cap = ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])\n"
        "local items = redis.call('LRANGE', P .. 'm:' .. cid, after, after + cap)\n"
        "if #items == 0 and redis.call('EXISTS', P .. 'c:' .. cid) == 0 then return {-1} end\n"
        "local out = {}\n"
        "for i = 1, math.min(#items, cap) do out[i] = msg_out(cid, after + i, items[i]) end\n"
        "return {0, #items > cap and 1 or 0, out}\n"),
    [RS_EVENTS_ADD] = SCRIPT(
        "-- n, then feed contact type data per event: all or none\n"
        "local n = tonumber(ARGV[3])\n"
        "for i = 1, n do\n"
        "  local f = ARGV[4 + (i - 1) * 4]\n"
        "  if string.sub(f, 1, #FEED_PREFIX) ~= FEED_PREFIX and redis.call('EXISTS', P .. 'p:' .. f) == 0 then\n"
        "    return {-1}\n"
        "  end\n"
        "end\n"
        "local ids = {}\n"
        "for i = 1, n do\n"
        "  local b = 4 + (i - 1) * 4\n"
        "  ids[i] = event(ARGV[b], ARGV[b + 1], ARGV[b + 2], ARGV[b + 3])\n"
        "  if ARGV[b + 1] == '' then redis.call('ZADD', P .. 'unbound', NOW, ARGV[b] .. '\\n' .. ids[i]) end\n"
        "end\n"
        "return {0, ids}\n"),
    [RS_EVENTS_SINCE] = SCRIPT(
        "-- feed after_id cap (>= 1)\n"
        "local f = ARGV[3]\n"
        "if string.sub(f, 1, #FEED_PREFIX) ~= FEED_PREFIX and redis.call('EXISTS', P .. 'p:' .. f) == 0 then\n"
        "  return {-1}\n"
        "end\n"
        "return {0, redis.call('XRANGE', P .. 'feed:' .. f, '(' .. ARGV[4] .. '-0', '+', 'COUNT', ARGV[5])}\n"),
    [RS_EVENTS_LAST_ID] = SCRIPT(
        "-- feed\n"
        "local e = redis.call('XREVRANGE', P .. 'feed:' .. ARGV[3], '+', '-', 'COUNT', 1)\n"
        "if #e == 0 then return {0, '0'} end\n"
        "return {0, string.match(e[1][1], '^(%d+)')}\n"),
    [RS_AGENT_SET_STATUS] = SCRIPT(
        "-- sub name has_name available\n"
        "local sub, avail = ARGV[3], ARGV[6]\n"
        "local k = P .. 'ag:' .. sub\n"
        "local h = redis.call('HMGET', k, 'name', 'away')\n"
        "local name = ARGV[4]\n"
        "if ARGV[5] == '0' then name = h[1] or '' end\n"
        "local away = h[2] or NOWS\n"
        "if h[2] and h[2] ~= '0' and avail == '1' then away = NOWS end\n"
        "redis.call('HSET', k, 'sub', sub, 'name', name, 'avail', avail, 'changed', NOWS, 'away', away)\n"
        "redis.call('SADD', P .. 'agents', sub)\n"
        "if avail == '1' then\n"
        "  redis.call('ZADD', P .. 'avail', NOW, sub)\n"
        "else\n"
        "  redis.call('ZREM', P .. 'avail', sub)\n"
        "end\n"
        "return {0}\n"),
    [RS_AGENTS_AVAILABLE] = SCRIPT(
        "return {0, redis.call('ZCARD', P .. 'avail')}\n"),
    [RS_AGENT_PICK] = SCRIPT(
        "-- exclude contact ('' = only pick): idle longest (then by sub), nothing\n"
        "-- ringing them, no call in progress; with a contact, ring it in the same step\n"
        "local ex, cid = ARGV[3], ARGV[4]\n"
        "if cid ~= '' then\n"
        "  local st = redis.call('HGET', P .. 'c:' .. cid, 'state')\n"
        "  if not st then return {-1} end\n"
        "  if st ~= 'queued' then return {-3} end\n"
        "end\n"
        "for _, a in ipairs(redis.call('ZRANGE', P .. 'avail', 0, -1)) do\n"
        "  if a ~= ex and redis.call('HEXISTS', P .. 'ringing', a) == 0 and\n"
        "     tonumber(redis.call('HGET', P .. 'oncall', a) or '0') <= 0 then\n"
        "    if cid ~= '' then ring(cid, a) end\n"
        "    return {0, a}\n"
        "  end\n"
        "end\n"
        "return {-1}\n"),
    [RS_AGENT_CONTACTS] = SCRIPT(
        "-- sub cap (>= 1) which: 'open' (connected, oldest first) or 'all' (newest first)\n"
        "local cap = tonumber(ARGV[4]) - 1\n"
        "if ARGV[5] == 'open' then\n"
        "  return {0, contacts(redis.call('ZRANGE', P .. 'aopen:' .. ARGV[3], 0, cap), false)}\n"
        "end\n"
        "return {0, contacts(redis.call('ZREVRANGE', P .. 'ahist:' .. ARGV[3], 0, cap), false)}\n"),
    [RS_ROUTE_CREATE] = SCRIPT(
        "-- agent email queue expires, then candidate ids: the first not live wins\n"
        "for i = 7, #ARGV do\n"
        "  local r = P .. 'r:' .. ARGV[i]\n"
        "  local h = redis.call('HMGET', r, 'used', 'expires')\n"
        "  if not h[2] or h[1] ~= '0' or tonumber(h[2]) <= NOW then\n"
        "    redis.call('DEL', r)\n"
        "    redis.call('HSET', r, 'id', ARGV[i], 'agent', ARGV[3], 'email', ARGV[4], 'queue', ARGV[5],\n"
        "      'created', NOWS, 'expires', ARGV[6], 'used', '0', 'usedby', '')\n"
        "    redis.call('ZADD', P .. 'routes', tonumber(ARGV[6]), ARGV[i])\n"
        "    return {0, redis.call('HGETALL', r)}\n"
        "  end\n"
        "end\n"
        "return {-2}\n"),
    [RS_ROUTE_REDEEM] = SCRIPT(
        "-- id email cid: exactly one redeem\n"
        "local r = P .. 'r:' .. ARGV[3]\n"
        "local rc = route_check(r, ARGV[4])\n"
        "if rc ~= 0 then return {rc} end\n"
        "redis.call('HSET', r, 'used', NOWS, 'usedby', ARGV[5])\n"
        "return {0, redis.call('HGETALL', r)}\n"),
    [RS_LIMIT_TAKE] = SCRIPT(
        "-- key max window_ms: fixed windows, each starting with the first take after the last\n"
        "local max, win = tonumber(ARGV[4]), tonumber(ARGV[5])\n"
        "if max == 0 then return {0, 0} end\n"
        "local k = P .. 'lim:' .. ARGV[3]\n"
        "local h = redis.call('HMGET', k, 's', 'n')\n"
        "local s, n = tonumber(h[1]), tonumber(h[2])\n"
        "if not s or NOW >= s + win then s, n = NOW, 0 end\n"
        "if n >= max then return {-10, s + win - NOW} end\n"
        "redis.call('HSET', k, 's', s, 'n', n + 1)\n"
        "redis.call('PEXPIRE', k, win)\n"
        "return {0, 0}\n"),
    [RS_QUEUE_CUSTOMERS] = SCRIPT(
        "-- queue cap (>= 1): {contact, customer, told position, told wait, told at}\n"
        "local out = {}\n"
        "for i, m in ipairs(redis.call('ZRANGE', P .. 'q:' .. ARGV[3], 0, tonumber(ARGV[4]) - 1)) do\n"
        "  local id = queue_id(m)\n"
        "  local h = redis.call('HMGET', P .. 'c:' .. id, 'cust', 'tpos', 'twait', 'tms')\n"
        "  out[i] = {id, h[1] or '', h[2] or '0', h[3] or '0', h[4] or '0'}\n"
        "end\n"
        "return {0, out}\n"),
    [RS_QUEUES_WAITING] = SCRIPT(
        "-- cap (>= 1): names in byte order\n"
        "local names = redis.call('SMEMBERS', P .. 'queues')\n"
        "table.sort(names)\n"
        "local out = {}\n"
        "for i = 1, math.min(#names, tonumber(ARGV[3])) do out[i] = names[i] end\n"
        "return {0, out}\n"),
    [RS_QUEUE_TOLD] = SCRIPT(
        "-- n, then contact position wait_s per entry\n"
        "for i = 1, tonumber(ARGV[3]) do\n"
        "  local b = 4 + (i - 1) * 3\n"
        "  local ck = P .. 'c:' .. ARGV[b]\n"
        "  if redis.call('EXISTS', ck) == 1 then\n"
        "    redis.call('HSET', ck, 'tpos', ARGV[b + 1], 'twait', ARGV[b + 2], 'tms', NOWS)\n"
        "  end\n"
        "end\n"
        "return {0}\n"),
    [RS_QUEUE_FALLBACK] = SCRIPT(
        "-- prefix created_before: queued contacts of matching queues move to '' with their priority\n"
        "local prefix, before, moved = ARGV[3], tonumber(ARGV[4]), 0\n"
        "for _, q in ipairs(redis.call('SMEMBERS', P .. 'queues')) do\n"
        "  if q ~= '' and string.sub(q, 1, #prefix) == prefix then\n"
        "    for _, m in ipairs(redis.call('ZRANGE', P .. 'q:' .. q, 0, -1)) do\n"
        "      local id = queue_id(m)\n"
        "      local ck = P .. 'c:' .. id\n"
        "      local h = redis.call('HMGET', ck, 'state', 'created', 'prio')\n"
        "      if h[1] == 'queued' and tonumber(h[2]) <= before then\n"
        "        unqueue(ck, q)\n"
        "        redis.call('HSET', ck, 'queue', '', 'updated', NOWS)\n"
        "        enqueue(ck, '', h[3], id, h[2])\n"
        "        moved = moved + 1\n"
        "      end\n"
        "    end\n"
        "  end\n"
        "end\n"
        "return {0, moved}\n"),
    [RS_CALLS_SCAN] = SCRIPT(
        "-- which before cap (>= 1): 'waiting' calls queued or ringing created at or before,\n"
        "-- oldest first; 'ringing' calls ringing since at or before, longest first;\n"
        "-- 'gone' open calls whose customer has had no stream since at or before\n"
        "local which, before, cap = ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])\n"
        "local ids, out = {}, {}\n"
        "if which == 'ringing' then\n"
        "  ids = redis.call('ZRANGEBYSCORE', P .. 'callsr', '-inf', before, 'LIMIT', 0, cap)\n"
        "else\n"
        "  ids = redis.call('ZRANGE', P .. 'callsopen', 0, -1)\n"
        "end\n"
        "for _, id in ipairs(ids) do\n"
        "  if #out >= cap then break end\n"
        "  local h = redis.call('HMGET', P .. 'c:' .. id, 'state', 'created', 'away')\n"
        "  local take = which == 'ringing'\n"
        "  if which == 'waiting' then\n"
        "    take = (h[1] == 'queued' or h[1] == 'ringing') and tonumber(h[2]) <= before\n"
        "  elseif which == 'gone' then\n"
        "    local away = tonumber(h[3] or '0')\n"
        "    take = away > 0 and away <= before\n"
        "  end\n"
        "  if take then out[#out + 1] = redis.call('HGETALL', P .. 'c:' .. id) end\n"
        "end\n"
        "return {0, out}\n"),
    [RS_CALL_NEXT_QUEUED] = SCRIPT(
        "-- queue: the first queued (not ringing) call in service order\n"
        "for _, m in ipairs(redis.call('ZRANGE', P .. 'q:' .. ARGV[3], 0, -1)) do\n"
        "  local ck = P .. 'c:' .. queue_id(m)\n"
        "  local h = redis.call('HMGET', ck, 'kind', 'state')\n"
        "  if h[1] == 'call' and h[2] == 'queued' then return {0, redis.call('HGETALL', ck)} end\n"
        "end\n"
        "return {-1}\n"),
    [RS_AGENT_GET] = SCRIPT(
        "-- sub\n"
        "if redis.call('EXISTS', P .. 'ag:' .. ARGV[3]) == 0 then return {-1} end\n"
        "return {0, agent_rows({ARGV[3]})}\n"),
    [RS_AGENT_PRESENCE] = SCRIPT(
        "-- sub streaming node: node's first stream of the agent opened (away 0, an offline row\n"
        "-- if none) or its last closed (away since now once no node has one: pn:a:<sub> is the\n"
        "-- set of nodes streaming the agent)\n"
        "local k, nk = P .. 'ag:' .. ARGV[3], P .. 'pn:a:' .. ARGV[3]\n"
        "if ARGV[4] == '1' then\n"
        "  if redis.call('EXISTS', k) == 0 then\n"
        "    redis.call('HSET', k, 'sub', ARGV[3], 'name', '', 'avail', '0', 'changed', NOWS)\n"
        "    redis.call('SADD', P .. 'agents', ARGV[3])\n"
        "  end\n"
        "  redis.call('SADD', nk, ARGV[5])\n"
        "  redis.call('HSET', k, 'away', '0')\n"
        "elseif redis.call('EXISTS', k) == 1 then\n"
        "  redis.call('SREM', nk, ARGV[5])\n"
        "  if redis.call('SCARD', nk) == 0 then redis.call('HSET', k, 'away', NOWS) end\n"
        "end\n"
        "return {0}\n"),
    [RS_AGENTS_SCAN] = SCRIPT(
        "-- which before cap (>= 1): 'away' available agents away since at or before (longest\n"
        "-- first, then by sub); 'listening' agents streaming or available (by sub)\n"
        "local which, before, cap = ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])\n"
        "local subs = redis.call('SMEMBERS', P .. 'agents')\n"
        "local rows = agent_rows(subs)\n"
        "local out = {}\n"
        "for _, r in ipairs(rows) do\n"
        "  local away = tonumber(r[3])\n"
        "  if which == 'away' then\n"
        "    if r[2] == '1' and away > 0 and away <= before then out[#out + 1] = r end\n"
        "  elseif away == 0 or r[2] == '1' then\n"
        "    out[#out + 1] = r\n"
        "  end\n"
        "end\n"
        "table.sort(out, function(a, b)\n"
        "  if which == 'away' and a[3] ~= b[3] then return tonumber(a[3]) < tonumber(b[3]) end\n"
        "  return a[1] < b[1]\n"
        "end)\n"
        "local page = {}\n"
        "for i = 1, math.min(#out, cap) do page[i] = out[i] end\n"
        "return {0, page}\n"),
    [RS_AGENT_EXPIRE] = SCRIPT(
        "-- sub away_before: offline only while available and away since at or before\n"
        "local k = P .. 'ag:' .. ARGV[3]\n"
        "local h = redis.call('HMGET', k, 'avail', 'away')\n"
        "if not h[1] then return {-1} end\n"
        "local away = tonumber(h[2] or '0')\n"
        "if h[1] ~= '1' or away == 0 or away > tonumber(ARGV[4]) then return {-3} end\n"
        "redis.call('HSET', k, 'avail', '0', 'changed', NOWS)\n"
        "redis.call('ZREM', P .. 'avail', ARGV[3])\n"
        "return {0}\n"),
    [RS_PARTICIPANT_PRESENCE] = SCRIPT(
        "-- pid streaming node: only while the participant has not left; away once no node\n"
        "-- streams it (pn:p:<pid>, kept a week past its last change)\n"
        "local h = redis.call('HMGET', P .. 'p:' .. ARGV[3], 'contact', 'role', 'left')\n"
        "if not h[1] then return {-1} end\n"
        "if h[3] ~= '0' then return {-3} end\n"
        "local nk = P .. 'pn:p:' .. ARGV[3]\n"
        "if ARGV[4] == '1' then\n"
        "  redis.call('SADD', nk, ARGV[5])\n"
        "  redis.call('EXPIRE', nk, 604800)\n"
        "  set_away(ARGV[3], h[1], h[2], '0')\n"
        "else\n"
        "  redis.call('SREM', nk, ARGV[5])\n"
        "  if redis.call('SCARD', nk) == 0 then set_away(ARGV[3], h[1], h[2], NOWS) end\n"
        "end\n"
        "return {0}\n"),
    [RS_PRESENCE_RESET] = SCRIPT(
        "-- node: a (re)started node has no streams: it leaves every presence set, and whoever\n"
        "-- then has no node streaming them (or looked streaming with no set) is away since now\n"
        "local node = ARGV[3]\n"
        "for _, a in ipairs(redis.call('SMEMBERS', P .. 'agents')) do\n"
        "  local nk = P .. 'pn:a:' .. a\n"
        "  redis.call('SREM', nk, node)\n"
        "  if redis.call('SCARD', nk) == 0 and redis.call('HGET', P .. 'ag:' .. a, 'away') == '0' then\n"
        "    redis.call('HSET', P .. 'ag:' .. a, 'away', NOWS)\n"
        "  end\n"
        "end\n"
        "for _, id in ipairs(redis.call('SMEMBERS', P .. 'openc')) do\n"
        "  local h = redis.call('HMGET', P .. 'c:' .. id, 'cust', 'away')\n"
        "  if h[1] then\n"
        "    local nk = P .. 'pn:p:' .. h[1]\n"
        "    redis.call('SREM', nk, node)\n"
        "    if h[2] == '0' and redis.call('SCARD', nk) == 0 then set_away(h[1], id, 'customer', NOWS) end\n"
        "  end\n"
        "end\n"
        "return {0}\n"),
    [RS_NOTE_ADD] = SCRIPT(
        "-- cid agent name content max_count nid: only the contact's agent\n"
        "local cid = ARGV[3]\n"
        "if redis.call('HGET', P .. 'c:' .. cid, 'agent') ~= ARGV[4] or ARGV[4] == '' then return {-1} end\n"
        "local nk = P .. 'n:' .. cid\n"
        "local max = tonumber(ARGV[7])\n"
        "if max > 0 and redis.call('LLEN', nk) >= max then return {-11} end\n"
        "local note = {ARGV[8], cid, ARGV[4], ARGV[5], ARGV[6], NOWS}\n"
        "redis.call('RPUSH', nk, cjson.encode(note))\n"
        "return {0, note}\n"),
    [RS_NOTES] = SCRIPT(
        "-- cid agent cap (>= 1): oldest first, for its agent only\n"
        "local cid = ARGV[3]\n"
        "if redis.call('HGET', P .. 'c:' .. cid, 'agent') ~= ARGV[4] or ARGV[4] == '' then return {-1} end\n"
        "local out = {}\n"
        "for i, t in ipairs(redis.call('LRANGE', P .. 'n:' .. cid, 0, tonumber(ARGV[5]) - 1)) do\n"
        "  out[i] = cjson.decode(t)\n"
        "end\n"
        "return {0, out}\n"),
    [RS_PURGE_ENDED] = SCRIPT(
        "-- before max: contacts ended before, with all that is theirs; routes expired before\n"
        "local before, max = ARGV[3], tonumber(ARGV[4])\n"
        "local ids = redis.call('ZRANGEBYSCORE', P .. 'ended', '-inf', '(' .. before, 'LIMIT', 0, max)\n"
        "for _, id in ipairs(ids) do\n"
        "  local ck = P .. 'c:' .. id\n"
        "  local h = redis.call('HMGET', ck, 'next', 'agent', 'sub')\n"
        "  if h[1] and h[1] ~= '' then\n"
        "    local nk = P .. 'c:' .. h[1]\n"
        "    redis.call('HSET', nk, 'prev', '')\n"
        "    local n = redis.call('HMGET', nk, 'sub', 'cust')\n"
        "    if n[1] and redis.call('GET', P .. 'open:' .. n[1]) == h[1] then\n"
        "      redis.call('SET', P .. 'oc:' .. n[1], h[1] .. '\\t' .. n[2] .. '\\t')\n"
        "    end\n"
        "  end\n"
        "  if h[2] and h[2] ~= '' then redis.call('ZREM', P .. 'ahist:' .. h[2], id) end\n"
        "  if h[3] and redis.call('GET', P .. 'last:' .. h[3]) == id then redis.call('DEL', P .. 'last:' .. h[3]) end\n"
        "  for _, pid in ipairs(redis.call('LRANGE', P .. 'cp:' .. id, 0, -1)) do\n"
        "    redis.call('DEL', P .. 'p:' .. pid, P .. 'tok:' .. pid, P .. 'feed:' .. pid)\n"
        "  end\n"
        "  redis.call('DEL', ck, P .. 'cp:' .. id, P .. 'm:' .. id, P .. 'n:' .. id)\n"
        "  redis.call('ZREM', P .. 'ended', id)\n"
        "end\n"
        "for _, r in ipairs(redis.call('ZRANGEBYSCORE', P .. 'routes', '-inf', '(' .. before, 'LIMIT', 0, max)) do\n"
        "  local e = redis.call('HGET', P .. 'r:' .. r, 'expires')\n"
        "  if not e or tonumber(e) < tonumber(before) then redis.call('DEL', P .. 'r:' .. r) end\n"
        "  redis.call('ZREM', P .. 'routes', r)\n"
        "end\n"
        "return {0, #ids}\n"),
    [RS_PRUNE_UNBOUND] = SCRIPT(
        "-- before max: events about no contact created before\n"
        "local es = redis.call('ZRANGEBYSCORE', P .. 'unbound', '-inf', '(' .. ARGV[3], 'LIMIT', 0, tonumber(ARGV[4]))\n"
        "for _, e in ipairs(es) do\n"
        "  local nl = string.find(e, '\\n', 1, true)\n"
        "  redis.call('XDEL', P .. 'feed:' .. string.sub(e, 1, nl - 1), string.sub(e, nl + 1) .. '-0')\n"
        "  redis.call('ZREM', P .. 'unbound', e)\n"
        "end\n"
        "return {0, #es}\n"),
    [RS_DISPOSITION_SET] = SCRIPT(
        "-- cid agent code: only the contact's agent; replaces an earlier one\n"
        "local ck = P .. 'c:' .. ARGV[3]\n"
        "if ARGV[4] == '' or redis.call('HGET', ck, 'agent') ~= ARGV[4] then return {-1} end\n"
        "redis.call('HSET', ck, 'disp', ARGV[5])\n"
        "return {0}\n"),
    [RS_DISPOSITION_GET] = SCRIPT(
        "-- cid agent: the code ('' when none), for the contact's agent only\n"
        "local ck = P .. 'c:' .. ARGV[3]\n"
        "if ARGV[4] == '' or redis.call('HGET', ck, 'agent') ~= ARGV[4] then return {-1} end\n"
        "return {0, redis.call('HGET', ck, 'disp') or ''}\n"),
    [RS_CANNED_ADD] = SCRIPT(
        "-- agent title content max_count id: the agent's own, ECAP at max_count (0 = no cap)\n"
        "local k = P .. 'cn:' .. ARGV[3]\n"
        "local max = tonumber(ARGV[6])\n"
        "if max > 0 and redis.call('LLEN', k) >= max then return {-11} end\n"
        "local item = {ARGV[7], ARGV[4], ARGV[5], NOWS}\n"
        "redis.call('RPUSH', k, cjson.encode(item))\n"
        "return {0, item}\n"),
    [RS_CANNED_LIST] = SCRIPT(
        "-- agent cap (>= 1): oldest first\n"
        "local out = {}\n"
        "for i, t in ipairs(redis.call('LRANGE', P .. 'cn:' .. ARGV[3], 0, tonumber(ARGV[4]) - 1)) do\n"
        "  out[i] = cjson.decode(t)\n"
        "end\n"
        "return {0, out}\n"),
    [RS_CANNED_DELETE] = SCRIPT(
        "-- agent id: one of the agent's own, ENOTFOUND when it is not theirs\n"
        "local k = P .. 'cn:' .. ARGV[3]\n"
        "for _, t in ipairs(redis.call('LRANGE', k, 0, -1)) do\n"
        "  if cjson.decode(t)[1] == ARGV[4] then\n"
        "    redis.call('LREM', k, 1, t)\n"
        "    return {0}\n"
        "  end\n"
        "end\n"
        "return {-1}\n"),
    [RS_CONTACT_RATE] = SCRIPT(
        "-- cid score comment: once per contact, open or ended\n"
        "local ck = P .. 'c:' .. ARGV[3]\n"
        "if redis.call('EXISTS', ck) == 0 then return {-1} end\n"
        "local s = redis.call('HGET', ck, 'rscore')\n"
        "if s and s ~= '0' then return {-2} end\n"
        "redis.call('HSET', ck, 'rscore', ARGV[4], 'rcomment', ARGV[5], 'rated', NOWS)\n"
        "return {0}\n"),
    [RS_AGENTS_AVAILABLE_LIST] = SCRIPT(
        "-- cap (>= 1): the available agents as [sub, name], by name then sub\n"
        "local all = {}\n"
        "for _, a in ipairs(redis.call('ZRANGE', P .. 'avail', 0, -1)) do\n"
        "  all[#all + 1] = {a, redis.call('HGET', P .. 'ag:' .. a, 'name') or ''}\n"
        "end\n"
        "table.sort(all, function(x, y) if x[2] ~= y[2] then return x[2] < y[2] end return x[1] < y[1] end)\n"
        "local out = {}\n"
        "for i = 1, math.min(#all, tonumber(ARGV[3])) do out[i] = all[i] end\n"
        "return {0, out}\n"),
    [RS_CONTACT_TRANSFER] = SCRIPT(
        "-- id from_agent to_queue: the agent's connected contact waits again (priority and age\n"
        "-- kept, nobody's); the agent's participant leaves\n"
        "local id, agent = ARGV[3], ARGV[4]\n"
        "local ck = P .. 'c:' .. id\n"
        "local h = redis.call('HMGET', ck, 'state', 'agent', 'kind', 'prio', 'created')\n"
        "if not h[1] or agent == '' or h[2] ~= agent then return {-1} end\n"
        "if h[1] ~= 'connected' then return {-3} end\n"
        "redis.call('HSET', ck, 'state', 'queued', 'queue', ARGV[5], 'agent', '', 'offered', '',\n"
        "  'updated', NOWS)\n"
        "enqueue(ck, ARGV[5], h[4], id, h[5])\n"
        "redis.call('ZREM', P .. 'aopen:' .. agent, id)\n"
        "if h[3] == 'call' then redis.call('HINCRBY', P .. 'oncall', agent, -1) end\n"
        "for _, pid in ipairs(redis.call('LRANGE', P .. 'cp:' .. id, 0, -1)) do\n"
        "  local p = redis.call('HMGET', P .. 'p:' .. pid, 'role', 'sub', 'left')\n"
        "  if p[1] == 'agent' and p[2] == agent and p[3] == '0' then\n"
        "    redis.call('HSET', P .. 'p:' .. pid, 'left', NOWS, 'away', '0')\n"
        "  end\n"
        "end\n"
        "return {0}\n"),
};
/* clang-format on */

const char *edge__rs_lua(edge__rs_script i)
{
    return LUA[i];
}
