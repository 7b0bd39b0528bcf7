"""bench/slowloris.py - hundreds of slow clients holding connections open.

COUNT connections to 127.0.0.1:PORT, for SECONDS seconds, two kinds mixed:
- trickle: a valid request head sent one byte every INTERVAL seconds, with
  one more header line after another, so the head never completes;
- stall: a partial head ("GET / HTTP/1.1\\r\\nHost: x\\r\\n") and then nothing.
When the server answers (it should: 408 after --header-timeout-ms) and
closes, the client notes the answer and how long it had held the connection,
and connects again at once, as an attacker would. Prints one JSON object:
connections made, answers by status, seconds held before the cut (median,
max), and whether any slow request ever completed (it must not).

    python3 bench/slowloris.py PORT COUNT SECONDS [INTERVAL]
"""

import asyncio
import json
import sys
import time

import benchlib


def log(msg):
    print("slowloris: " + msg, file=sys.stderr, flush=True)


class Stats:
    def __init__(self):
        self.connects = 0
        self.refused = 0
        self.statuses = {}
        self.held = []
        self.open_now = 0
        self.open_max = 0


async def one(port, kind, interval, deadline, stats):
    while time.monotonic() < deadline:
        try:
            reader, writer = await asyncio.open_connection(benchlib.HOST, port)
        except OSError:
            stats.refused += 1
            await asyncio.sleep(0.5)
            continue
        stats.connects += 1
        stats.open_now += 1
        stats.open_max = max(stats.open_max, stats.open_now)
        t0 = time.monotonic()
        status = None
        try:
            if kind == "stall":
                writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n")
                await writer.drain()
                line = await asyncio.wait_for(reader.readline(), deadline - time.monotonic() + 1)
            else:
                head = b"GET /tiny.txt HTTP/1.1\r\nHost: x\r\n"
                n = 0
                line = b""
                read = asyncio.ensure_future(reader.readline())
                while time.monotonic() < deadline and not read.done():
                    if n >= len(head):
                        head += b"X-Slow-%d: y\r\n" % n
                    writer.write(head[n:n + 1])
                    n += 1
                    await asyncio.wait([read], timeout=interval)
                if read.done():
                    line = read.result()
                else:
                    read.cancel()
            if line:
                status = int(line.split()[1])
        except (asyncio.TimeoutError, ConnectionError, ValueError, IndexError):
            pass
        finally:
            stats.open_now -= 1
            writer.close()
        if status is not None:
            stats.statuses[status] = stats.statuses.get(status, 0) + 1
            stats.held.append(time.monotonic() - t0)


async def main(port, count, seconds, interval):
    benchlib.raise_nofile(count + 200)
    stats = Stats()
    deadline = time.monotonic() + seconds
    kinds = ["trickle" if i % 2 == 0 else "stall" for i in range(count)]
    tasks = []
    for i, kind in enumerate(kinds):
        tasks.append(asyncio.ensure_future(one(port, kind, interval, deadline, stats)))
        if i % 50 == 49:
            await asyncio.sleep(0.05)  # ramp up
    log("%d slow connections open" % stats.open_now)
    await asyncio.gather(*tasks)
    held = sorted(stats.held)
    print(json.dumps({
        "slow_clients": count,
        "connections": stats.connects,
        "refused": stats.refused,
        "open_max": stats.open_max,
        "answers": {str(k): v for k, v in sorted(stats.statuses.items())},
        "held_median_s": round(benchlib.percentile(held, 50), 2),
        "held_max_s": round(held[-1], 2) if held else 0,
        "completed_requests": stats.statuses.get(200, 0),
    }))


if __name__ == "__main__":
    a = sys.argv
    asyncio.run(main(int(a[1]), int(a[2]), float(a[3]), float(a[4]) if len(a) > 4 else 1.0))
