"""The SIP bridge end to end: the real c2c-edge drives a real Janus (SIP
plugin, HTTP API) which calls sipp user agents playing the PBX: the
INVITE's headers, every way a call ends (answered and hung up by either
side, busy, declined, failed, not answered), DTMF as RFC 4733 (told to the
browser) or as SIP INFO (through Janus, in order), and Janus unreachable,
dying mid-call and coming back. The browser's side is played by the test:
a synthetic WebRTC offer (Janus places the call without waiting for ICE).

Runs inside the namespace tests/sip/run.sh prepares."""

import http.server
import json
import os
import re
import socket
import threading
import time
import unittest

from edge import Edge, assert_json_error
from sipnet import SIP_IP, WEBRTC_OFFER, Janus, Sipp, free_port, header, wait_until
from test_calls import CallClient, cid_of, jt_of
from test_chat import SseStream, new_sub

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
        cls.sipp_ports = {name: free_port(socket.SOCK_DGRAM, SIP_IP)
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

    def tearDown(self):
        # however a call ended, its Janus session (and handle) is gone: what
        # is left is the one spare session the bridge keeps ready
        wait_until(lambda: len(self.janus.sessions()) == 1, 3.0,
                   what="Janus to hold the spare session only")

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
        # this call's, until it ends, and the spare for the next dial
        wait_until(lambda: len(self.janus.sessions()) == 2, 3.0, what="two Janus sessions")
        r = self.signal(jt_of(ans), {"Type": "offer",
                                     "Payload": {"type": "offer", "sdp": WEBRTC_OFFER}})
        assert_json_error(self, r, 409, "conflict")  # one offer per call
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

    def test_participant_disconnect_hangs_up(self):
        sipp, token, ans, stream, _ = self.connect("answer")
        r = self.p(jt_of(ans), "disconnect")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.state(stream, "ENDED")["Reason"], "customer_hangup")
        sipp.wait_received("BYE", timeout=1.0)
        self.assertEqual(sipp.wait_exit(), 0)

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

    def test_two_calls_at_once_stay_apart(self):
        a = self.connect("answer")
        b = self.connect("answer_no_te")
        sipp_a, tok_a, ans_a, stream_a, _ = a
        sipp_b, tok_b, ans_b, stream_b, _ = b
        self.assertNotEqual(cid_of(ans_a), cid_of(ans_b))
        # one caller's digits and hang-up touch only their own call
        self.assertEqual(self.digits(tok_b, cid_of(ans_b), "7").status, 200)
        self.assertEqual(re.search(r"Signal=(.)", sipp_b.wait_received("INFO")[0]).group(1), "7")
        r = self.digits(tok_a, cid_of(ans_b), "1")
        assert_json_error(self, r, 403, "forbidden")
        self.assertEqual(self.hang_up(tok_a, cid_of(ans_a)).status, 200)
        self.assertEqual(self.state(stream_a, "ENDED")["Reason"], "customer_hangup")
        self.assertEqual(sipp_a.wait_exit(), 0)
        self.assertEqual(sipp_b.received("BYE"), [])
        self.assertTrue(stream_b.quiet(0.3), getattr(stream_b, "unexpected", None))
        self.assertEqual(self.hang_up(tok_b, cid_of(ans_b)).status, 200)
        self.assertEqual(self.state(stream_b, "ENDED")["Reason"], "customer_hangup")
        self.assertEqual(sipp_b.wait_exit(), 0)

    def test_numbers_without_a_route_still_ring_agents(self):
        _, token, ans = self.new_call("plain")
        self.assertNotIn("Bridge", ans["responseInfo"]["Meeting"])
        self.assertEqual(self.hang_up(token, cid_of(ans)).status, 200)


class GatewayLifeTests(BridgeClient, unittest.TestCase):
    """Janus absent, then present, then killed mid-call, then back."""

    def setUp(self):
        self.janus = Janus()
        self.addCleanup(self.janus.cleanup)
        self.sipp_ports = {"answer": free_port(socket.SOCK_DGRAM, SIP_IP)}
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

    def test_server_stops_cleanly_during_a_call(self):
        self.janus.start()
        sipp, token, ans, stream, _ = self.connect("answer")
        self.edge.stop_ok(self)  # exit 0, nothing leaked, no sanitizer report
        sipp.kill()


class CallerGoneTests(BridgeClient, unittest.TestCase):
    """The contact center ends a bridged call on its own (the caller's page
    is gone for --caller-gone-s): the far end is hung up on too."""

    def setUp(self):
        self.janus = Janus().start()
        self.addCleanup(self.janus.cleanup)
        self.sipp_ports = {"answer": free_port(socket.SOCK_DGRAM, SIP_IP)}
        self.edge = Edge(["--demo", "--caller-gone-s", "1", "--sip-gateway", self.janus.url,
                          "--sip-route",
                          "+155501=sip:{number}@%s:%d" % (SIP_IP, self.sipp_ports["answer"])])
        self.edge.start()
        self.addCleanup(self.edge.cleanup)
        self.addCleanup(self.edge.stop_ok, self)

    def test_caller_gone_hangs_up_the_far_end(self):
        sipp, token, ans, stream, _ = self.connect("answer")
        stream.close()  # the caller's tab is gone
        sipp.wait_received("BYE", timeout=4.0)
        self.assertEqual(sipp.wait_exit(), 0)
        self.assertEqual(self.hang_up(token, cid_of(ans)).status, 409)
        with SseStream(self.edge, jt_of(ans), last_event_id=0) as replay:
            replay.types = {"contact.state"}
            self.assertEqual(replay.next_block(), {"retry": 3000})
            states = []
            while not states or states[-1]["State"] != "ENDED":
                ev = replay.next_event()
                states.append(ev["json"])
        self.assertEqual(states[-1]["Reason"], "caller_gone")


class Stuck(http.server.BaseHTTPRequestHandler):
    """A gateway that creates sessions and handles but never registers
    anyone; it keeps every request it gets in `seen`."""
    protocol_version = "HTTP/1.1"
    seen = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        Stuck.seen.append((self.path, body))
        reply = {"janus": "success", "transaction": body.get("transaction"),
                 "data": {"id": 100 + len(Stuck.seen)}}
        if body.get("janus") == "message":
            reply = {"janus": "ack", "transaction": body.get("transaction")}
        data = json.dumps(reply).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass

    def do_GET(self):  # the long-poll: keepalives only, never "registered"
        time.sleep(0.5)
        data = b'{"janus":"keepalive"}'
        try:
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass  # the server gave up on this session and closed

    def log_message(self, *args):
        pass



class GatewaySilentTests(BridgeClient, unittest.TestCase):
    """Something answers on the gateway's port, but it is not a Janus that
    works: garbage, or a session that never registers."""

    def serve(self, handler_cls):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_cls)
        server.handle_error = lambda *args: None  # c2c closing a session's connection is fine
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        return "http://127.0.0.1:%d/janus" % server.server_address[1]

    def edge_for(self, url):
        self.edge = Edge(["--demo", "--sip-gateway", url, "--sip-route",
                          "+155501=sip:{number}@%s:5060" % SIP_IP])
        self.edge.start()
        self.addCleanup(self.edge.cleanup)
        self.addCleanup(self.edge.stop_ok, self)

    def test_garbage_is_unavailable(self):
        class Garbage(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.send_response(200)
                self.send_header("Content-Length", "9")
                self.end_headers()
                self.wfile.write(b"not json!")

            def log_message(self, *args):
                pass

        self.edge_for(self.serve(Garbage))
        r = self.dial(self.mint(new_sub("g")), number_for("answer"), status=503)
        assert_json_error(self, r, 503, "gateway_unavailable")

    def test_never_registered_is_unavailable_after_5_s(self):
        self.edge_for(self.serve(Stuck))
        token = self.mint(new_sub("s"))
        t0 = time.monotonic()
        r = self.edge.request("POST", "/api/dial", {"Authorization": "Bearer " + token,
                                                    "Content-Type": "application/json"},
                              json.dumps({"toNumber": number_for("answer")}), timeout=10.0)
        assert_json_error(self, r, 503, "gateway_unavailable")
        self.assertGreater(time.monotonic() - t0, 4.0)
        self.assertLess(time.monotonic() - t0, 7.0)

    def test_caller_gone_mid_dial_releases_the_session(self):
        Stuck.seen = []
        self.edge_for(self.serve(Stuck))
        token = self.mint(new_sub("c"))
        conn = self.edge.connect()
        conn.send_request("POST", "/api/dial", {"Authorization": "Bearer " + token,
                                                "Content-Type": "application/json"},
                          json.dumps({"toNumber": number_for("answer")}))
        wait_until(lambda: sum(1 for _, b in Stuck.seen if b.get("janus") == "message") >= 2,
                   3.0, what="the dial's register (after the spare's)")
        conn.close()  # the caller goes away before the dial is answered
        creates = [i for i, (_, b) in enumerate(Stuck.seen) if b.get("janus") == "create"]
        dial_session = "/janus/%d" % (100 + creates[1] + 1)  # the spare's is the first
        wait_until(lambda: (dial_session, "destroy") in
                   [(path, b.get("janus")) for path, b in Stuck.seen], 3.0,
                   what="the dial's session %s destroyed" % dial_session)
        self.assertEqual(self.edge.get("/healthz").status, 200)


if __name__ == "__main__":
    unittest.main()
