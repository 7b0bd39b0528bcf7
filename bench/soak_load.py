"""bench/soak_load.py - mixed contact-center traffic for the soak runs (ASan, valgrind).

WORKERS loops run for SECONDS seconds against 127.0.0.1:PORT. Each loop
walks the paths a real day takes, so that every allocation the server makes
for them is also freed by the time it exits:
- a new customer starts a chat (a new user each time) and opens its event
  stream; an agent accepts it and opens its own; messages both ways, a
  typing event, a read receipt, a transcript page; the customer's stream is
  dropped and reopened with Last-Event-ID; sometimes a video offer; the chat
  is ended by one side or the other, or left open for the server's shutdown;
- a call: dial, accept, DTMF, signaling, hang up (or the caller gives up);
- an agent reference code, redeemed by the next chat;
- the bad and the odd: no token, a forged token, bad JSON, oversized
  headers, a request cut off half way, a connection closed mid-stream.
Every 5 s the server's RSS is sampled. Prints one JSON object at the end:
operations done by kind, errors that were not expected, RSS samples.

    python3 bench/soak_load.py PORT SERVER_PID SECONDS WORKERS CUSTOMER_TOKENS AGENT_TOKENS
"""

import asyncio
import json
import random
import sys
import time

import benchlib

COUNTS = {}
UNEXPECTED = []


def count(kind, n=1):
    COUNTS[kind] = COUNTS.get(kind, 0) + n


def unexpected(what):
    count("unexpected")
    if len(UNEXPECTED) < 20:
        UNEXPECTED.append(what)


async def expect(conn, method, path, headers, body, status):
    st, _, data = await conn.request(method, path, headers, body)
    if st != status:
        unexpected("%s %s -> %d %s" % (method, path, st, data[:120]))
    return json.loads(data) if data and st == status and data[:1] in (b"{", b"[") else None


async def read_some(stream, n, timeout=2.0):
    """Read up to n frames or until timeout; returns the last event id seen."""
    last = None
    try:
        for _ in range(n):
            ev_id, _, _ = await asyncio.wait_for(stream.frame(), timeout)
            last = ev_id or last
    except (asyncio.TimeoutError, benchlib.HttpError, ConnectionError, asyncio.IncompleteReadError):
        pass
    return last


async def chat_flow(port, cust_tok, agent_tok, rnd):
    c = await benchlib.Conn(port).open()
    try:
        res = await expect(c, "POST", "/api/startChatContact", benchlib.bearer(cust_tok),
                           {"ParticipantDetails": {"DisplayName": "Soak"},
                            "Attributes": {"page": "/soak", "n": str(rnd.randint(0, 1 << 30))},
                            "InitialMessage": "hello"}, 200)
        if not res:
            return
        start = res["data"]["startChatResult"]
        cp = start["ParticipantToken"]
        if res["data"]["resumed"]:  # a user whose earlier chat was left open
            await expect(c, "POST", "/api/participant/disconnect", benchlib.ptoken_header(cp),
                         None, 200)
            count("chat_resumed_and_ended")
            return
        cs = await benchlib.SseStream(port, cp).open()
        count("sse_open")
        joined = await expect(c, "POST", "/api/agent/accept", benchlib.bearer(agent_tok),
                              {"ContactId": start["ContactId"]}, 200)
        if not joined:
            cs.close()
            return
        ap = joined["ParticipantToken"]
        as_ = await benchlib.SseStream(port, ap).open()
        count("sse_open")
        for i in range(rnd.randint(1, 6)):
            m = await expect(c, "POST", "/api/participant/message", benchlib.ptoken_header(cp),
                             {"ContentType": "text/plain", "Content": "question %d" % i}, 200)
            await expect(c, "POST", "/api/participant/message", benchlib.ptoken_header(ap),
                         {"ContentType": "text/markdown", "Content": "*answer* %d" % i}, 200)
            count("message", 2)
            if m and i == 0:
                await expect(c, "POST", "/api/participant/event", benchlib.ptoken_header(ap),
                             {"ContentType": "application/vnd.amazonaws.connect.event.message.read",
                              "Content": json.dumps({"messageId": m["Id"]})}, 200)
        await expect(c, "POST", "/api/participant/event", benchlib.ptoken_header(cp),
                     {"ContentType": "application/vnd.amazonaws.connect.event.typing"}, 200)
        last = await read_some(cs, 6, 1.0)
        await read_some(as_, 6, 0.2)
        # the customer's stream drops and comes back where it left off
        cs.close()
        cs = benchlib.SseStream(port, cp)
        if last:
            cs.path += "&lastEventId=" + last
        await cs.open()
        count("sse_open")
        await read_some(cs, 2, 0.2)
        await expect(c, "POST", "/api/participant/transcript", benchlib.ptoken_header(cp),
                     {"MaxResults": 5}, 200)
        if rnd.random() < 0.3:
            await expect(c, "POST", "/api/participant/video", benchlib.ptoken_header(ap),
                         {"Action": "offer", "ScreenShare": rnd.random() < 0.5}, 200)
            await expect(c, "POST", "/api/participant/video", benchlib.ptoken_header(cp),
                         {"Action": "end"}, 200)
            count("video")
        r = rnd.random()
        if r < 0.45:
            await expect(c, "POST", "/api/participant/disconnect", benchlib.ptoken_header(cp),
                         None, 200)
        elif r < 0.9:
            await expect(c, "POST", "/api/agent/end", benchlib.bearer(agent_tok),
                         {"ContactId": start["ContactId"]}, 200)
        else:
            count("chat_left_open")
        await read_some(cs, 3, 0.2)
        cs.close()
        as_.close()
        count("chat")
    finally:
        c.close()


async def call_flow(port, cust_tok, agent_tok, rnd):
    c = await benchlib.Conn(port).open()
    try:
        d = await expect(c, "POST", "/api/dial", benchlib.bearer(cust_tok),
                         {"toNumber": "(703) 555-01%02d" % rnd.randint(0, 99),
                          "PageContext": {"page": "/soak"}}, 200)
        if not d:
            return
        cid = d["responseInfo"]["Meeting"]["MeetingId"]
        jt = d["responseInfo"]["Attendee"]["JoinToken"]
        s = await benchlib.SseStream(port, jt).open()
        count("sse_open")
        if rnd.random() < 0.2:  # the caller gives up while waiting
            await expect(c, "POST", "/api/update", benchlib.bearer(cust_tok),
                         {"update": "end", "meetingId": cid}, 200)
        else:
            j = await expect(c, "POST", "/api/agent/accept", benchlib.bearer(agent_tok),
                             {"ContactId": cid}, 200)
            if j:
                await expect(c, "POST", "/api/update", benchlib.bearer(cust_tok),
                             {"update": "digit", "digit": "12#", "transactionId": cid}, 200)
                await expect(c, "POST", "/api/participant/signal", benchlib.ptoken_header(jt),
                             {"Type": "offer", "Payload": {"type": "offer", "sdp": "v=0\r\n"}}, 200)
                await expect(c, "POST", "/api/participant/signal",
                             benchlib.ptoken_header(j["ParticipantToken"]),
                             {"Type": "answer", "Payload": {"type": "answer", "sdp": "v=0\r\n"}}, 200)
                await expect(c, "POST", "/api/update", benchlib.bearer(agent_tok),
                             {"update": "end", "meetingId": cid}, 200)
        await read_some(s, 8, 0.3)
        s.close()
        count("call")
    finally:
        c.close()


async def adhoc_flow(port, cust_tok, agent_tok, email):
    c = await benchlib.Conn(port).open()
    try:
        r = await expect(c, "POST", "/api/adhoc", benchlib.bearer(agent_tok),
                         {"attendeeEmail": email, "routeToAgentQueue": True}, 200)
        if r:
            res = await expect(c, "POST", "/api/startChatContact", benchlib.bearer(cust_tok),
                               {"Attributes": {"videoReferenceId": r["routeId"]}}, 200)
            if res:
                await expect(c, "POST", "/api/participant/disconnect",
                             benchlib.ptoken_header(res["data"]["startChatResult"]["ParticipantToken"]),
                             None, 200)
        count("adhoc")
    finally:
        c.close()


async def odd_flow(port, agent_tok, rnd):
    """Requests that must fail cleanly, and clients that vanish."""
    c = await benchlib.Conn(port).open()
    try:
        await expect(c, "POST", "/api/startChatContact", None, {}, 401)
        await expect(c, "POST", "/api/startChatContact", benchlib.bearer(agent_tok[:-4] + "AAAA"),
                     {}, 401)
        st, _, _ = await c.request("POST", "/api/agent/status", dict(benchlib.bearer(agent_tok), **{
            "Content-Type": "application/json"}), b"{not json")
        if st != 400:
            unexpected("bad json -> %d" % st)
        await expect(c, "GET", "/api/availability", None, None, 200)
        await expect(c, "GET", "/metrics", None, None, 200)
        await expect(c, "GET", "/tiny.txt", None, None, 200)
        await expect(c, "GET", "/nope/../../etc/passwd", None, None, 400)
    finally:
        c.close()
    # oversized header: 431 and a close
    c = await benchlib.Conn(port).open()
    try:
        st, _, _ = await c.request("GET", "/healthz", {"X-Big": "x" * 20000})
        if st != 431:
            unexpected("big header -> %d" % st)
    except (benchlib.HttpError, ConnectionError):
        pass
    finally:
        c.close()
    # a request cut off half way, a body cut off, a stream dropped at once
    for raw in (b"POST /api/startChatContact HTTP/1.1\r\nHost: x\r\nContent-Len",
                b"POST /api/agent/status HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"st"):
        r, w = await asyncio.open_connection(benchlib.HOST, port)
        w.write(raw)
        await w.drain()
        await asyncio.sleep(rnd.random() * 0.05)
        w.close()
    count("odd")


async def sample_rss(pid, deadline, samples):
    while time.monotonic() < deadline:
        try:
            samples.append(benchlib.proc_mem_kib(pid)["rss"])
        except OSError:
            return
        await asyncio.sleep(5)


async def main(port, pid, seconds, workers, cust_path, agent_path):
    benchlib.raise_nofile(4096)
    customers = benchlib.read_tokens(cust_path)
    agents = benchlib.read_tokens(agent_path)
    c = await benchlib.Conn(port).open()
    for a in agents:
        await expect(c, "POST", "/api/agent/status", benchlib.bearer(a), {"status": "available"}, 200)
    c.close()
    deadline = time.monotonic() + seconds
    samples = []
    next_user = [0]

    def user():
        i = next_user[0] % len(customers)
        next_user[0] += 1
        return customers[i], i

    async def worker(w):
        rnd = random.Random(w)
        agent = agents[w % len(agents)]
        while time.monotonic() < deadline:
            tok, i = user()
            r = rnd.random()
            try:
                if r < 0.6:
                    await chat_flow(port, tok, agent, rnd)
                elif r < 0.8:
                    await call_flow(port, tok, agent, rnd)
                elif r < 0.87:
                    await adhoc_flow(port, tok, agent, "bench-rs256-%d@bench.invalid" % i)
                else:
                    await odd_flow(port, agent, rnd)
            except (benchlib.HttpError, ConnectionError, asyncio.TimeoutError,
                    asyncio.IncompleteReadError) as e:
                unexpected("%s: %s" % (type(e).__name__, e))

    await asyncio.gather(sample_rss(pid, deadline, samples), *(worker(w) for w in range(workers)))
    print(json.dumps({"seconds": seconds, "counts": COUNTS, "unexpected": UNEXPECTED,
                      "rss_kib": samples}))


if __name__ == "__main__":
    a = sys.argv
    asyncio.run(main(int(a[1]), int(a[2]), float(a[3]), int(a[4]), a[5], a[6]))
