"""Agents' private notes (POST/GET agent/notes): the contact's agent writes
and reads them, open or ended; nobody else does (another agent: 404, a
customer: 403, no token: 401); bad input is 400; and a note never reaches
the customer, neither on their event stream nor in the transcript (theirs
or the agent's)."""

import unittest
import urllib.parse

from edge import assert_json_error

from test_agents import AgentTestCase
from test_presence import AgentStream

SECRET = "Private: refund approved up to 20 EUR, do not promise more"


class NotesTests(AgentTestCase):
    def chat_with_agent(self):
        """A customer chat accepted by a new agent: (agent token, ContactId,
        customer ParticipantToken, agent ParticipantToken)."""
        agent = self.agent("Nora Notes")
        self.set_status(agent, "available")
        _, res = self.customer("Carl Customer", initial="Hello")
        joined = self.accept(agent, res["ContactId"])
        return agent, res["ContactId"], res["ParticipantToken"], joined["ParticipantToken"]

    def notes(self, token, contact_id):
        q = urllib.parse.urlencode({"ContactId": contact_id})
        return self.call("GET", "agent/notes?" + q, token)

    def test_a_note_never_reaches_the_customer(self):
        agent, cid, cust_ptoken, agent_ptoken = self.chat_with_agent()
        stream = self.stream(cust_ptoken)
        note = self.ok("POST", "agent/notes", agent, {"ContactId": cid, "Content": SECRET})
        self.assertEqual(note["ContactId"], cid)
        self.assertEqual(note["Content"], SECRET)
        self.assertEqual(note["AuthorName"], "Nora Notes")
        self.assertEqual(len(note["NoteId"]), 32)
        self.assertRegex(note["CreatedAt"], r"^\d{4}-\d\d-\d\dT")
        # A message after the note: once the customer has it, anything the
        # note caused would have arrived before it.
        self.say(agent_ptoken, "Let me check that for you")
        event, skipped = stream.until(
            lambda e: e["event"] == "message" and e["json"].get("Content") == "Let me check that for you",
            what="the agent's message")
        for e in skipped + [event] + stream.drain():
            self.assertNotIn("refund approved", e.get("data", ""), e)
            self.assertNotIn("note", e["event"], e)
        for ptoken in (cust_ptoken, agent_ptoken):
            _, items = self.transcript(ptoken)
            self.assertEqual([i["Content"] for i in items if i.get("Type") == "MESSAGE"],
                             ["Hello", "Let me check that for you"])
        r = self.call("POST", "agent/transcript", agent, {"ContactId": cid, "MaxResults": 100})
        self.assertEqual(r.status, 200, r)
        self.assertNotIn(b"refund approved", r.body)
        listed = self.notes(agent, cid)
        self.assertEqual(listed.status, 200, listed)
        self.assertEqual(listed.json(), {"Notes": [note]})

    def test_the_agents_own_feed_hears_of_a_note_without_its_text(self):
        agent, cid, _, _ = self.chat_with_agent()
        feed = AgentStream(self.edge, agent)
        self.streams.append(feed)
        self.assertEqual(feed.status, 200)
        self.assertEqual(feed.next_block(), {"retry": 3000})
        feed.types = {"contact.note"}
        note = self.ok("POST", "agent/notes", agent, {"ContactId": cid, "Content": SECRET})
        event = feed.next_event()
        self.assertEqual(event["json"], {"ContactId": cid, "NoteId": note["NoteId"]})

    def test_only_the_contacts_agent_writes_or_reads_notes(self):
        agent, cid, cust_ptoken, _ = self.chat_with_agent()
        other = self.agent("Otto Other")
        for r in (self.call("POST", "agent/notes", other, {"ContactId": cid, "Content": "x"}),
                  self.notes(other, cid),
                  self.call("POST", "agent/notes", agent, {"ContactId": "no-such-contact", "Content": "x"}),
                  self.notes(agent, "no-such-contact")):
            assert_json_error(self, r, 404, "not_found")
        customer = self.mint("cust-notes", "Cleo")
        assert_json_error(self, self.call("POST", "agent/notes", customer, {"ContactId": cid, "Content": "x"}), 403)
        assert_json_error(self, self.notes(customer, cid), 403)
        assert_json_error(self, self.call("POST", "agent/notes", None, {"ContactId": cid, "Content": "x"}), 401)
        assert_json_error(self, self.notes(None, cid), 401)
        # A participant token is not an agent token.
        r = self.edge.request("GET", "/api/agent/notes?ContactId=" + cid, {"Authorization": "Bearer " + cust_ptoken})
        self.assertIn(r.status, (401, 403), r)
        self.assertEqual(self.notes(agent, cid).json(), {"Notes": []})

    def test_bad_input_is_refused(self):
        agent, cid, _, _ = self.chat_with_agent()
        for body in ({"ContactId": cid}, {"ContactId": cid, "Content": ""},
                     {"ContactId": cid, "Content": "x" * 4001}, {"Content": "x"},
                     {"ContactId": cid, "Content": 7}):
            assert_json_error(self, self.call("POST", "agent/notes", agent, body), 400, "bad_request")
        assert_json_error(self, self.call("GET", "agent/notes", agent), 400, "bad_request")
        self.ok("POST", "agent/notes", agent, {"ContactId": cid, "Content": "x" * 4000})

    def test_notes_stay_with_an_ended_contact_in_order(self):
        agent, cid, _, _ = self.chat_with_agent()
        self.ok("POST", "agent/notes", agent, {"ContactId": cid, "Content": "first"})
        self.assertEqual(self.end(agent, cid).status, 200)
        self.ok("POST", "agent/notes", agent, {"ContactId": cid, "Content": "wrap-up: refunded"})
        listed = self.notes(agent, cid)
        self.assertEqual(listed.status, 200, listed)
        self.assertEqual([n["Content"] for n in listed.json()["Notes"]], ["first", "wrap-up: refunded"])
        self.assertIn(cid, [c["ContactId"] for c in self.history(agent)])


if __name__ == "__main__":
    unittest.main()
