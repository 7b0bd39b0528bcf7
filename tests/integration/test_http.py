"""HTTP/1.1 transport: keep-alive, pipelining, chunked bodies, HEAD, Expect,
limits, timeouts, connection cap, graceful shutdown."""

import signal
import socket
import time
import unittest

import edge
from edge import Edge, assert_json_error, build_request, chunked

MAX_BODY = 1024
MAX_URI = 1024


class HttpTests(unittest.TestCase):
    """One server with small body/URI limits for the protocol tests."""

    @classmethod
    def setUpClass(cls):
        cls.edge = Edge(["--max-body-bytes", str(MAX_BODY), "--max-uri-bytes", str(MAX_URI)])
        cls.edge.start()

    @classmethod
    def tearDownClass(cls):
        try:
            cls.edge.stop_ok()
        finally:
            cls.edge.cleanup()

    def conn(self):
        return self.edge.connect()

    def assert_healthz(self, r):
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"status": "ok"})

    # -- connection reuse ---------------------------------------------------

    def test_keep_alive_two_requests_one_socket(self):
        with self.conn() as c:
            c.send_request("GET", "/healthz")
            r1 = c.read_response()
            self.assert_healthz(r1)
            self.assertEqual(r1.header("connection", "").lower(), "keep-alive")
            c.send_request("GET", "/healthz")
            self.assert_healthz(c.read_response())

    def test_http10_closes_by_default(self):
        with self.conn() as c:
            c.send(build_request("GET", "/healthz", version="HTTP/1.0"))
            r = c.read_response()
            self.assert_healthz(r)
            self.assertEqual(r.header("connection", "").lower(), "close")
            self.assertTrue(c.wait_closed(3), "HTTP/1.0 connection left open")

    def test_connection_close_is_honoured(self):
        with self.conn() as c:
            c.send_request("GET", "/healthz", {"Connection": "close"})
            r = c.read_response()
            self.assert_healthz(r)
            self.assertEqual(r.header("connection", "").lower(), "close")
            self.assertTrue(c.wait_closed(3))

    def test_pipelining_three_requests_in_one_send(self):
        data = (build_request("GET", "/healthz") + build_request("GET", "/api/me") +
                build_request("GET", "/no-such-file.txt"))
        with self.conn() as c:
            c.send(data)
            r1, r2, r3 = c.read_response(), c.read_response(), c.read_response()
        self.assert_healthz(r1)
        assert_json_error(self, r2, 401)
        assert_json_error(self, r3, 404)

    def test_pipelining_with_bodies_and_head(self):
        data = (build_request("POST", "/healthz", body=b"abc") +
                build_request("HEAD", "/healthz") + build_request("GET", "/healthz"))
        with self.conn() as c:
            c.send(data)
            r1 = c.read_response()
            r2 = c.read_response(method="HEAD")
            r3 = c.read_response()
        assert_json_error(self, r1, 405)
        self.assertEqual(r2.status, 200)
        self.assertEqual(r2.body, b"")
        self.assert_healthz(r3)

    def test_request_split_across_many_sends(self):
        data = build_request("GET", "/healthz", {"X-Pad": "y" * 50})
        with self.conn() as c:
            for i in range(0, len(data), 9):
                c.send(data[i:i + 9])
                time.sleep(0.002)
            self.assert_healthz(c.read_response())

    # -- bodies -------------------------------------------------------------

    def test_chunked_body_consumed_connection_reusable(self):
        post = build_request("POST", "/healthz", {"Transfer-Encoding": "chunked"})
        post += chunked(b"hello chunked world, GET /evil HTTP/1.1\r\n", size=5)
        with self.conn() as c:
            c.send(post)
            r = c.read_response()
            assert_json_error(self, r, 405)
            self.assertIn("GET", r.header("allow", ""))
            c.send_request("GET", "/healthz")
            self.assert_healthz(c.read_response())
            # and once more with POST and GET in the same send, with a trailer
            c.send(build_request("POST", "/healthz", {"Transfer-Encoding": "chunked"}) +
                   b"3;ext=1\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n" + build_request("GET", "/healthz"))
            assert_json_error(self, c.read_response(), 405)
            self.assert_healthz(c.read_response())

    def test_content_length_body_consumed_connection_reusable(self):
        with self.conn() as c:
            c.send(build_request("POST", "/healthz", body=b"GET /x HTTP/1.1\r\n\r\n"))
            assert_json_error(self, c.read_response(), 405)
            c.send_request("GET", "/healthz")
            self.assert_healthz(c.read_response())

    # -- HEAD -----------------------------------------------------------------

    def test_head_same_headers_as_get_without_body(self):
        with self.conn() as c:
            c.send_request("GET", "/healthz")
            g = c.read_response()
            c.send_request("HEAD", "/healthz")
            h = c.read_response(method="HEAD")
            # nothing but the next response may follow the HEAD head
            c.send_request("GET", "/healthz")
            self.assert_healthz(c.read_response())
        self.assertEqual(h.status, 200)
        self.assertEqual(h.body, b"")
        for name in ("content-type", "content-length", "cache-control", "connection"):
            self.assertEqual(h.header(name), g.header(name), name)
        self.assertEqual(int(h.header("content-length")), len(g.body))

    def test_head_of_error_has_no_body(self):
        with self.conn() as c:
            c.send_request("HEAD", "/api/me")
            h = c.read_response(method="HEAD")
            self.assertEqual(h.status, 401)
            self.assertGreater(int(h.header("content-length")), 0)
            c.send_request("GET", "/healthz")
            self.assert_healthz(c.read_response())

    # -- Expect: 100-continue -----------------------------------------------

    def test_expect_100_continue_small_body(self):
        body = b"hello"
        head = build_request("POST", "/healthz", {"Content-Length": str(len(body)),
                                                  "Expect": "100-continue"})
        with self.conn() as c:
            c.send(head)
            interim = c.read_response()
            self.assertEqual(interim.status, 100, interim)
            self.assertEqual(interim.raw_head, b"HTTP/1.1 100 Continue\r\n\r\n")
            c.send(body)
            final = c.read_response()
            assert_json_error(self, final, 405)
            c.send_request("GET", "/healthz")
            self.assert_healthz(c.read_response())

    def test_expect_100_continue_over_limit_gets_413_without_body(self):
        head = build_request("POST", "/healthz", {"Content-Length": str(MAX_BODY * 5),
                                                  "Expect": "100-continue"})
        with self.conn() as c:
            c.send(head)
            r = c.read_response()
            self.assertNotEqual(r.status, 100, "100 Continue for a body over the limit")
            assert_json_error(self, r, 413)
            self.assertEqual(r.header("connection", "").lower(), "close")
            self.assertTrue(c.wait_closed(4))

    def test_unsupported_expectation_417(self):
        with self.conn() as c:
            c.send(build_request("POST", "/healthz", {"Expect": "something-else",
                                                      "Content-Length": "1"}) + b"x")
            assert_json_error(self, c.read_response(), 417)

    # -- limits -------------------------------------------------------------

    def expect_error(self, data, status, code=None):
        with self.conn() as c:
            c.try_send(data)
            r = c.read_response()
            obj = assert_json_error(self, r, status, code)
            self.assertEqual(r.header("connection", "").lower(), "close", r)
            self.assertTrue(c.wait_closed(4), "connection not closed after %d" % status)
        return obj

    def test_headers_over_16k_431(self):
        data = build_request("GET", "/healthz", {"X-Big": "a" * (17 * 1024)})
        self.expect_error(data, 431)

    def test_many_small_headers_over_16k_431(self):
        headers = [("X-H%d" % i, "v" * 200) for i in range(90)]  # ~18 KiB, 91 headers
        self.expect_error(build_request("GET", "/healthz", headers), 431)

    def test_more_than_100_headers_431(self):
        headers = [("X-H%d" % i, "v") for i in range(101)]
        self.expect_error(build_request("GET", "/healthz", headers), 431)

    def test_exactly_100_headers_ok(self):
        headers = [("X-H%d" % i, "v") for i in range(99)]  # + Host = 100
        r = self.edge.request("GET", "/healthz", headers)
        self.assert_healthz(r)

    def test_body_over_limit_content_length_413(self):
        data = build_request("POST", "/healthz", body=b"x" * (MAX_BODY + 1))
        self.expect_error(data, 413)

    def test_body_at_limit_accepted(self):
        r = self.edge.request("POST", "/healthz", body=b"x" * MAX_BODY)
        assert_json_error(self, r, 405)  # the route answers: the body was fine

    def test_body_over_limit_chunked_413(self):
        data = build_request("POST", "/healthz", {"Transfer-Encoding": "chunked"})
        data += chunked(b"y" * (MAX_BODY * 2), size=100)
        self.expect_error(data, 413)

    def test_uri_over_limit_414(self):
        data = build_request("GET", "/" + "a" * (MAX_URI + 10))
        self.expect_error(data, 414)

    def test_uri_at_limit_not_414(self):
        r = self.edge.get("/" + "a" * (MAX_URI - 1))
        self.assertEqual(r.status, 404, r)

    def test_malformed_request_lines_400(self):
        cases = [
            b"THIS IS NOT HTTP\r\n\r\n",
            b"GET\r\n\r\n",
            b"GET / HXXP/1.1\r\nHost: x\r\n\r\n",
            b"G\x00T / HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET /a b HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET / HTTP/1.1\nHost: x\n\n",
            b"GET / HTTP/1.1\r\n folded: x\r\n\r\n",
            b"GET / HTTP/1.1\r\nContent-Length : 5\r\n\r\nhello",
            b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
            b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        ]
        for data in cases:
            with self.subTest(data=data):
                self.expect_error(data, 400)

    def test_request_line_junk_after_version_400(self):
        # HTTP/1.1 is supported; trailing junk makes the line malformed (400),
        # it does not make the version unsupported (505).
        self.expect_error(b"GET / HTTP/1.1 trailing\r\nHost: x\r\n\r\n", 400)

    def test_http2_version_rejected(self):
        with self.conn() as c:
            c.send(b"GET / HTTP/2.0\r\nHost: x\r\n\r\n")
            r = c.read_response()
            self.assertIn(r.status, (400, 505), r)
            assert_json_error(self, r, r.status)

    def test_ping_still_works_after_garbage(self):
        """Malformed input on many connections leaves the server serving."""
        garbage = [
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(256)),  # TLS hello
            b"\x00" * 4096,
            b"\r\n" * 3000,
            b"GET /" + b"%" * 5000 + b" HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"ffffffffffffffffffff\r\n",
            b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 500 + b"\r\n",
            b"GET / HTTP/1.1\r\nHost: x\r\n",  # then close mid-head
            b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
            b"GET /healthz HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
            b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET http://[::1 HTTP/1.1\r\n\r\n",
        ]
        for data in garbage:
            with self.conn() as c:
                c.try_send(data)
                try:
                    c.wait_closed(0.3)
                except OSError:
                    pass
        # half-open connections closed abruptly (RST)
        for _ in range(5):
            c = self.conn()
            c.send(b"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
            c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            c.close()
        self.assertTrue(self.edge.alive(), "server died:\n" + self.edge.stderr_tail())
        for _ in range(3):
            self.assert_healthz(self.edge.get("/healthz"))


class HostileInputTests(unittest.TestCase):
    """Inputs that once crashed or corrupted the server. Each test gets its
    own server, so a crash is pinned on the input that caused it."""

    def setUp(self):
        self.edge = Edge()
        self.edge.start()

    def tearDown(self):
        try:
            self.edge.stop_ok(self)
        finally:
            self.edge.kill()
            self.edge.cleanup()

    def assert_still_serving(self):
        time.sleep(0.1)
        self.assertTrue(self.edge.alive(), "server died (exit %r):\n%s"
                        % (self.edge.proc.poll(), self.edge.stderr_tail()))
        r = self.edge.get("/healthz")
        self.assertEqual(r.status, 200)

    def read_all_responses(self, c, limit=5):
        out = []
        try:
            for _ in range(limit):
                out.append(c.read_response(timeout=2))
        except (edge.ConnectionClosed, OSError):
            pass
        return out

    def test_upgrade_request_then_more_bytes(self):
        head = (b"GET /healthz HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                b"Connection: Upgrade\r\n\r\n")
        with self.edge.connect() as c:
            c.try_send(head + b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            rs = self.read_all_responses(c)
        self.assertGreaterEqual(len(rs), 1, "no answer to the Upgrade request")
        self.assertEqual(rs[0].status, 200)
        self.assertEqual(rs[0].header("connection", "").lower(), "close",
                         "no other protocol is spoken: answer, then close")
        self.assert_still_serving()

    def test_upgrade_request_then_bytes_in_a_later_packet(self):
        head = (b"GET /healthz HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                b"Connection: Upgrade\r\n\r\n")
        with self.edge.connect() as c:
            c.send(head)
            r = c.read_response()
            self.assertEqual(r.status, 200)
            time.sleep(0.05)
            c.try_send(b"\x81\x85frame")
            c.wait_closed(1)
        self.assert_still_serving()

    def test_connect_method_with_tunnel_bytes(self):
        with self.edge.connect() as c:
            c.try_send(b"CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n"
                       b"\x16\x03\x01\x00\x05hello")
            rs = self.read_all_responses(c)
        for r in rs:
            self.assertGreaterEqual(r.status, 400, r)
        self.assert_still_serving()

    def test_chunked_trailer_does_not_corrupt_request(self):
        # Trailer fields arrive after the head was published to the handler;
        # storing them must not move the request line the handler reads.
        data = (b"GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                b"3\r\nabc\r\n0\r\nX-Trailer: " + b"t" * 3000 + b"\r\n\r\n")
        with self.edge.connect() as c:
            c.try_send(data)
            rs = self.read_all_responses(c, 1)
        self.assertEqual(len(rs), 1, "no answer")
        self.assertEqual(rs[0].status, 200, rs[0])
        self.assertEqual(rs[0].json(), {"status": "ok"})
        self.assert_still_serving()


class TimeoutTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.edge = Edge(["--idle-timeout-ms", "300", "--header-timeout-ms", "300",
                         "--body-timeout-ms", "300"])
        cls.edge.start()

    @classmethod
    def tearDownClass(cls):
        try:
            cls.edge.stop_ok()
        finally:
            cls.edge.cleanup()

    def trickle_until_answered(self, c, data, interval=0.1, limit=3.0):
        """Send data one byte per interval until the server answers or closes.
        Returns the seconds it took."""
        t0 = time.monotonic()
        i = 0
        while time.monotonic() - t0 < limit:
            if c.readable_within(interval):
                break
            if i < len(data):
                if not c.try_send(data[i:i + 1]):
                    break
                i += 1
        return time.monotonic() - t0

    def check_slow_answer(self, c, elapsed):
        self.assertLess(elapsed, 1.5, "no answer to a trickled request within 1.5 s")
        try:
            rest = c.read_until_close(3)
        except OSError:
            rest = b""
        if rest:
            status, _, _, headers = edge.parse_head(rest.split(b"\r\n\r\n")[0] + b"\r\n\r\n")
            self.assertEqual(status, 408, rest)
            self.assertIn(b'"error"', rest)
            self.assertEqual(headers.get("connection"), ["close"])

    def test_slowloris_head_gets_408_or_close(self):
        with self.edge.connect() as c:
            c.send(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            elapsed = self.trickle_until_answered(c, b"X-Slow: " + b"a" * 100)
            self.check_slow_answer(c, elapsed)
            self.assertGreater(elapsed, 0.15, "answered before the header timeout")

    def test_slow_body_gets_408_or_close(self):
        with self.edge.connect() as c:
            c.send(b"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
            elapsed = self.trickle_until_answered(c, b"b" * 100)
            self.check_slow_answer(c, elapsed)

    def test_idle_keep_alive_closed(self):
        with self.edge.connect() as c:
            c.send_request("GET", "/healthz")
            r = c.read_response()
            self.assertEqual(r.status, 200)
            t0 = time.monotonic()
            self.assertTrue(c.wait_closed(3), "idle connection not closed")
            elapsed = time.monotonic() - t0
            self.assertEqual(c.buf, b"", "idle close should send nothing")
            self.assertGreater(elapsed, 0.15)
            self.assertLess(elapsed, 1.5)

    def test_connection_without_request_closed(self):
        with self.edge.connect() as c:
            t0 = time.monotonic()
            self.assertTrue(c.wait_closed(3), "silent connection not closed")
            self.assertLess(time.monotonic() - t0, 1.5)

    def test_active_keep_alive_survives(self):
        # A request every 0.1 s for 0.8 s: the connection is never idle for
        # the 0.3 s idle timeout, so it must not be closed.
        with self.edge.connect() as c:
            t0 = time.monotonic()
            for i in range(9):
                c.send_request("GET", "/healthz")
                try:
                    r = c.read_response()
                except edge.ConnectionClosed:
                    self.fail("busy keep-alive connection closed at request %d, %.2f s after "
                              "connect (idle timeout 0.3 s)" % (i, time.monotonic() - t0))
                self.assertEqual(r.status, 200)
                time.sleep(0.1)


class MaxConnectionsTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.edge = Edge(["--max-connections", "2"])
        cls.edge.start()

    @classmethod
    def tearDownClass(cls):
        try:
            cls.edge.stop_ok()
        finally:
            cls.edge.cleanup()

    def test_third_connection_503_then_recovers(self):
        a = self.edge.connect()
        b = self.edge.connect()
        try:
            for c in (a, b):  # both accepted and served
                c.send_request("GET", "/healthz")
                self.assertEqual(c.read_response().status, 200)
            with self.edge.connect() as third:
                r = third.read_response()
                assert_json_error(self, r, 503)
                self.assertEqual(r.header("connection", "").lower(), "close")
                self.assertTrue(third.wait_closed(4), "503 connection left open")
            # the two survivors still work
            b.send_request("GET", "/healthz")
            self.assertEqual(b.read_response().status, 200)
            a.close()
            deadline = time.monotonic() + 3
            while True:
                with self.edge.connect() as c:
                    c.send_request("GET", "/healthz")
                    r = c.read_response()
                if r.status == 200 or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            self.assertEqual(r.status, 200, "no new connection after one closed")
        finally:
            a.close()
            b.close()


class ShutdownTests(unittest.TestCase):
    def test_sigterm_idle_exits_zero_promptly(self):
        e = Edge()
        try:
            e.start()
            self.assertEqual(e.get("/healthz").status, 200)
            t0 = time.monotonic()
            e.signal(signal.SIGTERM)
            rc = e.wait(5)
            self.assertEqual(rc, 0, "exit code %r; stderr:\n%s" % (rc, e.stderr_tail()))
            self.assertLess(time.monotonic() - t0, 3)
        finally:
            e.kill()
            e.cleanup()

    def test_sigterm_with_idle_keep_alive_connection(self):
        e = Edge()
        try:
            e.start()
            with e.connect() as c:
                c.send_request("GET", "/healthz")
                self.assertEqual(c.read_response().status, 200)
                t0 = time.monotonic()
                e.signal(signal.SIGTERM)
                self.assertTrue(c.wait_closed(4), "idle connection kept open on shutdown")
                rc = e.wait(5)
            self.assertEqual(rc, 0, "exit code %r; stderr:\n%s" % (rc, e.stderr_tail()))
            self.assertLess(time.monotonic() - t0, 4)
        finally:
            e.kill()
            e.cleanup()

    def test_sigterm_finishes_request_in_flight(self):
        e = Edge()
        try:
            e.start()
            with e.connect() as c:
                c.send(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                time.sleep(0.1)  # the half request is read
                e.signal(signal.SIGTERM)
                time.sleep(0.3)  # the signal is handled
                self.assertTrue(e.alive(), "exited with a request in flight")
                with self.assertRaises(OSError, msg="still accepting after SIGTERM"):
                    socket.create_connection((e.host, e.port), timeout=1).close()
                c.send(b"Accept: */*\r\n\r\n")
                r = c.read_response()
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.json(), {"status": "ok"})
                self.assertEqual(r.header("connection", "").lower(), "close")
                self.assertTrue(c.wait_closed(4))
            rc = e.wait(5)
            self.assertEqual(rc, 0, "exit code %r; stderr:\n%s" % (rc, e.stderr_tail()))
        finally:
            e.kill()
            e.cleanup()

    def test_shutdown_grace_expires_for_stuck_request(self):
        e = Edge(["--shutdown-grace-ms", "300"])
        try:
            e.start()
            with e.connect() as c:
                c.send(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # never finished
                time.sleep(0.1)
                t0 = time.monotonic()
                e.signal(signal.SIGTERM)
                rc = e.wait(5)
                self.assertEqual(rc, 0, "exit code %r; stderr:\n%s" % (rc, e.stderr_tail()))
                self.assertLess(time.monotonic() - t0, 3)
        finally:
            e.kill()
            e.cleanup()


class IPv6Tests(unittest.TestCase):
    def test_listen_on_ipv6_loopback(self):
        try:
            s = socket.socket(socket.AF_INET6)
            s.bind(("::1", 0))
            s.close()
        except OSError:
            self.skipTest("no IPv6 loopback")
        e = Edge(["--listen", "[::1]:0"], listen=False)
        try:
            e.start()
            self.assertEqual(e.host, "::1")
            r = e.get("/healthz")
            self.assertEqual(r.status, 200)
            e.stop_ok(self)
        finally:
            e.kill()
            e.cleanup()


if __name__ == "__main__":
    unittest.main()
