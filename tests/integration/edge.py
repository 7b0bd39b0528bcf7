"""Helpers for the c2c-edge integration tests: run the real binary, talk HTTP.

Standard library only. Every socket operation has a timeout and every wait
has a deadline, so a hung server fails a test instead of hanging the suite.

- Edge: one server process on 127.0.0.1:0 with a temporary working
  directory, --data and (unless told otherwise) an empty --static root.
  stdout and stderr go to files; the port is parsed from the "listening on"
  line. stop() sends SIGTERM and returns the exit code (under ASan a leak or
  a sanitizer report makes it non-zero); stop_ok() also asserts it is 0.
- Conn: a raw client socket with its own read buffer, so pipelined
  responses, "100 Continue" interim responses and half-sent requests can be
  handled byte for byte.
- Response: status, reason, headers (lower-case names -> list of values),
  body (by Content-Length), json().
"""

import base64
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_BIN = os.path.join(REPO, "build", "c2c-edge")

IO_TIMEOUT = 5.0        # any single socket operation
START_TIMEOUT = 10.0    # until the "listening on" line (ASan start-up is slow)
STOP_TIMEOUT = 15.0     # SIGTERM to exit (default shutdown grace is 10 s)

_LISTEN_RE = re.compile(r"c2c-edge listening on https?://(\[[^\]]+\]|[^:/]+):(\d+)/")


def edge_bin():
    """The binary under test, as an absolute path (servers run in a temp cwd)."""
    return os.path.abspath(os.environ.get("C2C_EDGE_BIN") or DEFAULT_BIN)


def sanitizer_env():
    """Environment for the server: sanitizer reports must end the process
    with a non-zero code (they do by default; make it explicit)."""
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0:exitcode=23")
    env.setdefault("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1:exitcode=24")
    return env


def run_edge(args, timeout=15.0, cwd=None):
    """Run the binary to completion (for --help and bad configurations).
    Returns (exit code, stdout text, stderr text)."""
    tmp = None
    if cwd is None:
        tmp = tempfile.mkdtemp(prefix="c2c-run-")
        cwd = tmp
    try:
        p = subprocess.run([edge_bin()] + list(args), cwd=cwd, env=sanitizer_env(),
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
        return (p.returncode, p.stdout.decode("utf-8", "replace"),
                p.stderr.decode("utf-8", "replace"))
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


class EdgeStartError(RuntimeError):
    pass


class Edge:
    """One running c2c-edge.

    flags: extra command-line arguments.
    static: list of static root directories; None gives one empty temp root
            (so the defaults dist/ and web/ of the cwd never leak in).
    listen: when False, no --listen flag is passed (e.g. a --config file
            sets it); the "listening on" line is still parsed for the port.
    """

    def __init__(self, flags=(), static=None, listen=True, data=True):
        self.tmp = tempfile.mkdtemp(prefix="c2c-edge-")
        self.flags = list(flags)
        self.proc = None
        self.port = None
        self.host = "127.0.0.1"
        self.stdout_path = os.path.join(self.tmp, "stdout.txt")
        self.stderr_path = os.path.join(self.tmp, "stderr.txt")
        args = []
        if listen:
            args += ["--listen", "127.0.0.1:0"]
        if data:
            self.data_dir = os.path.join(self.tmp, "data")
            os.mkdir(self.data_dir)
            args += ["--data", self.data_dir]
        if static is None:
            empty = os.path.join(self.tmp, "static-empty")
            os.mkdir(empty)
            static = [empty]
        for d in static:
            args += ["--static", d]
        self.args = args + self.flags

    # -- life cycle ---------------------------------------------------------

    def start(self):
        out = open(self.stdout_path, "wb")
        err = open(self.stderr_path, "wb")
        try:
            self.proc = subprocess.Popen([edge_bin()] + self.args, cwd=self.tmp,
                                         env=sanitizer_env(), stdin=subprocess.DEVNULL,
                                         stdout=out, stderr=err)
        finally:
            out.close()
            err.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            with open(self.stdout_path, "rb") as f:
                text = f.read().decode("utf-8", "replace")
            m = _LISTEN_RE.search(text)
            if m:
                host = m.group(1)
                self.host = host[1:-1] if host.startswith("[") else host
                self.port = int(m.group(2))
                return self
            if self.proc.poll() is not None:
                raise EdgeStartError("c2c-edge exited with %s before listening; stderr:\n%s"
                                     % (self.proc.returncode, self.stderr_text()))
            time.sleep(0.01)
        self.kill()
        raise EdgeStartError("c2c-edge did not print its listening line in %.0f s; stderr:\n%s"
                             % (START_TIMEOUT, self.stderr_text()))

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.kill()
        self.cleanup()
        return False

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig):
        self.proc.send_signal(sig)

    def wait(self, timeout=STOP_TIMEOUT):
        """Exit code, or None if the process is still running at the deadline."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self, timeout=STOP_TIMEOUT):
        """SIGTERM and wait. Returns the exit code; kills and returns None
        when the server does not stop in time."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        rc = self.wait(timeout)
        if rc is None:
            self.kill()
        return rc

    def stop_ok(self, testcase=None, timeout=STOP_TIMEOUT):
        """Stop and require exit code 0 (a sanitizer report or leak fails)."""
        rc = self.stop(timeout)
        msg = "c2c-edge exit code %r (expected 0); stderr tail:\n%s" % (
            rc, self.stderr_tail())
        if testcase is not None:
            testcase.assertEqual(rc, 0, msg)
        elif rc != 0:
            raise AssertionError(msg)
        return rc

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- output -------------------------------------------------------------

    def stderr_text(self):
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def stderr_tail(self, n=60):
        return "\n".join(self.stderr_text().splitlines()[-n:])

    def stdout_text(self):
        with open(self.stdout_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def log_entries(self):
        """Every JSON access-log line on stderr so far, parsed."""
        entries = []
        for line in self.stderr_text().splitlines():
            line = line.strip()
            if line.startswith("{"):
                try:
                    entries.append(json.loads(line))
                except ValueError:
                    pass
        return entries

    def wait_for_log(self, predicate, count=1, timeout=3.0):
        """Wait until at least count access-log entries satisfy predicate
        (the log is flushed on a timer). Returns the matching entries."""
        deadline = time.monotonic() + timeout
        while True:
            found = [e for e in self.log_entries() if predicate(e)]
            if len(found) >= count or time.monotonic() >= deadline:
                return found
            time.sleep(0.05)

    # -- clients ------------------------------------------------------------

    def connect(self, timeout=IO_TIMEOUT):
        return Conn(self.host, self.port, timeout)

    def request(self, method, path, headers=None, body=b"", timeout=IO_TIMEOUT):
        """One request on a fresh connection; returns the Response."""
        with self.connect(timeout) as c:
            c.send_request(method, path, headers, body)
            return c.read_response(method=method)

    def get(self, path, headers=None, timeout=IO_TIMEOUT):
        return self.request("GET", path, headers, timeout=timeout)

    def metrics(self):
        r = self.get("/metrics")
        if r.status != 200:
            raise AssertionError("/metrics answered %d" % r.status)
        return parse_metrics(r.body.decode("utf-8"))


# ---------------------------------------------------------------------------
# HTTP on a raw socket

class ConnectionClosed(Exception):
    """The peer closed before a complete response arrived."""


class Response:
    def __init__(self, status, reason, version, headers, body, raw_head):
        self.status = status
        self.reason = reason
        self.version = version
        self.headers = headers  # lower-case name -> [values]
        self.body = body
        self.raw_head = raw_head

    def header(self, name, default=None):
        """The values of header name joined with ", ", or default."""
        vals = self.headers.get(name.lower())
        if not vals:
            return default
        return ", ".join(vals)

    def has(self, name):
        return name.lower() in self.headers

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        return "<Response %d %s %r body=%r>" % (self.status, self.reason, self.headers,
                                                self.body[:200])


class Conn:
    """A client connection with its own buffer. Use as a context manager."""

    def __init__(self, host, port, timeout=IO_TIMEOUT):
        self.timeout = timeout
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect((host, port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.eof = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def send(self, data):
        if isinstance(data, str):
            data = data.encode("latin-1")
        self.sock.sendall(data)

    def try_send(self, data):
        """send, but report a peer that has gone (reset/broken pipe) as False."""
        try:
            self.send(data)
            return True
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            return False

    def send_request(self, method, path, headers=None, body=b""):
        self.send(build_request(method, path, headers, body))

    def _fill(self, timeout=None):
        """Read more bytes into the buffer. Returns False at EOF."""
        if self.eof:
            return False
        self.sock.settimeout(self.timeout if timeout is None else timeout)
        try:
            chunk = self.sock.recv(65536)
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            self.eof = True
            return False
        self.buf += chunk
        return True

    def _read_until(self, marker, deadline):
        while marker not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise socket.timeout("timed out waiting for %r" % marker)
            if not self._fill(left):
                raise ConnectionClosed("closed with %d bytes unparsed: %r"
                                       % (len(self.buf), self.buf[:200]))
        i = self.buf.index(marker) + len(marker)
        data, self.buf = self.buf[:i], self.buf[i:]
        return data

    def _read_exact(self, n, deadline):
        while len(self.buf) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                raise socket.timeout("timed out reading body")
            if not self._fill(left):
                raise ConnectionClosed("closed after %d of %d body bytes" % (len(self.buf), n))
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def read_response(self, method="GET", timeout=None):
        """Read one response (interim 1xx responses included, as their own
        Response). The body is read by Content-Length; without one (and
        when a body is allowed) until the connection closes."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        head = self._read_until(b"\r\n\r\n", deadline)
        status, reason, version, headers = parse_head(head)
        no_body = (100 <= status < 200 or status in (204, 304) or method.upper() == "HEAD")
        if no_body:
            body = b""
        elif "transfer-encoding" in headers and "chunked" in ",".join(
                headers["transfer-encoding"]).lower():
            body = self._read_chunked(deadline)
        elif "content-length" in headers:
            body = self._read_exact(int(headers["content-length"][0]), deadline)
        else:
            body = self.read_until_close(max(0.0, deadline - time.monotonic()))
        return Response(status, reason, version, headers, body, head)

    def _read_chunked(self, deadline):
        body = b""
        while True:
            line = self._read_until(b"\r\n", deadline)
            size = int(line.split(b";")[0].strip(), 16)
            if size == 0:
                while self._read_until(b"\r\n", deadline) != b"\r\n":
                    pass
                return body
            body += self._read_exact(size, deadline)
            self._read_until(b"\r\n", deadline)

    def read_until_close(self, timeout=None):
        """Everything until EOF (raises socket.timeout if it never comes)."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while self._fill(max(0.001, deadline - time.monotonic())):
            if time.monotonic() > deadline:
                raise socket.timeout("connection not closed in time")
        data, self.buf = self.buf, b""
        return data

    def wait_closed(self, timeout):
        """True when the peer closes (EOF or reset) within timeout seconds
        and sends nothing more; False on timeout. Bytes received meanwhile
        stay in the buffer."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            try:
                if not self._fill(left):
                    return True
            except socket.timeout:
                return False

    def readable_within(self, timeout):
        """True when bytes or EOF are ready within timeout (nothing consumed)."""
        if self.buf or self.eof:
            return True
        r, _, _ = select.select([self.sock], [], [], timeout)
        return bool(r)


def build_request(method, path, headers=None, body=b"", version="HTTP/1.1"):
    """Bytes of one request. headers: dict or list of pairs; a Host header
    is added unless given; Content-Length is added for a non-empty body
    unless Content-Length or Transfer-Encoding is given."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    if headers is None:
        pairs = []
    elif isinstance(headers, dict):
        pairs = list(headers.items())
    else:
        pairs = list(headers)
    names = {k.lower() for k, _ in pairs}
    if "host" not in names:
        pairs.insert(0, ("Host", "127.0.0.1"))
    if body and "content-length" not in names and "transfer-encoding" not in names:
        pairs.append(("Content-Length", str(len(body))))
    lines = ["%s %s %s" % (method, path, version)]
    lines += ["%s: %s" % (k, v) for k, v in pairs]
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return head + body


def parse_head(head):
    text = head.decode("latin-1")
    lines = text.split("\r\n")
    m = re.match(r"^(HTTP/\d\.\d) (\d{3})(?: (.*))?$", lines[0])
    if not m:
        raise ValueError("bad status line %r" % lines[0])
    headers = {}
    for line in lines[1:]:
        if not line:
            continue
        if ":" not in line:
            raise ValueError("bad header line %r" % line)
        name, value = line.split(":", 1)
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return int(m.group(2)), m.group(3) or "", m.group(1), headers


def chunked(body, size=7):
    """body in Transfer-Encoding: chunked framing, chunks of size bytes."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    out = b""
    for i in range(0, len(body), size):
        part = body[i:i + size]
        out += b"%x\r\n" % len(part) + part + b"\r\n"
    return out + b"0\r\n\r\n"


# ---------------------------------------------------------------------------
# Prometheus text

_METRIC_RE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)\s*$")


class ServerPerTest:
    """Mixin for a TestCase: a fresh server for every test, for what is
    global to a server (counters, agent availability, timeouts). The flags
    come from server_flags(), which a test class overrides."""

    def server_flags(self):
        return []

    def setUp(self):
        self.edge = Edge(self.server_flags())
        self.edge.start()

    def tearDown(self):
        try:
            self.edge.stop_ok()
        finally:
            self.edge.cleanup()


class ServerPerClass:
    """Mixin for a TestCase: one server for all the tests of the class, with
    the class attribute `flags` (a list) as its command line."""

    flags = []

    @classmethod
    def setUpClass(cls):
        cls.edge = Edge(list(cls.flags))
        cls.edge.start()

    @classmethod
    def tearDownClass(cls):
        try:
            cls.edge.stop_ok()
        finally:
            cls.edge.cleanup()


def parse_metrics(text):
    """{(name, labels-frozenset): value} for every sample line."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = _METRIC_RE.match(line)
        if not m:
            raise ValueError("bad metrics line %r" % line)
        labels = frozenset()
        if m.group(2):
            labels = frozenset(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(2)))
        out[(m.group(1), labels)] = float(m.group(3))
    return out


def metric(samples, name, **labels):
    """The value of one sample, or 0.0 when the series does not exist."""
    return samples.get((name, frozenset(labels.items())), 0.0)


# ---------------------------------------------------------------------------
# JSON error shape

def assert_json_error(tc, resp, status, code=None):
    """resp has the product's error shape: status, application/json and
    {"error": code, "message": text}."""
    tc.assertEqual(resp.status, status, resp)
    ctype = resp.header("content-type", "")
    tc.assertTrue(ctype.split(";")[0].strip().lower() == "application/json",
                  "Content-Type %r on %r" % (ctype, resp))
    try:
        obj = resp.json()
    except ValueError:
        tc.fail("error body is not JSON: %r" % resp.body)
    tc.assertIsInstance(obj, dict, resp.body)
    tc.assertIsInstance(obj.get("error"), str, resp.body)
    tc.assertTrue(obj["error"], resp.body)
    tc.assertIsInstance(obj.get("message"), str, resp.body)
    tc.assertTrue(obj["message"], resp.body)
    if code is not None:
        tc.assertEqual(obj["error"], code, resp.body)
    return obj


def b64url(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
