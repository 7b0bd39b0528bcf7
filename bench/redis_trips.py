"""bench/redis_trips.py - Redis round trips per API operation, counted.

Watches Redis with MONITOR while one edge node (on --store redis://) serves
one operation at a time: a new chat (start), the same identity again
(resume), a customer's message, and an agent's accept. Before and after
each operation a marker (ECHO) goes through a connection of our own, so the
commands in between are the ones the node sent for that operation. Reads
of the node's fan-out tail (XREAD) are counted apart: they are one per
batch of events for the whole node, not per operation. The node's tick
also talks to Redis once a second; each operation is repeated ROUNDS times
and the smallest count is kept, which leaves the tick out.

    python3 bench/redis_trips.py NODE_PORT REDIS_PORT SITE_TOKENS AGENT_TOKEN_FILE

Prints one JSON object: {op: {"trips": n, "tail_reads": n, "commands": [...]}}.
"""

import asyncio
import json
import sys

import benchlib

ROUNDS = 5


class Monitor:
    """A raw MONITOR connection: every command Redis runs, as text lines."""

    def __init__(self, port):
        self.port = port
        self.lines = []

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writer.write(b"MONITOR\r\n")
        await self.writer.drain()
        await self.reader.readline()  # +OK
        self.task = asyncio.ensure_future(self._read())
        return self

    async def _read(self):
        while True:
            line = await self.reader.readline()
            if not line:
                return
            self.lines.append(line.decode("utf-8", "replace").strip())

    def close(self):
        self.task.cancel()
        self.writer.close()


async def echo(port, text):
    """One ECHO on a connection of its own (a marker in the MONITOR stream)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"ECHO %s\r\n" % text.encode())
    await writer.drain()
    await reader.readline()
    await reader.readline()
    writer.close()


def between(lines, start, end):
    """The commands sent after marker start and before marker end, each as
    [name, commands a script ran inside it] (MONITOR shows a script's own
    calls too, from client "lua": they are not round trips)."""
    out, inside = [], False
    for line in lines:
        if '"ECHO" "%s"' % start in line:
            inside = True
        elif '"ECHO" "%s"' % end in line:
            break
        elif inside:
            client, _, cmd = line.partition("] ")
            name = cmd.split('"')[1] if cmd.count('"') >= 2 else cmd
            if client.endswith(" lua"):
                if out:
                    out[-1][1] += 1
            else:
                out.append([name, 0])
    return out


def summary(cmd):
    """A script as "EVALSHA(n)" with the commands it ran inside; else the name."""
    return "%s(%d)" % (cmd[0], cmd[1]) if cmd[0] == "EVALSHA" else cmd[0]


async def measure(redis_port, mon, label, op):
    best = None
    for i in range(ROUNDS):
        start, end = "m-%s-%d-a" % (label, i), "m-%s-%d-b" % (label, i)
        await echo(redis_port, start)
        await op(i)
        await asyncio.sleep(0.05)  # the events' fan-out read lands too
        await echo(redis_port, end)
        await asyncio.sleep(0.05)
        cmds = between(mon.lines, start, end)
        trips = [c for c in cmds if c[0] != "XREAD"]
        reads = len(cmds) - len(trips)
        if best is None or len(trips) < best["trips"]:
            best = {"trips": len(trips), "tail_reads": reads, "commands": [summary(c) for c in trips]}
    return best


async def main(port, redis_port, site_path, agent_path):
    sites = benchlib.read_tokens(site_path)
    agent = benchlib.read_tokens(agent_path)[0]
    conn = await benchlib.Conn(port).open()
    await benchlib.agent_available(conn, agent)
    mon = await Monitor(redis_port).open()
    started = {}

    async def start(i):
        started[i] = await benchlib.start_chat(conn, sites[i])

    async def resume(i):
        await benchlib.start_chat(conn, sites[i])

    async def message(i):
        await conn.json("POST", "/api/participant/message",
                        benchlib.ptoken_header(started[i]["ParticipantToken"]),
                        {"ContentType": "text/plain", "Content": "trip %d" % i})

    async def accept(i):
        await benchlib.agent_accept(conn, agent, started[i]["ContactId"])

    result = {}
    for label, op in (("start", start), ("resume", resume), ("message", message), ("accept", accept)):
        result[label] = await measure(redis_port, mon, label, op)
    mon.close()
    conn.close()
    print(json.dumps(result))


if __name__ == "__main__":
    a = sys.argv
    asyncio.run(main(int(a[1]), int(a[2]), a[3], a[4]))
