"""HTTPS at the edge (--tls-cert/--tls-key): versions, ciphers, ALPN, SNI,
resumption, reload, start-up errors, redirect and HSTS, and bad input on
the TLS port, over real TLS with curl, openssl s_client and Python's ssl.

Certificates are made once per run with the openssl command into a
temporary directory: a test CA, two ECDSA P-256 leaves (a.test, b.test), an
RSA leaf, and one already expired."""

import os
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
import unittest

from edge import Edge, metric, parse_metrics, run_edge

TIMEOUT = 10


def sh(*args, **kw):
    return subprocess.run(list(args), capture_output=True, timeout=TIMEOUT, **kw)


def make_certs(d):
    def path(n):
        return os.path.join(d, n)
    sh("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", path("ca.key"))
    sh("openssl", "req", "-x509", "-new", "-key", path("ca.key"), "-subj", "/CN=c2c test CA",
       "-days", "2", "-out", path("ca.pem"))

    def leaf(name, days=2, rsa=False):
        if rsa:
            sh("openssl", "genrsa", "-out", path(name + ".key"), "2048")
        else:
            sh("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout",
               "-out", path(name + ".key"))
        sh("openssl", "req", "-new", "-key", path(name + ".key"), "-subj", "/CN=" + name,
           "-out", path(name + ".csr"))
        with open(path(name + ".ext"), "w") as f:
            f.write("subjectAltName=DNS:%s,DNS:localhost,IP:127.0.0.1\n" % name)
        sh("openssl", "x509", "-req", "-in", path(name + ".csr"), "-CA", path("ca.pem"),
           "-CAkey", path("ca.key"), "-CAcreateserial", "-days", str(days),
           "-extfile", path(name + ".ext"), "-out", path(name + ".pem"))
    leaf("a.test")
    leaf("b.test")
    leaf("rsa.test", rsa=True)
    leaf("old.test", days=0)  # notAfter is now: expired a second later


def subject_cn(der):
    out = sh("openssl", "x509", "-inform", "DER", "-noout", "-subject", input=der).stdout
    return out.decode().strip()


class TlsTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="c2c-tls-")
        make_certs(cls.dir)
        d = cls.dir
        # A copy of a.test's files that the reload test may overwrite.
        shutil.copy(os.path.join(d, "a.test.pem"), os.path.join(d, "live.pem"))
        shutil.copy(os.path.join(d, "a.test.key"), os.path.join(d, "live.key"))
        cls.www = os.path.join(d, "www")
        os.mkdir(cls.www)
        cls.big = os.urandom(150000)  # several full records, and a borrowed (cached) body
        with open(os.path.join(cls.www, "big.bin"), "wb") as f:
            f.write(cls.big)
        cls.edge = Edge(static=[cls.www], flags=["--tls-cert", os.path.join(d, "live.pem"),
                               "--tls-key", os.path.join(d, "live.key"),
                               "--tls-cert", os.path.join(d, "b.test.pem"),
                               "--tls-key", os.path.join(d, "b.test.key"),
                               "--redirect-http", "127.0.0.1:0", "--hsts", "600",
                               "--header-timeout-ms", "500"])
        cls.edge.start()
        cls.port = cls.edge.port
        with open(cls.edge.stdout_path) as f:
            cls.redirect_port = int(re.search(r"redirecting http on port (\d+)", f.read()).group(1))

    @classmethod
    def tearDownClass(cls):
        try:
            cls.edge.stop_ok()
        finally:
            cls.edge.cleanup()
            shutil.rmtree(cls.dir, ignore_errors=True)

    def ca(self):
        return os.path.join(self.dir, "ca.pem")

    def ctx(self):
        c = ssl.create_default_context(cafile=self.ca())
        c.check_hostname = False
        return c

    def tls_socket(self, ctx=None, name="a.test"):
        raw = socket.create_connection(("127.0.0.1", self.port), timeout=TIMEOUT)
        return (ctx or self.ctx()).wrap_socket(raw, server_hostname=name)

    def get(self, s, path="/healthz"):
        s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path).encode())
        data = b""
        while b"\r\n\r\n" not in data:
            data += s.recv(65536)
        head, body = data.split(b"\r\n\r\n", 1)
        n = int(re.search(rb"Content-Length: (\d+)", head).group(1))
        while len(body) < n:
            body += s.recv(65536)
        return head.decode(), body

    def s_client(self, *args, stdin=b"Q\n"):
        return sh("openssl", "s_client", "-connect", "127.0.0.1:%d" % self.port,
                  "-CAfile", self.ca(), *args, input=stdin).stdout.decode("utf-8", "replace")

    def metrics(self):
        out = sh("curl", "-sS", "--cacert", self.ca(),
                 "https://127.0.0.1:%d/metrics" % self.port).stdout.decode()
        return parse_metrics(out)

    # ---- protocol ----

    def test_curl_https_with_hsts(self):
        p = sh("curl", "-sS", "-D", "-", "--cacert", self.ca(),
               "https://127.0.0.1:%d/healthz" % self.port)
        out = p.stdout.decode()
        self.assertIn("HTTP/1.1 200", out)
        self.assertIn("Strict-Transport-Security: max-age=600", out)
        self.assertIn('{"status":"ok"}', out)

    def test_tls_1_1_refused_1_2_accepted(self):
        out = self.s_client("-tls1_1")
        self.assertIn("Cipher is (NONE)", out)
        self.assertIn("no peer certificate available", out)
        out = self.s_client("-tls1_2")
        self.assertIn("Protocol  : TLSv1.2", out)
        self.assertIn("Verify return code: 0 (ok)", out)

    def test_only_ecdhe_aead_ciphers(self):
        for good in ("ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
                     "ECDHE-ECDSA-CHACHA20-POLY1305"):
            out = self.s_client("-tls1_2", "-cipher", good)
            self.assertIn("Cipher is " + good, out)
        for bad in ("ECDHE-ECDSA-AES128-SHA256", "ECDHE-ECDSA-AES128-SHA", "AES128-GCM-SHA256",
                    "DHE-RSA-AES128-GCM-SHA256"):
            out = self.s_client("-tls1_2", "-cipher", bad)
            self.assertNotIn("Cipher is " + bad, out)
            self.assertIn("Cipher is (NONE)", out)

    def test_server_prefers_its_order(self):
        out = self.s_client("-tls1_2", "-cipher",
                            "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256")
        self.assertIn("Cipher is ECDHE-ECDSA-AES128-GCM-SHA256", out)

    def test_alpn_http11(self):
        out = self.s_client("-alpn", "h2,http/1.1")
        self.assertIn("ALPN protocol: http/1.1", out)

    def test_sni_picks_certificate(self):
        for name in ("a.test", "b.test"):
            with self.tls_socket(name=name) as s:
                self.assertIn("CN = " + name, subject_cn(s.getpeercert(binary_form=True)))
        with self.tls_socket(name="unknown.example") as s:  # the first pair is the default
            self.assertIn("CN = a.test", subject_cn(s.getpeercert(binary_form=True)))

    def test_session_resumption_by_ticket(self):
        sess = os.path.join(self.dir, "sess.pem")
        before = self.metrics()
        out = self.s_client("-sess_out", sess)
        self.assertIn("New, TLSv1.2", out)
        self.assertIn("TLS session ticket", out)
        out = self.s_client("-sess_in", sess)
        self.assertIn("Reused, TLSv1.2", out)
        after = self.metrics()
        self.assertGreaterEqual(metric(after, "c2c_tls_resumed_handshakes_total") -
                                metric(before, "c2c_tls_resumed_handshakes_total"), 1)

    def test_keep_alive_requests_and_large_body(self):
        with self.tls_socket() as s:
            for _ in range(3):
                head, body = self.get(s)
                self.assertIn("200 OK", head)
            head, body = self.get(s, "/metrics")
            self.assertIn(b"c2c_tls_handshakes_total", body)

    def test_static_file_and_pipelining_over_tls(self):
        out = sh("curl", "-sS", "--cacert", self.ca(),
                 "https://127.0.0.1:%d/big.bin" % self.port).stdout
        self.assertEqual(out, self.big)
        with self.tls_socket() as s:  # three pipelined requests: one batch, one encryption
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" * 2 +
                      b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
            data = b""
            while data.count(b"HTTP/1.1 200") < 3 or not data.endswith(self.big[-64:]):
                chunk = s.recv(65536)
                self.assertTrue(chunk)
                data += chunk
            self.assertTrue(data.endswith(self.big))

    # ---- records after the handshake (net/tls_record.c) ----

    def test_large_responses_across_many_records_each_cipher(self):
        for cipher in ("ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
                       "ECDHE-ECDSA-CHACHA20-POLY1305"):
            ctx = self.ctx()
            ctx.maximum_version = ssl.TLSVersion.TLSv1_2
            ctx.set_ciphers(cipher)
            with self.tls_socket(ctx) as s:
                self.assertEqual(s.cipher()[0], cipher)
                for _ in range(3):  # 150 KB: ten records each, on one connection
                    head, body = self.get(s, "/big.bin")
                    self.assertIn("200 OK", head)
                    self.assertEqual(body, self.big)
                # a request split across many small records still parses
                req = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                for i in range(len(req)):
                    s.sendall(req[i:i + 1])
                data = b""
                while b'{"status":"ok"}' not in data:
                    chunk = s.recv(4096)
                    self.assertTrue(chunk)
                    data += chunk

    def test_close_notify_when_the_server_closes(self):
        req = b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        out = self.s_client("-tls1_2", "-ign_eof", "-msg", stdin=req)
        self.assertIn('{"status":"ok"}', out)
        self.assertIn("<<< TLS 1.2, Alert [length 0002], warning close_notify", out)

    def test_close_notify_answered(self):
        with self.tls_socket() as s:
            self.assertIn("200 OK", self.get(s)[0])
            raw = s.unwrap()  # sends close_notify, returns once the server's arrived
            raw.settimeout(TIMEOUT)
            self.assertEqual(raw.recv(100), b"")  # then the server closes
            raw.close()

    def memory_tls(self):
        """A handshake over a raw socket through memory BIOs, so the test
        sees and may change every byte the client sends."""
        raw = socket.create_connection(("127.0.0.1", self.port), timeout=TIMEOUT)
        inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
        obj = self.ctx().wrap_bio(inc, out, server_hostname="a.test")
        while True:
            try:
                obj.do_handshake()
                break
            except ssl.SSLWantReadError:
                raw.sendall(out.read())
                data = raw.recv(65536)
                self.assertTrue(data)
                inc.write(data)
        raw.sendall(out.read())
        return raw, obj, inc, out

    def read_to_eof(self, raw):
        data = b""
        while True:
            try:
                chunk = raw.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            data += chunk
        return data

    def test_corrupted_record_gets_alert_and_close(self):
        before = metric(self.metrics(), "c2c_tls_record_failures_total")
        raw, obj, inc, out = self.memory_tls()
        obj.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        rec = bytearray(out.read())
        rec[-1] ^= 0x01  # one bit of the tag
        raw.sendall(bytes(rec))
        inc.write(self.read_to_eof(raw))  # the server closes after its alert
        raw.close()
        with self.assertRaises(ssl.SSLError) as e:
            obj.read(100)
        self.assertIn("bad record mac", str(e.exception).lower())
        self.assertEqual(metric(self.metrics(), "c2c_tls_record_failures_total"), before + 1)

    def test_oversized_record_gets_record_overflow(self):
        raw, obj, inc, out = self.memory_tls()
        raw.sendall(b"\x17\x03\x03\x48\x01" + b"\x00" * 100)  # 2^14 + 2049 bytes announced
        inc.write(self.read_to_eof(raw))
        raw.close()
        with self.assertRaises(ssl.SSLError) as e:
            obj.read(100)
        self.assertIn("record overflow", str(e.exception).lower())

    # ---- redirect ----

    def test_redirect_http(self):
        out = sh("curl", "-sS", "-D", "-", "-o", "/dev/null",
                 "http://127.0.0.1:%d/a/b?c=1" % self.redirect_port).stdout.decode()
        self.assertIn("HTTP/1.1 308", out)
        self.assertIn("Location: https://127.0.0.1:%d/a/b?c=1" % self.port, out)
        out = sh("curl", "-sS", "http://127.0.0.1:%d/healthz" % self.redirect_port).stdout
        self.assertEqual(out, b'{"status":"ok"}')
        out = sh("curl", "-sS", "-L", "--cacert", self.ca(),
                 "http://localhost:%d/healthz?x" % self.redirect_port).stdout
        self.assertEqual(out, b'{"status":"ok"}')
        out = sh("curl", "-sS", "-D", "-", "-H", "Host: evil.example/x@y",
                 "http://127.0.0.1:%d/" % self.redirect_port).stdout.decode()
        self.assertIn("HTTP/1.1 400", out)
        self.assertIn("bad_host", out)
        self.assertNotIn("Location", out)

    # ---- bad input ----

    def test_plain_http_to_tls_port(self):
        out = sh("curl", "-sS", "http://127.0.0.1:%d/healthz" % self.port).stdout.decode()
        self.assertIn("plain_http_to_https_port", out)

    def test_garbage_client_hello(self):
        before = metric(self.metrics(), "c2c_tls_handshake_failures_total")
        for junk in (b"\x16\x03\x01\x00\x05hello", b"\x16\x03\x03\xff\xff" + b"\x00" * 300,
                     os.urandom(2000)):
            s = socket.create_connection(("127.0.0.1", self.port), timeout=TIMEOUT)
            s.sendall(b"\x16" + junk[1:])
            s.settimeout(TIMEOUT)
            try:
                while s.recv(4096):
                    pass
            except ConnectionResetError:
                pass
            s.close()
        self.assertGreater(metric(self.metrics(), "c2c_tls_handshake_failures_total"), before)

    def test_stalled_handshake_closed_after_header_timeout(self):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=TIMEOUT)
        s.sendall(b"\x16\x03\x01")  # the start of a record, then nothing
        t0 = time.monotonic()
        self.assertEqual(s.recv(100), b"")
        self.assertLess(time.monotonic() - t0, 5)
        s.close()

    def test_many_aborted_handshakes(self):
        hello = None
        for i in range(300):
            raw = socket.create_connection(("127.0.0.1", self.port), timeout=TIMEOUT)
            if i % 2 == 0:
                # a real ClientHello, then gone before the handshake ends
                obj = ssl.MemoryBIO(), ssl.MemoryBIO()
                sslobj = self.ctx().wrap_bio(obj[0], obj[1], server_hostname="a.test")
                try:
                    sslobj.do_handshake()
                except ssl.SSLWantReadError:
                    pass
                hello = obj[1].read()
                raw.sendall(hello)
                if i % 4 == 0:
                    raw.recv(1)
            raw.close()
        with self.tls_socket() as s:
            self.assertIn("200 OK", self.get(s)[0])

    # ---- reload ----

    def test_reload_keeps_old_connection(self):
        with self.tls_socket(name="localhost") as old:
            self.assertIn("CN = a.test", subject_cn(old.getpeercert(binary_form=True)))
            d = self.dir
            shutil.copy(os.path.join(d, "rsa.test.pem"), os.path.join(d, "live.pem"))
            shutil.copy(os.path.join(d, "rsa.test.key"), os.path.join(d, "live.key"))
            try:
                self.edge.signal(1)  # SIGHUP
                deadline = time.monotonic() + 5
                while "certificates reloaded" not in self.edge.stderr_text():
                    self.assertLess(time.monotonic(), deadline, self.edge.stderr_text())
                    time.sleep(0.05)
                with self.tls_socket(name="localhost") as new:
                    self.assertIn("CN = rsa.test", subject_cn(new.getpeercert(binary_form=True)))
                self.assertIn("200 OK", self.get(old)[0])
                # a broken key file: the reload fails and the RSA pair stays
                with open(os.path.join(d, "live.key"), "w") as f:
                    f.write("not a key\n")
                self.edge.signal(1)
                deadline = time.monotonic() + 5
                while "keeping the old certificates" not in self.edge.stderr_text():
                    self.assertLess(time.monotonic(), deadline)
                    time.sleep(0.05)
                with self.tls_socket(name="localhost") as new:
                    self.assertIn("CN = rsa.test", subject_cn(new.getpeercert(binary_form=True)))
            finally:
                shutil.copy(os.path.join(d, "a.test.pem"), os.path.join(d, "live.pem"))
                shutil.copy(os.path.join(d, "a.test.key"), os.path.join(d, "live.key"))
                self.edge.signal(1)


class TlsStartupErrors(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="c2c-tls-")
        make_certs(cls.dir)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def expect_exit2(self, cert, key, want):
        rc, out, err = run_edge(["--listen", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", key])
        self.assertEqual(rc, 2, err)
        self.assertIn(want, err)
        self.assertEqual(err.count("\n"), 1, err)

    def test_startup_errors(self):
        p = lambda n: os.path.join(self.dir, n)  # noqa: E731
        self.expect_exit2(p("missing.pem"), p("a.test.key"), "No such file or directory")
        self.expect_exit2(p("a.test.key"), p("a.test.key"), "not a PEM certificate")
        self.expect_exit2(p("a.test.pem"), p("b.test.key"), "does not fit")
        self.expect_exit2(p("a.test.pem"), p("a.test.pem"), "not an unencrypted PEM private key")
        time.sleep(1.1)  # old.test expires one second after it was made
        self.expect_exit2(p("old.test.pem"), p("old.test.key"), "expired on")
        if os.geteuid() != 0:
            os.chmod(p("b.test.key"), 0)
            self.expect_exit2(p("b.test.pem"), p("b.test.key"), "Permission denied")

    def test_redirect_needs_cert(self):
        rc, out, err = run_edge(["--redirect-http", "127.0.0.1:0"])
        self.assertEqual(rc, 2)
        self.assertIn("needs --tls-cert", err)


if __name__ == "__main__":
    unittest.main()
