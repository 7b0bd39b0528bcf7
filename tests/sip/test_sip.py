"""The SIP bridge end to end: the real c2c-edge drives a real Janus (SIP
plugin, HTTP API) which calls sipp user agents playing the PBX: the
INVITE's headers, every way a call ends (answered and hung up by either
side, busy, declined, failed, not answered), DTMF as RFC 4733 (told to the
browser) or as SIP INFO (through Janus, in order), and Janus unreachable,
dying mid-call and coming back. The browser's side is played by the test:
a synthetic WebRTC offer (Janus places the call without waiting for ICE).

Runs inside the namespace tests/sip/run.sh prepares."""

import os
import re
import time
import unittest

from edge import Edge, assert_json_error
from sipnet import SIP_IP, WEBRTC_OFFER, Janus, Sipp, free_port, header, wait_until
from test_calls import CallClient, cid_of, jt_of
from test_chat import new_sub

STATE_TYPES = {"contact.state", "signal", "dtmf.play"}

# one number prefix per sipp scenario: +1555 01.. 02.. and so on
SCENARIO_PREFIX = {"answer": "+155501", "answer_no_te": "+155502", "answer_bye": "+155503",
                   "busy": "+155504", "decline": "+155505", "unavailable": "+155506",
                   "ring_forever": "+155507"}


def number_for(scenario):
    return SCENARIO_PREFIX[scenario] + "0000"


class BridgeClient(CallClient):
    """Helpers over self.edge and self.sipp_ports."""

    def sipp(self, scenario):
        s = Sipp(scenario, self.edge.tmp)
        s.port = self.sipp_ports[scenario]
        s.start()
        self.addCleanup(s.kill)
        return s

    def bridged_dial(self, scenario, **extra):
        """A fresh customer's bridged call: (sub, token, answer, stream)."""
        sub = new_sub("sip")
        token = self.mint(sub)
        ans = self.dial(token, number_for(scenario), **extra).json()
        self.assertEqual(ans["responseInfo"]["Meeting"].get("Bridge"), "SIP", ans)
        stream = self.stream(jt_of(ans), STATE_TYPES)
        self.addCleanup(stream.close)
        first = stream.next_event()
        self.assertEqual(first["event"], "contact.state")
        self.assertEqual(first["json"]["State"], "DIALING")
        self.assertEqual(first["json"]["Bridge"], "SIP")
        self.assertEqual(first["json"]["ContactId"], cid_of(ans))
        return sub, token, ans, stream

    def offer(self, ans, status=200):
        r = self.signal(jt_of(ans), {"Type": "offer",
                                     "Payload": {"type": "offer", "sdp": WEBRTC_OFFER}})
        self.assertEqual(r.status, status, r)

    def state(self, stream, want, timeout=5.0):
        """Skip to the next contact.state and check it is want."""
        while True:
            ev = stream.next_event(timeout)
            if ev["event"] == "contact.state":
                self.assertEqual(ev["json"]["State"], want, ev)
                self.assertEqual(ev["json"]["Bridge"], "SIP", ev)
                return ev["json"]

    def connect(self, scenario):
        """Dial, offer, and wait for CONNECTED: (sipp, token, ans, stream, answer_signal)."""
        sipp = self.sipp(scenario)
        _, token, ans, stream = self.bridged_dial(scenario)
        self.offer(ans)
        answer = None
        while True:
            ev = stream.next_event(5.0)
            if ev["event"] == "signal":
                answer = ev["json"]
            elif ev["event"] == "contact.state" and ev["json"]["State"] == "CONNECTED":
                break
        self.assertIsNotNone(answer, "no answer before CONNECTED")
        return sipp, token, ans, stream, answer


class SipBridgeTests(BridgeClient, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.janus = Janus().start()
        cls.sipp_ports = {name: free_port(__import__("socket").SOCK_DGRAM, SIP_IP)
                          for name in SCENARIO_PREFIX}
        flags = ["--demo", "--sip-gateway", cls.janus.url, "--sip-answer-timeout-s", "2",
                 "--sip-from", "sip:shop@c2c.example", "--limit-dials", "0"]
        for name, prefix in SCENARIO_PREFIX.items():
            flags += ["--sip-route", "%s=sip:{number}@%s:%d" % (prefix, SIP_IP,
                                                               cls.sipp_ports[name])]
        cls.edge = Edge(flags)
        try:
            cls.edge.start()
        except Exception:
            cls.janus.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        if os.environ.get("C2C_SIP_DEBUG"):
            print("---- janus log\n" + cls.janus.log()[-6000:])
            print("---- edge stderr\n" + cls.edge.stderr_tail())
        try:
            cls.edge.stop_ok()
        finally:
            cls.edge.cleanup()
            cls.janus.cleanup()

    def test_answered_call_headers_rfc4733_and_customer_hangup(self):
        sipp = self.sipp("answer")
        sub, token, ans, stream = self.bridged_dial(
            "answer", Attributes={"orderId": "A-17", "odd key\r\nX-Evil": "v\r\nInjected: 1"})
        cid = cid_of(ans)
        # candidates before the offer are kept until it has gone
        r = self.signal(jt_of(ans), {"Type": "candidate", "Payload": {
            "candidate": "candidate:1 1 udp 2122260223 198.51.100.1 50000 typ host",
            "sdpMid": "0", "sdpMLineIndex": 0}})
        self.assertEqual(r.status, 200, r)
        self.offer(ans)
        invite = sipp.wait_received("INVITE")[0]
        self.assertEqual(header(invite, "X-RequestorEmail"), sub + "@example.com")
        self.assertEqual(header(invite, "X-C2C-Contact-Id"), cid)
        self.assertEqual(header(invite, "X-C2C-Attr-orderId"), "A-17")
        self.assertEqual(header(invite, "X-C2C-Attr-odd-key--X-Evil"), "v??Injected: 1")
        self.assertIsNone(header(invite, "Injected"))
        self.assertIn("sip:shop@c2c.example", header(invite, "From"))
        self.assertTrue(invite.startswith("INVITE sip:1555010000@"), invite[:80])
        self.assertEqual(self.state(stream, "RINGING")["ContactId"], cid)
        sig = stream.next_event()
        self.assertEqual(sig["event"], "signal")
        self.assertEqual(sig["json"]["Type"], "answer")
        self.assertEqual(sig["json"]["FromRole"], "AGENT")
        self.assertEqual(sig["json"]["ContactId"], cid)
        self.assertNotEqual(sig["json"]["FromParticipantId"],
                            ans["responseInfo"]["Attendee"]["AttendeeId"])
        self.assertEqual(sig["json"]["Payload"]["type"], "answer")
        self.assertIn("telephone-event", sig["json"]["Payload"]["sdp"])
        self.state(stream, "CONNECTED")
        r = self.signal(jt_of(ans), {"Type": "candidate", "Payload": None})
        self.assertEqual(r.status, 200, r)
        # telephone-event negotiated: the browser plays the digits
        self.assertEqual(self.digits(token, cid, "12#").status, 200)
        play = stream.next_event()
        self.assertEqual(play["event"], "dtmf.play")
        self.assertEqual(play["json"], {"ContactId": cid, "Digits": "12#"})
        t0 = time.monotonic()
        self.assertEqual(self.hang_up(token, cid).status, 200)
        ended = self.state(stream, "ENDED")
        self.assertEqual(ended["Reason"], "customer_hangup")
        sipp.wait_received("BYE", timeout=1.0)
        self.assertLess(time.monotonic() - t0, 1.0)
        self.assertEqual(sipp.wait_exit(), 0, sipp.messages()[-2000:])
        self.assertEqual(sipp.received("INFO"), [])
        # the contact is over for the server too
        self.assertEqual(self.hang_up(token, cid).status, 409)

    def test_sip_info_dtmf_in_order(self):
        sipp, token, ans, stream, answer = self.connect("answer_no_te")
        self.assertNotIn("telephone-event", answer["Payload"]["sdp"])
        cid = cid_of(ans)
        for chunk in ("12", "3#", "*0"):
            self.assertEqual(self.digits(token, cid, chunk).status, 200)
        infos = sipp.wait_received("INFO", count=6)
        signals = [re.search(r"Signal=(.)", m).group(1) for m in infos]
        self.assertEqual(signals, list("123#*0"))
        self.assertEqual(self.hang_up(token, cid).status, 200)
        self.assertEqual(self.state(stream, "ENDED")["Reason"], "customer_hangup")
        self.assertEqual(sipp.wait_exit(), 0)

    def test_digits_before_connected_are_refused(self):
        sipp = self.sipp("ring_forever")
        _, token, ans, stream = self.bridged_dial("ring_forever")
        r = self.digits(token, cid_of(ans), "1")
        assert_json_error(self, r, 409, "call_not_connected")
        self.offer(ans)
        self.state(stream, "RINGING")
        r = self.digits(token, cid_of(ans), "1")
        assert_json_error(self, r, 409, "call_not_connected")
        self.assertEqual(self.hang_up(token, cid_of(ans)).status, 200)
        self.assertEqual(self.state(stream, "ENDED")["Reason"], "customer_hangup")
        sipp.wait_received("CANCEL", timeout=1.0)

    def test_far_end_hangs_up(self):
        sipp, token, ans, stream, _ = self.connect("answer_bye")
        ended = self.state(stream, "ENDED", timeout=3.0)
        self.assertEqual(ended["Reason"], "far_end_hangup")
        self.assertEqual(sipp.wait_exit(), 0)
        self.assertEqual(self.digits(token, cid_of(ans), "1").status, 409)

    def end_before_answer(self, scenario, reason, status):
        sipp = self.sipp(scenario)
        _, token, ans, stream = self.bridged_dial(scenario)
        self.offer(ans)
        ended = self.state(stream, "ENDED")
        self.assertEqual(ended["Reason"], reason)
        self.assertEqual(ended.get("SipStatus"), status)
        sipp.wait_exit()
        return token, ans

    def test_busy(self):
        self.end_before_answer("busy", "busy", 486)

    def test_declined(self):
        self.end_before_answer("decline", "declined", 603)

    def test_other_final_status_fails(self):
        self.end_before_answer("unavailable", "failed", 503)

    def test_no_answer_after_the_answer_timeout(self):
        sipp = self.sipp("ring_forever")
        _, token, ans, stream = self.bridged_dial("ring_forever")
        t0 = time.monotonic()
        self.offer(ans)
        self.state(stream, "RINGING")
        self.assertEqual(self.state(stream, "ENDED", timeout=5.0)["Reason"], "no_answer")
        self.assertGreater(time.monotonic() - t0, 1.0)
        sipp.wait_received("CANCEL", timeout=2.0)
        self.assertEqual(sipp.wait_exit(), 0)

    def test_numbers_without_a_route_still_ring_agents(self):
        _, token, ans = self.new_call("plain")
        self.assertNotIn("Bridge", ans["responseInfo"]["Meeting"])
        self.assertEqual(self.hang_up(token, cid_of(ans)).status, 200)


class GatewayLifeTests(BridgeClient, unittest.TestCase):
    """Janus absent, then present, then killed mid-call, then back."""

    def setUp(self):
        self.janus = Janus()
        self.addCleanup(self.janus.cleanup)
        self.sipp_ports = {"answer": free_port(__import__("socket").SOCK_DGRAM, SIP_IP)}
        self.edge = Edge(["--demo", "--sip-gateway", self.janus.url, "--sip-route",
                          "+155501=sip:{number}@%s:%d" % (SIP_IP, self.sipp_ports["answer"])])
        self.edge.start()
        self.addCleanup(self.edge.cleanup)
        self.addCleanup(self.edge.stop_ok, self)

    def test_janus_absent_lost_and_back(self):
        sub = new_sub("gw")
        token = self.mint(sub)
        r = self.dial(token, number_for("answer"), status=503)
        assert_json_error(self, r, 503, "gateway_unavailable")
        # nothing was created: no live call holds the identity back, no queue
        agent = self.agent("gw-agent")
        q = self.edge.get("/api/agent/queue", {"Authorization": "Bearer " + agent})
        self.assertEqual(q.status, 200, q)
        self.assertEqual(q.json().get("Contacts", q.json().get("contacts")), [], q.json())
        # Janus comes up: the next dial works without restarting c2c
        self.janus.start()
        sipp, token, ans, stream, _ = self.connect("answer")
        t0 = time.monotonic()
        self.janus.kill()
        ended = self.state(stream, "ENDED", timeout=5.0)
        self.assertEqual(ended["Reason"], "gateway_lost")
        self.assertLess(time.monotonic() - t0, 5.0)
        self.assertEqual(self.hang_up(token, cid_of(ans)).status, 409)
        sipp.kill()
        # and back again
        self.janus.start()
        sipp, token, ans, stream, _ = self.connect("answer")
        self.assertEqual(self.hang_up(token, cid_of(ans)).status, 200)
        self.assertEqual(self.state(stream, "ENDED")["Reason"], "customer_hangup")
        self.assertEqual(sipp.wait_exit(), 0)


if __name__ == "__main__":
    unittest.main()
