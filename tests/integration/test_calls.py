"""Calls: POST /api/dial (number normalization, the dial policy flags
--dial-allow / --dial-deny / --dial-queue, opaque attributes, the answer in
the Chime click-to-call sample's shape), POST /api/update (DTMF relayed to
the other side in order, hang-up by either side, authorization), and
POST /api/participant/signal (WebRTC signaling relayed to the other
participant of the same contact only).

The SSE reader and the demo-token helpers come from test_chat.py; every
socket operation there has a deadline."""

import json
import socket
import unittest

from edge import Edge, assert_json_error, run_edge
from test_chat import API, JSON, ChatClient, SseStream, new_sub

ICE = ["stun:stun.example.org:3478", "turn:turn.example.org:3478"]
UK_NUMBER = "+44 20 7946 0958"
US_NUMBER = "(703) 555-0122"


class CallClient(ChatClient):
    """Mixin over self.edge: dial, update, accept, signal, event streams."""

    def site(self, token, path, body):
        return self.post(path, {"Authorization": "Bearer " + token, "Content-Type": JSON}, body)

    def dial(self, token, number=US_NUMBER, status=200, **extra):
        body = {"toNumber": number}
        body.update(extra)
        r = self.site(token, "dial", body)
        self.assertEqual(r.status, status, r)
        return r

    def new_call(self, tag="call", number=US_NUMBER):
        """A fresh customer's call: (sub, token, answer)."""
        sub = new_sub(tag)
        token = self.mint(sub)
        return sub, token, self.dial(token, number).json()

    def agent(self, tag="agent"):
        return self.mint(new_sub(tag), "Agent", role="agent")

    def accept(self, agent_token, contact_id):
        r = self.site(agent_token, "agent/accept", {"ContactId": contact_id})
        self.assertEqual(r.status, 200, r)
        return r.json()

    def connected_call(self, tag="conn"):
        """A call accepted by an agent: (customer token, agent token, answer,
        the agent's accept answer)."""
        _, tok, ans = self.new_call(tag)
        agent = self.agent(tag + "-agent")
        acc = self.accept(agent, ans["dialInfo"]["SipMediaApplicationCall"]["TransactionId"])
        return tok, agent, ans, acc

    def digits(self, token, contact_id, digit):
        return self.site(token, "update", {"update": "digit", "digit": digit,
                                           "transactionId": contact_id})

    def hang_up(self, token, contact_id):
        return self.site(token, "update", {"update": "end", "meetingId": contact_id})

    def signal(self, ptoken, body):
        return self.p(ptoken, "signal", body)

    def stream(self, ptoken, types):
        """An event stream past its retry line, returning only types."""
        s = SseStream(self.edge, ptoken)
        self.assertEqual(s.status, 200)
        self.assertEqual(s.next_block(), {"retry": 3000})
        s.types = set(types)
        return s

    def assert_quiet(self, s):
        self.assertTrue(s.quiet(), "unexpected event %r" % getattr(s, "unexpected", None))


def cid_of(answer):
    return answer["dialInfo"]["SipMediaApplicationCall"]["TransactionId"]


def jt_of(answer):
    return answer["responseInfo"]["Attendee"]["JoinToken"]


class CallTests(CallClient, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        flags = ["--demo", "--dial-queue", "+44=uk", "--dial-queue", "+4420=london",
                 "--limit-dials", "0"]
        for url in ICE:
            flags += ["--ice-server", url]
        cls.edge = Edge(flags)
        cls.edge.start()

    @classmethod
    def tearDownClass(cls):
        try:
            cls.edge.stop_ok()
        finally:
            cls.edge.cleanup()

    # -- dial ----------------------------------------------------------------

    def test_number_normalization_and_default_deny(self):
        token = self.mint(new_sub("norm"))
        cases = [
            ("(703) 555-0122", 200, None),
            ("703.555.0122", 200, None),
            ("1-703-555-0122", 200, None),
            ("+44 20 7946 0958", 200, None),
            ("442079460958", 200, None),
            ("555", 400, "bad_number"),
            ("+1 555", 400, "bad_number"),
            ("abc", 400, "bad_number"),
            ("+0123456789", 400, "bad_number"),
            ("++17035550122", 400, "bad_number"),
            ("+1234567890123456", 400, "bad_number"),
            ("703 555 0122 ext 5", 400, "bad_number"),
            ("+19005551234", 403, "number_not_allowed"),
            ("(900) 555-1234", 403, "number_not_allowed"),
            ("+19765550000", 403, "number_not_allowed"),
        ]
        for number, status, code in cases:
            with self.subTest(number=number):
                r = self.site(token, "dial", {"toNumber": number})
                if status == 200:
                    self.assertEqual(r.status, 200, r)
                    self.assertTrue(cid_of(r.json()))
                    # one live call per identity: end it before the next
                    self.assertEqual(self.hang_up(token, cid_of(r.json())).status, 200)
                else:
                    assert_json_error(self, r, status, code)
        for body in ({}, {"toNumber": 17035550122}, {"toNumber": ""}):
            with self.subTest(body=body):
                assert_json_error(self, self.site(token, "dial", body), 400)

    def test_dial_needs_a_site_token(self):
        assert_json_error(self, self.post("dial", {"Content-Type": JSON},
                                          {"toNumber": US_NUMBER}), 401)
        assert_json_error(self, self.post("dial", {"Authorization": "Bearer not.a.jwt",
                                                   "Content-Type": JSON},
                                          {"toNumber": US_NUMBER}), 401)

    def test_dial_answer_shape(self):
        sub = new_sub("shape")
        r = self.dial(self.mint(sub))
        self.assertEqual(r.header("content-type", "").split(";")[0], JSON)
        self.assertIn("no-store", r.header("cache-control", ""))
        a = r.json()
        cid = cid_of(a)
        attendee = a["responseInfo"]["Attendee"]
        self.assertEqual(a, {
            "responseInfo": {
                "Meeting": {
                    "MeetingId": cid,
                    "ExternalMeetingId": cid,
                    "MediaPlacement": {
                        "EventsUrl": API + "participant/events",
                        "SignalingUrl": API + "participant/signal",
                        "IceServers": [{"urls": u} for u in ICE],
                    },
                },
                "Attendee": {
                    "AttendeeId": attendee["AttendeeId"],
                    "ExternalUserId": sub,
                    "JoinToken": attendee["JoinToken"],
                },
            },
            "dialInfo": {"SipMediaApplicationCall": {"TransactionId": cid}},
        })
        for v in (cid, attendee["AttendeeId"], attendee["JoinToken"]):
            self.assertIsInstance(v, str)
            self.assertTrue(v)
        # the JoinToken is a ParticipantToken: its stream starts QUEUED, then a position
        with self.stream(jt_of(a), {"contact.state", "queue"}) as s:
            st = s.next_event()
            self.assertEqual((st["event"], st["json"]), ("contact.state",
                                                         {"ContactId": cid, "State": "QUEUED"}))
            q = s.next_event()
            self.assertEqual(q["event"], "queue")
            self.assertEqual(q["json"]["ContactId"], cid)
            self.assertGreaterEqual(q["json"]["Position"], 1)
        # every dial is a new call (once the live one has ended: one at a time)
        self.assertEqual(self.hang_up(self.mint(sub), cid).status, 200)
        self.assertNotEqual(cid_of(self.dial(self.mint(sub)).json()), cid)

    def test_dial_queue_by_longest_prefix(self):
        agent = self.agent()
        _, _, uk = self.new_call("uk", "+44 161 496 0000")
        _, _, london = self.new_call("ldn", UK_NUMBER)
        _, _, us = self.new_call("us", US_NUMBER)

        def queue(name):
            r = self.edge.request("GET", API + "agent/queue?queue=" + name,
                                  {"Authorization": "Bearer " + agent})
            self.assertEqual(r.status, 200, r)
            return {c["ContactId"]: c for c in r.json()["Contacts"]}

        in_uk, in_london, default = queue("uk"), queue("london"), queue("")
        self.assertIn(cid_of(uk), in_uk)
        self.assertEqual(in_uk[cid_of(uk)]["Kind"], "CALL")
        self.assertNotIn(cid_of(london), in_uk)
        self.assertIn(cid_of(london), in_london)
        self.assertIn(cid_of(us), default)
        self.assertEqual(default[cid_of(us)]["Kind"], "CALL")
        for cid in (cid_of(uk), cid_of(london)):
            self.assertNotIn(cid, default)
        self.assertNotIn(cid_of(us), in_uk)

    def test_attributes_and_page_context(self):
        agent = self.agent()
        token = self.mint(new_sub("attrs"))
        a = self.dial(token, Attributes={"plan": "pro", "page": "attr-wins"},
                      PageContext={"page": "/pricing", "title": "Pricing"}).json()
        r = self.edge.request("GET", API + "agent/queue", {"Authorization": "Bearer " + agent})
        listed = {c["ContactId"]: c for c in r.json()["Contacts"]}
        self.assertEqual(listed[cid_of(a)].get("Attributes"),
                         {"plan": "pro", "page": "attr-wins", "title": "Pricing"})
        big = {"k%d" % i: "v" * 100 for i in range(90)}  # about 9.5 KiB
        for extra in ({"Attributes": big},
                      {"Attributes": {"a": "x" * 5000}, "PageContext": {"b": "y" * 5000}},
                      {"Attributes": {"n": 1}},
                      {"PageContext": ["x"]}):
            with self.subTest(keys=sorted(extra)):
                assert_json_error(self, self.dial(token, status=400, **extra), 400, "bad_request")

    # -- update: DTMF ----------------------------------------------------------

    def test_digits_before_accept_are_refused(self):
        _, tok, a = self.new_call("early")
        assert_json_error(self, self.digits(tok, cid_of(a), "1"), 409, "call_not_connected")

    def test_digits_reach_the_other_side_in_order(self):
        tok, agent, a, acc = self.connected_call("dtmf")
        cid = cid_of(a)
        with self.stream(acc["ParticipantToken"], {"dtmf"}) as agent_s, \
                self.stream(jt_of(a), {"dtmf"}) as cust_s:
            r = self.digits(tok, cid, "12#")
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json(), {"status": "ok"})
            got = [e["json"] for e in agent_s.events(3)]
            self.assertEqual(got, [{"ContactId": cid, "Digit": d, "FromRole": "CUSTOMER"}
                                   for d in "12#"])
            self.assert_quiet(agent_s)
            self.assert_quiet(cust_s)
            # and the agent's keypad reaches the customer only
            self.assertEqual(self.digits(agent, cid, "*A").status, 200)
            got = [e["json"] for e in cust_s.events(2)]
            self.assertEqual(got, [{"ContactId": cid, "Digit": d, "FromRole": "AGENT"}
                                   for d in "*A"])
            self.assert_quiet(agent_s)

    def test_update_is_checked(self):
        tok, _, a, _ = self.connected_call("chk")
        cid = cid_of(a)
        stranger = self.mint(new_sub("stranger"))
        other_agent = self.agent("other-agent")
        assert_json_error(self, self.digits(stranger, cid, "1"), 403, "forbidden")
        assert_json_error(self, self.digits(other_agent, cid, "1"), 403, "forbidden")
        assert_json_error(self, self.hang_up(stranger, cid), 403, "forbidden")
        assert_json_error(self, self.digits(tok, "no-such-call", "1"), 404, "not_found")
        assert_json_error(self, self.hang_up(tok, "no-such-call"), 404, "not_found")
        for bad in ("x", "", "1" * 21, "12a", "1 2"):
            with self.subTest(digit=bad):
                assert_json_error(self, self.digits(tok, cid, bad), 400, "bad_digit")
        assert_json_error(self, self.site(tok, "update", {"update": "digit", "digit": 5,
                                                          "transactionId": cid}),
                          400, "bad_digit")
        assert_json_error(self, self.site(tok, "update", {"update": "digit", "digit": "1"}), 400)
        assert_json_error(self, self.site(tok, "update", {"update": "end"}), 400)
        assert_json_error(self, self.site(tok, "update", {"update": "hold", "meetingId": cid}),
                          400, "bad_request")
        assert_json_error(self, self.site(tok, "update", {"meetingId": cid}), 400)
        assert_json_error(self, self.post("update", {"Content-Type": JSON},
                                          {"update": "end", "meetingId": cid}), 401)
        # a chat is not a call
        chat, _ = self.start_chat(tok)
        assert_json_error(self, self.hang_up(tok, chat["ContactId"]), 404)
        # nothing above ended the call
        self.assertEqual(self.digits(tok, cid, "9").status, 200)

    # -- update: hang up -------------------------------------------------------

    def test_customer_hangs_up(self):
        tok, agent, a, acc = self.connected_call("end")
        cid = cid_of(a)
        with self.stream(acc["ParticipantToken"], {"contact.state"}) as agent_s, \
                self.stream(jt_of(a), {"contact.state"}) as cust_s:
            self.assertEqual(cust_s.next_event()["json"]["State"], "QUEUED")
            self.assertEqual(cust_s.next_event()["json"]["State"], "CONNECTED")
            self.assertEqual(agent_s.next_event()["json"]["State"], "CONNECTED")
            r = self.hang_up(tok, cid)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json(), {"status": "ok"})
            for s in (agent_s, cust_s):
                e = s.next_event()
                self.assertEqual(e["json"], {"ContactId": cid, "State": "ENDED",
                                             "Reason": "customer_hangup"})
                self.assert_quiet(s)
        assert_json_error(self, self.hang_up(tok, cid), 409, "contact_ended")
        assert_json_error(self, self.hang_up(agent, cid), 409, "contact_ended")
        assert_json_error(self, self.digits(tok, cid, "1"), 409, "contact_ended")

    def test_agent_hangs_up(self):
        _, agent, a, _ = self.connected_call("aend")
        with self.stream(jt_of(a), {"contact.state"}) as cust_s:
            cust_s.events(2)  # QUEUED, CONNECTED
            self.assertEqual(self.hang_up(agent, cid_of(a)).status, 200)
            e = cust_s.next_event()
            self.assertEqual(e["json"]["State"], "ENDED")
            self.assertEqual(e["json"]["Reason"], "agent_hangup")

    def test_waiting_caller_hangs_up_and_leaves_the_queue(self):
        agent = self.agent()
        _, tok, a = self.new_call("wait")
        self.assertEqual(self.hang_up(tok, cid_of(a)).status, 200)
        r = self.edge.request("GET", API + "agent/queue", {"Authorization": "Bearer " + agent})
        self.assertNotIn(cid_of(a), [c["ContactId"] for c in r.json()["Contacts"]])
        assert_json_error(self, self.site(agent, "agent/accept", {"ContactId": cid_of(a)}), 409)

    # -- signaling -------------------------------------------------------------

    def test_signaling_is_relayed_to_the_other_side_only(self):
        _, _, a, acc = self.connected_call("sig")
        cid, cust_pt, agent_pt = cid_of(a), jt_of(a), acc["ParticipantToken"]
        cust_pid = a["responseInfo"]["Attendee"]["AttendeeId"]
        # a third party with a connected call of its own
        _, _, a3, acc3 = self.connected_call("third")
        offer = {"type": "offer", "sdp": "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n" + "a=x\r\n" * 50}
        with self.stream(agent_pt, {"signal"}) as agent_s, \
                self.stream(cust_pt, {"signal"}) as cust_s, \
                self.stream(acc3["ParticipantToken"], {"signal"}) as third_agent_s:
            r = self.signal(cust_pt, {"Type": "offer", "Payload": offer})
            self.assertEqual(r.status, 200, r)
            e = agent_s.next_event()
            self.assertEqual(e["json"], {"ContactId": cid, "FromParticipantId": cust_pid,
                                         "FromRole": "CUSTOMER", "Type": "offer",
                                         "Payload": offer})
            answer = {"type": "answer", "sdp": "v=0\r\n"}
            self.assertEqual(self.signal(agent_pt, {"Type": "answer", "Payload": answer}).status,
                             200)
            e = cust_s.next_event()
            self.assertEqual(e["json"], {"ContactId": cid,
                                         "FromParticipantId": acc["ParticipantId"],
                                         "FromRole": "AGENT", "Type": "answer",
                                         "Payload": answer})
            cand = {"candidate": "candidate:1 1 udp 2122260223 127.0.0.1 54400 typ host",
                    "sdpMid": "0", "sdpMLineIndex": 0}
            self.assertEqual(self.signal(cust_pt, {"Type": "candidate",
                                                   "Payload": cand}).status, 200)
            self.assertEqual(agent_s.next_event()["json"]["Payload"], cand)
            # the third party's token reaches only its own contact
            self.assertEqual(self.signal(jt_of(a3), {"Type": "offer",
                                                     "Payload": {"sdp": "intruder"}}).status, 200)
            e = third_agent_s.next_event()
            self.assertEqual(e["json"]["ContactId"], cid_of(a3))
            self.assertEqual(e["json"]["Payload"], {"sdp": "intruder"})
            self.assert_quiet(agent_s)
            self.assert_quiet(cust_s)
            # nobody receives their own signals
            self.assert_quiet(third_agent_s)

    def test_signal_is_checked(self):
        _, tok, a = self.new_call("sigchk")
        pt = jt_of(a)
        assert_json_error(self, self.signal(pt, {"Type": "offer", "Payload": {}}),
                          409, "call_not_connected")
        agent = self.agent()
        self.accept(agent, cid_of(a))
        for body in ({"Type": "hello", "Payload": {}}, {"Payload": {}}, {"Type": "offer"},
                     {"Type": 1, "Payload": {}},
                     {"Type": "offer", "Payload": {"sdp": "x" * (16 * 1024)}}):
            with self.subTest(body=json.dumps(body)[:60]):
                assert_json_error(self, self.signal(pt, body), 400, "bad_request")
        # a payload of any JSON type is relayed as it is
        for payload in ("text", 7, [1, {"a": None}], None, True):
            self.assertEqual(self.signal(pt, {"Type": "candidate", "Payload": payload}).status,
                             200)
        assert_json_error(self, self.post("participant/signal", {"Content-Type": JSON},
                                          {"Type": "bye", "Payload": {}}), 401,
                          "missing_participant_token")
        assert_json_error(self, self.signal("forged.token", {"Type": "bye", "Payload": {}}),
                          401, "invalid_participant_token")
        # and after the call has ended
        self.assertEqual(self.hang_up(tok, cid_of(a)).status, 200)
        assert_json_error(self, self.signal(pt, {"Type": "bye", "Payload": {}}),
                          409, "contact_ended")


class DialPolicyTests(CallClient, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.edge = Edge(["--demo", "--dial-allow", "+44", "--dial-deny", "+4470"])
        cls.edge.start()

    @classmethod
    def tearDownClass(cls):
        try:
            cls.edge.stop_ok()
        finally:
            cls.edge.cleanup()

    def test_allow_and_deny_prefixes(self):
        token = self.mint(new_sub("policy"))
        self.dial(token, UK_NUMBER)
        for number in (US_NUMBER, "+17035550122", "+33 1 23 45 67 89", "+44 7000 123456"):
            with self.subTest(number=number):
                assert_json_error(self, self.site(token, "dial", {"toNumber": number}),
                                  403, "number_not_allowed")
        # still normalized and validated first
        assert_json_error(self, self.site(token, "dial", {"toNumber": "555"}), 400, "bad_number")


class DialFlagTests(unittest.TestCase):
    def test_bad_dial_flags_are_refused(self):
        for flag, value in (("--dial-allow", "44"), ("--dial-deny", "+"), ("--dial-deny", "+0"),
                            ("--dial-queue", "+44"), ("--dial-queue", "+44="),
                            ("--dial-queue", "44=uk"), ("--dial-queue", "+44=u k")):
            with self.subTest(flag=flag, value=value):
                rc, _, err = run_edge([flag, value])
                self.assertNotEqual(rc, 0)
                self.assertIn(flag, err)

    def test_help_lists_the_dial_flags(self):
        rc, out, _ = run_edge(["--help"])
        self.assertEqual(rc, 0)
        for flag in ("--dial-allow", "--dial-deny", "--dial-queue", "+1900"):
            self.assertIn(flag, out)


if __name__ == "__main__":
    unittest.main()
