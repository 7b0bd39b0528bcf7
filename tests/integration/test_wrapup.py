"""The agent console's server side: Away as a status (signed in, shown to
the agent's consoles, offered nothing), AcceptedAt in agent/contacts,
dispositions on close (POST agent/end {Disposition, Note}; the list from
--dispositions FILE or the built-in one) and canned responses (shared
ones from --canned FILE, each agent's own through GET/POST/DELETE
agent/canned); bad files stop the server with exit code 2."""

import json
import os
import shutil
import tempfile
import unittest
import urllib.parse

from edge import Edge, assert_json_error, run_edge

from test_agents import AgentTestCase
from test_presence import AgentStream

CODES = [{"code": "sold", "label": "Sale made"}, {"code": "refund", "label": "Refund given"}]
CANNED = [{"title": "Greeting", "text": "Hello! How can I help you today?"},
          {"title": "Hours", "text": "We are open 9 to 5, Monday to Friday."}]


def write_json(folder, name, value):
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(value if isinstance(value, str) else json.dumps(value))
    return path


class WrapUpTestCase(AgentTestCase):
    def setUp(self):
        self.files = tempfile.mkdtemp(prefix="c2c-lists-")
        self.edge = Edge(["--demo", "--dispositions", write_json(self.files, "codes.json", CODES),
                          "--canned", write_json(self.files, "canned.json", CANNED)])
        self.edge.start()
        self.streams = []

    def tearDown(self):
        super().tearDown()
        shutil.rmtree(self.files, ignore_errors=True)

    def chat_with(self, agent):
        self.set_status(agent, "available")
        _, res = self.customer("Carla", initial="Hi")
        self.accept(agent, res["ContactId"])
        return res["ContactId"]


class AwayTests(WrapUpTestCase):
    def test_away_is_a_status_every_console_sees(self):
        agent = self.agent("Ava Away")
        feed = AgentStream(self.edge, agent)
        self.streams.append(feed)
        self.assertEqual(feed.next_block(), {"retry": 3000})
        feed.types = {"agent.status"}
        self.set_status(agent, "away")
        self.assertEqual(feed.next_event()["json"], {"Status": "away"})
        self.assertEqual(self.ok("GET", "agent/contacts", agent)["Status"], "away")
        self.assertEqual(self.availability()["agentsAvailable"], 0)
        self.set_status(agent, "available")
        self.assertEqual(feed.next_event()["json"], {"Status": "available"})
        self.assertEqual(self.availability()["agentsAvailable"], 1)
        assert_json_error(self, self.call("POST", "agent/status", agent, {"status": "Away!"}), 400,
                          "bad_request")

    def test_open_contacts_say_when_they_were_accepted(self):
        agent = self.agent("Abe")
        cid = self.chat_with(agent)
        contacts = self.ok("GET", "agent/contacts", agent)["Contacts"]
        self.assertEqual([c["ContactId"] for c in contacts], [cid])
        self.assertRegex(contacts[0]["AcceptedAt"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
        self.assertGreaterEqual(contacts[0]["AcceptedAt"], contacts[0]["CreatedAt"])


class DispositionTests(WrapUpTestCase):
    def disposition(self, token, cid):
        q = urllib.parse.urlencode({"ContactId": cid})
        return self.call("GET", "agent/disposition?" + q, token)

    def test_the_list_comes_from_the_file(self):
        agent = self.agent("Dee")
        self.assertEqual(self.ok("GET", "agent/dispositions", agent),
                         {"Dispositions": [{"Code": "sold", "Label": "Sale made"},
                                           {"Code": "refund", "Label": "Refund given"}]})
        assert_json_error(self, self.call("GET", "agent/dispositions", self.mint("cust-d")), 403)
        assert_json_error(self, self.call("GET", "agent/dispositions", None), 401)

    def test_closing_with_a_disposition_and_a_note(self):
        agent = self.agent("Dora")
        cid = self.chat_with(agent)
        self.assertEqual(self.disposition(agent, cid).json(), {"ContactId": cid, "Disposition": None})
        # An unknown code is refused and leaves the contact open.
        assert_json_error(self, self.call("POST", "agent/end", agent,
                                          {"ContactId": cid, "Disposition": "resolved"}),
                          400, "bad_disposition")
        self.assertEqual([c["ContactId"] for c in self.ok("GET", "agent/contacts", agent)["Contacts"]],
                         [cid])
        other = self.agent("Otis")
        assert_json_error(self, self.call("POST", "agent/end", other,
                                          {"ContactId": cid, "Disposition": "sold"}), 404, "not_found")
        self.assertEqual(self.ok("POST", "agent/end", agent,
                                 {"ContactId": cid, "Disposition": "sold", "Note": "Two licences"}), {})
        self.assertEqual(self.ok("GET", "agent/contacts", agent)["Contacts"], [])
        self.assertEqual(self.disposition(agent, cid).json(), {"ContactId": cid, "Disposition": "sold"})
        notes = self.ok("GET", "agent/notes?ContactId=" + cid, agent)["Notes"]
        self.assertEqual([n["Content"] for n in notes], ["Two licences"])
        assert_json_error(self, self.disposition(other, cid), 404, "not_found")
        # An ended contact takes a later wrap-up; the code is replaced.
        self.assertEqual(self.ok("POST", "agent/end", agent, {"ContactId": cid, "Disposition": "refund"}), {})
        self.assertEqual(self.disposition(agent, cid).json()["Disposition"], "refund")
        # A plain end of an ended contact is still a conflict, as before.
        self.assertEqual(self.end(agent, cid).status, 409)

    def test_bad_wrap_up_input(self):
        agent = self.agent("Dan")
        cid = self.chat_with(agent)
        for body in ({"ContactId": cid, "Disposition": 5}, {"ContactId": cid, "Disposition": ""},
                     {"ContactId": cid, "Note": "x" * 4001}, {"Disposition": "sold"}):
            assert_json_error(self, self.call("POST", "agent/end", agent, body), 400)
        assert_json_error(self, self.call("GET", "agent/disposition", agent), 400, "bad_request")


class CannedTests(WrapUpTestCase):
    def canned(self, token):
        return self.ok("GET", "agent/canned", token)["Canned"]

    def test_shared_and_own_canned_responses(self):
        amy, ben = self.agent("Amy"), self.agent("Ben")
        shared = [{"Id": "shared-1", "Title": "Greeting", "Text": CANNED[0]["text"], "Shared": True},
                  {"Id": "shared-2", "Title": "Hours", "Text": CANNED[1]["text"], "Shared": True}]
        self.assertEqual(self.canned(amy), shared)
        mine = self.ok("POST", "agent/canned", amy, {"Title": "Refund", "Text": "Your refund is on its way."})
        self.assertEqual((mine["Title"], mine["Text"], mine["Shared"]),
                         ("Refund", "Your refund is on its way.", False))
        self.assertEqual(len(mine["Id"]), 32)
        self.assertEqual(self.canned(amy), shared + [mine])
        self.assertEqual(self.canned(ben), shared)  # nobody sees another agent's
        q = "agent/canned?Id="
        assert_json_error(self, self.call("DELETE", q + mine["Id"], ben), 404, "not_found")
        assert_json_error(self, self.call("DELETE", q + "shared-1", amy), 404, "not_found")
        self.assertEqual(self.ok("DELETE", q + mine["Id"], amy), {})
        self.assertEqual(self.canned(amy), shared)
        assert_json_error(self, self.call("DELETE", "agent/canned", amy), 400, "bad_request")

    def test_bad_canned_input_and_who_may(self):
        amy = self.agent("Amy")
        for body in ({"Title": "", "Text": "x"}, {"Title": "t"}, {"Title": "t", "Text": "x" * 2001},
                     {"Title": "t" * 256, "Text": "x"}):
            assert_json_error(self, self.call("POST", "agent/canned", amy, body), 400)
        customer = self.mint("cust-canned")
        assert_json_error(self, self.call("GET", "agent/canned", customer), 403)
        assert_json_error(self, self.call("POST", "agent/canned", None, {"Title": "t", "Text": "x"}), 401)

    def test_the_per_agent_cap(self):
        amy = self.agent("Amy")
        for i in range(100):
            self.ok("POST", "agent/canned", amy, {"Title": "t%d" % i, "Text": "x"})
        assert_json_error(self, self.call("POST", "agent/canned", amy, {"Title": "one more", "Text": "x"}),
                          409, "canned_full")
        self.assertEqual(len(self.canned(amy)), 102)


class BuiltInListTests(AgentTestCase):
    def test_without_a_file_the_built_in_dispositions(self):
        codes = [d["Code"] for d in self.ok("GET", "agent/dispositions", self.agent("Bo"))["Dispositions"]]
        self.assertEqual(codes, ["resolved", "follow_up", "escalated", "no_response", "other"])
        self.assertEqual(self.ok("GET", "agent/canned", self.agent("Bea")), {"Canned": []})


class BadListFileTests(unittest.TestCase):
    def test_a_bad_file_stops_the_server_with_one_line(self):
        folder = tempfile.mkdtemp(prefix="c2c-lists-")
        try:
            cases = [("--dispositions", os.path.join(folder, "missing.json")),
                     ("--dispositions", write_json(folder, "dup.json", CODES + CODES[:1])),
                     ("--dispositions", write_json(folder, "upper.json", [{"code": "Sold", "label": "x"}])),
                     ("--dispositions", write_json(folder, "empty.json", [])),
                     ("--canned", write_json(folder, "notjson.json", "[{")),
                     ("--canned", write_json(folder, "notext.json", [{"title": "x"}]))]
            for flag, path in cases:
                rc, _, err = run_edge(["--listen", "127.0.0.1:0", flag, path])
                self.assertEqual(rc, 2, (flag, path, err))
                self.assertEqual(len(err.strip().splitlines()), 1, err)
                self.assertIn(os.path.basename(path), err)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
