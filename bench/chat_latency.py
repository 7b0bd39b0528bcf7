"""bench/chat_latency.py - customer-to-agent chat message latency.

CHATS chats are started (one customer token each) and accepted by one agent;
the agent's event stream of each chat is opened and read. Then each
customer sends messages (POST /api/participant/message with its
ParticipantToken) at RATE per second per chat, on its own keep-alive
connection, until TOTAL messages have gone out. The time from just before a
message's request is written to just after its "message" event is read from
the agent's stream is that message's latency: the POST, the SQLite commit of
the message and its events, and the push to the agent's stream, all on
loopback. The POST's own round trip is recorded too.

    python3 bench/chat_latency.py PORT CUSTOMER_TOKENS AGENT_TOKEN_FILE TOTAL RATE [READ_PORT]

With READ_PORT, the agent's streams are read from that server (another
node sharing the store): the latency then includes the hop between nodes.

Prints one JSON object (milliseconds) on stdout.
"""

import asyncio
import json
import sys
import time

import benchlib


async def main(port, customer_path, agent_path, total, rate, read_port):
    customers = benchlib.read_tokens(customer_path)
    agent = benchlib.read_tokens(agent_path)[0]
    conn = await benchlib.Conn(port).open()
    await benchlib.agent_available(conn, agent)
    chats = []
    for tok in customers:
        started = await benchlib.start_chat(conn, tok)
        joined = await benchlib.agent_accept(conn, agent, started["ContactId"])
        chats.append((started["ParticipantToken"], joined["ParticipantToken"]))
    conn.close()

    sent_at = {}    # message tag -> perf_counter when its POST was written
    latencies = []  # ms, customer write -> agent read
    post_ms = []
    received = 0
    done = asyncio.Event()

    async def agent_reader(ptoken, ready):
        nonlocal received
        s = await benchlib.SseStream(read_port, ptoken).open()
        ready.set_result(None)
        try:
            while True:
                _, ev, data = await s.frame()
                if ev != "message":
                    continue
                content = json.loads(data).get("Content", "")
                if not content.startswith("lat "):
                    continue
                t = sent_at.pop(content, None)
                if t is not None:
                    latencies.append((time.perf_counter() - t) * 1000.0)
                    received += 1
                    if received >= total:
                        done.set()
        except (benchlib.HttpError, asyncio.CancelledError):
            pass
        finally:
            s.close()

    readers = []
    for _, agent_ptoken in chats:
        ready = asyncio.get_running_loop().create_future()
        readers.append(asyncio.ensure_future(agent_reader(agent_ptoken, ready)))
        await ready
    await asyncio.sleep(0.5)  # replayed events (joined, state) are read and ignored

    per_chat = (total + len(chats) - 1) // len(chats)
    sent = 0

    async def customer(i, ptoken):
        nonlocal sent
        c = await benchlib.Conn(port).open()
        start = time.perf_counter() + i / (rate * len(chats))  # spread the chats out
        for k in range(per_chat):
            if sent >= total:
                break
            due = start + k / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tag = "lat %d %d" % (i, k)
            sent_at[tag] = t = time.perf_counter()
            sent += 1
            status, _, body = await c.request(
                "POST", "/api/participant/message", benchlib.ptoken_header(ptoken),
                {"ContentType": "text/plain", "Content": tag})
            post_ms.append((time.perf_counter() - t) * 1000.0)
            if status != 200:
                raise SystemExit("message POST answered %d: %s" % (status, body[:200]))
        c.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(customer(i, c[0]) for i, c in enumerate(chats)))
    try:
        await asyncio.wait_for(done.wait(), 10.0)
    except asyncio.TimeoutError:
        pass
    elapsed = time.perf_counter() - t0
    for r in readers:
        r.cancel()
    await asyncio.gather(*readers, return_exceptions=True)

    lat = sorted(latencies)
    post = sorted(post_ms)
    print(json.dumps({
        "chats": len(chats),
        "sent": sent,
        "received": received,
        "lost": sent - received,
        "seconds": round(elapsed, 1),
        "p50": round(benchlib.percentile(lat, 50), 2),
        "p99": round(benchlib.percentile(lat, 99), 2),
        "p999": round(benchlib.percentile(lat, 99.9), 2),
        "max": round(lat[-1], 2) if lat else 0,
        "post_p50": round(benchlib.percentile(post, 50), 2),
        "post_p99": round(benchlib.percentile(post, 99), 2),
    }))


if __name__ == "__main__":
    a = sys.argv
    asyncio.run(main(int(a[1]), a[2], a[3], int(a[4]), float(a[5]),
                     int(a[6]) if len(a) > 6 else int(a[1])))
