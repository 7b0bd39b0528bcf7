"""Agents: the agent routes (status, queue, accept, end, history), their
authorization, the public availability check, queue position events, the
accept race, and a full conversation between a customer and an agent
(messages, typing, read receipts, transcript) up to the agent ending it.

Every test runs its own server (--demo, fresh --data): availability and
queues are global state, so tests must not see each other's contacts.

The constants come from test_chat.py. This file keeps its own event-stream
reader (Sse): unlike test_chat's SseStream it returns events of every type
and checks the opening retry block itself, which these tests rely on."""

import json
import re
import socket
import threading
import time
import unittest
import urllib.parse
import uuid

from edge import Conn, ConnectionClosed, Edge, assert_json_error, parse_head

from test_chat import API, JSON, LIVE_TIMEOUT, READ, TIME_RE, TYPING, new_sub

QUIET_WINDOW = 0.5   # "nothing arrives" is checked over this long (test_chat uses 0.4)


# ---------------------------------------------------------------------------
# Server-Sent Events over a raw socket

class Sse:
    """GET /api/participant/events (X-Amz-Bearer: token), read incrementally.

    Every event (of any type) comes back as a dict: id (int), event (type),
    json (the parsed data). Ids must strictly increase on one stream;
    comment blocks (heartbeats) are dropped."""

    def __init__(self, edge, ptoken, timeout=5.0):
        self.conn = Conn(edge.host, edge.port, timeout)
        self.text = ""
        self.pending = b""
        self.ended = False
        self.last_id = None
        self.conn.send_request("GET", API + "participant/events",
                               [("X-Amz-Bearer", ptoken), ("Accept", "text/event-stream")])
        head = self.conn._read_until(b"\r\n\r\n", time.monotonic() + timeout)
        self.status, _, _, self.headers = parse_head(head)
        if self.status != 200:
            raise AssertionError("event stream answered %d" % self.status)
        first = self._block(LIVE_TIMEOUT)
        if first != {"retry": 3000}:
            raise AssertionError("stream did not start with retry: %r" % first)

    def close(self):
        self.conn.close()

    def _dechunk(self):
        buf = self.conn.buf
        while not self.ended:
            nl = buf.find(b"\r\n")
            if nl < 0:
                break
            size = int(buf[:nl].split(b";")[0].strip(), 16)
            if size == 0:
                self.ended = True
                buf = buf[nl + 2:]
                break
            if len(buf) < nl + 2 + size + 2:
                break
            self.pending += buf[nl + 2:nl + 2 + size]
            buf = buf[nl + 2 + size + 2:]
        self.conn.buf = buf
        try:
            self.text += self.pending.decode("utf-8")
            self.pending = b""
        except UnicodeDecodeError:
            pass  # the rest of a split character is still on its way

    def _block(self, timeout):
        deadline = time.monotonic() + timeout
        self._dechunk()
        while True:
            while "\n\n" in self.text:
                block, self.text = self.text.split("\n\n", 1)
                fields, data = {}, []
                for line in block.split("\n"):
                    if not line or line.startswith(":"):
                        continue
                    name, _, value = line.partition(":")
                    if value.startswith(" "):
                        value = value[1:]
                    if name == "data":
                        data.append(value)
                    elif name in ("id", "retry"):
                        fields[name] = int(value)
                    else:
                        fields[name] = value
                if data:
                    fields["data"] = "\n".join(data)
                if fields:
                    return fields
            if self.ended:
                raise ConnectionClosed("SSE body ended; have %r" % self.text[:300])
            left = deadline - time.monotonic()
            if left <= 0:
                raise socket.timeout("no SSE event in time")
            try:
                if not self.conn._fill(left):
                    raise ConnectionClosed("SSE stream closed")
            except socket.timeout:
                raise socket.timeout("no SSE event in time")
            self._dechunk()

    def next(self, timeout=LIVE_TIMEOUT):
        """The next event, whatever its type."""
        b = self._block(timeout)
        if "id" not in b or "event" not in b:
            raise AssertionError("expected an event, got %r" % b)
        if self.last_id is not None and b["id"] <= self.last_id:
            raise AssertionError("event id %d after %d" % (b["id"], self.last_id))
        self.last_id = b["id"]
        b["json"] = json.loads(b.get("data", "null"))
        return b

    def until(self, pred, timeout=LIVE_TIMEOUT, what="event"):
        """Read until an event satisfies pred; returns (event, skipped)."""
        deadline = time.monotonic() + timeout
        skipped = []
        while True:
            left = deadline - time.monotonic()
            try:
                e = self.next(max(0.001, left))
            except socket.timeout:
                raise AssertionError("no %s within %.1f s; saw %r"
                                     % (what, timeout, [(x["event"], x["json"]) for x in skipped]))
            if pred(e):
                return e, skipped
            skipped.append(e)

    def until_type(self, etype, timeout=LIVE_TIMEOUT):
        return self.until(lambda e: e["event"] == etype, timeout, etype)

    def drain(self, window=QUIET_WINDOW):
        """Every event until none arrives within window seconds."""
        got = []
        while True:
            try:
                got.append(self.next(window))
            except socket.timeout:
                return got


# ---------------------------------------------------------------------------

class AgentTestCase(unittest.TestCase):
    """One fresh server per test."""

    def setUp(self):
        self.edge = Edge(["--demo"])
        self.edge.start()
        self.streams = []

    def tearDown(self):
        for s in self.streams:
            s.close()
        try:
            self.edge.stop_ok(self)
        finally:
            self.edge.kill()
            self.edge.cleanup()

    # -- tokens and calls ---------------------------------------------------

    def mint(self, sub, name=None, role="customer"):
        q = {"sub": sub, "role": role, "email": sub + "@example.com"}
        if name is not None:
            q["name"] = name
        r = self.edge.get("/demo/token?" + urllib.parse.urlencode(q, quote_via=urllib.parse.quote))
        self.assertEqual(r.status, 200, r)
        return r.json()["token"]

    def agent(self, name):
        return self.mint(new_sub("agent"), name, role="agent")

    def call(self, method, path, token=None, body=None, conn=None):
        headers = {}
        if token is not None:
            headers["Authorization"] = "Bearer " + token
        if body is not None:
            headers["Content-Type"] = JSON
            if not isinstance(body, (str, bytes)):
                body = json.dumps(body)
        else:
            body = b""
        if conn is None:
            return self.edge.request(method, API + path, headers, body)
        conn.send_request(method, API + path, headers, body)
        return conn.read_response(method, timeout=10)

    def ok(self, method, path, token=None, body=None):
        r = self.call(method, path, token, body)
        self.assertEqual(r.status, 200, r)
        return r.json()

    def availability(self, query=""):
        r = self.edge.get(API + "availability" + query)
        self.assertEqual(r.status, 200, r)
        return r.json()

    def set_status(self, agent_token, status):
        self.assertEqual(self.ok("POST", "agent/status", agent_token, {"status": status}),
                         {"status": status})

    def queue(self, agent_token):
        return self.ok("GET", "agent/queue", agent_token)["Contacts"]

    def history(self, agent_token):
        return self.ok("GET", "agent/history", agent_token)["Contacts"]

    def start_chat(self, token, display="Customer", attributes=None, initial=None):
        body = {"ParticipantDetails": {"DisplayName": display}}
        if attributes is not None:
            body["Attributes"] = attributes
        if initial is not None:
            body["InitialMessage"] = {"ContentType": "text/plain", "Content": initial}
        return self.ok("POST", "startChatContact", token, body)["data"]

    def customer(self, name="Customer", attributes=None, initial=None):
        """A new customer with an open chat: (site token, startChatResult)."""
        tok = self.mint(new_sub("cust"), name)
        data = self.start_chat(tok, name, attributes, initial)
        self.assertIs(data["resumed"], False)
        return tok, data["startChatResult"]

    def accept(self, agent_token, contact_id):
        r = self.call("POST", "agent/accept", agent_token, {"ContactId": contact_id})
        self.assertEqual(r.status, 200, r)
        return r.json()

    def end(self, agent_token, contact_id):
        return self.call("POST", "agent/end", agent_token, {"ContactId": contact_id})

    def p(self, ptoken, path, body=None):
        return self.edge.request("POST", API + "participant/" + path,
                                 {"X-Amz-Bearer": ptoken, "Content-Type": JSON},
                                 json.dumps(body if body is not None else {}))

    def say(self, ptoken, content):
        r = self.p(ptoken, "message", {"ContentType": "text/plain", "Content": content})
        self.assertEqual(r.status, 200, r)
        return r.json()

    def signal(self, ptoken, body):
        r = self.p(ptoken, "event", body)
        self.assertEqual(r.status, 200, r)
        return r.json()

    def transcript(self, ptoken):
        items, token = [], None
        for _ in range(100):
            body = {"MaxResults": 100}
            if token is not None:
                body["NextToken"] = token
            r = self.p(ptoken, "transcript", body)
            self.assertEqual(r.status, 200, r)
            page = r.json()
            items += page["Transcript"]
            token = page.get("NextToken")
            if token is None:
                return page["InitialContactId"], items
        self.fail("NextToken never ends")

    def stream(self, ptoken):
        s = Sse(self.edge, ptoken)
        self.streams.append(s)
        return s


# ---------------------------------------------------------------------------

class AgentAuthorizationTests(AgentTestCase):
    def test_agent_routes_refuse_customers_and_anonymous(self):
        cust_tok, res = self.customer("Waiting Wanda")
        cid = res["ContactId"]
        routes = [("POST", "agent/status", {"status": "available"}),
                  ("GET", "agent/queue", None),
                  ("POST", "agent/accept", {"ContactId": cid}),
                  ("POST", "agent/end", {"ContactId": cid}),
                  ("GET", "agent/history", None)]
        for method, path, body in routes:
            with self.subTest(path=path, who="customer"):
                assert_json_error(self, self.call(method, path, cust_tok, body), 403,
                                  "agents_only")
            with self.subTest(path=path, who="nobody"):
                r = self.call(method, path, None, body)
                assert_json_error(self, r, 401)
                self.assertTrue(r.has("www-authenticate"), r)
            with self.subTest(path=path, who="garbage token"):
                assert_json_error(self, self.call(method, path, "not.a.jwt", body), 401)
        # none of the refused calls had an effect
        self.assertEqual(self.availability(), {"queue": "", "available": False,
                                               "agentsAvailable": 0, "queueDepth": 1})
        agent = self.agent("Real Agent")
        self.assertEqual([c["ContactId"] for c in self.queue(agent)], [cid])
        # an agent token passes the same routes
        self.set_status(agent, "available")
        self.assertEqual(self.history(agent), [])
        self.assertEqual(self.accept(agent, cid)["ContactId"], cid)
        self.assertEqual(self.end(agent, cid).status, 200)


class AvailabilityTests(AgentTestCase):
    def test_availability_follows_agents_and_queue(self):
        self.assertEqual(self.availability(), {"queue": "", "available": False,
                                               "agentsAvailable": 0, "queueDepth": 0})
        a1, a2 = self.agent("Agent One"), self.agent("Agent Two")
        self.set_status(a1, "available")
        self.assertEqual(self.availability(), {"queue": "", "available": True,
                                               "agentsAvailable": 1, "queueDepth": 0})
        self.set_status(a1, "available")  # idempotent: one agent counted once
        self.assertEqual(self.availability()["agentsAvailable"], 1)
        self.set_status(a2, "available")
        self.assertEqual(self.availability()["agentsAvailable"], 2)
        self.set_status(a2, "offline")
        self.assertEqual(self.availability()["agentsAvailable"], 1)

        tok, res = self.customer("Queued Quinn")
        self.assertEqual(self.availability(), {"queue": "", "available": True,
                                               "agentsAvailable": 1, "queueDepth": 1})
        # a resume (same sub) is not a second contact
        self.assertIs(self.start_chat(tok, "Queued Quinn")["resumed"], True)
        self.assertEqual(self.availability()["queueDepth"], 1)
        self.accept(a1, res["ContactId"])
        self.assertEqual(self.availability(), {"queue": "", "available": True,
                                               "agentsAvailable": 1, "queueDepth": 0})
        # a customer who gives up leaves the queue too
        _, res2 = self.customer("Leaving Lee")
        self.assertEqual(self.availability()["queueDepth"], 1)
        self.assertEqual(self.p(res2["ParticipantToken"], "disconnect").status, 200)
        self.assertEqual(self.availability()["queueDepth"], 0)

        self.set_status(a1, "offline")
        self.assertEqual(self.availability(), {"queue": "", "available": False,
                                               "agentsAvailable": 0, "queueDepth": 0})

    def test_status_rejects_bad_values(self):
        agent = self.agent("Agent Bad")
        for name, body in {
                "unknown value": {"status": "busy"},
                "wrong case": {"status": "Available"},
                "empty": {"status": ""},
                "number": {"status": 1},
                "null": {"status": None},
                "missing": {},
                "array body": [1],
                "not JSON": "{nope",
        }.items():
            with self.subTest(name):
                assert_json_error(self, self.call("POST", "agent/status", agent, body), 400)
        self.assertEqual(self.availability()["agentsAvailable"], 0)
        self.set_status(agent, "available")
        assert_json_error(self, self.call("POST", "agent/status", agent, {"status": "busy"}), 400)
        self.assertEqual(self.availability()["agentsAvailable"], 1,
                         "a rejected status changed the agent's state")

    def test_queue_parameter(self):
        self.customer("Default Queue Dana")
        agent = self.agent("Agent Q")
        self.assertEqual(self.availability("?queue=")["queue"], "")
        self.assertEqual(self.availability("?queue=")["queueDepth"], 1)
        named = self.availability("?queue=sales")
        self.assertEqual(named["queue"], "sales")
        self.assertEqual(named["queueDepth"], 0)
        self.assertEqual(self.queue(agent)[0]["CustomerName"], "Default Queue Dana")
        r = self.call("GET", "agent/queue?queue=sales", agent)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"Contacts": []})
        self.assertEqual(self.availability("?queue=" + "q" * 127)["queue"], "q" * 127)
        for n in (128, 200):
            with self.subTest(bytes=n):
                assert_json_error(self, self.edge.get(API + "availability?queue=" + "q" * n),
                                  400)
                assert_json_error(self, self.call("GET", "agent/queue?queue=" + "q" * n, agent),
                                  400)


class QueueTests(AgentTestCase):
    def test_queue_lists_contacts_in_service_order(self):
        agent = self.agent("Agent Lister")
        sent = [("Ann First", {"page": "/pricing", "plan": "pro"}),
                ("Bob Second", {"page": "/help"}),
                ("Cy Third", None)]
        results = []
        for name, attrs in sent:
            results.append(self.customer(name, attrs)[1])
            time.sleep(0.01)  # distinct creation times
        time.sleep(1.05)  # so the oldest has waited at least a second
        contacts = self.queue(agent)
        self.assertEqual([c["ContactId"] for c in contacts], [r["ContactId"] for r in results])
        self.assertEqual([c["Position"] for c in contacts], [1, 2, 3])
        for c, (name, attrs) in zip(contacts, sent):
            self.assertEqual(c["Kind"], "CHAT", c)
            self.assertEqual(c["CustomerName"], name, c)
            self.assertTrue(c["CustomerEmail"].endswith("@example.com"), c)
            self.assertRegex(c["CreatedAt"], TIME_RE)
            self.assertIsInstance(c["Priority"], int)
            self.assertIsInstance(c["WaitSeconds"], int)
            self.assertGreaterEqual(c["WaitSeconds"], 1, c)
            if attrs is None:
                self.assertIn(c.get("Attributes"), (None, {}), c)
            else:
                self.assertEqual(c["Attributes"], attrs, c)
            self.assertNotIn("PreviousContactId", c)
            self.assertNotIn("EndReason", c)
        self.assertEqual(len({c["Priority"] for c in contacts}), 1)
        waits = [c["WaitSeconds"] for c in contacts]
        self.assertEqual(waits, sorted(waits, reverse=True), "older contacts waited less")
        self.assertEqual(sorted(c["CreatedAt"] for c in contacts),
                         [c["CreatedAt"] for c in contacts])
        # accepting the middle one leaves the others, renumbered
        self.accept(agent, results[1]["ContactId"])
        after = self.queue(agent)
        self.assertEqual([(c["ContactId"], c["Position"]) for c in after],
                         [(results[0]["ContactId"], 1), (results[2]["ContactId"], 2)])
        # a customer who disconnects leaves the queue
        self.assertEqual(self.p(results[0]["ParticipantToken"], "disconnect").status, 200)
        self.assertEqual([(c["ContactId"], c["Position"]) for c in self.queue(agent)],
                         [(results[2]["ContactId"], 1)])

    def test_queue_position_events(self):
        custs = [self.customer("Waiter %d" % i)[1] for i in range(3)]
        streams = [self.stream(r["ParticipantToken"]) for r in custs]
        for i, (s, r) in enumerate(zip(streams, custs)):
            evs = s.drain()
            queue_evs = [e["json"] for e in evs if e["event"] == "queue"]
            self.assertTrue(queue_evs, "customer %d got no queue event: %r" % (i + 1, evs))
            for q in queue_evs:
                self.assertEqual(q["ContactId"], r["ContactId"], q)
            last = queue_evs[-1]
            # told once, when they joined: those who joined later changed
            # nobody's place in front of them
            self.assertEqual(len(queue_evs), 1, queue_evs)
            self.assertEqual((last["Position"], last["QueueDepth"]), (i + 1, i + 1), queue_evs)
            self.assertIsInstance(last["EstimatedWaitSeconds"], (int, float))
            self.assertGreaterEqual(last["EstimatedWaitSeconds"], 0)
            states = [e["json"]["State"] for e in evs if e["event"] == "contact.state"]
            self.assertEqual(states, ["QUEUED"])
        agent = self.agent("Agent Accepting")
        self.accept(agent, custs[0]["ContactId"])
        got = []
        for i in (1, 2):
            e, skipped = streams[i].until_type("queue")
            self.assertEqual([x["event"] for x in skipped], [], skipped)
            q = e["json"]
            self.assertEqual(q["ContactId"], custs[i]["ContactId"])
            self.assertEqual((q["Position"], q["QueueDepth"]), (i, 2), q)
            got.append(q)
            self.assertEqual(streams[i].drain(0.3), [], "more than one update per change")
        self.assertLessEqual(got[0]["EstimatedWaitSeconds"], got[1]["EstimatedWaitSeconds"])
        # the accepted customer is told about the agent, and gets no more positions
        first = streams[0].drain()
        self.assertEqual([e["event"] for e in first], ["participant.joined", "contact.state"],
                         [(e["event"], e["json"]) for e in first])
        self.assertEqual(first[1]["json"]["State"], "CONNECTED")
        # the next change in the queue reaches only those still waiting
        self.assertEqual(self.p(custs[1]["ParticipantToken"], "disconnect").status, 200)
        e, _ = streams[2].until_type("queue")
        self.assertEqual((e["json"]["Position"], e["json"]["QueueDepth"]), (1, 1))
        self.assertNotIn("queue", [x["event"] for x in streams[0].drain(0.3)])


class AcceptTests(AgentTestCase):
    def test_accept_joins_the_agent(self):
        agent = self.agent("Agent Smith")
        self.set_status(agent, "available")
        _, res = self.customer("Carol Customer", {"order": "1234"}, "my parcel is late")
        cid = res["ContactId"]
        cs = self.stream(res["ParticipantToken"])
        cs.drain(0.2)
        r = self.call("POST", "agent/accept", agent, {"ContactId": cid})
        self.assertEqual(r.status, 200, r)
        self.assertIn("no-store", r.header("cache-control", ""))
        j = r.json()
        self.assertEqual(set(j), {"ContactId", "ParticipantId", "ParticipantToken"})
        self.assertEqual(j["ContactId"], cid)
        self.assertNotEqual(j["ParticipantId"], res["ParticipantId"])
        self.assertNotEqual(j["ParticipantToken"], res["ParticipantToken"])
        joined, skipped = cs.until_type("participant.joined")
        self.assertEqual(skipped, [])
        self.assertEqual(joined["json"], {"ContactId": cid, "ParticipantId": j["ParticipantId"],
                                          "DisplayName": "Agent Smith",
                                          "ParticipantRole": "AGENT"})
        state = cs.next()
        self.assertEqual(state["event"], "contact.state")
        self.assertEqual(state["json"], {"ContactId": cid, "State": "CONNECTED"})
        # the agent's token reads the same chat
        initial, items = self.transcript(j["ParticipantToken"])
        self.assertEqual(initial, cid)
        self.assertEqual([m["Content"] for m in items], ["my parcel is late"])
        # it left the queue
        self.assertEqual(self.queue(agent), [])
        # accepting again, even by the same agent: a conflict, nothing new joins
        assert_json_error(self, self.call("POST", "agent/accept", agent, {"ContactId": cid}),
                          409, "conflict")
        self.assertEqual(cs.drain(0.3), [])

    def test_accept_bad_requests(self):
        agent = self.agent("Agent Picky")
        _, res = self.customer("Pat")
        assert_json_error(self, self.call("POST", "agent/accept", agent,
                                          {"ContactId": uuid.uuid4().hex}), 404, "not_found")
        for name, body in {"missing": {}, "empty": {"ContactId": ""}, "number": {"ContactId": 7},
                           "null": {"ContactId": None}, "not JSON": "{x"}.items():
            with self.subTest(name):
                assert_json_error(self, self.call("POST", "agent/accept", agent, body), 400)
        # still waiting after all that
        self.assertEqual([c["ContactId"] for c in self.queue(agent)], [res["ContactId"]])
        # a contact the customer has already left
        self.assertEqual(self.p(res["ParticipantToken"], "disconnect").status, 200)
        assert_json_error(self, self.call("POST", "agent/accept", agent,
                                          {"ContactId": res["ContactId"]}), 409)
        self.assertEqual(self.history(agent), [])

    def test_accept_race_has_one_winner(self):
        n = 5
        _, res = self.customer("Raced Rita")
        cid = res["ContactId"]
        cs = self.stream(res["ParticipantToken"])
        cs.drain(0.2)
        names = ["Racer %d" % i for i in range(n)]
        agents = [self.agent(nm) for nm in names]
        for a in agents:
            self.set_status(a, "available")
        conns = [self.edge.connect(timeout=10) for _ in range(n)]
        barrier = threading.Barrier(n, timeout=10)
        results = [None] * n

        def run(i):
            try:
                barrier.wait()
                results[i] = self.call("POST", "agent/accept", agents[i], {"ContactId": cid},
                                       conn=conns[i])
            except Exception as e:  # reported below
                results[i] = e

        threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(n)]
        try:
            for t in threads:
                t.start()
            for t in threads:
                t.join(15)
            for t in threads:
                self.assertFalse(t.is_alive(), "an accept hung")
        finally:
            for c in conns:
                c.close()
        for r in results:
            self.assertNotIsInstance(r, Exception, r)
        statuses = [r.status for r in results]
        self.assertEqual(sorted(statuses), [200] + [409] * (n - 1), statuses)
        winner = statuses.index(200)
        for i, r in enumerate(results):
            if i != winner:
                assert_json_error(self, r, 409, "conflict")
        won = results[winner].json()
        self.assertEqual(won["ContactId"], cid)
        # exactly one agent joined, the winner
        evs = cs.drain()
        joined = [e["json"] for e in evs if e["event"] == "participant.joined"]
        self.assertEqual(len(joined), 1, evs)
        self.assertEqual(joined[0]["DisplayName"], names[winner])
        self.assertEqual(joined[0]["ParticipantId"], won["ParticipantId"])
        self.assertEqual([e["json"]["State"] for e in evs if e["event"] == "contact.state"],
                         ["CONNECTED"])
        for i, a in enumerate(agents):
            self.assertEqual([c["ContactId"] for c in self.history(a)],
                             [cid] if i == winner else [], names[i])
        # only the winner may end it
        for i, a in enumerate(agents):
            if i != winner:
                assert_json_error(self, self.end(a, cid), 404)
        self.assertEqual(self.end(agents[winner], cid).status, 200)


class ConversationTests(AgentTestCase):
    def connected(self, agent_name="Agent Ada", customer_name="Cust Cole", initial=None):
        """A customer chat accepted by a new agent, both streams open and
        read up to CONNECTED. Returns a namespace of everything."""
        agent = self.agent(agent_name)
        cust_tok, res = self.customer(customer_name, initial=initial)
        cs = self.stream(res["ParticipantToken"])
        acc = self.accept(agent, res["ContactId"])
        cs.until(lambda e: e["event"] == "contact.state" and e["json"]["State"] == "CONNECTED",
                 what="CONNECTED")
        ags = self.stream(acc["ParticipantToken"])
        e, _ = ags.until_type("contact.state")
        self.assertEqual(e["json"], {"ContactId": res["ContactId"], "State": "CONNECTED"})
        self.assertEqual(ags.drain(0.2), [])
        self.assertEqual(cs.drain(0.2), [])
        return type("Chat", (), dict(agent=agent, cust_tok=cust_tok, cid=res["ContactId"],
                                     cpt=res["ParticipantToken"], cpid=res["ParticipantId"],
                                     apt=acc["ParticipantToken"], apid=acc["ParticipantId"],
                                     cs=cs, ags=ags))

    def test_conversation_messages_typing_read_transcript(self):
        c = self.connected("Agent Ada", "Cust Cole", initial="hello, anyone there?")
        # agent -> customer
        m1 = self.say(c.apt, "Hi Cole, Ada here. How can I help?")
        e = c.cs.next()
        self.assertEqual(e["event"], "message")
        self.assertEqual(e["json"]["Id"], m1["Id"])
        self.assertEqual(e["json"]["ParticipantRole"], "AGENT")
        self.assertEqual(e["json"]["ParticipantId"], c.apid)
        self.assertEqual(e["json"]["DisplayName"], "Agent Ada")
        self.assertEqual(e["json"]["Content"], "Hi Cole, Ada here. How can I help?")
        self.assertEqual(e["json"]["ContactId"], c.cid)
        c.ags.until(lambda x: x["event"] == "message" and x["json"]["Id"] == m1["Id"])
        # customer -> agent
        m2 = self.say(c.cpt, "my invoice is wrong")
        e, skipped = c.ags.until_type("message")
        self.assertEqual(skipped, [])
        self.assertEqual(e["json"]["Id"], m2["Id"])
        self.assertEqual(e["json"]["ParticipantRole"], "CUSTOMER")
        self.assertEqual(e["json"]["ParticipantId"], c.cpid)
        self.assertEqual(e["json"]["Content"], "my invoice is wrong")
        c.cs.until(lambda x: x["event"] == "message" and x["json"]["Id"] == m2["Id"])

        # customer typing: to the agent only
        self.signal(c.cpt, {"ContentType": TYPING})
        e = c.ags.next()
        self.assertEqual(e["event"], "typing", e)
        self.assertEqual(e["json"]["ParticipantId"], c.cpid)
        self.assertEqual(e["json"]["ParticipantRole"], "CUSTOMER")
        self.assertEqual(e["json"]["DisplayName"], "Cust Cole")
        self.assertRegex(e["json"]["AbsoluteTime"], TIME_RE)
        self.assertEqual(c.cs.drain(QUIET_WINDOW), [], "the typist got its own typing event")
        m3 = self.say(c.apt, "let me check")
        e = c.cs.next()  # the next thing the customer sees is the message, no typing before it
        self.assertEqual((e["event"], e["json"]["Id"]), ("message", m3["Id"]))
        c.ags.until(lambda x: x["event"] == "message" and x["json"]["Id"] == m3["Id"])
        # agent typing: to the customer only
        self.signal(c.apt, {"ContentType": TYPING})
        e = c.cs.next()
        self.assertEqual(e["event"], "typing", e)
        self.assertEqual(e["json"]["ParticipantRole"], "AGENT")
        self.assertEqual(e["json"]["ParticipantId"], c.apid)
        self.assertEqual(e["json"]["DisplayName"], "Agent Ada")
        self.assertEqual(c.ags.drain(QUIET_WINDOW), [])

        # read receipts, both ways
        self.signal(c.cpt, {"ContentType": READ, "Content": json.dumps({"messageId": m3["Id"]})})
        e = c.ags.next()
        self.assertEqual(e["event"], "read", e)
        self.assertEqual(e["json"]["MessageId"], m3["Id"])
        self.assertEqual(e["json"]["ParticipantRole"], "CUSTOMER")
        self.assertEqual(e["json"]["ParticipantId"], c.cpid)
        self.signal(c.apt, {"ContentType": READ, "Content": json.dumps({"messageId": m2["Id"]})})
        e = c.cs.next()
        self.assertEqual(e["event"], "read", e)
        self.assertEqual(e["json"]["MessageId"], m2["Id"])
        self.assertEqual(e["json"]["ParticipantRole"], "AGENT")
        self.assertEqual(c.cs.drain(0.3), [], "the customer saw its own read receipt")
        self.assertEqual(c.ags.drain(0.01), [])

        # one transcript, the same from both sides
        cinit, citems = self.transcript(c.cpt)
        ainit, aitems = self.transcript(c.apt)
        self.assertEqual(cinit, c.cid)
        self.assertEqual(ainit, c.cid)
        self.assertEqual(citems, aitems)
        self.assertEqual([(m["ParticipantRole"], m["Content"]) for m in citems],
                         [("CUSTOMER", "hello, anyone there?"),
                          ("AGENT", "Hi Cole, Ada here. How can I help?"),
                          ("CUSTOMER", "my invoice is wrong"),
                          ("AGENT", "let me check")])
        self.assertEqual([m["Id"] for m in citems[1:]], [m1["Id"], m2["Id"], m3["Id"]])
        seqs = [m["Seq"] for m in citems]
        self.assertEqual(seqs, sorted(set(seqs)))
        self.assertEqual({m["DisplayName"] for m in citems if m["ParticipantRole"] == "AGENT"},
                         {"Agent Ada"})

    def test_agent_ends_the_contact(self):
        c = self.connected("Agent Eve", "Cust Dan")
        other = self.agent("Agent Other")
        # not theirs: 404, and the chat goes on
        assert_json_error(self, self.end(other, c.cid), 404)
        self.say(c.cpt, "still here")
        c.cs.until_type("message")
        c.ags.until_type("message")
        for name, body in {"missing": {}, "number": {"ContactId": 3}}.items():
            with self.subTest(name):
                assert_json_error(self, self.call("POST", "agent/end", c.agent, body), 400)
        assert_json_error(self, self.end(c.agent, uuid.uuid4().hex), 404)
        # the agent ends it
        r = self.end(c.agent, c.cid)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {})
        for who, s in (("customer", c.cs), ("agent", c.ags)):
            e = s.next()
            self.assertEqual(e["event"], "contact.state", (who, e))
            self.assertEqual(e["json"], {"ContactId": c.cid, "State": "ENDED",
                                         "Reason": "agent_ended"}, who)
            self.assertEqual(s.drain(0.2), [], who)
        assert_json_error(self, self.end(c.agent, c.cid), 409)
        assert_json_error(self, self.end(other, c.cid), 404)
        # nobody can talk any more; the transcript stays for the customer, and
        # the agent's ParticipantToken has ended with the contact
        late = {"ContentType": "text/plain", "Content": "late"}
        assert_json_error(self, self.p(c.cpt, "message", late), 409, "contact_ended")
        assert_json_error(self, self.p(c.apt, "message", late), 401, "invalid_participant_token")
        self.assertEqual([m["Content"] for m in self.transcript(c.cpt)[1]], ["still here"])
        assert_json_error(self, self.p(c.apt, "transcript", {}), 401,
                          "invalid_participant_token")
        # the customer's next start is a new chat linked to the ended one
        data = self.start_chat(c.cust_tok, "Cust Dan")
        self.assertIs(data["resumed"], False)
        new = data["startChatResult"]
        self.assertNotEqual(new["ContactId"], c.cid)
        self.assertEqual(data.get("previousContactId"), c.cid)
        self.assertEqual(self.transcript(new["ParticipantToken"])[1], [])
        q = self.queue(other)
        self.assertEqual([x["ContactId"] for x in q], [new["ContactId"]])
        self.assertEqual(q[0].get("PreviousContactId"), c.cid)
        self.assertEqual(self.availability()["queueDepth"], 1)
        # the old streams hear nothing of the new chat
        self.assertEqual(c.cs.drain(0.2), [])
        # ending a contact still waiting in the queue is not for any agent
        assert_json_error(self, self.end(other, new["ContactId"]), 404)
        assert_json_error(self, self.end(c.agent, new["ContactId"]), 404)
        self.assertEqual(self.availability()["queueDepth"], 1)


class HistoryTests(AgentTestCase):
    def test_history_newest_first_with_end_reasons(self):
        a, b = self.agent("Agent Hist"), self.agent("Agent Else")
        res = []
        for i in range(5):
            res.append(self.customer("History %d" % i)[1])
            time.sleep(0.01)
        ids = [r["ContactId"] for r in res]
        self.assertEqual(self.history(a), [])
        for i in (0, 1, 2):
            self.accept(a, ids[i])
        self.accept(b, ids[3])
        # ids[4] stays in the queue
        self.assertEqual(self.end(a, ids[0]).status, 200)
        self.assertEqual(self.p(res[1]["ParticipantToken"], "disconnect").status, 200)
        hist = self.history(a)
        self.assertEqual([h["ContactId"] for h in hist], [ids[2], ids[1], ids[0]])
        self.assertNotIn("EndReason", hist[0])
        self.assertEqual(hist[1].get("EndReason"), "customer_disconnected")
        self.assertEqual(hist[2].get("EndReason"), "agent_ended")
        for h, i in zip(hist, (2, 1, 0)):
            self.assertEqual(h["Kind"], "CHAT")
            self.assertEqual(h["CustomerName"], "History %d" % i)
            self.assertRegex(h["CreatedAt"], TIME_RE)
        self.assertEqual([h["ContactId"] for h in self.history(b)], [ids[3]])
        self.assertEqual(self.history(self.agent("Agent New")), [])
        # the agent's own chat ending by disconnect is reported the same way
        self.assertEqual(self.p(res[3]["ParticipantToken"], "disconnect").status, 200)
        self.assertEqual(self.history(b)[0].get("EndReason"), "customer_disconnected")


if __name__ == "__main__":
    unittest.main()
