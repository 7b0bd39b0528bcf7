"""bench/benchlib.py - the asyncio HTTP/1.1 and SSE client the Python bench parts share.

Standard library only, like tests/integration. One Conn is one keep-alive
connection to 127.0.0.1 with its own read buffer; requests on it are sent
one at a time. SseStream reads one Server-Sent Events stream (the edge sends
it with Transfer-Encoding: chunked) and yields (id, event, data) frames.
Also: raise the open-files limit, read a process's memory from /proc, mint
nothing (tokens come from bench/tokens.mjs), and small statistics helpers.
"""

import asyncio
import json
import resource
import time

HOST = "127.0.0.1"


def raise_nofile(want):
    """Raise RLIMIT_NOFILE towards want (up to the hard limit); return the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = min(want, hard) if hard != resource.RLIM_INFINITY else want
    if target > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def proc_mem_kib(pid):
    """{'rss': VmRSS, 'hwm': VmHWM, 'pss': Pss} in KiB for pid (0 when unreadable)."""
    out = {"rss": 0, "hwm": 0, "pss": 0}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                out["rss"] = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                out["hwm"] = int(line.split()[1])
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith("Pss:"):
                    out["pss"] = int(line.split()[1])
    except OSError:
        pass
    return out


def tcp_mem_pages():
    """The kernel's TCP buffer memory (pages), from /proc/net/sockstat."""
    with open("/proc/net/sockstat") as f:
        for line in f:
            if line.startswith("TCP:"):
                parts = line.split()
                return int(parts[parts.index("mem") + 1])
    return 0


def percentile(sorted_values, p):
    """Nearest-rank percentile of an already sorted list (p in 0..100)."""
    if not sorted_values:
        return 0.0
    k = max(0, min(len(sorted_values) - 1, int(round(p / 100.0 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


def read_tokens(path):
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


class HttpError(RuntimeError):
    pass


class Conn:
    """One keep-alive HTTP/1.1 connection."""

    def __init__(self, port, timeout=30.0):
        self.port = port
        self.timeout = timeout
        self.reader = None
        self.writer = None

    async def open(self):
        self.reader, self.writer = await asyncio.wait_for(
            asyncio.open_connection(HOST, self.port), self.timeout)
        return self

    def close(self):
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    async def request(self, method, path, headers=None, body=None):
        """Send one request; return (status, headers dict lower-case, body bytes)."""
        if self.writer is None:
            await self.open()
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            headers = dict(headers or {}, **{"Content-Type": "application/json"})
        head = ["%s %s HTTP/1.1" % (method, path), "Host: %s:%d" % (HOST, self.port)]
        for k, v in (headers or {}).items():
            head.append("%s: %s" % (k, v))
        if body is not None:
            head.append("Content-Length: %d" % len(body))
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + (body or b""))
        return await asyncio.wait_for(self._read_response(), self.timeout)

    async def _read_response(self):
        line = await self.reader.readline()
        if not line:
            raise HttpError("connection closed before a response")
        status = int(line.split()[1])
        headers = {}
        while True:
            h = await self.reader.readline()
            if h in (b"\r\n", b"\n", b""):
                break
            k, _, v = h.decode("latin-1").partition(":")
            headers[k.strip().lower()] = v.strip()
        n = int(headers.get("content-length", "0"))
        body = await self.reader.readexactly(n) if n else b""
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body

    async def json(self, method, path, headers=None, body=None, expect=200):
        status, _, data = await self.request(method, path, headers, body)
        if expect is not None and status != expect:
            raise HttpError("%s %s: %d %s" % (method, path, status, data[:200]))
        return json.loads(data) if data else None


def bearer(token):
    return {"Authorization": "Bearer " + token}


def ptoken_header(token):
    return {"X-Amz-Bearer": token}


class SseStream:
    """GET /api/participant/events (X-Amz-Bearer) and read frames as they come."""

    def __init__(self, port, ptoken, api="/api/"):
        self.port = port
        self.path = "%sparticipant/events" % api
        self.ptoken = ptoken
        self.reader = None
        self.writer = None
        self._text = ""

    async def open(self, timeout=30.0):
        self.reader, self.writer = await asyncio.wait_for(
            asyncio.open_connection(HOST, self.port), timeout)
        self.writer.write(("GET %s HTTP/1.1\r\nHost: %s\r\nX-Amz-Bearer: %s\r\n"
                           "Accept: text/event-stream\r\n\r\n"
                           % (self.path, HOST, self.ptoken)).encode())
        line = await asyncio.wait_for(self.reader.readline(), timeout)
        if not line:
            raise HttpError("stream closed before its head")
        status = int(line.split()[1])
        while True:
            h = await asyncio.wait_for(self.reader.readline(), timeout)
            if h in (b"\r\n", b"\n", b""):
                break
        if status != 200:
            raise HttpError("events stream answered %d" % status)
        return self

    def close(self):
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    async def _chunk(self):
        size_line = await self.reader.readline()
        if not size_line:
            raise HttpError("stream ended")
        size = int(size_line.strip().split(b";")[0], 16)
        data = await self.reader.readexactly(size + 2)
        if size == 0:
            raise HttpError("stream ended")
        return data[:-2].decode("utf-8")

    async def frame(self):
        """The next event frame: (id or None, event or 'message', data text). Comments
        (heartbeats) and retry lines are skipped."""
        while True:
            while "\n\n" in self._text:
                block, self._text = self._text.split("\n\n", 1)
                ev_id, ev, data = None, "message", []
                for line in block.split("\n"):
                    if line.startswith("id: "):
                        ev_id = line[4:]
                    elif line.startswith("event: "):
                        ev = line[7:]
                    elif line.startswith("data: "):
                        data.append(line[6:])
                if data:
                    return ev_id, ev, "\n".join(data)
            self._text += await self._chunk()


async def start_chat(conn, site_token, name="Bench"):
    """POST startChatContact; returns startChatResult (ContactId, ParticipantId, ParticipantToken)."""
    r = await conn.json("POST", "/api/startChatContact", bearer(site_token),
                        {"ParticipantDetails": {"DisplayName": name}})
    return r["data"]["startChatResult"]


async def agent_available(conn, agent_token):
    await conn.json("POST", "/api/agent/status", bearer(agent_token), {"status": "available"})


async def agent_accept(conn, agent_token, contact_id):
    """Returns {ContactId, ParticipantId, ParticipantToken} of the agent's participant."""
    return await conn.json("POST", "/api/agent/accept", bearer(agent_token), {"ContactId": contact_id})


async def metrics(conn):
    """The /metrics text as {name{labels}: value}."""
    status, _, body = await conn.request("GET", "/metrics")
    out = {}
    for line in body.decode().splitlines():
        if line and not line.startswith("#"):
            k, _, v = line.rpartition(" ")
            try:
                out[k] = float(v)
            except ValueError:
                pass
    return out


def now_ms():
    return time.monotonic() * 1000.0
