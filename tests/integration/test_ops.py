"""Operations: /healthz, /metrics, the access log, CORS, demo tokens and
configuration (flags, --config file, start-up errors)."""

import base64
import json
import os
import shutil
import tempfile
import time
import unittest
import uuid

from edge import Edge, assert_json_error, metric, parse_metrics, run_edge

LOG_KEYS = {"ts", "remote", "method", "path", "status", "bytes", "route", "ms"}


def cors_headers(resp):
    return {k: v for k, v in resp.headers.items() if k.startswith("access-control-")}


def vary_has(resp, name):
    return name.lower() in [v.strip().lower() for v in resp.header("vary", "").split(",")]


class OpsTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.edge = Edge()
        cls.edge.start()

    @classmethod
    def tearDownClass(cls):
        try:
            cls.edge.stop_ok()
        finally:
            cls.edge.cleanup()

    # -- health and metrics --------------------------------------------------

    def test_healthz(self):
        r = self.edge.get("/healthz")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("content-type").split(";")[0], "application/json")
        self.assertEqual(r.json(), {"status": "ok"})
        self.assertIn("no-store", r.header("cache-control", ""))

    def test_healthz_is_deferred_and_keeps_pipelined_order(self):
        # /healthz is answered on the next loop turn (a deferred response):
        # requests pipelined behind it wait for it and come back in order.
        with self.edge.connect() as c:
            c.send(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                   b"GET /nope-%s HTTP/1.1\r\nHost: x\r\n\r\n"
                   b"HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                   b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" % uuid.uuid4().hex.encode())
            first = c.read_response()
            second = c.read_response()
            third = c.read_response(method="HEAD")
            fourth = c.read_response()
        self.assertEqual((first.status, second.status, third.status, fourth.status),
                         (200, 404, 200, 200))
        self.assertEqual(first.json(), {"status": "ok"})
        self.assertEqual(third.body, b"")
        self.assertEqual(fourth.json(), {"status": "ok"})
        # a client that leaves before its answer costs nothing
        for _ in range(20):
            with self.edge.connect() as c:
                c.send(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertEqual(self.edge.get("/healthz").status, 200)
        self.assertTrue(self.edge.alive())

    def test_metrics_counts_requests(self):
        n = 7
        before = self.edge.metrics()
        with self.edge.connect() as c:
            for _ in range(n):
                c.send_request("GET", "/healthz")
                self.assertEqual(c.read_response().status, 200)
        r = self.edge.get("/metrics")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("content-type", "").startswith("text/plain"), r)
        text = r.body.decode()
        after = parse_metrics(text)
        key = dict(route="healthz", status="200")
        self.assertIn('c2c_http_requests_total{route="healthz",status="200"}', text)
        self.assertEqual(metric(after, "c2c_http_requests_total", **key) -
                         metric(before, "c2c_http_requests_total", **key), n)
        # the /metrics request itself is counted under its own route
        self.assertGreaterEqual(metric(after, "c2c_http_requests_total", route="metrics",
                                       status="200"), 1)

    def test_metrics_counts_errors_by_status(self):
        before = self.edge.metrics()
        for _ in range(3):
            self.assertEqual(self.edge.get("/definitely-missing").status, 404)
        self.assertEqual(self.edge.get("/api/me").status, 401)
        after = self.edge.metrics()
        self.assertEqual(metric(after, "c2c_http_requests_total", route="static", status="404") -
                         metric(before, "c2c_http_requests_total", route="static",
                                status="404"), 3)
        self.assertEqual(metric(after, "c2c_http_requests_total", route="me", status="401") -
                         metric(before, "c2c_http_requests_total", route="me", status="401"), 1)

    def test_metrics_histogram_and_gauges(self):
        with self.edge.connect() as idle1, self.edge.connect() as idle2:
            idle1.send_request("GET", "/healthz")
            idle1.read_response()
            idle2.send_request("GET", "/healthz")
            idle2.read_response()
            text = self.edge.get("/metrics").body.decode()
        samples = parse_metrics(text)
        self.assertIn("# TYPE c2c_http_request_duration_seconds histogram", text)
        buckets = []
        for (name, labels), value in samples.items():
            if name == "c2c_http_request_duration_seconds_bucket":
                le = dict(labels)["le"]
                buckets.append((float("inf") if le == "+Inf" else float(le), value))
        buckets.sort()
        self.assertGreaterEqual(len(buckets), 5)
        self.assertEqual(buckets[-1][0], float("inf"))
        values = [v for _, v in buckets]
        self.assertEqual(values, sorted(values), "buckets are not cumulative")
        self.assertEqual(values[-1], metric(samples, "c2c_http_request_duration_seconds_count"))
        self.assertGreater(values[-1], 0)
        self.assertIn(("c2c_http_request_duration_seconds_sum", frozenset()), samples)
        self.assertIn("# TYPE c2c_open_connections gauge", text)
        self.assertGreaterEqual(metric(samples, "c2c_open_connections"), 3)
        self.assertIn("# TYPE c2c_store_up gauge", text)
        self.assertEqual(metric(samples, "c2c_store_up"), 1)  # SQLite: up while we are

    # -- access log ----------------------------------------------------------

    def test_access_log_one_json_line_per_request(self):
        tag = "/log-" + uuid.uuid4().hex
        for i in range(3):
            self.edge.get("%s/%d?q=drop-me-%d" % (tag, i, i))
        with self.edge.connect() as c:  # three on one keep-alive connection
            for _ in range(3):
                c.send_request("GET", tag + "/ka?x=1")
                self.assertEqual(c.read_response().status, 404)
        self.edge.request("POST", "/healthz", body=b"x")
        entries = self.edge.wait_for_log(lambda e: str(e.get("path", "")).startswith(tag),
                                         count=6)
        self.assertEqual(len(entries), 6, entries)
        for e in entries:
            self.assertEqual(set(e), LOG_KEYS, e)
            self.assertEqual(e["method"], "GET")
            self.assertEqual(e["status"], 404)
            self.assertEqual(e["remote"], "127.0.0.1")
            self.assertEqual(e["route"], "static")
            self.assertNotIn("?", e["path"])
            self.assertNotIn("drop-me", json.dumps(e))
            self.assertIsInstance(e["ms"], (int, float))
            self.assertIsInstance(e["bytes"], int)
            self.assertGreater(e["bytes"], 0)
            self.assertRegex(e["ts"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
        self.assertEqual(sorted(e["path"] for e in entries),
                         sorted(["%s/%d" % (tag, i) for i in range(3)] + [tag + "/ka"] * 3))
        posts = self.edge.wait_for_log(lambda e: e.get("method") == "POST" and
                                       e.get("path") == "/healthz" and e.get("status") == 405)
        self.assertEqual(len(posts), 1)

    def test_access_log_for_protocol_errors(self):
        with self.edge.connect() as c:
            c.send(b"NOT HTTP AT ALL\r\n\r\n")
            self.assertEqual(c.read_response().status, 400)
        found = self.edge.wait_for_log(lambda e: e.get("status") == 400)
        self.assertTrue(found, "no log line for a 400")
        for e in found:
            self.assertTrue({"ts", "remote", "status", "bytes", "route", "ms"} <= set(e), e)

    def test_tokens_never_logged(self):
        q_token = "eyJhbGciOiJIUzI1NiJ9.eyJxIjoi%s In0.c2lnbmF0dXJl" % uuid.uuid4().hex
        q_token = q_token.replace(" ", "")
        h_token = "eyJhbGciOiJSUzI1NiJ9.eyJoIjoi%s In0.c2lnbmF0dXJlMg" % uuid.uuid4().hex
        h_token = h_token.replace(" ", "")
        raw_token = "rawtoken" + uuid.uuid4().hex
        tag = "/tok-" + uuid.uuid4().hex
        self.edge.get("%s?access_token=%s&token=%s&ticket=%s" % (tag, q_token, q_token, q_token))
        self.edge.get("/api/participant/events?token=" + q_token)  # 400 token_in_url
        self.edge.get("/api/me?access_token=" + q_token,
                      {"Authorization": "Bearer " + h_token})
        self.edge.get("/api/me", {"Authorization": raw_token})
        self.edge.get(tag + "/2", {"Authorization": "Bearer " + h_token, "Cookie": "t=" + h_token})
        self.edge.wait_for_log(lambda e: str(e.get("path", "")).startswith(tag), count=2)
        self.edge.wait_for_log(lambda e: e.get("path") == "/api/me", count=2)
        self.edge.wait_for_log(lambda e: e.get("path") == "/api/participant/events" and
                               e.get("status") == 400)
        err = self.edge.stderr_text()
        self.assertIn(tag, err)
        for secret in (q_token, h_token, raw_token, q_token.split(".")[1],
                       h_token.split(".")[1]):
            self.assertNotIn(secret, err)

    def test_stderr_lines_are_json_or_messages(self):
        self.edge.get("/healthz")
        self.edge.wait_for_log(lambda e: e.get("path") == "/healthz")
        for line in self.edge.stderr_text().splitlines():
            if line.startswith("{"):
                json.loads(line)  # raises on a torn or garbled line
            else:
                self.assertTrue(line.startswith("c2c-edge:"), line)


class CorsTests(unittest.TestCase):
    ORIGIN = "https://shop.example"

    @classmethod
    def setUpClass(cls):
        cls.edge = Edge(["--allow-origin", cls.ORIGIN,
                         "--allow-origin", "https://other-shop.example"])
        cls.edge.start()

    @classmethod
    def tearDownClass(cls):
        try:
            cls.edge.stop_ok()
        finally:
            cls.edge.cleanup()

    def preflight(self, origin, path="/api/me", method="GET"):
        return self.edge.request("OPTIONS", path, {
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization, content-type"})

    def test_preflight_allowed_origin(self):
        r = self.preflight(self.ORIGIN)
        self.assertEqual(r.status, 204, r)
        self.assertEqual(r.body, b"")
        self.assertEqual(r.header("access-control-allow-origin"), self.ORIGIN)
        methods = [m.strip().upper() for m in
                   r.header("access-control-allow-methods", "").split(",")]
        self.assertIn("GET", methods)
        self.assertIn("POST", methods)
        allowed = [h.strip().lower() for h in
                   r.header("access-control-allow-headers", "").split(",")]
        self.assertIn("authorization", allowed)
        self.assertIn("content-type", allowed)
        # the widget's event stream sends these two (no token in the URL)
        self.assertIn("x-amz-bearer", allowed)
        self.assertIn("last-event-id", allowed)
        self.assertTrue(vary_has(r, "Origin"), r)
        self.assertEqual(len(r.headers["access-control-allow-origin"]), 1)

    def test_preflight_second_listed_origin(self):
        r = self.preflight("https://other-shop.example")
        self.assertEqual(r.header("access-control-allow-origin"), "https://other-shop.example")

    def test_simple_request_allowed_origin(self):
        for path, status in (("/healthz", 200), ("/api/me", 401), ("/missing", 404)):
            with self.subTest(path=path):
                r = self.edge.get(path, {"Origin": self.ORIGIN})
                self.assertEqual(r.status, status)
                self.assertEqual(r.header("access-control-allow-origin"), self.ORIGIN)
                self.assertTrue(vary_has(r, "Origin"), r)

    def test_unlisted_origin_gets_no_cors_headers(self):
        for origin in ("https://evil.example", "https://shop.example.evil.example",
                       "http://shop.example", "https://SHOP.example", "null"):
            with self.subTest(origin=origin):
                r = self.preflight(origin)
                self.assertEqual(cors_headers(r), {}, r)
                r = self.edge.get("/healthz", {"Origin": origin})
                self.assertEqual(r.status, 200)
                self.assertEqual(cors_headers(r), {}, r)

    def test_no_origin_no_cors_headers(self):
        r = self.edge.get("/healthz")
        self.assertEqual(cors_headers(r), {}, r)


class NoCorsNoDemoTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.edge = Edge()
        cls.edge.start()

    @classmethod
    def tearDownClass(cls):
        try:
            cls.edge.stop_ok()
        finally:
            cls.edge.cleanup()

    def test_no_allow_origin_no_cors_headers(self):
        r = self.edge.request("OPTIONS", "/api/me", {
            "Origin": "https://shop.example", "Access-Control-Request-Method": "GET"})
        self.assertIn(r.status, (204, 200, 403, 404, 405))
        self.assertEqual(cors_headers(r), {}, r)
        r = self.edge.get("/healthz", {"Origin": "https://shop.example"})
        self.assertEqual(cors_headers(r), {}, r)

    def test_demo_token_404_without_demo(self):
        r = self.edge.get("/demo/token?sub=alice&role=customer")
        assert_json_error(self, r, 404)


class WildcardCorsTests(unittest.TestCase):
    def test_wildcard_origin(self):
        e = Edge(["--allow-origin", "*"])
        try:
            e.start()
            r = e.get("/healthz", {"Origin": "https://anyone.example"})
            self.assertEqual(r.header("access-control-allow-origin"), "*")
            r = e.request("OPTIONS", "/api/me", {"Origin": "https://anyone.example",
                                                 "Access-Control-Request-Method": "GET"})
            self.assertEqual(r.status, 204)
            self.assertEqual(r.header("access-control-allow-origin"), "*")
            e.stop_ok(self)
        finally:
            e.kill()
            e.cleanup()


class DemoTests(unittest.TestCase):
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

    def mint(self, query):
        return self.edge.get("/demo/token?" + query)

    def me(self, token):
        return self.edge.get("/api/me", {"Authorization": "Bearer " + token})

    def test_customer_token_works(self):
        r = self.mint("sub=alice&email=a@x&name=Alice&role=customer")
        self.assertEqual(r.status, 200, r)
        body = r.json()
        self.assertIsInstance(body.get("token"), str)
        self.assertEqual(body["token"].count("."), 2)
        m = self.me(body["token"])
        self.assertEqual(m.status, 200, m)
        me = m.json()
        self.assertEqual(me["sub"], "alice")
        self.assertEqual(me["email"], "a@x")
        self.assertEqual(me["name"], "Alice")
        self.assertEqual(me["role"], "customer")
        self.assertGreater(me["expiresAt"], time.time())
        self.assertNotIn(body["token"], self.edge.stderr_text())

    def test_agent_token(self):
        r = self.mint("sub=bob&name=Bob%20Agent&role=agent")
        self.assertEqual(r.status, 200, r)
        me = self.me(r.json()["token"]).json()
        self.assertEqual(me["role"], "agent")
        self.assertEqual(me["name"], "Bob Agent")

    def test_default_role_customer(self):
        r = self.mint("sub=carol")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.me(r.json()["token"]).json()["role"], "customer")

    def test_bad_role_400(self):
        assert_json_error(self, self.mint("sub=alice&role=boss"), 400)

    def test_missing_sub_400(self):
        assert_json_error(self, self.mint("email=a@x&role=customer"), 400)
        assert_json_error(self, self.mint("sub=&role=customer"), 400)
        assert_json_error(self, self.edge.get("/demo/token"), 400)

    def test_tampered_demo_token_rejected(self):
        t = self.mint("sub=alice").json()["token"]
        h, p, s = t.split(".")
        forged = json.dumps({"sub": "alice", "exp": int(time.time()) + 60,
                             "groups": ["agents"]}).encode()
        p2 = base64.urlsafe_b64encode(forged).rstrip(b"=").decode()
        r = self.me("%s.%s.%s" % (h, p2, s))
        assert_json_error(self, r, 401)


class ConfigTests(unittest.TestCase):
    def one_line(self, text):
        lines = [l for l in text.splitlines() if l.strip()]
        self.assertEqual(len(lines), 1, "expected one line on stderr, got:\n" + text)
        return lines[0]

    def test_help(self):
        rc, out, err = run_edge(["--help"])
        self.assertEqual(rc, 0, err)
        for flag in ("--listen", "--static", "--jwks", "--allow-origin", "--demo", "--config",
                     "--max-body-bytes", "--idle-timeout-ms"):
            self.assertIn(flag, out)
        self.assertEqual(err.strip(), "")

    def test_unknown_flag(self):
        rc, out, err = run_edge(["--listen", "127.0.0.1:0", "--no-such-flag"])
        self.assertEqual(rc, 2, err)
        self.assertIn("--no-such-flag", self.one_line(err))
        self.assertNotIn("listening", out)

    def test_bad_values_named(self):
        for args, name in ((["--max-body-bytes", "lots"], "max-body-bytes"),
                           (["--listen", "nohost"], "listen"),
                           (["--idle-timeout-ms", "-5"], "idle-timeout-ms"),
                           (["--allow-origin", "shop.example/path"], "allow-origin"),
                           (["--jwks"], "jwks")):
            with self.subTest(args=args):
                rc, out, err = run_edge(args)
                self.assertEqual(rc, 2, err)
                self.assertIn(name, self.one_line(err))

    def test_missing_config_file(self):
        rc, out, err = run_edge(["--config", "/nonexistent.json"])
        self.assertEqual(rc, 2, err)
        self.assertIn("/nonexistent.json", self.one_line(err))

    def test_invalid_config_file(self):
        tmp = tempfile.mkdtemp(prefix="c2c-cfg-")
        try:
            path = os.path.join(tmp, "bad.json")
            for text in ('{"listen": "127.0.0.1:0",', '{"no-such-key": 1}',
                         '{"max-body-bytes": "huge"}', '[1, 2]'):
                with self.subTest(text=text):
                    with open(path, "w") as f:
                        f.write(text)
                    rc, out, err = run_edge(["--config", path])
                    self.assertEqual(rc, 2, err)
                    self.assertIn(path, self.one_line(err))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def test_config_file_sets_listen_and_allow_origin(self):
        tmp = tempfile.mkdtemp(prefix="c2c-cfg-")
        try:
            path = os.path.join(tmp, "c2c.json")
            with open(path, "w") as f:
                json.dump({"listen": "127.0.0.1:0",
                           "allow-origin": ["https://cfg.example"],
                           "max-body-bytes": "2k"}, f)
            e = Edge(["--config", path], listen=False)
            try:
                e.start()
                self.assertEqual(e.host, "127.0.0.1")
                r = e.get("/healthz", {"Origin": "https://cfg.example"})
                self.assertEqual(r.status, 200)
                self.assertEqual(r.header("access-control-allow-origin"), "https://cfg.example")
                r = e.request("POST", "/healthz", body=b"x" * 3000)
                self.assertEqual(r.status, 413)
                e.stop_ok(self)
            finally:
                e.kill()
                e.cleanup()
            # the command line replaces the file's list
            e = Edge(["--config", path, "--allow-origin", "https://cli.example"], listen=False)
            try:
                e.start()
                r = e.get("/healthz", {"Origin": "https://cfg.example"})
                self.assertEqual(cors_headers(r), {})
                r = e.get("/healthz", {"Origin": "https://cli.example"})
                self.assertEqual(r.header("access-control-allow-origin"), "https://cli.example")
                e.stop_ok(self)
            finally:
                e.kill()
                e.cleanup()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def test_unreadable_jwks(self):
        tmp = tempfile.mkdtemp(prefix="c2c-cfg-")
        try:
            missing = os.path.join(tmp, "missing-jwks.json")
            rc, out, err = run_edge(["--listen", "127.0.0.1:0", "--jwks", missing])
            self.assertEqual(rc, 2, err)
            self.assertIn(missing, self.one_line(err))
            self.assertNotIn("listening", out)
            bad = os.path.join(tmp, "bad-jwks.json")
            for text in ("not json", '{"nokeys": []}',
                         '{"keys": [{"kty": "oct", "kid": "short", "k": "AAAA"}]}'):
                with self.subTest(text=text):
                    with open(bad, "w") as f:
                        f.write(text)
                    rc, out, err = run_edge(["--listen", "127.0.0.1:0", "--jwks", bad])
                    self.assertEqual(rc, 2, err)
                    self.one_line(err)
                    self.assertIn("JWKS", err)
            rc, out, err = run_edge(["--listen", "127.0.0.1:0", "--jwks", tmp])  # a directory
            self.assertEqual(rc, 2, err)
            self.one_line(err)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def test_port_in_use(self):
        e = Edge()
        try:
            e.start()
            rc, out, err = run_edge(["--listen", "127.0.0.1:%d" % e.port])
            self.assertEqual(rc, 2, err)
            self.assertIn(str(e.port), self.one_line(err))
            e.stop_ok(self)
        finally:
            e.kill()
            e.cleanup()


if __name__ == "__main__":
    unittest.main()
