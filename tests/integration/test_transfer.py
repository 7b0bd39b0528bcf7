"""Transfer (POST agent/transfer, GET agent/transfer-targets): an agent
hands a connected chat to an available agent (it waits in that agent's
personal queue, private to them) or to a queue; the customer hears
contact.transferring, then the new agent joining; the old agent's
ParticipantToken dies and their feed hears contact.transferred; the new
agent reads the whole transcript. Refusals: an agent who is not
available, oneself, someone else's contact, a contact not connected, bad
input."""

from edge import assert_json_error

from test_agents import AgentTestCase
from test_presence import AgentStream


class TransferTests(AgentTestCase):
    def sub_of(self, token):
        return self.ok("GET", "me", token)["sub"]

    def chat_between(self, agent):
        """A chat the agent accepted, with one message each way:
        (ContactId, customer ParticipantToken, agent ParticipantToken)."""
        self.set_status(agent, "available")
        _, res = self.customer("Tess Transfer", initial="My order is wrong")
        joined = self.accept(agent, res["ContactId"])
        self.say(joined["ParticipantToken"], "Let me pass you to billing")
        return res["ContactId"], res["ParticipantToken"], joined["ParticipantToken"]

    def test_to_an_available_agent_with_the_whole_transcript(self):
        amy, bob, cat = self.agent("Amy"), self.agent("Bob"), self.agent("Cat")
        cid, cust, amy_pt = self.chat_between(amy)
        self.set_status(bob, "available")
        targets = self.ok("GET", "agent/transfer-targets", amy)
        self.assertEqual([a["Name"] for a in targets["Agents"]], ["Bob"])
        self.assertEqual(targets["Queues"][0], {"Queue": ""})
        feed = AgentStream(self.edge, amy)
        self.streams.append(feed)
        self.assertEqual(feed.next_block(), {"retry": 3000})
        feed.types = {"contact.transferred"}
        stream = self.stream(cust)
        self.ok("POST", "agent/transfer", amy, {"ContactId": cid, "AgentId": self.sub_of(bob)})
        event, _ = stream.until_type("contact.transferring")
        self.assertEqual(event["json"], {"ContactId": cid, "To": "AGENT"})
        event, _ = stream.until_type("contact.state")
        self.assertEqual(event["json"]["State"], "QUEUED")
        self.assertEqual(feed.next_event()["json"], {"ContactId": cid})
        # The old agent's token is dead; the contact is not theirs any more.
        r = self.p(amy_pt, "message", {"ContentType": "text/plain", "Content": "still here?"})
        self.assertEqual(r.status, 401, r)
        self.assertEqual(self.ok("GET", "agent/contacts", amy)["Contacts"], [])
        # Only Bob sees it (his personal queue), and takes it.
        self.assertNotIn(cid, [c["ContactId"] for c in self.queue(cat)])
        self.assertIn(cid, [c["ContactId"] for c in self.queue(bob)])
        assert_json_error(self, self.call("POST", "agent/accept", cat, {"ContactId": cid}), 404)
        joined = self.accept(bob, cid)
        event, _ = stream.until_type("participant.joined")
        self.assertEqual(event["json"]["DisplayName"], "Bob")
        _, items = self.transcript(joined["ParticipantToken"])
        self.assertEqual([i["Content"] for i in items if i.get("Type") == "MESSAGE"],
                         ["My order is wrong", "Let me pass you to billing"])
        self.say(joined["ParticipantToken"], "Hi, Bob from billing here")
        event, _ = stream.until(lambda e: e["event"] == "message"
                                and e["json"].get("Content") == "Hi, Bob from billing here")
        self.assertEqual(event["json"]["DisplayName"], "Bob")

    def test_to_a_queue(self):
        amy, bob = self.agent("Amy"), self.agent("Bob")
        cid, cust, _ = self.chat_between(amy)
        stream = self.stream(cust)
        self.ok("POST", "agent/transfer", amy, {"ContactId": cid, "Queue": ""})
        event, _ = stream.until_type("contact.transferring")
        self.assertEqual(event["json"], {"ContactId": cid, "To": "QUEUE"})
        self.assertIn(cid, [c["ContactId"] for c in self.queue(bob)])
        self.accept(bob, cid)

    def test_a_call_to_an_agent_rings_them(self):
        amy, bob = self.agent("Amy"), self.agent("Bob")
        self.set_status(amy, "available")
        caller = self.mint("caller-t", "Cy")
        r = self.call("POST", "dial", caller, {"toNumber": "(703) 555-0122"})
        self.assertEqual(r.status, 200, r)
        cid = r.json()["responseInfo"]["Meeting"]["MeetingId"]
        jt = r.json()["responseInfo"]["Attendee"]["JoinToken"]
        stream = self.stream(jt)
        stream.until(lambda e: e["event"] == "contact.state" and e["json"]["State"] == "RINGING")
        self.accept(amy, cid)
        self.set_status(bob, "available")
        self.ok("POST", "agent/transfer", amy, {"ContactId": cid, "AgentId": self.sub_of(bob)})
        event, _ = stream.until_type("contact.transferring")
        self.assertEqual(event["json"], {"ContactId": cid, "To": "AGENT"})
        stream.until(lambda e: e["event"] == "contact.state" and e["json"]["State"] == "RINGING")
        item = [c for c in self.queue(bob) if c["ContactId"] == cid]
        self.assertEqual([(c["State"], c["OfferedTo"]) for c in item], [("RINGING", True)])
        self.accept(bob, cid)
        stream.until(lambda e: e["event"] == "contact.state" and e["json"]["State"] == "CONNECTED")

    def test_refusals(self):
        amy, bob, cat = self.agent("Amy"), self.agent("Bob"), self.agent("Cat")
        cid, _, _ = self.chat_between(amy)
        bob_sub = self.sub_of(bob)  # not available
        assert_json_error(self, self.call("POST", "agent/transfer", amy, {"ContactId": cid, "AgentId": bob_sub}),
                          409, "agent_unavailable")
        assert_json_error(self, self.call("POST", "agent/transfer", amy,
                                          {"ContactId": cid, "AgentId": self.sub_of(amy)}),
                          409, "agent_unavailable")
        self.set_status(bob, "available")
        assert_json_error(self, self.call("POST", "agent/transfer", cat, {"ContactId": cid, "Queue": ""}),
                          404, "not_found")
        for body in ({"ContactId": cid}, {"ContactId": cid, "Queue": "", "AgentId": bob_sub},
                     {"ContactId": cid, "Queue": 3}, {"ContactId": cid, "Queue": "agent:x"},
                     {"Queue": ""}):
            assert_json_error(self, self.call("POST", "agent/transfer", amy, body), 400)
        assert_json_error(self, self.call("POST", "agent/transfer", self.mint("cust-t"),
                                          {"ContactId": cid, "Queue": ""}), 403)
        self.assertEqual(self.end(amy, cid).status, 200)
        assert_json_error(self, self.call("POST", "agent/transfer", amy, {"ContactId": cid, "Queue": ""}),
                          409)


if __name__ == "__main__":
    import unittest
    unittest.main()
