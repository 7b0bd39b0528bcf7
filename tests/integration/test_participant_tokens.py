"""ParticipantToken hygiene through the real server: tokens expire with their
contact (an agent's at the end, a customer's after --transcript-grace-s, for
reading the transcript), across a restart too, and a token is never taken
from the URL (400 token_in_url, and it never reaches the log).

The grace is 1 s in the tests that wait for it; waits poll until the
refusal comes, bounded, rather than sleeping a fixed time."""

import json
import time
import unittest
import urllib.parse
import uuid

from edge import Edge, assert_json_error

API = "/api/"
JSON = "application/json"
GRACE_S = 1          # --transcript-grace-s of the short-grace server
GRACE_WAIT_S = 10.0  # the refusal must come within this after the end


def new_sub(tag):
    return "%s-%s" % (tag, uuid.uuid4().hex[:12])


class ChatParties:
    """Helpers over self.edge (a --demo server): tokens, a chat with an agent."""

    def mint(self, sub, role="customer"):
        q = {"sub": sub, "role": role, "email": sub + "@example.com", "name": sub}
        r = self.edge.get("/demo/token?" + urllib.parse.urlencode(q))
        self.assertEqual(r.status, 200, r)
        return r.json()["token"]

    def call(self, method, path, token=None, body=None, ptoken=None, query=""):
        headers = {}
        if token is not None:
            headers["Authorization"] = "Bearer " + token
        if ptoken is not None:
            headers["X-Amz-Bearer"] = ptoken
        data = b""
        if body is not None:
            headers["Content-Type"] = JSON
            data = json.dumps(body)
        return self.edge.request(method, API + path + query, headers, data)

    def ok(self, method, path, token=None, body=None, ptoken=None):
        r = self.call(method, path, token, body, ptoken)
        self.assertEqual(r.status, 200, r)
        return r.json()

    def chat_with_agent(self):
        """A connected chat: (customer's ptoken, agent's ptoken, contact id)."""
        cust = self.mint(new_sub("cust"))
        res = self.ok("POST", "startChatContact", cust,
                      {"ParticipantDetails": {"DisplayName": "Cust"}})
        start = res["data"]["startChatResult"]
        agent = self.mint(new_sub("agent"), role="agent")
        self.ok("POST", "agent/status", agent, {"status": "available"})
        joined = self.ok("POST", "agent/accept", agent, {"ContactId": start["ContactId"]})
        self.agent_token = agent
        return start["ParticipantToken"], joined["ParticipantToken"], start["ContactId"]

    def send(self, ptoken, text):
        return self.call("POST", "participant/message",
                         body={"ContentType": "text/plain", "Content": text}, ptoken=ptoken)

    def transcript(self, ptoken):
        return self.call("POST", "participant/transcript", body={}, ptoken=ptoken)

    def events_status(self, ptoken):
        """The status of GET participant/events with ptoken in X-Amz-Bearer
        (a 200 stream is closed at once)."""
        with self.edge.connect() as c:
            c.send_request("GET", API + "participant/events",
                           [("X-Amz-Bearer", ptoken), ("Accept", "text/event-stream")])
            head = c._read_until(b"\r\n\r\n", time.monotonic() + 5)
            return int(head.split(b" ", 2)[1])

    def assert_refused_everywhere(self, ptoken):
        """Every participant route answers 401 invalid_participant_token."""
        routes = [("message", {"ContentType": "text/plain", "Content": "x"}),
                  ("event", {"ContentType": "application/vnd.amazonaws.connect.event.typing"}),
                  ("transcript", {}),
                  ("signal", {"Type": "bye", "Payload": {}}),
                  ("video", {"Action": "end"}),
                  ("disconnect", None)]
        for path, body in routes:
            with self.subTest(route=path):
                r = self.call("POST", "participant/" + path, body=body, ptoken=ptoken)
                assert_json_error(self, r, 401, "invalid_participant_token")
                self.assertTrue(r.has("www-authenticate"), r)
        r = self.edge.get(API + "participant/events", [("X-Amz-Bearer", ptoken)])
        assert_json_error(self, r, 401, "invalid_participant_token")


class DefaultGraceTests(ChatParties, unittest.TestCase):
    """Default grace (an hour): agents lose their token at the end, customers
    keep reading the transcript, also after a restart."""

    def setUp(self):
        self.edge = Edge(["--demo"])
        self.edge.start()

    def tearDown(self):
        try:
            self.edge.stop_ok(self)
        finally:
            self.edge.kill()
            self.edge.cleanup()

    def test_agent_token_dies_with_the_contact_customer_reads_on(self):
        cust, agent, _ = self.chat_with_agent()
        self.assertEqual(self.send(agent, "hello from the agent").status, 200)
        self.assertEqual(self.send(cust, "hello from the customer").status, 200)
        self.assertEqual(self.transcript(agent).status, 200)
        # the customer leaves: the contact ends for both
        self.assertEqual(self.call("POST", "participant/disconnect", ptoken=cust).status, 200)
        self.assert_refused_everywhere(agent)
        # the customer reads the transcript; live routes answer as for any ended contact
        t = self.transcript(cust)
        self.assertEqual(t.status, 200, t)
        self.assertEqual([m["Content"] for m in t.json()["Transcript"]],
                         ["hello from the agent", "hello from the customer"])
        assert_json_error(self, self.send(cust, "too late"), 409, "contact_ended")
        assert_json_error(self, self.call("POST", "participant/disconnect", ptoken=cust),
                          409, "contact_ended")
        r = self.call("POST", "participant/signal", body={"Type": "bye", "Payload": {}},
                      ptoken=cust)
        assert_json_error(self, r, 409, "contact_ended")
        self.assertEqual(self.events_status(cust), 200)
        # and the same after a restart: the rule is kept in the store
        self.edge.stop_ok(self)
        self.edge.start()
        self.assert_refused_everywhere(agent)
        self.assertEqual(self.transcript(cust).status, 200)
        assert_json_error(self, self.send(cust, "still too late"), 409, "contact_ended")

    def test_agent_ending_the_contact_ends_its_token(self):
        cust, agent, contact_id = self.chat_with_agent()
        self.ok("POST", "agent/end", self.agent_token, {"ContactId": contact_id})
        self.assert_refused_everywhere(agent)
        self.assertEqual(self.transcript(cust).status, 200)

    def test_the_token_is_checked_before_the_body(self):
        # the check runs in the provider (on the store) before the route
        # reads the body: a dead token with a bad body is still a 401, a
        # live one with the same body a 400 (the order of the answers did
        # not change when the check became asynchronous)
        cust, agent, contact_id = self.chat_with_agent()
        self.ok("POST", "agent/end", self.agent_token, {"ContactId": contact_id})
        for path in ("message", "event", "signal", "video", "transcript"):
            with self.subTest(route=path):
                headers = {"Content-Type": JSON, "X-Amz-Bearer": agent}
                r = self.edge.request("POST", API + "participant/" + path, headers, b"{nope")
                assert_json_error(self, r, 401, "invalid_participant_token")
        headers = {"Content-Type": JSON, "X-Amz-Bearer": cust}
        r = self.edge.request("POST", API + "participant/transcript", headers, b"{nope")
        assert_json_error(self, r, 400, "bad_json")
        self.assertEqual(self.events_status(cust), 200)   # within the grace
        self.assertEqual(self.events_status(agent), 401)

    def test_open_contact_tokens_survive_a_restart(self):
        cust, agent, _ = self.chat_with_agent()
        self.edge.stop_ok(self)
        self.edge.start()
        self.assertEqual(self.send(agent, "after the restart").status, 200)
        self.assertEqual(self.transcript(cust).status, 200)

    # -- no token in the URL ---------------------------------------------------

    def test_token_in_url_is_refused_and_never_logged(self):
        cust, _, _ = self.chat_with_agent()
        quoted = urllib.parse.quote(cust, safe="")
        for query in ("?token=" + quoted, "?lastEventId=1&token=" + quoted, "?token="):
            with self.subTest(query=query[:20]):
                r = self.edge.get(API + "participant/events" + query)
                assert_json_error(self, r, 400, "token_in_url")
                # beside a valid header too: the URL already leaked, the client must change
                r = self.edge.get(API + "participant/events" + query, [("X-Amz-Bearer", cust)])
                assert_json_error(self, r, 400, "token_in_url")
        r = self.call("POST", "participant/transcript", body={}, ptoken=cust,
                      query="?token=" + quoted)
        assert_json_error(self, r, 400, "token_in_url")
        # the header works, and the log holds neither the token nor its signature
        self.assertEqual(self.events_status(cust), 200)
        self.edge.get("/healthz?ticket=" + quoted + "&access_token=" + quoted)
        self.edge.wait_for_log(lambda e: e.get("path") == "/healthz")
        self.edge.wait_for_log(lambda e: e.get("status") == 400, count=7)
        err = self.edge.stderr_text()
        self.assertIn("participant/events", err)
        for secret in (cust, quoted, cust.split(".")[-1]):
            self.assertNotIn(secret, err)


class ShortGraceTests(ChatParties, unittest.TestCase):
    """--transcript-grace-s 1: the customer's token works for a second after
    the end, then it is refused like an unknown token everywhere."""

    flags = ["--transcript-grace-s", str(GRACE_S)]

    def setUp(self):
        self.edge = Edge(["--demo"] + self.flags)
        self.edge.start()

    def tearDown(self):
        try:
            self.edge.stop_ok(self)
        finally:
            self.edge.kill()
            self.edge.cleanup()

    def test_customer_token_expires_after_the_grace(self):
        cust, agent, _ = self.chat_with_agent()
        self.assertEqual(self.send(cust, "bye").status, 200)
        ended = time.monotonic()
        self.assertEqual(self.call("POST", "participant/disconnect", ptoken=agent).status, 200)
        r = self.transcript(cust)
        self.assertEqual(r.status, 200, r)  # within the grace
        self.assertEqual([m["Content"] for m in r.json()["Transcript"]], ["bye"])
        deadline = ended + GRACE_WAIT_S
        while self.transcript(cust).status == 200 and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertGreaterEqual(time.monotonic() - ended, GRACE_S * 0.5)
        self.assert_refused_everywhere(cust)
        self.assert_refused_everywhere(agent)
        # a restart brings nothing back
        self.edge.stop_ok(self)
        self.edge.start()
        self.assert_refused_everywhere(cust)


class NoGraceTests(ShortGraceTests):
    """--transcript-grace-s 0: a customer's token stops at the end too."""

    flags = ["--transcript-grace-s", "0"]

    def test_customer_token_expires_after_the_grace(self):
        cust, agent, _ = self.chat_with_agent()
        self.assertEqual(self.call("POST", "participant/disconnect", ptoken=cust).status, 200)
        self.assert_refused_everywhere(cust)
        self.assert_refused_everywhere(agent)


if __name__ == "__main__":
    unittest.main()
