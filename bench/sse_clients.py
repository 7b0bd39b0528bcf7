"""bench/sse_clients.py - thousands of idle SSE streams, and the server memory they cost.

Creates CHATS chats (a customer token each) and has one agent accept every
one of them, which gives two participants per chat, each with a
ParticipantToken; then opens one GET /api/participant/events stream per
participant (STREAMS = 2 * CHATS) and keeps them all open and idle, reading
whatever arrives (the replayed events, heartbeats). The server's memory is
read from /proc/PID (VmRSS, and Pss) before the streams open and after they
are all open and one heartbeat has gone through every stream (a heartbeat
is the only write an idle stream sees; it must not leave buffers behind).
The difference divided by the number of streams is the memory per idle
stream. A warm-up first opens and closes a few hundred streams so that
one-time allocations (prepared statements, the hub's tables) are not
counted as per-stream memory.

    python3 bench/sse_clients.py PORT SERVER_PID CUSTOMER_TOKENS AGENT_TOKEN_FILE HEARTBEAT_S

Prints one JSON object with the measurements on stdout; progress on stderr.
"""

import asyncio
import gc
import json
import sys
import time

import benchlib

OPEN_CONCURRENCY = 400


def log(msg):
    print("sse: " + msg, file=sys.stderr, flush=True)


async def make_chats(port, tokens, agent):
    """Start and accept one chat per token; return every participant's token."""
    todo = list(reversed(tokens))
    ptokens = []

    async def worker():
        conn = await benchlib.Conn(port).open()
        try:
            while todo:
                started = await benchlib.start_chat(conn, todo.pop())
                joined = await benchlib.agent_accept(conn, agent, started["ContactId"])
                ptokens.append(started["ParticipantToken"])
                ptokens.append(joined["ParticipantToken"])
        finally:
            conn.close()

    await asyncio.gather(*(worker() for _ in range(16)))
    return ptokens


class Streams:
    def __init__(self, port):
        self.port = port
        self.open = []
        self.frames = 0
        self.ended = 0
        self.tasks = []

    async def _drain(self, s):
        try:
            while True:
                await s.frame()
                self.frames += 1
        except (benchlib.HttpError, ConnectionError, asyncio.IncompleteReadError, ValueError):
            self.ended += 1
        except asyncio.CancelledError:
            pass

    async def open_all(self, ptokens):
        sem = asyncio.Semaphore(OPEN_CONCURRENCY)

        async def one(tok):
            async with sem:
                s = await benchlib.SseStream(self.port, tok).open()
                self.open.append(s)
                self.tasks.append(asyncio.ensure_future(self._drain(s)))

        await asyncio.gather(*(one(t) for t in ptokens))

    async def close_all(self):
        for s in self.open:
            s.close()
        for t in self.tasks:
            t.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        self.open, self.tasks = [], []


async def server_counts(port):
    conn = await benchlib.Conn(port).open()
    try:
        m = await benchlib.metrics(conn)
    finally:
        conn.close()
    return int(m.get("c2c_open_connections", 0)), int(m.get("c2c_event_streams", 0))


async def settle(seconds):
    gc.collect()
    await asyncio.sleep(seconds)


async def main(port, pid, customer_path, agent_path, heartbeat_s):
    customers = benchlib.read_tokens(customer_path)
    agent = benchlib.read_tokens(agent_path)[0]
    limit = benchlib.raise_nofile(2 * len(customers) + 2000)
    if limit < 2 * len(customers) + 100:
        raise SystemExit("sse: open-files limit %d is too low for %d streams"
                         % (limit, 2 * len(customers)))
    conn = await benchlib.Conn(port).open()
    await benchlib.agent_available(conn, agent)
    conn.close()

    t0 = time.monotonic()
    ptokens = await make_chats(port, customers, agent)
    log("%d chats started and accepted in %.1f s" % (len(customers), time.monotonic() - t0))

    warm = Streams(port)
    await warm.open_all(ptokens[:400])
    await settle(0.5)
    await warm.close_all()
    await settle(2.0)
    before = benchlib.proc_mem_kib(pid)
    tcp_before = benchlib.tcp_mem_pages()

    streams = Streams(port)
    t0 = time.monotonic()
    await streams.open_all(ptokens)
    opened_s = time.monotonic() - t0
    conns, hub = await server_counts(port)
    log("%d streams open in %.1f s (server: %d connections, %d streams)"
        % (len(streams.open), opened_s, conns, hub))
    await settle(2.0)
    open_idle = benchlib.proc_mem_kib(pid)
    log("waiting %.0f s for a heartbeat to go through every stream" % (heartbeat_s + 1))
    await settle(heartbeat_s + 1.0)
    after_beat = benchlib.proc_mem_kib(pid)
    tcp_after = benchlib.tcp_mem_pages()
    frames = streams.frames
    await streams.close_all()
    await settle(2.0)
    closed = benchlib.proc_mem_kib(pid)
    conns_after, hub_after = await server_counts(port)

    n = len(ptokens)
    peak = max(open_idle["rss"], after_beat["rss"])
    print(json.dumps({
        "streams": n,
        "open_seconds": round(opened_s, 2),
        "server_connections": conns,
        "server_streams": hub,
        "frames_read": frames,
        "streams_ended_early": streams.ended,
        "rss_before_kib": before["rss"],
        "rss_open_kib": open_idle["rss"],
        "rss_after_heartbeat_kib": after_beat["rss"],
        "rss_closed_kib": closed["rss"],
        "pss_before_kib": before["pss"],
        "pss_after_heartbeat_kib": after_beat["pss"],
        "bytes_per_stream": round((peak - before["rss"]) * 1024 / n),
        "pss_bytes_per_stream": round((after_beat["pss"] - before["pss"]) * 1024 / n),
        # sockstat counts whole pages for every TCP socket on the machine: differences of a
        # few pages either way are noise, so they read as 0
        "kernel_tcp_bytes_per_stream": max(0, round((tcp_after - tcp_before) * 4096 / n)),
        "streams_left_after_close": hub_after,
        "connections_left_after_close": conns_after,
    }))


if __name__ == "__main__":
    a = sys.argv
    asyncio.run(main(int(a[1]), int(a[2]), a[3], a[4], float(a[5])))
