"""The SIP bridge's flags as the real binary takes them (the bridge itself,
with Janus and sipp, is tested by tests/sip/run.sh in a network namespace):
bad values and routes without a gateway stop the server with exit 2 and one
line on stderr; with a gateway nobody answers on, routed dials answer 503
gateway_unavailable and create nothing, while other dials ring agents."""

import socket
import unittest

from edge import Edge, assert_json_error, run_edge
from test_calls import CallClient, cid_of


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SipFlagTests(unittest.TestCase):
    def test_bad_sip_flags_stop_the_server(self):
        cases = (
            (["--sip-route", "+1=sip:{e164}@pbx.example.com"], "--sip-route needs --sip-gateway"),
            (["--sip-gateway", "https://127.0.0.1:8089/janus"], "--sip-gateway"),
            (["--sip-gateway", "http://janus.example.com:8088/janus"], "--sip-gateway"),
            (["--sip-route", "+1=tel:+1555"], "--sip-route"),
            (["--sip-route", "1=sip:{number}@pbx"], "--sip-route"),
            (["--sip-from", "c2c@localhost"], "--sip-from"),
            (["--sip-dtmf", "2833"], "--sip-dtmf"),
            (["--sip-answer-timeout-s", "0"], "--sip-answer-timeout-s"),
        )
        for args, want in cases:
            with self.subTest(args=args):
                rc, _, err = run_edge(args + ["--data", "d"])
                self.assertEqual(rc, 2, err)
                self.assertIn(want, err)
                self.assertEqual(len(err.strip().splitlines()), 1, err)

    def test_help_lists_the_sip_flags(self):
        rc, out, _ = run_edge(["--help"])
        self.assertEqual(rc, 0)
        for flag in ("--sip-gateway", "--sip-route", "--sip-from", "--sip-answer-timeout-s",
                     "--sip-dtmf", "sip:c2c@localhost"):
            self.assertIn(flag, out)


class GatewayDownTests(CallClient, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.edge = Edge(["--demo", "--sip-gateway",
                         "http://127.0.0.1:%d/janus" % closed_port(),
                         "--sip-route", "+1555=sip:{number}@127.0.0.1:5060"])
        cls.edge.start()

    @classmethod
    def tearDownClass(cls):
        try:
            cls.edge.stop_ok()
        finally:
            cls.edge.cleanup()

    def test_routed_dial_is_unavailable_and_creates_nothing(self):
        token = self.mint("sipdown")
        r = self.dial(token, "+15550100000", status=503)
        assert_json_error(self, r, 503, "gateway_unavailable")
        self.assertEqual(r.header("retry-after"), "5")
        # no live call holds the caller back: a dial to agents goes through at once
        ans = self.dial(token, "(703) 555-0122").json()
        self.assertNotIn("Bridge", ans["responseInfo"]["Meeting"])
        self.assertEqual(self.hang_up(token, cid_of(ans)).status, 200)


if __name__ == "__main__":
    unittest.main()
