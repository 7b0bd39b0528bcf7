#!/usr/bin/env python3
"""A local c2c cluster: one redis-server, N c2c-edge nodes sharing it
(--store redis://...), and haproxy balancing them round-robin.

Used two ways:
- by the cluster tests (tests/cluster/test_*.py): Cluster(...).start() on
  free loopback ports in a temporary directory, with kill -9 and restarts
  of any part;
- by `./build.sh cluster`: `python3 tests/cluster/cluster.py --dir .cluster
  --port 8080 -- EDGE FLAGS...` runs until Ctrl-C, then stops every part.

Redis runs with appendonly yes and appendfsync always, so a write Redis
acknowledged survives its kill -9. The nodes share one --data directory,
for the keys every node must hold the same (participant.key, demo.key):
the first node creates them, then the others start. haproxy settings for
Server-Sent Events: HTTP mode streams responses as they come (no
buffering), server/client timeouts above the 15 s heartbeat, fast health
checks on /healthz, and redispatch so that a request meeting a dead node is
retried on another. No stickiness: any node serves any request.

Standard library only; the edge helpers come from tests/integration/edge.py.
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))

from edge import Edge, EdgeStartError  # noqa: E402

START_TIMEOUT = 15.0  # a part's start (ASan nodes are slow)
HEARTBEAT_S = 15      # the edge's SSE heartbeat (app.c EDGE_HEARTBEAT_MS)


def free_port():
    """A loopback port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_ping(port, timeout=0.5):
    """True when a redis-server answers PING on port."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(b"PING\r\n")
            return s.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def http_ok(port, path="/healthz", timeout=1.0):
    """True when GET path on port answers 200."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % path).encode())
            return s.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def wait_until(pred, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return
        time.sleep(0.02)
    raise RuntimeError("%s: not ready within %.0f s" % (what, timeout))


class Endpoint(Edge):
    """The request helpers of edge.Edge (request, get, connect, metrics)
    pointed at a port this object does not run (haproxy)."""

    def __init__(self, port, host="127.0.0.1"):
        self.host, self.port, self.proc, self.tmp = host, port, None, None


class Redis:
    """redis-server on port with its files in dir (AOF, fsync always)."""

    def __init__(self, dir, port):
        self.dir, self.port, self.proc = dir, port, None
        os.makedirs(dir, exist_ok=True)

    def start(self):
        log = open(os.path.join(self.dir, "redis.log"), "ab")
        try:
            self.proc = subprocess.Popen(
                ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                 "--dir", self.dir, "--save", "", "--appendonly", "yes",
                 "--appendfsync", "always", "--daemonize", "no", "--loglevel", "warning"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        finally:
            log.close()
        wait_until(lambda: redis_ping(self.port) or self.proc.poll() is not None,
                   START_TIMEOUT, "redis-server")
        if self.proc.poll() is not None:
            raise RuntimeError("redis-server exited with %s" % self.proc.returncode)
        return self

    def kill9(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=5)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.kill9()


class Haproxy:
    """haproxy on 127.0.0.1:port, round-robin over the node ports."""

    def __init__(self, dir, port, node_ports):
        self.dir, self.port, self.node_ports, self.proc = dir, port, list(node_ports), None
        self.cfg = os.path.join(dir, "haproxy.cfg")

    def config(self):
        servers = "".join("    server node%d 127.0.0.1:%d\n" % (i, p)
                          for i, p in enumerate(self.node_ports))
        return (
            "global\n"
            "    maxconn 4096\n"
            "defaults\n"
            "    mode http\n"
            "    option http-keep-alive\n"
            "    option redispatch\n"
            "    retries 3\n"
            "    timeout connect 1s\n"
            "    timeout http-request 10s\n"
            # above the edge's 15 s heartbeat, so an idle event stream stays open
            "    timeout client %ds\n"
            "    timeout server %ds\n"
            "    timeout tunnel 1h\n"
            "frontend c2c\n"
            "    bind 127.0.0.1:%d\n"
            "    default_backend edges\n"
            "backend edges\n"
            "    balance roundrobin\n"
            "    option httpchk GET /healthz\n"
            "    http-check expect status 200\n"
            "    default-server check inter 500ms fall 2 rise 1\n"
            "%s" % (4 * HEARTBEAT_S, 4 * HEARTBEAT_S, self.port, servers))

    def start(self):
        with open(self.cfg, "w") as f:
            f.write(self.config())
        log = open(os.path.join(self.dir, "haproxy.log"), "ab")
        try:
            self.proc = subprocess.Popen(["haproxy", "-db", "-f", self.cfg],
                                         stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        finally:
            log.close()
        wait_until(lambda: http_ok(self.port) or self.proc.poll() is not None,
                   START_TIMEOUT, "haproxy")
        if self.proc.poll() is not None:
            raise RuntimeError("haproxy exited with %s; see %s" % (self.proc.returncode,
                                                                   self.dir))
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class Cluster:
    """Redis + n nodes + haproxy. dir: where the files go (a new temporary
    directory when None, removed by stop()); port: haproxy's (0: free);
    flags: extra edge flags for every node; static: the nodes' --static
    roots (None: an empty one, as edge.Edge does)."""

    def __init__(self, n=3, flags=(), dir=None, port=0, redis_port=0, node_ports=None,
                 static=None):
        self.own_dir = dir is None
        self.dir = os.path.abspath(dir or tempfile.mkdtemp(prefix="c2c-cluster-"))
        os.makedirs(self.dir, exist_ok=True)
        self.data = os.path.join(self.dir, "data")
        os.makedirs(self.data, exist_ok=True)
        self.flags = list(flags)
        self.static = static
        self.redis = Redis(os.path.join(self.dir, "redis"), redis_port or free_port())
        self.node_ports = list(node_ports or [free_port() for _ in range(n)])
        self.nodes = [None] * len(self.node_ports)
        self.lb = Haproxy(self.dir, port or free_port(), self.node_ports)
        self.endpoint = Endpoint(self.lb.port)

    @property
    def store_url(self):
        return "redis://127.0.0.1:%d/0" % self.redis.port

    def node_args(self, i):
        return ["--listen", "127.0.0.1:%d" % self.node_ports[i], "--store", self.store_url,
                "--data", self.data] + self.flags

    def start_node(self, i):
        """Start (or restart after a kill) node i on its port."""
        node = Edge(self.node_args(i), static=self.static, listen=False, data=False)
        node.start()
        self.nodes[i] = node
        return node

    def start(self):
        try:
            self.redis.start()
            for i in range(len(self.nodes)):  # in turn: the first creates the shared keys
                self.start_node(i)
            self.lb.start()
        except (RuntimeError, EdgeStartError):
            self.stop()
            raise
        return self

    def kill_node(self, i):
        """kill -9 of node i (its streams' connections drop at once)."""
        self.nodes[i].kill()

    def stop(self):
        """Stop every part; returns the nodes' exit codes (None: killed)."""
        self.lb.stop()
        codes = []
        for node in self.nodes:
            if node is None:
                continue
            codes.append(node.stop() if node.alive() else None)
            node.cleanup()
        self.redis.stop()
        if self.own_dir:
            import shutil
            shutil.rmtree(self.dir, ignore_errors=True)
        return codes

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False


def main(argv):
    """./build.sh cluster: the cluster in --dir DIR with haproxy on --port,
    redis on --redis-port, the nodes on the three ports after haproxy's
    (--port 0 and --redis-port 0: free ports, for tests); arguments after
    -- go to every node. Runs until SIGINT or SIGTERM."""
    import argparse
    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("--dir", default=".cluster")
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--redis-port", type=int, default=6390)
    ap.add_argument("--nodes", type=int, default=3)
    ap.add_argument("--static", action="append")
    ap.add_argument("flags", nargs="*")
    a = ap.parse_args(argv)
    # --port 0: every port free (tests); else the nodes on the ports after haproxy's
    ports = [a.port + 1 + i for i in range(a.nodes)] if a.port else None
    static = [os.path.abspath(d) for d in a.static] if a.static else None
    c = Cluster(a.nodes, a.flags, dir=a.dir, port=a.port, redis_port=a.redis_port,
                node_ports=ports, static=static)
    stop = []
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    c.start()
    lb = c.lb.port
    print("c2c cluster: haproxy http://127.0.0.1:%d/ -> nodes %s; redis %s (AOF in %s)"
          % (lb, ", ".join("127.0.0.1:%d" % p for p in c.node_ports), c.store_url,
             c.redis.dir), flush=True)
    print("  demo site:     http://127.0.0.1:%d/" % lb, flush=True)
    print("  agent console: http://127.0.0.1:%d/agent/" % lb, flush=True)
    print("  Ctrl-C stops everything", flush=True)
    parent = os.getppid()
    try:
        while not stop:
            time.sleep(0.2)
            if os.getppid() != parent:  # whoever started us is gone (a test that crashed)
                break
            for i, node in enumerate(c.nodes):
                # Ctrl-C reaches the whole process group: nodes ending then are not restarted
                if not stop and not node.alive():
                    print("c2c cluster: node %d exited (%s); its stderr:\n%s"
                          % (i, node.proc.returncode, node.stderr_tail()), flush=True)
                    c.start_node(i)
    finally:
        codes = c.stop()
        print("c2c cluster: stopped", flush=True)
    bad = [rc for rc in codes if rc not in (0, None)]  # None: ended by the Ctrl-C itself
    if bad:
        print("c2c cluster: node exit codes %r" % codes, flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
