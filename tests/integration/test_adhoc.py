"""Ad-hoc reference codes: an agent issues an 8-digit code bound to a
customer's email; a chat started with it (Attributes.videoReferenceId) goes
first in line, and the code works once, for that email, until it expires.
A failed redeem reveals nothing to anyone but the code's own email: an
unknown code and a code bound to another email get the same 404, and only
the bound email learns that a code was used (409) or has expired (410).
The answer that redeems a code names its agent (ReferenceAgentName), and
no other answer does. (The redeem rate limits are tested in test_limits.py;
this server has none.)"""

import json
import threading
import time
import unittest
import urllib.parse

from edge import Edge, ServerPerClass, assert_json_error
from test_chat import JSON, ChatClient, new_sub


class AdhocTests(ChatClient, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.edge = Edge(["--demo", "--adhoc-ttl-s", "2", "--limit-redeems", "0"])
        cls.edge.start()

    @classmethod
    def tearDownClass(cls):
        try:
            cls.edge.stop_ok()
        finally:
            cls.edge.cleanup()

    def mint_as(self, sub, email, role="customer", name=None):
        q = urllib.parse.urlencode({"sub": sub, "email": email, "name": name or sub, "role": role})
        r = self.edge.get("/demo/token?" + q)
        self.assertEqual(r.status, 200, r)
        return r.json()["token"]

    def adhoc(self, agent_token, body, status=200):
        r = self.post("adhoc", {"Authorization": "Bearer " + agent_token, "Content-Type": JSON},
                      body)
        self.assertEqual(r.status, status, r)
        return r

    def start_with(self, token, route_id):
        return self.post("startChatContact",
                         {"Authorization": "Bearer " + token, "Content-Type": JSON},
                         {"Attributes": {"videoReferenceId": route_id}})

    def agent_queue(self, agent_token):
        r = self.edge.request("GET", "/api/agent/queue", {"Authorization": "Bearer " + agent_token})
        self.assertEqual(r.status, 200, r)
        return r.json()["Contacts"]

    def new_agent(self):
        sub = new_sub("agent")
        return self.mint_as(sub, sub + "@example.com", role="agent")

    def test_issue_shape(self):
        agent = self.new_agent()
        body = self.adhoc(agent, {"attendeeEmail": "shape@example.com"}).json()
        self.assertRegex(body["routeId"], r"^\d{8}$")
        self.assertRegex(body["expiresAt"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertIn(body["routeId"], body["url"])

    def test_only_agents_issue_codes_and_input_is_checked(self):
        customer = self.mint_as(new_sub(), "c@example.com")
        assert_json_error(self, self.adhoc(customer, {"attendeeEmail": "a@b.c"}, 403), 403)
        agent = self.new_agent()
        for bad in ({}, {"attendeeEmail": ""}, {"attendeeEmail": "no-at-sign"},
                    {"attendeeEmail": "two@@x"}, {"attendeeEmail": "a b@c.d"},
                    {"attendeeEmail": "x@y.z", "routeToAgentQueue": "yes"}):
            assert_json_error(self, self.adhoc(agent, bad, 400), 400)

    def test_code_puts_the_chat_first_in_the_agents_own_queue(self):
        agent = self.new_agent()
        waiting = self.mint_as(new_sub("early"), "early@example.com")
        self.start_chat(waiting)  # already waiting in the shared queue
        sub = new_sub("vip")
        email = sub + "@Example.com"
        route = self.adhoc(agent, {"attendeeEmail": email.lower()}).json()["routeId"]
        r = self.start_with(self.mint_as(sub, email), route)  # email compared case-insensitively
        self.assertEqual(r.status, 200, r)
        contact = r.json()["data"]["startChatResult"]["ContactId"]
        queue = self.agent_queue(agent)
        self.assertEqual(queue[0]["ContactId"], contact)
        self.assertEqual(queue[0]["Priority"], 1)
        other = self.agent_queue(self.new_agent())  # another agent's view: not in their own queue
        self.assertNotEqual(other[0]["ContactId"] if other else None, contact)

    def test_shared_queue_code_jumps_the_line(self):
        agent = self.new_agent()
        self.start_chat(self.mint_as(new_sub("first"), "first@example.com"))
        sub = new_sub("jump")
        route = self.adhoc(agent, {"attendeeEmail": sub + "@example.com",
                                   "routeToAgentQueue": False}).json()["routeId"]
        r = self.start_with(self.mint_as(sub, sub + "@example.com"), route)
        self.assertEqual(r.status, 200, r)
        contact = r.json()["data"]["startChatResult"]["ContactId"]
        shared = self.agent_queue(self.new_agent())
        self.assertEqual(shared[0]["ContactId"], contact)

    def test_failures_tell_only_the_codes_own_email(self):
        agent = self.new_agent()
        sub = new_sub("cust")
        email = sub + "@example.com"
        token = self.mint_as(sub, email)
        eve = self.mint_as(new_sub("eve"), "eve@example.com")
        r = self.start_with(token, "00000001")
        unknown = assert_json_error(self, r, 404, "route_not_found")
        r = self.start_with(token, "12ab")
        assert_json_error(self, r, 400)
        route = self.adhoc(agent, {"attendeeEmail": email}).json()["routeId"]
        # someone else's live code: exactly the answer of a code that does not exist
        r = self.start_with(eve, route)
        self.assertEqual(assert_json_error(self, r, 404, "route_not_found"), unknown)
        self.assertEqual(self.start_with(token, route).status, 200)
        twin = self.mint_as(new_sub("twin"), email)  # same email, another person: code is spent
        r = self.start_with(twin, route)
        assert_json_error(self, r, 409, "route_used")
        r = self.start_with(self.mint_as(new_sub("eve"), "eve@example.com"), route)
        self.assertEqual(assert_json_error(self, r, 404, "route_not_found"), unknown)  # used
        late = self.adhoc(agent, {"attendeeEmail": "late@example.com"}).json()["routeId"]
        time.sleep(2.2)  # --adhoc-ttl-s 2
        r = self.start_with(self.mint_as(new_sub("late"), "late@example.com"), late)
        assert_json_error(self, r, 410, "route_expired")
        r = self.start_with(self.mint_as(new_sub("eve"), "eve@example.com"), late)
        self.assertEqual(assert_json_error(self, r, 404, "route_not_found"), unknown)  # expired

    def test_a_failed_redeem_creates_nothing(self):
        sub = new_sub("nothing")
        token = self.mint_as(sub, sub + "@example.com")
        assert_json_error(self, self.start_with(token, "00000002"), 404)
        _, data = self.start_chat(token)  # the next ordinary start is a fresh first chat
        self.assertFalse(data["resumed"])
        self.assertNotIn("previousContactId", data)

    def test_concurrent_redeems_have_one_winner(self):
        agent = self.new_agent()
        email = new_sub("race") + "@example.com"
        route = self.adhoc(agent, {"attendeeEmail": email}).json()["routeId"]
        tokens = [self.mint_as(new_sub("racer"), email) for _ in range(6)]
        statuses = []
        barrier = threading.Barrier(len(tokens))

        def redeem(tok):
            barrier.wait(timeout=5)
            statuses.append(self.start_with(tok, route).status)

        threads = [threading.Thread(target=redeem, args=(t,)) for t in tokens]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=10)
        self.assertEqual(sorted(statuses), [200] + [409] * 5, statuses)

    def test_open_chat_is_resumed_and_code_kept(self):
        agent = self.new_agent()
        sub = new_sub("open")
        email = sub + "@example.com"
        token = self.mint_as(sub, email)
        first, _ = self.start_chat(token)
        route = self.adhoc(agent, {"attendeeEmail": email}).json()["routeId"]
        r = self.start_with(token, route)
        self.assertEqual(r.status, 200, r)
        data = r.json()["data"]
        self.assertTrue(data["resumed"])
        self.assertEqual(data["startChatResult"]["ContactId"], first["ContactId"])
        r = self.p(first["ParticipantToken"], "disconnect")
        self.assertEqual(r.status, 200, r)
        r = self.start_with(token, route)  # the code was not spent by the resume
        self.assertEqual(r.status, 200, r)
        self.assertFalse(r.json()["data"]["resumed"])

    def test_the_redeemer_learns_the_agents_name(self):
        name = 'Dana "D" Ruiz-Núñez'
        agent_sub = new_sub("named")
        agent = self.mint_as(agent_sub, agent_sub + "@example.com", role="agent", name=name)
        r = self.post("agent/status", {"Authorization": "Bearer " + agent, "Content-Type": JSON},
                      {"status": "available"})
        self.assertEqual(r.status, 200, r)
        sub = new_sub("named-guest")
        token = self.mint_as(sub, sub + "@example.com")
        route = self.adhoc(agent, {"attendeeEmail": sub + "@example.com"}).json()["routeId"]
        r = self.start_with(token, route)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["data"]["startChatResult"]["ReferenceAgentName"], name)
        # Only in that answer: not on a resume, not to the agent, not to a plain start.
        resumed = self.post("startChatContact", {"Authorization": "Bearer " + token,
                                                 "Content-Type": JSON}, {})
        self.assertTrue(resumed.json()["data"]["resumed"], resumed)
        self.assertNotIn("ReferenceAgentName", resumed.json()["data"]["startChatResult"])
        again = self.start_with(token, route)  # an open chat: resumed, the code not redeemed
        self.assertNotIn("ReferenceAgentName", again.json()["data"]["startChatResult"])
        self.assertNotIn(b"ReferenceAgentName", json.dumps(self.agent_queue(agent)).encode())
        plain, _ = self.start_chat(self.mint_as(new_sub("plain"), "plain@example.com"))
        self.assertNotIn("ReferenceAgentName", plain)

    def test_an_agent_never_seen_is_named_as_unknown(self):
        agent = self.new_agent()  # has set no status: the store has no name for them
        sub = new_sub("unnamed")
        token = self.mint_as(sub, sub + "@example.com")
        route = self.adhoc(agent, {"attendeeEmail": sub + "@example.com"}).json()["routeId"]
        r = self.start_with(token, route)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["data"]["startChatResult"]["ReferenceAgentName"], "")



class RefLinkTests(ServerPerClass, AdhocTests):
    """--ref-link: a code's link is absolute, on the site's page, with
    ?c2c-ref= (or &c2c-ref= after a query), which the widget reads."""

    flags = ["--demo", "--ref-link", "https://shop.example.com/help?lang=en"]

    def test_issue_shape(self):
        agent = self.new_agent()
        body = self.adhoc(agent, {"attendeeEmail": "link@example.com"}).json()
        self.assertEqual(body["url"], "https://shop.example.com/help?lang=en&c2c-ref=" + body["routeId"])


# AdhocTests' other tests run once, on their own server.
for _name in unittest.TestLoader().getTestCaseNames(AdhocTests):
    if _name != "test_issue_shape":
        setattr(RefLinkTests, _name, None)


if __name__ == "__main__":
    unittest.main()
