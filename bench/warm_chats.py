"""bench/warm_chats.py - start (or resume) the chat of every token in a file, once.

Used by bench/api.sh before measuring, so that every measured request is a
resume (the "same user resumes the same chat" case) and chat creation does
not mix into the numbers. With an agent token, an agent accepts each chat as
soon as it is created, as a staffed contact center would: that keeps the
queue short (every arrival tells every waiting customer their new position,
which costs more the longer the queue; bench/api.sh reports that cost
separately). Prints one line: starts, chats created, time taken.

    python3 bench/warm_chats.py PORT TOKENS_FILE [CONCURRENCY [AGENT_TOKEN_FILE]]
"""

import asyncio
import sys
import time

import benchlib


async def main(port, path, concurrency, agent_path):
    tokens = benchlib.read_tokens(path)
    agent = benchlib.read_tokens(agent_path)[0] if agent_path else None
    queue = list(reversed(tokens))
    created = 0
    done_at = []  # monotonic time of each start, in order

    async def worker():
        nonlocal created
        conn = await benchlib.Conn(port).open()
        try:
            while queue:
                tok = queue.pop()
                r = await conn.json("POST", "/api/startChatContact", benchlib.bearer(tok),
                                    {"ParticipantDetails": {"DisplayName": "Bench"}})
                done_at.append(time.monotonic())
                if not r["data"]["resumed"]:
                    created += 1
                    if agent:
                        await benchlib.agent_accept(
                            conn, agent, r["data"]["startChatResult"]["ContactId"])
        finally:
            conn.close()

    t0 = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(min(concurrency, len(tokens)))))
    dt = time.monotonic() - t0
    tail = ""
    k = len(done_at) // 10
    if k >= 2 and done_at[-1] > done_at[-k - 1]:
        tail = "; the last %d: %.0f starts/s" % (k, k / (done_at[-1] - done_at[-k - 1]))
    print("warm: %d starts, %d chats created%s, %.1f s (%.0f starts/s%s)"
          % (len(tokens), created, " and accepted" if agent else "", dt,
             len(tokens) / dt if dt > 0 else 0, tail))


if __name__ == "__main__":
    a = sys.argv
    asyncio.run(main(int(a[1]), a[2], int(a[3]) if len(a) > 3 else 16, a[4] if len(a) > 4 else None))
