"""Several edge nodes sharing one Redis (--store redis://), behind haproxy.

- ClusterTests (one cluster for the class): the harness is healthy; a chat
  started on node A is resumed on node B; a message sent via A reaches an
  event stream held by C; an agent's console requests each on another node;
  races across nodes (16 starts of one identity, 12 redeems of one code,
  agents racing to accept) each with one winner.
- NodeLossTests (a cluster per test): kill -9 of a node holding streams
  (the clients reconnect through haproxy with Last-Event-ID, miss nothing,
  see nothing twice); a call ringing when the node that rang it died still
  times out and moves on; kill -9 of redis-server (AOF, fsync always) loses
  no acknowledged message; Redis lost while running (503 store_unavailable
  at once, streams end, everything works again once it is back).
- StartupTests: Redis unreachable at start: exit 2 with one line.

Readers and token helpers come from tests/integration (edge.py,
test_chat.py); every socket operation has a deadline."""

import json
import socket
import threading
import time
import unittest
import urllib.parse

from cluster import Cluster, free_port
from edge import ConnectionClosed, assert_json_error, metric, run_edge
from test_chat import API, JSON, SseStream, new_sub

FLAGS = ["--demo", "--limit-dials", "0", "--limit-messages", "0", "--limit-redeems", "0",
         "--no-agent-timeout-s", "0", "--caller-gone-s", "0"]
RING_TIMEOUT_S = 2
RECOVER_S = 10.0  # Redis back (reconnect backoff up to 2 s) or a dead node taken out


class ClusterClient:
    """Mixin: requests to one endpoint (a node, or haproxy), given as via."""

    def mint(self, via, sub, role="customer", name=None, email=None):
        q = {"sub": sub, "role": role, "email": email or sub + "@example.com"}
        if name is not None:
            q["name"] = name
        r = via.get("/demo/token?" + urllib.parse.urlencode(q))
        self.assertEqual(r.status, 200, r)
        return r.json()["token"]

    def site(self, via, token, path, body=None, method="POST", timeout=5.0):
        headers = {"Authorization": "Bearer " + token}
        data = b""
        if body is not None:
            headers["Content-Type"] = JSON
            data = json.dumps(body)
        return via.request(method, API + path, headers, data, timeout=timeout)

    def p(self, via, ptoken, path, body=None, timeout=5.0):
        return via.request("POST", API + "participant/" + path,
                           {"X-Amz-Bearer": ptoken, "Content-Type": JSON},
                           json.dumps(body if body is not None else {}), timeout=timeout)

    def start_chat(self, via, token, body=None, status=200):
        r = self.site(via, token, "startChatContact",
                      body or {"ParticipantDetails": {"DisplayName": "Customer"}})
        self.assertEqual(r.status, status, r)
        return r.json()["data"] if status == 200 else r

    def customer(self, via, tag="cust"):
        """A new customer's open chat: (site token, startChatResult)."""
        tok = self.mint(via, new_sub(tag))
        return tok, self.start_chat(via, tok)["startChatResult"]

    def say(self, via, ptoken, content):
        r = self.p(via, ptoken, "message", {"ContentType": "text/plain", "Content": content})
        self.assertEqual(r.status, 200, r)
        return r.json()

    def transcript(self, via, ptoken):
        r = self.p(via, ptoken, "transcript", {"MaxResults": 100})
        self.assertEqual(r.status, 200, r)
        return [m["Content"] for m in r.json()["Transcript"] if m.get("Type") == "MESSAGE"]

    def stream(self, via, ptoken, last_event_id=None):
        s = SseStream(via, ptoken, last_event_id=last_event_id)
        self.assertEqual(s.status, 200, "event stream answered %s" % s.status)
        self.assertEqual(s.next_block(), {"retry": 3000})
        return s

    def queue_item(self, via, agent_token, contact_id):
        r = self.site(via, agent_token, "agent/queue", method="GET")
        self.assertEqual(r.status, 200, r)
        items = [c for c in r.json()["Contacts"] if c["ContactId"] == contact_id]
        return items[0] if items else None

    def available_agent(self, via, tag):
        tok = self.mint(via, new_sub(tag), role="agent", name=tag)
        r = self.site(via, tok, "agent/status", {"status": "available"})
        self.assertEqual(r.status, 200, r)
        time.sleep(0.01)  # distinct status times: the idle-longest order is defined
        return tok

    def race(self, jobs):
        """Run the callables at once (a barrier); their results in order."""
        results = [None] * len(jobs)
        barrier = threading.Barrier(len(jobs))

        def run(i):
            barrier.wait(timeout=10)
            try:
                results[i] = jobs[i]()
            except Exception as e:  # reported through the results
                results[i] = e

        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        return results


def stop_ok(tc, cluster, killed=()):
    """Stop the cluster; every node not killed must exit 0 (sanitizers)."""
    codes = cluster.stop()
    for i, rc in enumerate(codes):
        if i not in killed:
            tc.assertEqual(rc, 0, "node %d exit code %r" % (i, rc))


# ---------------------------------------------------------------------------

class ClusterTests(ClusterClient, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cluster = Cluster(3, FLAGS).start()
        cls.lb = cls.cluster.endpoint
        cls.a, cls.b, cls.c = cls.cluster.nodes

    @classmethod
    def tearDownClass(cls):
        codes = cls.cluster.stop()
        if any(rc != 0 for rc in codes):
            raise AssertionError("node exit codes %r" % codes)

    def test_the_cluster_is_up_and_haproxy_answers(self):
        for i, node in enumerate(self.cluster.nodes):
            self.assertEqual(node.get("/healthz").status, 200)
            self.assertEqual(metric(node.metrics(), "c2c_store_up"), 1, "node %d" % i)
        for _ in range(6):  # round-robin: every node answers through haproxy
            self.assertEqual(self.lb.get("/healthz").status, 200)
        self.mint(self.lb, new_sub("lb"))

    def test_a_chat_started_on_a_is_resumed_on_b(self):
        tok = self.mint(self.lb, new_sub("resume"))
        first = self.start_chat(self.a, tok)
        self.assertIs(first["resumed"], False)
        again = self.start_chat(self.b, tok)
        self.assertIs(again["resumed"], True)
        self.assertEqual(again["startChatResult"]["ContactId"],
                         first["startChatResult"]["ContactId"])
        # the participant token made on A is good on C
        pt = again["startChatResult"]["ParticipantToken"]
        self.say(self.c, pt, "hello from C")
        self.assertEqual(self.transcript(self.a, pt), ["hello from C"])

    def test_a_message_sent_via_a_reaches_a_stream_held_by_c(self):
        _, res = self.customer(self.b)
        with self.stream(self.c, res["ParticipantToken"]) as s:
            sent = self.say(self.a, res["ParticipantToken"], "across nodes")
            ev = s.next_event()
            while ev["event"] != "message":
                ev = s.next_event()
            self.assertEqual(ev["json"]["Content"], "across nodes")
            self.assertEqual(ev["json"]["Id"], sent["Id"])
            self.assertEqual((ev["json"]["ContactId"], ev["json"]["ParticipantRole"]),
                             (res["ContactId"], "CUSTOMER"))
            self.assertTrue(s.quiet())  # once only

    def test_an_agents_console_with_every_request_on_another_node(self):
        agent = self.mint(self.lb, new_sub("agent"), role="agent", name="Ada")
        r = self.site(self.a, agent, "agent/status", {"status": "available"})
        self.assertEqual(r.status, 200, r)
        _, res = self.customer(self.lb)
        cid = res["ContactId"]
        with self.stream(self.c, res["ParticipantToken"]) as s:
            s.types = {"message", "participant.joined", "contact.state"}
            r = self.site(self.b, agent, "agent/accept", {"ContactId": cid})
            self.assertEqual(r.status, 200, r)
            apt = r.json()["ParticipantToken"]
            self.say(self.c, apt, "how can I help?")
            r = self.site(self.a, agent, "agent/end", {"ContactId": cid})
            self.assertEqual(r.status, 200, r)
            seen = []
            while "how can I help?" not in seen or "ENDED" not in seen:
                ev = s.next_event()
                seen.append(ev["json"].get("Content") or ev["json"].get("State")
                            or ev["event"])
                if ev["event"] == "message":  # the agent's, named as the agent
                    self.assertEqual((ev["json"]["DisplayName"], ev["json"]["ParticipantRole"],
                                      ev["json"]["ContactId"]), ("Ada", "AGENT", cid))
            self.assertIn("participant.joined", seen)
        # the customer's token still reads the transcript (the agent's stops at the end)
        self.assertIn("how can I help?", self.transcript(self.b, res["ParticipantToken"]))

    def test_16_concurrent_starts_of_one_identity_make_one_chat(self):
        tok = self.mint(self.lb, new_sub("racer"))
        nodes = self.cluster.nodes
        results = self.race([lambda i=i: self.site(nodes[i % 3], tok, "startChatContact",
                                                   {"ParticipantDetails": {"DisplayName": "R"}})
                             for i in range(16)])
        for r in results:
            self.assertFalse(isinstance(r, Exception), r)
            self.assertEqual(r.status, 200, r)
        data = [r.json()["data"] for r in results]
        self.assertEqual(len({d["startChatResult"]["ContactId"] for d in data}), 1)
        self.assertEqual(sorted(d["resumed"] for d in data), [False] + [True] * 15)

    def test_12_concurrent_redeems_of_one_code_have_one_winner(self):
        agent = self.mint(self.lb, new_sub("agent"), role="agent")
        email = new_sub("race") + "@example.com"
        r = self.site(self.a, agent, "adhoc", {"attendeeEmail": email})
        self.assertEqual(r.status, 200, r)
        route = r.json()["routeId"]
        tokens = [self.mint(self.lb, new_sub("redeemer"), email=email) for _ in range(12)]
        nodes = self.cluster.nodes
        results = self.race([lambda i=i: self.site(nodes[i % 3], tokens[i], "startChatContact",
                                                   {"Attributes": {"videoReferenceId": route}})
                             for i in range(12)])
        statuses = sorted(getattr(r, "status", repr(r)) for r in results)
        self.assertEqual(statuses, [200] + [409] * 11, results)

    def test_agents_on_different_nodes_racing_to_accept_have_one_winner(self):
        agents = [self.mint(self.lb, new_sub("agent"), role="agent") for _ in range(6)]
        _, res = self.customer(self.lb)
        nodes = self.cluster.nodes
        results = self.race([lambda i=i: self.site(nodes[i % 3], agents[i], "agent/accept",
                                                   {"ContactId": res["ContactId"]})
                             for i in range(6)])
        statuses = sorted(getattr(r, "status", repr(r)) for r in results)
        self.assertEqual(statuses, [200] + [409] * 5, results)
        for r in results:
            if r.status == 409:
                assert_json_error(self, r, 409, "conflict")


# ---------------------------------------------------------------------------

class Follower:
    """One customer's event stream through haproxy that reconnects with
    Last-Event-ID whenever its connection ends, recording every event."""

    def __init__(self, tc, via, ptoken):
        self.tc, self.via, self.ptoken = tc, via, ptoken
        self.ids, self.messages, self.reconnects = [], [], 0
        self.s = tc.stream(via, ptoken)

    def read_until(self, contents, timeout):
        deadline = time.monotonic() + timeout
        while not all(c in self.messages for c in contents):
            left = deadline - time.monotonic()
            self.tc.assertGreater(left, 0, "missing %r; have %r"
                                  % ([c for c in contents if c not in self.messages],
                                     self.messages))
            try:
                b = self.s.next_block(min(left, 3.0))
            except socket.timeout:
                continue  # a slow machine: keep waiting, on the same stream, until the deadline
            except (ConnectionClosed, ConnectionError, OSError):
                self.reconnect()  # its node died (or haproxy closed it): another node serves
                continue
            if "id" not in b:
                continue
            self.ids.append(b["id"])
            if b.get("event") == "message":
                self.messages.append(json.loads(b["data"])["Content"])

    def reconnect(self):
        self.s.close()
        self.reconnects += 1
        last = self.ids[-1] if self.ids else None
        deadline = time.monotonic() + RECOVER_S
        while True:
            try:
                self.s = self.tc.stream(self.via, self.ptoken, last)
                return
            except (ConnectionError, socket.timeout, OSError, AssertionError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def close(self):
        self.s.close()


class NodeLossTests(ClusterClient, unittest.TestCase):
    flags = FLAGS + ["--ring-timeout-s", str(RING_TIMEOUT_S)]

    def setUp(self):
        self.cluster = Cluster(3, self.flags).start()
        self.lb = self.cluster.endpoint
        self.killed = set()

    def tearDown(self):
        stop_ok(self, self.cluster, self.killed)

    def kill_node(self, i):
        self.cluster.kill_node(i)
        self.killed.add(i)

    def test_streams_on_a_killed_node_reconnect_and_miss_nothing(self):
        chats = [self.customer(self.lb)[1]["ParticipantToken"] for _ in range(6)]
        followers = [Follower(self, self.lb, pt) for pt in chats]  # two on each node
        try:
            before = ["before %d" % i for i in range(3)]
            after = ["after %d" % i for i in range(3)]
            for pt in chats:
                for text in before:
                    self.say(self.lb, pt, text)
            for f in followers:
                f.read_until(before, 5.0)
            self.kill_node(0)
            for pt in chats:
                for text in after:  # haproxy retries what met the dead node elsewhere
                    self.say(self.lb, pt, text)
            for f in followers:
                f.read_until(before + after, RECOVER_S)
            for f in followers:
                self.assertEqual(f.messages, before + after)  # nothing missed, nothing twice
                self.assertEqual(f.ids, sorted(set(f.ids)))
            self.assertGreaterEqual(sum(f.reconnects for f in followers), 1,
                                    "no stream was on the killed node")
        finally:
            for f in followers:
                f.close()

    def test_a_call_rung_by_a_dead_node_still_times_out_and_moves_on(self):
        a, b, c = self.cluster.nodes
        first = self.available_agent(b, "first")
        second = self.available_agent(b, "second")
        tok = self.mint(a, new_sub("caller"))
        r = self.site(a, tok, "dial", {"toNumber": "(703) 555-0122"})
        self.assertEqual(r.status, 200, r)
        cid = r.json()["dialInfo"]["SipMediaApplicationCall"]["TransactionId"]
        # offering is a job after the dial's answer: it rings the first agent soon after
        self.wait_offer(b, first, cid, 5.0)
        self.kill_node(0)
        self.wait_offer(c, second, cid, RING_TIMEOUT_S + RECOVER_S)
        self.assertEqual(self.queue_item(b, first, cid)["OfferedTo"], False)

    def wait_offer(self, via, agent_token, cid, timeout):
        """Until agent_token's queue shows cid ringing them."""
        deadline = time.monotonic() + timeout
        while True:
            item = self.queue_item(via, agent_token, cid)
            if item and (item["State"], item["OfferedTo"]) == ("RINGING", True):
                return
            self.assertLess(time.monotonic(), deadline, "never rang this agent: %r" % item)
            time.sleep(0.05)

    def wait_store_back(self, via, ptoken):
        deadline = time.monotonic() + RECOVER_S
        while True:
            r = self.p(via, ptoken, "transcript", {"MaxResults": 100})
            if r.status == 200:
                return
            self.assertLess(time.monotonic(), deadline, "the store never came back: %r" % r)
            time.sleep(0.1)

    def test_kill_9_of_redis_loses_no_acknowledged_message(self):
        nodes = self.cluster.nodes
        _, res = self.customer(self.lb)
        pt = res["ParticipantToken"]
        sent = ["durable %d" % i for i in range(20)]
        for i, text in enumerate(sent):
            self.say(nodes[i % 3], pt, text)  # each one acknowledged (200)
        self.cluster.redis.kill9()
        self.cluster.redis.start()
        self.wait_store_back(nodes[1], pt)
        self.assertEqual(self.transcript(nodes[2], pt), sent)

    def test_redis_lost_while_running_then_back(self):
        a, b, c = self.cluster.nodes
        _, res = self.customer(a)
        pt = res["ParticipantToken"]
        s = self.stream(b, pt)
        try:
            self.cluster.redis.kill9()
            # fails fast: answered within the 1 s socket deadline, never held
            deadline = time.monotonic() + 2.0
            while True:
                r = self.p(a, pt, "message", {"ContentType": "text/plain", "Content": "x"},
                           timeout=1.0)
                if r.status == 503 or time.monotonic() > deadline:
                    break
                time.sleep(0.05)  # the node has not seen the socket close yet
            assert_json_error(self, r, 503, "store_unavailable")
            self.assertEqual(metric(a.metrics(), "c2c_store_up"), 0)
            # the stream on B ends, so its client reconnects
            with self.assertRaises((ConnectionClosed, ConnectionError, OSError)):
                while True:
                    s.next_block(3.0)
        finally:
            s.close()
        self.cluster.redis.start()
        self.wait_store_back(c, pt)
        self.say(a, pt, "back again")
        self.assertEqual(metric(a.metrics(), "c2c_store_up"), 1)
        with self.stream(b, pt) as again:
            ev = again.next_event()
            while ev["event"] != "message" or ev["json"]["Content"] != "back again":
                ev = again.next_event()


# ---------------------------------------------------------------------------

class StartupTests(unittest.TestCase):
    def test_redis_unreachable_at_start_exits_2_with_one_line(self):
        url = "redis://127.0.0.1:%d/0" % free_port()
        rc, out, err = run_edge(["--store", url, "--listen", "127.0.0.1:0"])
        self.assertEqual(rc, 2, err)
        lines = err.strip().splitlines()
        self.assertEqual(len(lines), 1, err)
        self.assertIn(url, lines[0])

    def test_a_redis_url_with_a_host_name_exits_2_with_one_line(self):
        rc, out, err = run_edge(["--store", "redis://redis.example:6379",
                                 "--listen", "127.0.0.1:0"])
        self.assertEqual(rc, 2, err)
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertIn("--store", err)


if __name__ == "__main__":
    unittest.main()
