"""The store's guard rails, through the real server: one process owns
--data (a second server is refused, naming the owner's pid), a foreign
write lock on the database never stalls requests (writes answer 503
store_busy at once, reads and /healthz go on), a corrupt database stops the
start with exit 2 and one line, ClientToken retries answer the original
message (also after a restart), a full disk refuses messages with 507
storage_full while every acknowledged one stays (also after a restart), and
--retention-days deletes contacts that ended long ago (the clock is moved
by rewriting ended_ms with sqlite3 while the server is stopped)."""

import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
import unittest

from edge import Edge, assert_json_error, metric, run_edge
from test_calls import CallClient
from test_chat import API, JSON, ChatClient, new_sub

DAY_MS = 86400 * 1000
PROMPT_S = 2.0  # generous bound for "answers promptly" (the old busy wait was 5 s)


def db_path(edge):
    return os.path.join(edge.data_dir, "c2c.sqlite3")


class OwnershipTests(ChatClient, unittest.TestCase):
    def setUp(self):
        self.edge = Edge(["--demo", "--limit-messages", "0"])
        self.edge.start()

    def tearDown(self):
        try:
            self.edge.stop_ok(self)
        finally:
            self.edge.cleanup()

    def test_second_server_on_same_data_is_refused(self):
        rc, out, err = run_edge(["--listen", "127.0.0.1:0", "--data", self.edge.data_dir])
        self.assertEqual(rc, 2, err)
        self.assertEqual(err.strip().splitlines(),
                         ["c2c-edge: --data %s is in use by process %d"
                          % (self.edge.data_dir, self.edge.proc.pid)])
        self.assertNotIn("listening", out)
        with open(os.path.join(self.edge.data_dir, "c2c.lock")) as f:
            self.assertEqual(f.read().strip(), str(self.edge.proc.pid))
        # the owner carries on
        _, res, _ = self.new_chat("own")
        self.send(res["ParticipantToken"], "still mine")

    def test_foreign_write_lock_never_stalls_requests(self):
        _, res, _ = self.new_chat("busy")
        pt = res["ParticipantToken"]
        first = self.send(pt, "before the lock")
        other = sqlite3.connect(db_path(self.edge), timeout=5, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # holds the write lock
            for i in range(3):
                t0 = time.monotonic()
                r = self.p(pt, "message", {"ContentType": "text/plain",
                                           "Content": "while locked %d" % i})
                self.assertLess(time.monotonic() - t0, PROMPT_S)
                assert_json_error(self, r, 503, "store_busy")
                self.assertEqual(r.header("retry-after"), "1")
                t0 = time.monotonic()
                self.assertEqual(self.edge.get("/healthz").status, 200)
                t = self.transcript_page(pt)  # reads go on
                self.assertLess(time.monotonic() - t0, PROMPT_S)
                self.assertEqual([m["Id"] for m in t["Transcript"]], [first["Id"]])
            # housekeeping (the tick) meets the lock too, and must not stall either
            time.sleep(1.1)
            self.assertEqual(self.edge.get("/healthz").status, 200)
        finally:
            other.execute("ROLLBACK")
            other.close()
        after = self.send(pt, "after the lock")
        contents = [m["Content"] for m in self.full_transcript(pt)]
        self.assertEqual(contents, ["before the lock", "after the lock"])
        self.assertNotEqual(after["Id"], first["Id"])


class CorruptDatabaseTests(ChatClient, unittest.TestCase):
    def test_corrupt_database_stops_the_start(self):
        self.edge = Edge(["--demo", "--limit-messages", "0"])
        try:
            self.edge.start()
            _, res, _ = self.new_chat("corrupt")
            for i in range(40):
                self.send(res["ParticipantToken"], ("%02d" % i) * 1000)
            self.edge.stop_ok(self)  # the last connection checkpoints the WAL into the file
            path = db_path(self.edge)
            db = sqlite3.connect(path)
            root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'messages'")
            root = root.fetchone()[0]
            page_size = db.execute("PRAGMA page_size").fetchone()[0]
            db.close()
            self.assertGreater(root, 1)
            with open(path, "r+b") as f:
                f.seek((root - 1) * page_size + 8)  # keep the page type, smash the rest
                f.write(b"\xa5" * (page_size - 8))
            rc, out, err = run_edge(["--listen", "127.0.0.1:0", "--demo",
                                     "--data", self.edge.data_dir])
            self.assertEqual(rc, 2, err)
            self.assertNotIn("listening", out)
            lines = err.strip().splitlines()
            self.assertEqual(len(lines), 1, err)
            self.assertTrue(lines[0].startswith("c2c-edge: store: %s is corrupt (" % path),
                            lines[0])
            self.assertIn("restore it from a backup", lines[0])
            self.assertIn("move it", lines[0])
        finally:
            self.edge.kill()
            self.edge.cleanup()


class ClientTokenTests(ChatClient, unittest.TestCase):
    def setUp(self):
        self.edge = Edge(["--demo", "--limit-messages", "0"])
        self.edge.start()

    def tearDown(self):
        try:
            self.edge.stop_ok(self)
        finally:
            self.edge.cleanup()

    def send_token(self, pt, content, token):
        r = self.p(pt, "message", {"ContentType": "text/plain", "Content": content,
                                   "ClientToken": token})
        self.assertEqual(r.status, 200, r)
        return r.json()

    def test_retry_with_client_token_returns_the_original(self):
        _, res, _ = self.new_chat("tok")
        pt = res["ParticipantToken"]
        first = self.send_token(pt, "exactly once", "c0ffee-1")
        time.sleep(0.01)  # a new message would get a later AbsoluteTime
        again = self.send_token(pt, "exactly once", "c0ffee-1")
        self.assertEqual(again, first)
        other = self.send_token(pt, "another one", "c0ffee-2")
        plain = self.send(pt, "no token")
        self.assertEqual(len({first["Id"], other["Id"], plain["Id"]}), 3)
        items = self.full_transcript(pt)
        self.assertEqual([m["Content"] for m in items],
                         ["exactly once", "another one", "no token"])
        # the token belongs to its participant: an agent may use the same string
        agent = self.mint(new_sub("agent"), role="agent")
        r = self.post("agent/accept", {"Authorization": "Bearer " + agent,
                                       "Content-Type": JSON}, {"ContactId": res["ContactId"]})
        self.assertEqual(r.status, 200, r)
        apt = r.json()["ParticipantToken"]
        theirs = self.send_token(apt, "agent's", "c0ffee-1")
        self.assertNotEqual(theirs["Id"], first["Id"])
        # across a restart
        self.edge.stop_ok(self)
        self.edge.start()
        self.assertEqual(self.send_token(pt, "exactly once", "c0ffee-1"), first)
        self.assertEqual(len(self.full_transcript(pt)), 4)

    def test_client_token_checked(self):
        _, res, _ = self.new_chat("tokbad")
        pt = res["ParticipantToken"]
        for token in ["", "x" * 501, 5, ["a"]]:
            with self.subTest(token=token if not isinstance(token, str) else len(token)):
                r = self.p(pt, "message", {"ContentType": "text/plain", "Content": "hi",
                                           "ClientToken": token})
                assert_json_error(self, r, 400, "bad_request")
        self.send_token(pt, "longest token", "x" * 500)
        self.assertEqual([m["Content"] for m in self.full_transcript(pt)], ["longest token"])


class FullDiskTests(ChatClient, unittest.TestCase):
    """--data on a small tmpfs: fill it with 8 KiB messages until the server
    refuses, then check that exactly the acknowledged messages are stored."""

    TMPFS_SIZE = "1200k"
    BALLAST = 256 * 1024  # freed later to make room again

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="c2c-full-")
        self.mnt = os.path.join(self.tmp, "data")
        os.mkdir(self.mnt)
        self.mounted = False
        self.servers = []
        if os.geteuid() != 0:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.skipTest("mounting a tmpfs needs root")
        p = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%s,mode=0700" % self.TMPFS_SIZE,
                            "tmpfs", self.mnt], capture_output=True, timeout=10)
        if p.returncode != 0:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.skipTest("mount -t tmpfs is not permitted here: %s"
                          % p.stderr.decode("utf-8", "replace").strip())
        self.mounted = True

    def tearDown(self):
        for e in self.servers:
            e.kill()
            e.cleanup()
        if self.mounted:
            if subprocess.run(["umount", self.mnt], capture_output=True).returncode != 0:
                subprocess.run(["umount", "-l", self.mnt], capture_output=True)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def server(self):
        e = Edge(["--demo", "--limit-messages", "0", "--data", self.mnt], data=False)
        self.servers.append(e)
        e.start()
        self.edge = e
        return e

    def test_full_disk_refuses_cleanly_and_loses_nothing(self):
        with open(os.path.join(self.mnt, "ballast"), "wb") as f:
            f.write(b"\0" * self.BALLAST)
        first = self.server()
        _, res, _ = self.new_chat("full")
        pt = res["ParticipantToken"]
        acked, refused = [], []
        for i in range(400):
            content = ("%04d" % i) + "x" * (8192 - 4)
            r = self.p(pt, "message", {"ContentType": "text/plain", "Content": content})
            if r.status == 200:
                acked.append((r.json()["Id"], content))
                continue
            assert_json_error(self, r, 507, "storage_full")
            refused.append(content)
            if len(refused) == 5:
                break
        self.assertEqual(len(refused), 5, "the disk never filled (%d messages)" % len(acked))
        self.assertGreater(len(acked), 0)
        # still answering while full: health and reads
        self.assertEqual(first.get("/healthz").status, 200)
        stored = self.full_transcript(pt)
        self.assertEqual([(m["Id"], m["Content"]) for m in stored], acked)
        first.stop_ok(self)  # a checkpoint may fail for want of room; the WAL keeps the data
        os.remove(os.path.join(self.mnt, "ballast"))
        self.server()
        stored = self.full_transcript(pt)
        self.assertEqual([(m["Id"], m["Content"]) for m in stored], acked)
        for content in refused:
            self.assertNotIn(content, [m["Content"] for m in stored])
        after = self.send(pt, "room again")
        self.assertEqual(self.full_transcript(pt)[-1]["Id"], after["Id"])
        self.edge.stop_ok(self)


class RetentionTests(CallClient, unittest.TestCase):
    def setUp(self):
        self.edge = None

    def tearDown(self):
        if self.edge is not None:
            self.edge.kill()
            self.edge.cleanup()

    def ended_chat(self, tag):
        sub, res, _ = self.new_chat(tag, initial="hello from %s" % tag)
        pt = res["ParticipantToken"]
        self.send(pt, "bye")
        r = self.p(pt, "disconnect")
        self.assertEqual(r.status, 200, r)
        return res["ContactId"], pt

    def age(self, contact_ids, days):
        """With the server stopped: make these contacts have ended `days` earlier."""
        db = sqlite3.connect(db_path(self.edge))
        with db:
            for cid in contact_ids:
                n = db.execute("UPDATE contacts SET ended_ms = ended_ms - ? WHERE id = ?",
                               (days * DAY_MS, cid)).rowcount
                self.assertEqual(n, 1)
        db.close()

    def count(self, sql, *args):
        db = sqlite3.connect(db_path(self.edge))
        n = db.execute(sql, args).fetchone()[0]
        db.close()
        return n

    def stored(self, contact_id):
        """The contents of a contact's stored messages, in order (read from the
        file: the customer's token no longer reads a transcript that ended
        longer ago than --transcript-grace-s)."""
        db = sqlite3.connect(db_path(self.edge))
        rows = db.execute("SELECT content FROM messages WHERE contact_id = ? ORDER BY seq",
                          (contact_id,)).fetchall()
        db.close()
        return [r[0] for r in rows]

    def wait_purged(self, want, timeout=6.0):
        deadline = time.monotonic() + timeout
        while True:
            got = metric(self.edge.metrics(), "c2c_retention_purged_total")
            if got >= want or time.monotonic() > deadline:
                return got
            time.sleep(0.1)

    def test_contacts_past_retention_are_deleted(self):
        self.edge = Edge(["--demo", "--limit-messages", "0"])
        self.edge.start()
        old = [self.ended_chat("old%d" % i) for i in range(2)]
        recent_cid, _ = self.ended_chat("recent")
        _, open_res, _ = self.new_chat("open", initial="still talking")
        self.assertEqual(metric(self.edge.metrics(), "c2c_retention_purged_total"), 0)
        self.edge.stop_ok(self)
        self.age([cid for cid, _ in old], 31)
        self.age([recent_cid], 29)
        self.edge.start()
        self.assertEqual(self.wait_purged(2), 2)
        for cid, pt in old:
            r = self.p(pt, "transcript", {})  # the participant is gone with its contact
            assert_json_error(self, r, 401, "invalid_participant_token")
            r = self.edge.get(API + "participant/events", [("X-Amz-Bearer", pt)])
            assert_json_error(self, r, 401, "invalid_participant_token")
            for table in ("messages", "events", "participants"):
                self.assertEqual(self.count("SELECT COUNT(*) FROM %s WHERE contact_id = ?"
                                            % table, cid), 0, table)
            self.assertEqual(self.count("SELECT COUNT(*) FROM contacts WHERE id = ?", cid), 0)
        self.assertEqual(self.stored(recent_cid), ["hello from recent", "bye"])
        self.assertEqual([m["Content"] for m in
                          self.full_transcript(open_res["ParticipantToken"])], ["still talking"])
        self.assertEqual(metric(self.edge.metrics(), "c2c_retention_purged_total"), 2)
        self.edge.stop_ok(self)

    def test_a_contact_an_agent_handled_is_purged_from_their_feed_too(self):
        # the agent's own event feed names the contact (contact.assigned,
        # contact.ended): those events go with it, or the delete could not
        # pass the contact's foreign key
        self.edge = Edge(["--demo", "--limit-messages", "0"])
        self.edge.start()
        agent = self.agent("keeper")
        _, res, _ = self.new_chat("handled", initial="hi")
        cid = res["ContactId"]
        joined = self.accept(agent, cid)
        r = self.site(agent, "agent/end", {"ContactId": cid})
        self.assertEqual(r.status, 200, r)
        self.assertGreater(self.count("SELECT COUNT(*) FROM events WHERE contact_id = ?"
                                      " AND participant_id NOT IN (SELECT id FROM participants)",
                                      cid), 0)
        self.edge.stop_ok(self)
        self.age([cid], 31)
        self.edge.start()
        self.assertEqual(self.wait_purged(1), 1)
        self.assertEqual(self.count("SELECT COUNT(*) FROM events WHERE contact_id = ?", cid), 0)
        self.assertEqual(self.count("SELECT COUNT(*) FROM contacts WHERE id = ?", cid), 0)
        self.assertTrue(joined)
        self.edge.stop_ok(self)

    def test_retention_zero_keeps_everything(self):
        self.edge = Edge(["--demo", "--limit-messages", "0", "--retention-days", "0"])
        self.edge.start()
        cid, _ = self.ended_chat("ancient")
        self.edge.stop_ok(self)
        self.age([cid], 3650)
        self.edge.start()
        time.sleep(1.3)  # the first tick comes 1 s after the start
        self.assertEqual(metric(self.edge.metrics(), "c2c_retention_purged_total"), 0)
        self.assertEqual(self.stored(cid), ["hello from ancient", "bye"])
        self.edge.stop_ok(self)


if __name__ == "__main__":
    unittest.main()
