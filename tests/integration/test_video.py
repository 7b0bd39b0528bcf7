"""Video escalation of a chat: POST /api/participant/video {Action: "offer"
| "end" | "decline", ScreenShare?}. The agent offers (customers may not),
the customer's stream gets video.offer, the two negotiate through
participant/signal, either side ends the video with video.ended to the
other, and the chat goes on; the customer may decline instead (agents may
not), and the agent gets video.declined, also when its stream reconnects;
a missed offer is replayed with Last-Event-ID; errors for an ended chat, a
bad Action and a missing token.

The SSE reader and the chat / call helpers come from test_chat.py and
test_calls.py; every socket operation there has a deadline."""

import re
import unittest

from edge import Edge, assert_json_error
from test_calls import CallClient
from test_chat import JSON, TIME_RE, SseStream

VIDEO = {"video.offer", "video.ended", "video.declined"}


class VideoTests(CallClient, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.edge = Edge(["--demo"])
        cls.edge.start()

    @classmethod
    def tearDownClass(cls):
        try:
            cls.edge.stop_ok()
        finally:
            cls.edge.cleanup()

    def connected_chat(self, tag):
        """A chat an agent has accepted: (startChatResult, the accept answer)."""
        _, res, _ = self.new_chat(tag)
        acc = self.accept(self.agent(tag + "-agent"), res["ContactId"])
        return res, acc

    def video(self, ptoken, body):
        return self.p(ptoken, "video", body)

    def assert_offer(self, e, res, acc, screen_share):
        self.assertEqual(e["event"], "video.offer")
        d = e["json"]
        self.assertEqual(set(d), {"ContactId", "FromParticipantId", "DisplayName", "ScreenShare",
                                  "AbsoluteTime"}, d)
        self.assertEqual(d["ContactId"], res["ContactId"])
        self.assertEqual(d["FromParticipantId"], acc["ParticipantId"])
        self.assertEqual(d["DisplayName"], "Agent")
        self.assertIs(d["ScreenShare"], screen_share)
        self.assertRegex(d["AbsoluteTime"], TIME_RE)

    def test_agent_offers_and_the_customer_gets_it(self):
        res, acc = self.connected_chat("voffer")
        cust_pt, agent_pt = res["ParticipantToken"], acc["ParticipantToken"]
        with self.stream(cust_pt, VIDEO) as cust_s, self.stream(agent_pt, VIDEO) as agent_s:
            r = self.video(agent_pt, {"Action": "offer", "ScreenShare": True})
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json(), {})
            self.assert_offer(cust_s.next_event(), res, acc, True)
            self.assertEqual(self.video(agent_pt, {"Action": "offer"}).status, 200)
            self.assert_offer(cust_s.next_event(), res, acc, False)
            self.assert_quiet(agent_s)  # nobody receives their own offer
            self.assert_quiet(cust_s)

    def test_customer_cannot_offer(self):
        res, _ = self.connected_chat("vcust")
        for body in ({"Action": "offer"}, {"Action": "offer", "ScreenShare": True}):
            assert_json_error(self, self.video(res["ParticipantToken"], body), 403,
                              "agents_only")

    def test_offer_on_an_ended_chat(self):
        res, acc = self.connected_chat("vended")
        self.assertEqual(self.p(res["ParticipantToken"], "disconnect").status, 200)
        for body in ({"Action": "offer"}, {"Action": "end"}):
            # the agent's token ended with the contact; the customer's still
            # authenticates (transcript grace) and meets the ended contact
            assert_json_error(self, self.video(acc["ParticipantToken"], body), 401,
                              "invalid_participant_token")
        assert_json_error(self, self.video(res["ParticipantToken"], {"Action": "end"}), 409,
                          "contact_ended")

    def test_end_before_an_agent_joined(self):
        _, res, _ = self.new_chat("vwait")
        assert_json_error(self, self.video(res["ParticipantToken"], {"Action": "end"}), 409,
                          "call_not_connected")

    def test_signal_then_customer_ends_and_chat_goes_on(self):
        res, acc = self.connected_chat("vflow")
        cust_pt, agent_pt = res["ParticipantToken"], acc["ParticipantToken"]
        types = VIDEO | {"signal", "message"}
        with self.stream(cust_pt, types) as cust_s, self.stream(agent_pt, types) as agent_s:
            self.assertEqual(self.video(agent_pt, {"Action": "offer"}).status, 200)
            self.assertEqual(cust_s.next_event()["event"], "video.offer")
            offer = {"type": "offer", "sdp": "v=0\r\n"}
            self.assertEqual(self.signal(cust_pt, {"Type": "offer", "Payload": offer}).status,
                             200)
            e = agent_s.next_event()
            self.assertEqual((e["event"], e["json"]["Payload"]), ("signal", offer))
            answer = {"type": "answer", "sdp": "v=0\r\n"}
            self.assertEqual(self.signal(agent_pt, {"Type": "answer", "Payload": answer}).status,
                             200)
            e = cust_s.next_event()
            self.assertEqual((e["event"], e["json"]["Payload"]), ("signal", answer))
            r = self.video(cust_pt, {"Action": "end"})
            self.assertEqual(r.status, 200, r)
            e = agent_s.next_event()
            self.assertEqual(e["event"], "video.ended")
            self.assertEqual(set(e["json"]), {"ContactId", "FromParticipantId", "FromRole",
                                              "AbsoluteTime"})
            self.assertEqual(e["json"]["ContactId"], res["ContactId"])
            self.assertEqual(e["json"]["FromParticipantId"], res["ParticipantId"])
            self.assertEqual(e["json"]["FromRole"], "CUSTOMER")
            self.assertRegex(e["json"]["AbsoluteTime"], TIME_RE)
            self.assert_quiet(cust_s)  # the ender hears nothing
            # the chat goes on, both ways
            m = self.send(cust_pt, "still there?")
            for s in (cust_s, agent_s):
                e = s.next_event()
                self.assertEqual((e["event"], e["json"]["Id"]), ("message", m["Id"]))
            m = self.send(agent_pt, "yes")
            self.assertEqual(cust_s.next_event()["json"]["Content"], "yes")
            self.assertEqual(agent_s.next_event()["json"]["Id"], m["Id"])
            # the agent may end too (and offer again)
            self.assertEqual(self.video(agent_pt, {"Action": "end"}).status, 200)
            e = cust_s.next_event()
            self.assertEqual((e["event"], e["json"]["FromRole"]), ("video.ended", "AGENT"))
            self.assertEqual(self.video(agent_pt, {"Action": "offer"}).status, 200)
            self.assertEqual(cust_s.next_event()["event"], "video.offer")
        # no video event is a transcript item
        items = self.full_transcript(cust_pt)
        self.assertEqual([i.get("Content") for i in items if i.get("Type") == "MESSAGE"],
                         ["still there?", "yes"])
        self.assertFalse([i for i in items if re.search("video", str(i), re.I)], items)

    def assert_declined(self, e, res):
        self.assertEqual(e["event"], "video.declined")
        d = e["json"]
        self.assertEqual(set(d), {"ContactId", "FromParticipantId", "FromRole", "AbsoluteTime"}, d)
        self.assertEqual(d["ContactId"], res["ContactId"])
        self.assertEqual(d["FromParticipantId"], res["ParticipantId"])
        self.assertEqual(d["FromRole"], "CUSTOMER")
        self.assertRegex(d["AbsoluteTime"], TIME_RE)

    def test_customer_declines_and_the_agent_is_told(self):
        res, acc = self.connected_chat("vdecline")
        cust_pt, agent_pt = res["ParticipantToken"], acc["ParticipantToken"]
        types = VIDEO | {"message"}
        with self.stream(cust_pt, types) as cust_s, self.stream(agent_pt, types) as agent_s:
            self.assertEqual(self.video(agent_pt, {"Action": "offer"}).status, 200)
            self.assertEqual(cust_s.next_event()["event"], "video.offer")
            r = self.video(cust_pt, {"Action": "decline"})
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json(), {})
            self.assert_declined(agent_s.next_event(), res)
            self.assert_quiet(cust_s)  # the decliner hears nothing
            # the chat goes on, and the agent may offer again
            m = self.send(cust_pt, "maybe later")
            for s in (cust_s, agent_s):
                e = s.next_event()
                self.assertEqual((e["event"], e["json"]["Id"]), ("message", m["Id"]))
            self.assertEqual(self.video(agent_pt, {"Action": "offer"}).status, 200)
            self.assertEqual(cust_s.next_event()["event"], "video.offer")
            self.assert_quiet(agent_s)
        # a decline is no transcript item
        items = self.full_transcript(cust_pt)
        self.assertEqual([i.get("Content") for i in items if i.get("Type") == "MESSAGE"],
                         ["maybe later"])
        self.assertFalse([i for i in items if re.search("video", str(i), re.I)], items)

    def test_missed_decline_is_replayed_to_the_agent(self):
        res, acc = self.connected_chat("vdreplay")
        cust_pt, agent_pt = res["ParticipantToken"], acc["ParticipantToken"]
        with self.stream(agent_pt, {"message"}) as s:
            self.send(cust_pt, "hello")
            s.next_event()
            last = s.last_id
        self.assertEqual(self.video(agent_pt, {"Action": "offer"}).status, 200)
        # declined while the agent's console is away
        self.assertEqual(self.video(cust_pt, {"Action": "decline"}).status, 200)
        with SseStream(self.edge, agent_pt, last_event_id=last) as s:
            self.assertEqual(s.status, 200)
            self.assertEqual(s.next_block(), {"retry": 3000})
            s.types = VIDEO
            e = s.next_event()
            self.assertGreater(e["id"], last)
            self.assert_declined(e, res)
            self.assert_quiet(s)

    def test_only_the_customer_declines(self):
        res, acc = self.connected_chat("vdagent")
        cust_pt, agent_pt = res["ParticipantToken"], acc["ParticipantToken"]
        assert_json_error(self, self.video(agent_pt, {"Action": "decline"}), 403, "forbidden")
        with self.stream(cust_pt, VIDEO) as s:
            self.assert_quiet(s)  # nothing reached the customer
        # nor before an agent joined, nor after the chat ended
        _, waiting, _ = self.new_chat("vdwait")
        assert_json_error(self, self.video(waiting["ParticipantToken"], {"Action": "decline"}),
                          409, "call_not_connected")
        self.assertEqual(self.p(cust_pt, "disconnect").status, 200)
        assert_json_error(self, self.video(cust_pt, {"Action": "decline"}), 409,
                          "contact_ended")

    def test_missed_offer_is_replayed_with_last_event_id(self):
        res, acc = self.connected_chat("vreplay")
        cust_pt, agent_pt = res["ParticipantToken"], acc["ParticipantToken"]
        with self.stream(cust_pt, {"contact.state"}) as s:
            self.assertEqual(s.next_event()["json"]["State"], "QUEUED")
            self.assertEqual(s.next_event()["json"]["State"], "CONNECTED")
            last = s.last_id
        # offered while the customer's stream is closed
        self.assertEqual(self.video(agent_pt, {"Action": "offer", "ScreenShare": True}).status,
                         200)
        with SseStream(self.edge, cust_pt, last_event_id=last) as s:
            self.assertEqual(s.status, 200)
            self.assertEqual(s.next_block(), {"retry": 3000})
            s.types = VIDEO
            e = s.next_event()
            self.assertGreater(e["id"], last)
            self.assert_offer(e, res, acc, True)
            self.assert_quiet(s)

    def test_bad_requests(self):
        res, acc = self.connected_chat("vbad")
        agent_pt = acc["ParticipantToken"]
        for body in ({}, {"Action": "start"}, {"Action": ""}, {"Action": 1},
                     {"Action": "OFFER"}, {"Action": "Decline"}, {"Action": "declined"},
                     {"Action": "offer", "ScreenShare": "yes"},
                     {"Action": "offer", "ScreenShare": 1}):
            with self.subTest(body=body):
                assert_json_error(self, self.video(agent_pt, body), 400, "bad_request")
        assert_json_error(self, self.post("participant/video", {"Content-Type": JSON},
                                          {"Action": "offer"}), 401,
                          "missing_participant_token")
        assert_json_error(self, self.video("forged.token", {"Action": "offer"}), 401,
                          "invalid_participant_token")
        # nothing reached the customer
        with self.stream(res["ParticipantToken"], VIDEO) as s:
            self.assert_quiet(s)


if __name__ == "__main__":
    unittest.main()
