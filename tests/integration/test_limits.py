"""Guard rails: the abuse limits, through the real server.

- Dials: at most one call per identity that has not ended, and --limit-dials
  attempts per identity; messages: --limit-messages per participant and
  --max-messages-per-contact per contact; reference-code redeems:
  --limit-redeems per identity and per client address. Each refusal is
  429 rate_limited with a Retry-After of whole seconds (at least 1) and
  counts in c2c_rate_limited_total{limit=...}; a full contact is 409
  contact_full. Windows are a couple of seconds here, so "the window
  passes" costs one short wait, as long as Retry-After says.
- Client addresses: every test that counts per address talks from its own
  loopback address (127.0.0.N), so tests sharing a server never share an
  address's counter.
- Queue positions: only to customers whose place changed, at most once a
  second each, the last one always arriving.
- Personal queues: another agent neither lists nor accepts a contact in an
  agent's personal queue until it falls back to the default queue after
  --personal-queue-s."""

import hashlib
import http.client
import json
import socket
import time
import unittest
import urllib.parse

from edge import ServerPerClass, assert_json_error, metric, run_edge
from test_calls import CallClient, cid_of
from test_chat import API, JSON, SseStream, new_sub

WINDOW_S = 2  # the rate windows of these servers


class Answer:
    """A response from a request sent from a chosen source address."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name, default=None):
        return self.headers.get(name.lower(), default)

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return "<Answer %d %r>" % (self.status, self.body[:200])


class LimitClient(CallClient):
    """Mixin: requests from a given loopback address, limits, metrics."""

    def from_addr(self, src, method, path, headers, body=None):
        conn = http.client.HTTPConnection(self.edge.host, self.edge.port, timeout=5,
                                          source_address=(src, 0))
        try:
            data = json.dumps(body) if body is not None else None
            conn.request(method, path, body=data, headers=headers)
            r = conn.getresponse()
            return Answer(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
        finally:
            conn.close()

    def mint_email(self, sub, email, role="customer"):
        q = urllib.parse.urlencode({"sub": sub, "email": email, "name": sub, "role": role})
        r = self.edge.get("/demo/token?" + q)
        self.assertEqual(r.status, 200, r)
        return r.json()["token"]

    def redeem(self, token, code, src="127.0.0.1"):
        return self.from_addr(src, "POST", API + "startChatContact",
                              {"Authorization": "Bearer " + token, "Content-Type": JSON},
                              {"Attributes": {"videoReferenceId": code}})

    def limited(self, r, limit):
        """r is 429 rate_limited with a sane Retry-After; returns its seconds."""
        assert_json_error(self, r, 429, "rate_limited")
        after = r.header("retry-after")
        self.assertIsNotNone(after, r)
        self.assertRegex(after, r"^[0-9]+$")
        self.assertGreaterEqual(int(after), 1)
        return int(after)

    def limited_count(self, limit):
        return metric(self.edge.metrics(), "c2c_rate_limited_total", limit=limit)


def unknown_code(i):
    return "%08d" % (90000000 + i)


class RateLimitTests(ServerPerClass, LimitClient, unittest.TestCase):
    flags = ["--demo", "--limit-dials", "3/%ds" % WINDOW_S,
             "--limit-messages", "3/%ds" % WINDOW_S,
             "--limit-redeems", "3/%ds" % WINDOW_S]

    # -- dials ----------------------------------------------------------------

    def test_one_live_call_per_identity(self):
        before = self.limited_count("live_calls")
        sub = new_sub("live")
        token = self.mint(sub)
        first = cid_of(self.dial(token).json())
        r = self.site(token, "dial", {"toNumber": "(703) 555-0122"})
        self.limited(r, "live_calls")
        self.assertEqual(self.limited_count("live_calls"), before + 1)
        self.assertEqual(self.site(self.mint(new_sub("other")), "dial",
                                   {"toNumber": "(703) 555-0122"}).status, 200)  # others may
        self.assertEqual(self.hang_up(token, first).status, 200)
        self.dial(token)  # ended: the next call may start

    def test_dial_attempts_per_identity_and_the_window_passing(self):
        before = self.limited_count("dials")
        token = self.mint(new_sub("dialer"))
        for _ in range(3):
            self.assertEqual(self.hang_up(token, cid_of(self.dial(token).json())).status, 200)
        after = self.limited(self.site(token, "dial", {"toNumber": "(703) 555-0122"}), "dials")
        self.assertLessEqual(after, WINDOW_S)
        self.assertEqual(self.limited_count("dials"), before + 1)
        self.dial(self.mint(new_sub("fresh")))  # another identity is not limited
        time.sleep(after)
        self.dial(token)

    # -- messages -------------------------------------------------------------

    def test_messages_per_participant_and_the_window_passing(self):
        before = self.limited_count("messages")
        _, res, _ = self.new_chat("talker")
        _, other, _ = self.new_chat("quiet")
        for i in range(3):
            self.send(res["ParticipantToken"], "m%d" % i)
        r = self.p(res["ParticipantToken"], "message", {"ContentType": "text/plain",
                                                        "Content": "one too many"})
        after = self.limited(r, "messages")
        self.assertLessEqual(after, WINDOW_S)
        self.assertEqual(self.limited_count("messages"), before + 1)
        self.send(other["ParticipantToken"], "someone else may")
        texts = [m["Content"] for m in self.full_transcript(res["ParticipantToken"])]
        self.assertNotIn("one too many", texts)  # a refused message is not kept
        time.sleep(after)
        self.send(res["ParticipantToken"], "later")

    # -- redeems --------------------------------------------------------------

    def test_redeems_per_identity(self):
        before = self.limited_count("redeems")
        sub = new_sub("guess")
        token = self.mint(sub)
        for i in range(3):
            assert_json_error(self, self.redeem(token, unknown_code(i), "127.0.0.11"), 404,
                              "route_not_found")
        self.limited(self.redeem(token, unknown_code(3), "127.0.0.11"), "redeems")
        # the same identity from a fresh address: still its own limit
        self.limited(self.redeem(token, unknown_code(4), "127.0.0.12"), "redeems")
        self.assertEqual(self.limited_count("redeems"), before + 2)
        # that address was not charged for it: another identity there may try
        assert_json_error(self, self.redeem(self.mint(new_sub("g2")), unknown_code(5),
                                            "127.0.0.12"), 404, "route_not_found")

    def test_redeems_per_address_and_the_window_passing(self):
        for i in range(3):
            r = self.redeem(self.mint(new_sub("net")), unknown_code(i), "127.0.0.13")
            assert_json_error(self, r, 404, "route_not_found")
        late = self.mint(new_sub("net"))
        after = self.limited(self.redeem(late, unknown_code(3), "127.0.0.13"), "redeems")
        self.assertLessEqual(after, WINDOW_S)
        assert_json_error(self, self.redeem(late, unknown_code(4), "127.0.0.14"), 404)
        time.sleep(after)
        assert_json_error(self, self.redeem(self.mint(new_sub("net")), unknown_code(5),
                                            "127.0.0.13"), 404, "route_not_found")

    def test_a_resume_is_no_redeem(self):
        token = self.mint(new_sub("resumer"))
        self.start_chat(token)
        for i in range(5):  # an open chat is resumed; the code is never looked at
            self.assertEqual(self.redeem(token, unknown_code(i), "127.0.0.15").status, 200)

    def test_limits_in_metrics(self):
        samples = self.edge.metrics()
        for limit in ("dials", "live_calls", "messages", "contact_messages", "redeems"):
            self.assertIn(("c2c_rate_limited_total", frozenset({("limit", limit)})), samples)


class ContactCapTests(ServerPerClass, LimitClient, unittest.TestCase):
    flags = ["--demo", "--max-messages-per-contact", "4", "--limit-messages", "0"]

    def test_a_full_contact_takes_no_more_messages(self):
        before = self.limited_count("contact_messages")
        _, res, _ = self.new_chat("full", initial="hello")  # the initial message counts
        for i in range(3):
            self.send(res["ParticipantToken"], "m%d" % i)
        for _ in range(2):
            r = self.p(res["ParticipantToken"], "message",
                       {"ContentType": "text/plain", "Content": "over"})
            assert_json_error(self, r, 409, "contact_full")
        self.assertEqual(self.limited_count("contact_messages"), before + 2)
        self.assertEqual(len(self.full_transcript(res["ParticipantToken"])), 4)
        _, other, _ = self.new_chat("roomy")  # another contact has its own cap
        self.send(other["ParticipantToken"], "fine")


class LimitFlagTests(unittest.TestCase):
    def test_bad_limits_exit_2_with_one_line(self):
        for flag, value in (("--limit-dials", "5"), ("--limit-dials", "5/week"),
                            ("--limit-messages", "0/10s"), ("--limit-redeems", "-1/min"),
                            ("--limit-messages", "20/10"), ("--limit-dials", "5 /min"),
                            ("--max-messages-per-contact", "-1"),
                            ("--personal-queue-s", "0")):
            code, _, err = run_edge([flag, value])
            self.assertEqual(code, 2, (flag, value, err))
            self.assertEqual(len(err.strip().splitlines()), 1, err)
            self.assertIn(flag[2:], err)

    def test_help_lists_the_limits(self):
        code, out, _ = run_edge(["--help"])
        self.assertEqual(code, 0)
        for name, default in (("limit-dials", "5/min"), ("limit-messages", "20/10s"),
                              ("limit-redeems", "10/10min"), ("max-messages-per-contact", "5000"),
                              ("personal-queue-s", "120")):
            self.assertIn("--" + name, out)
            self.assertIn("Default: %s." % default, out)


class QueuePositionTests(ServerPerClass, LimitClient, unittest.TestCase):
    """Queue events go to the customers whose place changed, at most once a
    second each."""

    flags = ["--demo"]

    def waiting(self, tag):
        res, _ = self.start_chat(self.mint(new_sub(tag)))
        s = SseStream(self.edge, res["ParticipantToken"])
        self.assertEqual(s.status, 200)
        self.assertEqual(s.next_block(), {"retry": 3000})
        s.types = {"queue"}
        return res, s

    def last_position(self, s, window):
        """Every queue event arriving within window: [(time, Position)]."""
        got = []
        end = time.monotonic() + window
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return got
            try:
                e = s.next_event(left)
            except socket.timeout:
                return got
            got.append((time.monotonic(), e["json"]["Position"]))

    def test_only_changed_places_are_told_at_most_once_a_second(self):
        front = [self.waiting("front%d" % i) for i in range(3)]
        for i, (_, s) in enumerate(front):  # each told its place when it joined
            self.assertEqual(s.next_event()["json"]["Position"], i + 1)
        back, back_s = self.waiting("back")
        self.assertEqual(back_s.next_event()["json"]["Position"], 4)
        # a change at the back: nobody in front hears of it, not even from
        # the tick (which runs every second)
        self.waiting("later")
        time.sleep(1.5)
        for i, (_, s) in enumerate(front):
            self.assertTrue(s.quiet(0.05), "front %d told %r" % (i, getattr(s, "unexpected", 0)))
        # rapid changes in front of "back": at most one event a second, and
        # the final place arrives
        for res, s in front:
            self.assertEqual(self.p(res["ParticipantToken"], "disconnect").status, 200)
            s.close()
        told = self.last_position(back_s, 3.2)
        self.assertTrue(told)
        self.assertEqual(told[-1][1], 1, told)
        self.assertLessEqual(len(told), 3, told)
        for (t0, _), (t1, _) in zip(told, told[1:]):
            self.assertGreater(t1 - t0, 0.8, told)  # once a second (loopback jitter allowed)
        back_s.close()


class PersonalQueueTests(ServerPerClass, LimitClient, unittest.TestCase):
    flags = ["--demo", "--personal-queue-s", "2"]

    def queue(self, agent, name=None):
        path = "/api/agent/queue"
        if name is not None:
            path += "?queue=" + urllib.parse.quote(name)
        r = self.edge.request("GET", path, {"Authorization": "Bearer " + agent})
        self.assertEqual(r.status, 200, r)
        return r.json()["Contacts"]

    def owner(self):
        """An agent and the name of its personal queue ("agent:" and the
        first 16 bytes of SHA-256 of its sub, in hex)."""
        sub = new_sub("owner")
        return (self.mint(sub, "Owner", role="agent"),
                "agent:" + hashlib.sha256(sub.encode()).hexdigest()[:32])

    def test_personal_queue_is_private_until_it_falls_back(self):
        owner, personal = self.owner()
        other = self.agent("other")
        sub = new_sub("vip")
        email = sub + "@example.com"
        r = self.site(owner, "adhoc", {"attendeeEmail": email})
        self.assertEqual(r.status, 200, r)
        r = self.redeem(self.mint_email(sub, email), r.json()["routeId"])
        self.assertEqual(r.status, 200, r)
        contact = r.json()["data"]["startChatResult"]["ContactId"]
        self.assertIn(contact, [c["ContactId"] for c in self.queue(owner)])
        self.assertIn(contact, [c["ContactId"] for c in self.queue(owner, personal)])
        # another agent: not in their queue, not when asking for it by name, no accept
        self.assertNotIn(contact, [c["ContactId"] for c in self.queue(other)])
        self.assertEqual(self.queue(other, personal), [])
        r = self.site(other, "agent/accept", {"ContactId": contact})
        assert_json_error(self, r, 404, "not_found")
        # past --personal-queue-s it waits in the default queue, for everyone
        deadline = time.monotonic() + 6
        seen = []
        while time.monotonic() < deadline:
            seen = [c for c in self.queue(other) if c["ContactId"] == contact]
            if seen:
                break
            time.sleep(0.2)
        self.assertEqual(len(seen), 1, "never fell back to the default queue")
        self.assertEqual(seen[0]["Priority"], 1)  # it keeps its place in line
        self.assertEqual(self.queue(owner, personal), [])
        self.accept(other, contact)

    def test_owner_accepts_from_own_queue(self):
        owner, _ = self.owner()
        sub = new_sub("own-cust")
        email = sub + "@example.com"
        code = self.site(owner, "adhoc", {"attendeeEmail": email}).json()["routeId"]
        r = self.redeem(self.mint_email(sub, email), code)
        self.assertEqual(r.status, 200, r)
        self.accept(owner, r.json()["data"]["startChatResult"]["ContactId"])


if __name__ == "__main__":
    unittest.main()
