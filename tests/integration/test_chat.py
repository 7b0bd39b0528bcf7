"""Chat: POST /api/startChatContact (one open chat per sub, resume, linking,
races), the participant API (message, event, transcript, disconnect), the
Server-Sent Events stream (replay with Last-Event-ID, live delivery), two
devices, isolation between subs, and durability across kill -9.

Local helpers only: an incremental SSE reader over a raw socket that
de-chunks the body itself, with a deadline on every read."""

import json
import re
import socket
import threading
import time
import unittest
import uuid

from edge import Conn, ConnectionClosed, Edge, assert_json_error, metric, parse_head

API = "/api/"
JSON = "application/json"
TYPING = "application/vnd.amazonaws.connect.event.typing"
READ = "application/vnd.amazonaws.connect.event.message.read"
TIME_RE = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"
LIVE_TIMEOUT = 3.0   # a live event must arrive within this
QUIET_WINDOW = 0.4   # "nothing more arrives" is checked over this long


def new_sub(tag="u"):
    return "%s-%s" % (tag, uuid.uuid4().hex[:12])


# ---------------------------------------------------------------------------
# Server-Sent Events over a raw socket

class SseStream:
    """GET /api/participant/events, read incrementally.

    The chunked body is de-chunked here (hex size line, data, CRLF) into a
    text buffer, which is split into events at blank lines. Comment lines
    (": heartbeat") are dropped; a block of only comments is no event."""

    def __init__(self, edge, ptoken=None, last_event_id=None, via="x-amz", query_last=False,
                 timeout=5.0, path=None, extra_headers=()):
        self.conn = Conn(edge.host, edge.port, timeout)
        self.text = ""
        self.pending = b""   # de-chunked bytes not yet decoded (a split UTF-8 sequence)
        self.ended = False   # the zero-size last chunk arrived
        self.types = {"contact.state", "message"}  # what next_event returns
        self.skipped = []    # events of other types
        self.last_id = None  # the newest event id seen
        headers = list(extra_headers)
        path = path or API + "participant/events"
        params = []
        if ptoken is not None and via == "query":
            params.append("token=" + ptoken)
        elif ptoken is not None and via == "x-amz":
            headers.append(("X-Amz-Bearer", ptoken))
        elif ptoken is not None and via == "authorization":
            headers.append(("Authorization", "Bearer " + ptoken))
        if last_event_id is not None:
            if query_last:
                params.append("lastEventId=%d" % last_event_id)
            else:
                headers.append(("Last-Event-ID", str(last_event_id)))
        if params:
            path += "?" + "&".join(params)
        headers.append(("Accept", "text/event-stream"))
        self.conn.send_request("GET", path, headers)
        deadline = time.monotonic() + timeout
        head = self.conn._read_until(b"\r\n\r\n", deadline)
        self.status, _, _, self.headers = parse_head(head)

    def header(self, name):
        return ", ".join(self.headers.get(name.lower(), []))

    def close(self):
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _dechunk(self):
        """Move every complete chunk from the socket buffer into self.text."""
        buf = self.conn.buf
        while not self.ended:
            nl = buf.find(b"\r\n")
            if nl < 0:
                break
            size = int(buf[:nl].split(b";")[0].strip(), 16)
            if size == 0:
                self.ended = True
                buf = buf[nl + 2:]
                break
            if len(buf) < nl + 2 + size + 2:
                break
            if buf[nl + 2 + size:nl + 2 + size + 2] != b"\r\n":
                raise AssertionError("chunk of %d bytes not followed by CRLF: %r"
                                     % (size, buf[:nl + 2 + size + 2]))
            self.pending += buf[nl + 2:nl + 2 + size]
            buf = buf[nl + 2 + size + 2:]
        self.conn.buf = buf
        try:
            self.text += self.pending.decode("utf-8")
            self.pending = b""
        except UnicodeDecodeError:
            pass  # wait for the rest of a split character

    def _fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise socket.timeout("no SSE event in time; have %r" % self.text[:300])
        try:
            if not self.conn._fill(left):
                raise ConnectionClosed("SSE stream closed; have %r" % self.text[:300])
        except socket.timeout:
            raise socket.timeout("no SSE event in time; have %r" % self.text[:300])
        self._dechunk()

    def next_block(self, timeout=LIVE_TIMEOUT):
        """The next non-comment block as a dict of fields: id (int), event,
        data (text), retry (int). Raises socket.timeout or ConnectionClosed."""
        deadline = time.monotonic() + timeout
        self._dechunk()
        while True:
            while "\n\n" in self.text:
                block, self.text = self.text.split("\n\n", 1)
                fields = {}
                data = []
                for line in block.split("\n"):
                    if line.startswith(":") or not line:
                        continue
                    name, _, value = line.partition(":")
                    if value.startswith(" "):
                        value = value[1:]
                    if name == "data":
                        data.append(value)
                    elif name in ("id", "retry"):
                        fields[name] = int(value)
                    else:
                        fields[name] = value
                if data:
                    fields["data"] = "\n".join(data)
                if fields:
                    return fields
            if self.ended:
                raise ConnectionClosed("SSE body ended; have %r" % self.text[:300])
            self._fill(deadline)

    def next_event(self, timeout=LIVE_TIMEOUT):
        """The next event of a type in self.types, its data parsed as JSON.
        Events of other types (the server adds types over time, e.g. queue
        positions) are skipped, but every event's id must still be larger
        than the one before it on this stream."""
        deadline = time.monotonic() + timeout
        while True:
            b = self.next_block(max(0.001, deadline - time.monotonic()))
            if "id" not in b or "event" not in b:
                raise AssertionError("expected an event, got %r" % b)
            if self.last_id is not None and b["id"] <= self.last_id:
                raise AssertionError("event id %d after %d: ids must strictly increase"
                                     % (b["id"], self.last_id))
            self.last_id = b["id"]
            if b["event"] not in self.types:
                self.skipped.append(b)
                continue
            b["json"] = json.loads(b.get("data", "null"))
            return b

    def events(self, n, timeout=LIVE_TIMEOUT):
        return [self.next_event(timeout) for _ in range(n)]

    def quiet(self, window=QUIET_WINDOW):
        """True when no event of a type in self.types arrives within window
        (the one that did is kept in self.unexpected)."""
        try:
            self.unexpected = self.next_event(window)
        except socket.timeout:
            return True
        return False


# ---------------------------------------------------------------------------
# HTTP helpers

class ChatClient:
    """Mixin: helpers over self.edge."""

    def mint(self, sub, name=None, role="customer"):
        q = "sub=%s&role=%s&email=%s@example.com" % (sub, role, sub)
        if name:
            q += "&name=" + name
        r = self.edge.get("/demo/token?" + q)
        self.assertEqual(r.status, 200, r)
        return r.json()["token"]

    def post(self, path, headers, body, conn=None):
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        if conn is None:
            return self.edge.request("POST", API + path, headers, body)
        conn.send_request("POST", API + path, headers, body)
        return conn.read_response("POST")

    def start(self, token, body=None, conn=None, status=200):
        if body is None:
            body = {"ParticipantDetails": {"DisplayName": "Customer"}}
        r = self.post("startChatContact", {"Authorization": "Bearer " + token,
                                           "Content-Type": JSON}, body, conn)
        self.assertEqual(r.status, status, r)
        return r

    def start_chat(self, token, body=None):
        """startChatContact; returns (startChatResult, data)."""
        data = self.start(token, body).json()["data"]
        return data["startChatResult"], data

    def p(self, ptoken, path, body=None, via="x-amz", conn=None):
        """A participant API call."""
        headers = {"Content-Type": JSON}
        if via == "x-amz":
            headers["X-Amz-Bearer"] = ptoken
        elif via == "authorization":
            headers["Authorization"] = "Bearer " + ptoken
        return self.post("participant/" + path, headers, body if body is not None else {}, conn)

    def send(self, ptoken, content, ctype="text/plain", conn=None):
        r = self.p(ptoken, "message", {"ContentType": ctype, "Content": content}, conn=conn)
        self.assertEqual(r.status, 200, r)
        return r.json()

    def transcript_page(self, ptoken, **body):
        r = self.p(ptoken, "transcript", body)
        self.assertEqual(r.status, 200, r)
        return r.json()

    def full_transcript(self, ptoken, page=100):
        """Every item, paging with NextToken."""
        items, token, pages = [], None, 0
        while True:
            body = {"MaxResults": page}
            if token is not None:
                body["NextToken"] = token
            t = self.transcript_page(ptoken, **body)
            items += t["Transcript"]
            pages += 1
            self.assertLess(pages, 1000, "NextToken never ends")
            token = t.get("NextToken")
            if token is None:
                return items

    def new_chat(self, tag="c", initial=None, name="Customer"):
        sub = new_sub(tag)
        body = {"ParticipantDetails": {"DisplayName": name}}
        if initial is not None:
            body["InitialMessage"] = initial
        res, data = self.start_chat(self.mint(sub), body)
        return sub, res, data


class ChatTests(ChatClient, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.edge = Edge(["--demo", "--limit-messages", "0"])  # tests send in bursts
        cls.edge.start()

    @classmethod
    def tearDownClass(cls):
        try:
            cls.edge.stop_ok()
        finally:
            cls.edge.cleanup()

    # -- startChatContact ----------------------------------------------------

    def test_start_chat_shape_and_initial_message(self):
        sub = new_sub("shape")
        r = self.start(self.mint(sub), {
            "ParticipantDetails": {"DisplayName": "Ann Shape"},
            "Attributes": {"page": "/pricing", "plan": "pro"},
            "InitialMessage": {"ContentType": "text/plain", "Content": "hello there"}})
        self.assertEqual(r.header("content-type", "").split(";")[0], JSON)
        self.assertIn("no-store", r.header("cache-control", ""))
        data = r.json()["data"]
        res = data["startChatResult"]
        for k in ("ContactId", "ParticipantId", "ParticipantToken"):
            self.assertIsInstance(res.get(k), str, data)
            self.assertTrue(res[k], data)
        self.assertIs(data["resumed"], False)
        self.assertNotIn("previousContactId", data)
        t = self.transcript_page(res["ParticipantToken"])
        self.assertEqual(t["InitialContactId"], res["ContactId"])
        self.assertNotIn("NextToken", t)
        self.assertEqual(len(t["Transcript"]), 1, t)
        m = t["Transcript"][0]
        self.assertEqual(m["Type"], "MESSAGE")
        self.assertEqual(m["ContentType"], "text/plain")
        self.assertEqual(m["Content"], "hello there")
        self.assertEqual(m["ParticipantId"], res["ParticipantId"])
        self.assertEqual(m["ParticipantRole"], "CUSTOMER")
        self.assertEqual(m["DisplayName"], "Ann Shape")
        self.assertEqual(m["ContactId"], res["ContactId"])
        self.assertRegex(m["AbsoluteTime"], TIME_RE)
        # the string form of InitialMessage too
        _, res2, _ = self.new_chat("shape2", initial="plain string")
        t2 = self.transcript_page(res2["ParticipantToken"])["Transcript"]
        self.assertEqual([x["Content"] for x in t2], ["plain string"])
        # and no InitialMessage: an empty transcript
        _, res3, _ = self.new_chat("shape3")
        self.assertEqual(self.transcript_page(res3["ParticipantToken"])["Transcript"], [])

    def test_second_start_resumes_same_chat_from_another_device(self):
        sub = new_sub("resume")
        body = {"ParticipantDetails": {"DisplayName": "Res"}, "InitialMessage": "first words"}
        res1, data1 = self.start_chat(self.mint(sub), body)
        self.assertIs(data1["resumed"], False)
        # other devices: separately minted tokens
        for tok in (self.mint(sub, "Phone"), self.mint(sub, "Tablet")):
            res2, data2 = self.start_chat(tok, body)
            self.assertEqual(res2, res1)
            self.assertIs(data2["resumed"], True)
            self.assertNotIn("previousContactId", data2)
        t = self.full_transcript(res1["ParticipantToken"])
        self.assertEqual([m["Content"] for m in t], ["first words"],
                         "the initial message was added more than once")

    def test_start_after_disconnect_links_previous_contact(self):
        sub = new_sub("link")
        tok = self.mint(sub)
        res1, _ = self.start_chat(tok, {"ParticipantDetails": {"DisplayName": "L"},
                                        "InitialMessage": "chat one"})
        pt1 = res1["ParticipantToken"]
        self.send(pt1, "also chat one")
        r = self.p(pt1, "disconnect")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {})
        assert_json_error(self, self.p(pt1, "disconnect"), 409)
        assert_json_error(self, self.p(pt1, "message", {"ContentType": "text/plain",
                                                        "Content": "late"}), 409,
                          "contact_ended")
        # the ended chat's transcript is still readable
        old = self.full_transcript(pt1)
        self.assertEqual([m["Content"] for m in old], ["chat one", "also chat one"])
        # the next start (even from another device) is a new, linked chat
        res2, data2 = self.start_chat(self.mint(sub, "OtherDevice"), {
            "ParticipantDetails": {"DisplayName": "L"}, "InitialMessage": "chat two"})
        self.assertIs(data2["resumed"], False)
        self.assertNotEqual(res2["ContactId"], res1["ContactId"])
        self.assertNotEqual(res2["ParticipantToken"], pt1)
        self.assertEqual(data2.get("previousContactId"), res1["ContactId"])
        new = self.transcript_page(res2["ParticipantToken"])
        self.assertEqual([m["Content"] for m in new["Transcript"]], ["chat two"])
        # and a start after that resumes chat two
        res3, data3 = self.start_chat(tok)
        self.assertEqual(res3, res2)
        self.assertIs(data3["resumed"], True)
        self.assertEqual(data3.get("previousContactId"), res1["ContactId"])
        # the old token still reads only the old chat
        self.assertEqual([m["Content"] for m in self.full_transcript(pt1)],
                         ["chat one", "also chat one"])

    def test_concurrent_starts_make_one_chat(self):
        n = 10
        sub = new_sub("race")
        tokens = [self.mint(sub, "Device%d" % i) for i in range(n)]
        self.assertEqual(len(set(tokens)), n)
        conns = [self.edge.connect() for _ in range(n)]
        barrier = threading.Barrier(n, timeout=10)
        results = [None] * n
        body = json.dumps({"ParticipantDetails": {"DisplayName": "Racer"},
                           "InitialMessage": "only once"})

        def run(i):
            try:
                barrier.wait()  # every connection is open already
                conns[i].send_request("POST", API + "startChatContact",
                                      {"Authorization": "Bearer " + tokens[i],
                                       "Content-Type": JSON}, body)
                results[i] = conns[i].read_response("POST", timeout=10)
            except Exception as e:  # reported below
                results[i] = e

        threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(n)]
        try:
            for t in threads:
                t.start()
            for t in threads:
                t.join(15)
            for t in threads:
                self.assertFalse(t.is_alive(), "a start request hung")
        finally:
            for c in conns:
                c.close()
        for r in results:
            self.assertNotIsInstance(r, Exception, r)
            self.assertEqual(r.status, 200, r)
        datas = [r.json()["data"] for r in results]
        ids = {d["startChatResult"]["ContactId"] for d in datas}
        self.assertEqual(len(ids), 1, "concurrent starts made %d chats" % len(ids))
        self.assertEqual(len({d["startChatResult"]["ParticipantId"] for d in datas}), 1)
        self.assertEqual(len({d["startChatResult"]["ParticipantToken"] for d in datas}), 1)
        self.assertEqual(sum(1 for d in datas if d["resumed"] is False), 1,
                         [d["resumed"] for d in datas])
        pt = datas[0]["startChatResult"]["ParticipantToken"]
        self.assertEqual([m["Content"] for m in self.full_transcript(pt)], ["only once"])

    def test_start_chat_rejects_bad_requests(self):
        tok = self.mint(new_sub("bad"))
        good = {"ParticipantDetails": {"DisplayName": "Bad"}}
        auth = {"Authorization": "Bearer " + tok, "Content-Type": JSON}
        with self.subTest("no token"):
            assert_json_error(self, self.post("startChatContact", {"Content-Type": JSON}, good),
                              401)
        with self.subTest("garbled token"):
            assert_json_error(self, self.post("startChatContact", {
                "Authorization": "Bearer not.a.jwt", "Content-Type": JSON}, good), 401)
        with self.subTest("forged signature"):
            h, p, s = tok.split(".")
            s2 = ("A" if s[0] != "A" else "B") + s[1:]
            assert_json_error(self, self.post("startChatContact", {
                "Authorization": "Bearer %s.%s.%s" % (h, p, s2), "Content-Type": JSON}, good),
                401)
        with self.subTest("participant token is not a site token"):
            _, res, _ = self.new_chat("ptok")
            assert_json_error(self, self.post("startChatContact", {
                "Authorization": "Bearer " + res["ParticipantToken"],
                "Content-Type": JSON}, good), 401)
        with self.subTest("not JSON"):
            assert_json_error(self, self.post("startChatContact", auth, "{nope"), 400, "bad_json")
            assert_json_error(self, self.post("startChatContact", auth, "[1,2]"), 400,
                              "bad_json")
        with self.subTest("form content type"):
            assert_json_error(self, self.post("startChatContact", {
                "Authorization": "Bearer " + tok,
                "Content-Type": "application/x-www-form-urlencoded"},
                "ParticipantDetails=x"), 415)
        bad_bodies = {
            "attribute not a string": dict(good, Attributes={"n": 5}),
            "attribute null value": dict(good, Attributes={"n": None}),
            "attribute nested": dict(good, Attributes={"n": {"x": "y"}}),
            "attributes not an object": dict(good, Attributes=["a"]),
            "attributes too large": dict(good, Attributes={"k%d" % i: "v" * 100
                                                           for i in range(90)}),
            "display name too long": {"ParticipantDetails": {"DisplayName": "x" * 129}},
            "display name not a string": {"ParticipantDetails": {"DisplayName": 7}},
            "initial message wrong type": dict(good, InitialMessage={
                "ContentType": "text/html", "Content": "<b>x</b>"}),
            "initial message too long": dict(good, InitialMessage="x" * 8193),
        }
        for name, body in bad_bodies.items():
            with self.subTest(name):
                assert_json_error(self, self.post("startChatContact", auth, body), 400)
        # nothing above created a chat for this sub: the first good start is new
        res, data = self.start_chat(tok, {"ParticipantDetails": {"DisplayName": "x" * 128},
                                          "Attributes": {"a": "b" * 4000}})
        self.assertIs(data["resumed"], False)
        self.assertEqual(self.transcript_page(res["ParticipantToken"])["Transcript"], [])

    # -- ResumeOnly ----------------------------------------------------------

    def resume_only(self, token, extra=None):
        body = {"ParticipantDetails": {"DisplayName": "Res"}, "ResumeOnly": True}
        body.update(extra or {})
        return self.post("startChatContact", {"Authorization": "Bearer " + token,
                                              "Content-Type": JSON}, body)

    def test_resume_only_without_an_open_chat_creates_nothing(self):
        sub = new_sub("ronly")
        tok = self.mint(sub)
        assert_json_error(self, self.resume_only(tok, {"InitialMessage": "lost"}), 404,
                          "no_open_chat")
        # asked twice, still nothing: the next ordinary start is a new, unlinked chat
        assert_json_error(self, self.resume_only(tok), 404, "no_open_chat")
        res, data = self.start_chat(tok, {"ParticipantDetails": {"DisplayName": "Res"},
                                          "ResumeOnly": False, "InitialMessage": "hello"})
        self.assertIs(data["resumed"], False)
        self.assertNotIn("previousContactId", data)
        self.assertEqual([m["Content"] for m in self.full_transcript(res["ParticipantToken"])],
                         ["hello"])

    def test_resume_only_resumes_the_open_chat(self):
        sub = new_sub("ronly-open")
        res1, _ = self.start_chat(self.mint(sub), {"ParticipantDetails": {"DisplayName": "R"},
                                                   "InitialMessage": "first"})
        r = self.resume_only(self.mint(sub, "Reloaded"), {"InitialMessage": "again"})
        self.assertEqual(r.status, 200, r)
        data = r.json()["data"]
        self.assertEqual(data["startChatResult"], res1)
        self.assertIs(data["resumed"], True)
        self.assertEqual([m["Content"] for m in self.full_transcript(res1["ParticipantToken"])],
                         ["first"])

    def test_resume_only_after_the_chat_ended(self):
        # the browser still says "a chat is open", but it ended meanwhile
        sub = new_sub("ronly-stale")
        tok = self.mint(sub)
        res1, _ = self.start_chat(tok)
        r = self.p(res1["ParticipantToken"], "disconnect")
        self.assertEqual(r.status, 200, r)
        assert_json_error(self, self.resume_only(tok), 404, "no_open_chat")
        res2, data2 = self.start_chat(tok)
        self.assertIs(data2["resumed"], False)
        self.assertNotEqual(res2["ContactId"], res1["ContactId"])
        self.assertEqual(data2.get("previousContactId"), res1["ContactId"])

    def test_resume_only_never_redeems_a_reference(self):
        sub = new_sub("ronly-ref")
        tok = self.mint(sub)
        agent = self.mint(new_sub("ronly-agent"), role="agent")
        r = self.post("adhoc", {"Authorization": "Bearer " + agent, "Content-Type": JSON},
                      {"attendeeEmail": sub + "@example.com"})
        self.assertEqual(r.status, 200, r)
        route = r.json()["routeId"]
        assert_json_error(self, self.resume_only(tok, {"Attributes": {"videoReferenceId": route}}),
                          404, "no_open_chat")
        # the code is still unused: an ordinary start redeems it
        res, data = self.start_chat(tok, {"Attributes": {"videoReferenceId": route}})
        self.assertIs(data["resumed"], False)
        self.assertEqual(res.pop("ReferenceAgentName"), "")  # the agent set no status
        # and a resume of that chat with the code again leaves it alone (and names nobody)
        r = self.resume_only(tok, {"Attributes": {"videoReferenceId": route}})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["data"]["startChatResult"], res)

    def test_resume_only_must_be_a_boolean(self):
        sub = new_sub("ronly-bad")
        tok = self.mint(sub)
        for bad in ("true", 1, 0, None, {}, []):
            with self.subTest(bad=bad):
                assert_json_error(self, self.resume_only(tok, {"ResumeOnly": bad}), 400,
                                  "bad_request")
        # none of them created a chat
        assert_json_error(self, self.resume_only(tok), 404, "no_open_chat")

    # -- participant authorization ---------------------------------------------

    def test_participant_token_required_and_checked(self):
        _, res, _ = self.new_chat("pauth")
        pt = res["ParticipantToken"]
        _, other, _ = self.new_chat("pauth-other")
        sig = pt.rsplit(".", 1)[-1]
        forged = [
            pt[:-1] + ("A" if pt[-1] != "A" else "B"),        # signature changed
            other["ParticipantId"] + "." + sig,                # someone else's id, my signature
            "garbage",
            "",
            pt + "x",
        ]
        routes = [("message", {"ContentType": "text/plain", "Content": "x"}),
                  ("event", {"ContentType": TYPING}),
                  ("transcript", {}),
                  ("disconnect", {})]
        for path, body in routes:
            with self.subTest(path=path, token="missing"):
                r = self.post("participant/" + path, {"Content-Type": JSON}, body)
                assert_json_error(self, r, 401, "missing_participant_token")
                self.assertTrue(r.has("www-authenticate"), r)
            for bad in forged:
                for via in ("x-amz", "authorization"):
                    if bad == "" and via == "authorization":
                        continue  # "Bearer " with nothing after is no token at all
                    with self.subTest(path=path, token=bad[:20], via=via):
                        r = self.p(bad, path, body, via=via)
                        assert_json_error(self, r, 401, "invalid_participant_token")
                        self.assertTrue(r.has("www-authenticate"), r)
        # the SSE route too
        r = self.edge.get(API + "participant/events")
        assert_json_error(self, r, 401, "missing_participant_token")
        self.assertTrue(r.has("www-authenticate"), r)
        for bad in forged[:3]:
            for via in ("X-Amz-Bearer", "Authorization"):
                r = self.edge.get(API + "participant/events",
                                  [(via, ("Bearer " if via == "Authorization" else "") + bad)])
                assert_json_error(self, r, 401, "invalid_participant_token")
        # nothing above reached the chat
        self.assertEqual(self.full_transcript(pt), [])
        # both header forms work
        a = self.send(pt, "via x-amz")
        r = self.p(pt, "message", {"ContentType": "text/plain", "Content": "via authorization"},
                   via="authorization")
        self.assertEqual(r.status, 200, r)
        t = self.p(pt, "transcript", {}, via="authorization").json()["Transcript"]
        self.assertEqual([m["Content"] for m in t], ["via x-amz", "via authorization"])
        self.assertEqual(t[0]["Id"], a["Id"])

    # -- messages and events -----------------------------------------------------

    def test_send_message(self):
        _, res, _ = self.new_chat("msg", name="Msg Sender")
        pt = res["ParticipantToken"]
        before = time.time()
        a = self.send(pt, "plain *text*")
        b = self.send(pt, "**markdown**", "text/markdown")
        after = time.time()
        for m in (a, b):
            self.assertIsInstance(m.get("Id"), str)
            self.assertTrue(m["Id"])
            self.assertRegex(m["AbsoluteTime"], TIME_RE)
            ts = time.mktime(time.strptime(m["AbsoluteTime"][:19], "%Y-%m-%dT%H:%M:%S")) - \
                time.timezone
            self.assertGreater(ts, before - 5)
            self.assertLess(ts, after + 5)
        self.assertNotEqual(a["Id"], b["Id"])
        exact = "é" * 4096  # 8192 bytes of UTF-8
        c = self.send(pt, exact)
        for name, body in {
                "html": {"ContentType": "text/html", "Content": "x"},
                "event type": {"ContentType": TYPING, "Content": "x"},
                "no content type": {"Content": "x"},
                "no content": {"ContentType": "text/plain"},
                "content not a string": {"ContentType": "text/plain", "Content": 5},
                "8193 bytes": {"ContentType": "text/plain", "Content": "x" * 8193},
                "8194 bytes of UTF-8": {"ContentType": "text/plain", "Content": "é" * 4097},
        }.items():
            with self.subTest(name):
                assert_json_error(self, self.p(pt, "message", body), 400)
        with self.subTest("not JSON"):
            assert_json_error(self, self.post("participant/message", {
                "X-Amz-Bearer": pt, "Content-Type": JSON}, "{]"), 400, "bad_json")
        with self.subTest("form"):
            r = self.post("participant/message", {
                "X-Amz-Bearer": pt, "Content-Type": "application/x-www-form-urlencoded"},
                "ContentType=text/plain&Content=x")
            assert_json_error(self, r, 415)
        t = self.full_transcript(pt)
        self.assertEqual([(m["Id"], m["ContentType"], m["Content"]) for m in t],
                         [(a["Id"], "text/plain", "plain *text*"),
                          (b["Id"], "text/markdown", "**markdown**"),
                          (c["Id"], "text/plain", exact)])
        self.assertEqual([m["AbsoluteTime"] for m in t[:2]], [a["AbsoluteTime"],
                                                              b["AbsoluteTime"]])
        for m in t:
            self.assertEqual(m["DisplayName"], "Msg Sender")
            self.assertEqual(m["ParticipantRole"], "CUSTOMER")

    def test_message_content_stored_exactly_or_rejected(self):
        """Whatever is acknowledged is stored as sent, and every transcript
        stays valid UTF-8 JSON (RFC 8259 section 8.1)."""
        _, res, _ = self.new_chat("exact")
        pt = res["ParticipantToken"]
        headers = {"X-Amz-Bearer": pt, "Content-Type": JSON}
        with self.subTest("escaped NUL: rejected, or stored whole"):
            r = self.post("participant/message", headers,
                          b'{"ContentType":"text/plain","Content":"before\\u0000after"}')
            if r.status == 200:
                items = self.full_transcript(pt)
                stored = [m["Content"] for m in items if m["Id"] == r.json()["Id"]]
                self.assertEqual(stored, ["before\x00after"],
                                 "acknowledged, then stored altered")
            else:
                assert_json_error(self, r, 400)
        for name, raw in (("invalid UTF-8", b"bad \xff\xfe bytes"),
                          ("overlong UTF-8", b"\xc0\xaf"),
                          ("lone continuation byte", b"\x80")):
            with self.subTest(name):
                r = self.post("participant/message", headers,
                              b'{"ContentType":"text/plain","Content":"' + raw + b'"}')
                assert_json_error(self, r, 400)
        with self.subTest("invalid UTF-8 DisplayName"):
            r = self.post("startChatContact", {
                "Authorization": "Bearer " + self.mint(new_sub("exact-dn")),
                "Content-Type": JSON},
                b'{"ParticipantDetails":{"DisplayName":"N\xffN"},"InitialMessage":"hi"}')
            assert_json_error(self, r, 400)
        # the transcript is readable by a strict client
        t = self.p(pt, "transcript", {"MaxResults": 100})
        self.assertEqual(t.status, 200)
        try:
            json.loads(t.body.decode("utf-8"))
        except ValueError as e:
            self.fail("transcript is not valid UTF-8 JSON: %s; body %r" % (e, t.body[:300]))

    def test_send_event(self):
        _, res, _ = self.new_chat("evt")
        pt = res["ParticipantToken"]
        m = self.send(pt, "read me")
        r = self.p(pt, "event", {"ContentType": TYPING})
        self.assertEqual(r.status, 200, r)
        r = self.p(pt, "event", {"ContentType": READ,
                                 "Content": json.dumps({"messageId": m["Id"]})})
        self.assertEqual(r.status, 200, r)
        for name, body in {
                "text": {"ContentType": "text/plain", "Content": "x"},
                "unknown event": {"ContentType": "application/vnd.amazonaws.connect.event.nope"},
                "no content type": {},
                "read without content": {"ContentType": READ},
                "read content not JSON": {"ContentType": READ, "Content": "nope"},
                "read without messageId": {"ContentType": READ, "Content": "{}"},
                "read messageId not a string": {"ContentType": READ,
                                                "Content": "{\"messageId\": 5}"},
        }.items():
            with self.subTest(name):
                assert_json_error(self, self.p(pt, "event", body), 400)
        # events are not transcript messages
        self.assertEqual([x["Content"] for x in self.full_transcript(pt)], ["read me"])

    # -- transcript ------------------------------------------------------------

    def test_transcript_paging(self):
        _, res, _ = self.new_chat("page", initial="m00")
        pt = res["ParticipantToken"]
        sent = [self.send(pt, "m%02d" % i) for i in range(1, 24)]  # 24 messages in all
        contents = ["m%02d" % i for i in range(24)]
        # default page size 15
        t = self.transcript_page(pt)
        self.assertEqual(len(t["Transcript"]), 15)
        self.assertIn("NextToken", t)
        # one page of everything: no NextToken
        everything = self.transcript_page(pt, MaxResults=100)
        self.assertNotIn("NextToken", everything)
        items = everything["Transcript"]
        self.assertEqual([m["Content"] for m in items], contents)
        self.assertEqual([m["Id"] for m in items[1:]], [s["Id"] for s in sent])
        seqs = [m["Seq"] for m in items]
        self.assertEqual(seqs, sorted(set(seqs)), "Seq not strictly ascending")
        self.assertEqual(len({m["Id"] for m in items}), 24)
        # exactly the number left: no NextToken either
        self.assertNotIn("NextToken", self.transcript_page(pt, MaxResults=24))
        # paging with every page size gives every message exactly once, same Ids
        for size in (1, 5, 7, 23):
            with self.subTest(size=size):
                pages = []
                got = []
                token = None
                while True:
                    body = {"MaxResults": size}
                    if token is not None:
                        body["NextToken"] = token
                    page = self.transcript_page(pt, **body)
                    self.assertLessEqual(len(page["Transcript"]), size)
                    self.assertEqual(page["InitialContactId"], res["ContactId"])
                    pages.append(len(page["Transcript"]))
                    got += page["Transcript"]
                    token = page.get("NextToken")
                    if token is None:
                        break
                    self.assertIsInstance(token, str)
                    self.assertLess(len(pages), 30)
                self.assertEqual(got, items)
                self.assertEqual(pages[:-1], [size] * (len(pages) - 1))
                self.assertEqual(len(pages), -(-24 // size))
        for name, body in {
                "MaxResults 0": {"MaxResults": 0},
                "MaxResults 101": {"MaxResults": 101},
                "MaxResults negative": {"MaxResults": -3},
                "MaxResults string": {"MaxResults": "ten"},
                "NextToken garbage": {"NextToken": "garbage"},
                "NextToken empty": {"NextToken": ""},
                "NextToken negative": {"NextToken": "-1"},
                "NextToken number": {"NextToken": 5},
                "NextToken trailing junk": {"NextToken": "3x"},
        }.items():
            with self.subTest(name):
                assert_json_error(self, self.p(pt, "transcript", body), 400)

    # -- event stream ------------------------------------------------------------

    def test_large_backlog_reaches_a_slow_reader_whole(self):
        """A reconnect with a backlog far over the stream's 256 KiB bound is
        replayed at the pace the client reads, not dropped."""
        first, _ = self.start_chat(self.mint(new_sub("backlog")))
        pt = first["ParticipantToken"]
        conn = Conn(self.edge.host, self.edge.port, 10.0)
        for i in range(700):  # about 5.6 MB: more than kernel buffers and the bound hold
            self.send(pt, "%04d" % i + "x" * 7996, conn=conn)
        conn.close()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connect
        sock.settimeout(10.0)
        sock.connect((self.edge.host, self.edge.port))
        try:
            sock.sendall(("GET %sparticipant/events HTTP/1.1\r\nHost: t\r\n"
                          "X-Amz-Bearer: %s\r\n\r\n" % (API, pt)).encode())
            time.sleep(1.0)  # read nothing while the server fills the socket
            raw = b""
            ids = []
            deadline = time.monotonic() + 60
            while len(ids) < 700 and time.monotonic() < deadline:
                chunk = sock.recv(65536)
                self.assertTrue(chunk, "the server closed the stream after %d events" % len(ids))
                raw += chunk
                ids = [int(m) for m in re.findall(rb"id: (\d+)\nevent: message\n", raw)]
            self.assertEqual(len(ids), 700)
            self.assertEqual(ids, sorted(ids))
            self.assertEqual(len(set(ids)), 700)
            sock.settimeout(0.3)
            try:  # the rest of the last chunk may follow; then quiet, never EOF
                while True:
                    self.assertNotEqual(sock.recv(65536), b"", "the stream was closed")
            except socket.timeout:
                pass
        finally:
            sock.close()

    def test_open_streams_are_counted_in_metrics(self):
        first, _ = self.start_chat(self.mint(new_sub()))
        base = metric(self.edge.metrics(), "c2c_event_streams")
        with SseStream(self.edge, first["ParticipantToken"]):
            self.assertEqual(metric(self.edge.metrics(), "c2c_event_streams"), base + 1)
        deadline = time.time() + LIVE_TIMEOUT
        while metric(self.edge.metrics(), "c2c_event_streams") != base and time.time() < deadline:
            time.sleep(0.05)
        self.assertEqual(metric(self.edge.metrics(), "c2c_event_streams"), base)

    def test_event_stream_shape_and_live_delivery(self):
        _, res, _ = self.new_chat("sse")  # no InitialMessage: whether it is an event is open
        pt = res["ParticipantToken"]
        m1 = self.send(pt, "one")
        with SseStream(self.edge, pt) as s:
            self.assertEqual(s.status, 200)
            self.assertEqual(s.header("content-type").split(";")[0].strip(), "text/event-stream")
            self.assertIn("chunked", s.header("transfer-encoding").lower())
            self.assertEqual(s.next_block(), {"retry": 3000})
            state = s.next_event()
            self.assertEqual(state["event"], "contact.state")
            self.assertEqual(state["json"], {"ContactId": res["ContactId"], "State": "QUEUED"})
            e1 = s.next_event()
            self.assertEqual(e1["event"], "message")
            self.assertEqual(e1["json"]["Id"], m1["Id"])
            self.assertEqual(e1["json"]["Content"], "one")
            self.assertEqual(e1["json"]["ContactId"], res["ContactId"])
            self.assertEqual(e1["json"]["ParticipantRole"], "CUSTOMER")
            self.assertGreater(e1["id"], state["id"])
            self.assertTrue(s.quiet(), "unexpected event %r" % getattr(s, "unexpected", None))
            # live: sent on another connection, arrives promptly
            last = e1["id"]
            for text in ("two", "three\nwith a second line", "ünïcödé"):
                t0 = time.monotonic()
                m = self.send(pt, text)
                e = s.next_event(LIVE_TIMEOUT)
                self.assertLess(time.monotonic() - t0, LIVE_TIMEOUT)
                self.assertEqual(e["event"], "message")
                self.assertEqual(e["json"]["Id"], m["Id"])
                self.assertEqual(e["json"]["Content"], text)
                self.assertGreater(e["id"], last)
                last = e["id"]
            # the transcript item and the event carry the same message
            t = self.full_transcript(pt)
            self.assertEqual(t[-1], e["json"])
            # disconnect ends the contact on the stream
            self.assertEqual(self.p(pt, "disconnect").status, 200)
            end = s.next_event()
            self.assertEqual(end["event"], "contact.state")
            self.assertEqual(end["json"]["ContactId"], res["ContactId"])
            self.assertEqual(end["json"]["State"], "ENDED")
            self.assertIsInstance(end["json"].get("Reason"), str)
            self.assertGreater(end["id"], last)
            self.assertTrue(s.quiet(), "unexpected event %r" % getattr(s, "unexpected", None))

    def test_event_stream_token_forms(self):
        _, res, _ = self.new_chat("sse-forms")
        pt = res["ParticipantToken"]
        m = self.send(pt, "x")
        for via in ("x-amz", "authorization"):
            with self.subTest(via=via):
                with SseStream(self.edge, pt, via=via) as s:
                    self.assertEqual(s.status, 200)
                    self.assertEqual(s.next_block(), {"retry": 3000})
                    evs = s.events(2)
                    self.assertEqual([e["event"] for e in evs], ["contact.state", "message"])
                    self.assertEqual(evs[1]["json"]["Id"], m["Id"])

    def test_event_stream_resume_with_last_event_id(self):
        _, res, _ = self.new_chat("replay")
        pt = res["ParticipantToken"]
        first = [self.send(pt, "a%d" % i) for i in range(3)]
        with SseStream(self.edge, pt) as s:
            s.next_block()
            seen = s.events(4)  # the state event and three messages
        self.assertEqual([e["json"].get("Id") for e in seen[1:]], [m["Id"] for m in first])
        ids = [e["id"] for e in seen]
        self.assertEqual(ids, sorted(set(ids)))
        # sent while no stream is open
        offline = [self.send(pt, "b%d" % i) for i in range(4)]
        for style in ("header", "query"):
            with self.subTest(style=style):
                with SseStream(self.edge, pt, last_event_id=ids[-1],
                               query_last=(style == "query")) as s:
                    self.assertEqual(s.status, 200)
                    self.assertEqual(s.next_block(), {"retry": 3000})
                    replay = s.events(4)
                    self.assertEqual([e["json"]["Id"] for e in replay],
                                     [m["Id"] for m in offline])
                    self.assertEqual([e["json"]["Content"] for e in replay],
                                     ["b0", "b1", "b2", "b3"])
                    rids = [e["id"] for e in replay]
                    self.assertEqual(rids, sorted(set(rids)))
                    self.assertGreater(rids[0], ids[-1])
                    self.assertTrue(s.quiet(), "replayed too much: %r"
                                    % getattr(s, "unexpected", None))
        # from the middle: exactly the events after that id, then live
        mid = ids[1]
        with SseStream(self.edge, pt, last_event_id=mid) as s:
            s.next_block()
            replay = s.events(2 + 4)
            self.assertEqual([e["json"]["Content"] for e in replay],
                             ["a1", "a2", "b0", "b1", "b2", "b3"])
            self.assertTrue(s.quiet())
            live = self.send(pt, "c0")
            e = s.next_event()
            self.assertEqual(e["json"]["Id"], live["Id"])
            self.assertGreater(e["id"], replay[-1]["id"])
            self.assertTrue(s.quiet(), "live event duplicated: %r"
                            % getattr(s, "unexpected", None))
            newest = e["id"]
        # from the newest id: nothing to replay, but live still flows
        with SseStream(self.edge, pt, last_event_id=newest) as s:
            s.next_block()
            self.assertTrue(s.quiet(), "replayed %r" % getattr(s, "unexpected", None))
            live = self.send(pt, "c1")
            self.assertEqual(s.next_event()["json"]["Id"], live["Id"])
        # no Last-Event-ID: everything from the start
        with SseStream(self.edge, pt) as s:
            s.next_block()
            allev = s.events(1 + 3 + 4 + 2)
            self.assertEqual([e["json"].get("Content") for e in allev[1:]],
                             ["a0", "a1", "a2", "b0", "b1", "b2", "b3", "c0", "c1"])
            self.assertTrue(s.quiet())

    def test_events_during_replay_not_lost_or_duplicated(self):
        """Messages sent by another thread while streams are being opened
        with Last-Event-ID: each stream sees every message after its id once."""
        _, res, _ = self.new_chat("replay-race")
        pt = res["ParticipantToken"]
        total = 40
        stop = threading.Event()
        sent = []
        errors = []

        def sender():
            try:
                with self.edge.connect() as c:
                    for i in range(total):
                        sent.append(self.send(pt, "r%02d" % i, conn=c)["Id"])
                        time.sleep(0.005)
            except Exception as e:  # reported below
                errors.append(e)
            finally:
                stop.set()

        with SseStream(self.edge, pt) as base:
            base.next_block()
            state = base.next_event()
        th = threading.Thread(target=sender, daemon=True)
        th.start()
        streams = []
        try:
            last = state["id"]
            while not stop.is_set() and len(streams) < 4:  # the per-token stream bound
                streams.append(SseStream(self.edge, pt, last_event_id=last))
                time.sleep(0.02)
            th.join(20)
            self.assertFalse(th.is_alive())
            self.assertEqual(errors, [])
            self.assertEqual(len(sent), total)
            for s in streams:
                self.assertEqual(s.next_block(), {"retry": 3000})
                got = [e["json"]["Id"] for e in s.events(total)]
                self.assertEqual(got, sent)
                self.assertTrue(s.quiet(0.2), "duplicate %r" % getattr(s, "unexpected", None))
        finally:
            for s in streams:
                s.close()

    # -- devices and isolation ---------------------------------------------------

    def test_two_devices_share_the_chat(self):
        sub = new_sub("dev")
        tok_a, tok_b = self.mint(sub, "DeviceA"), self.mint(sub, "DeviceB")
        self.assertNotEqual(tok_a, tok_b)
        a, _ = self.start_chat(tok_a)
        b, data_b = self.start_chat(tok_b)
        self.assertEqual(a["ContactId"], b["ContactId"])
        self.assertIs(data_b["resumed"], True)
        with SseStream(self.edge, b["ParticipantToken"]) as sb, \
                SseStream(self.edge, a["ParticipantToken"]) as sa:
            for s in (sa, sb):
                self.assertEqual(s.next_block(), {"retry": 3000})
                self.assertEqual(s.next_event()["json"]["State"], "QUEUED")
            m = self.send(a["ParticipantToken"], "from device A")
            for s in (sb, sa):  # the other device, and the sender's own stream
                e = s.next_event()
                self.assertEqual(e["event"], "message")
                self.assertEqual(e["json"]["Id"], m["Id"])
                self.assertEqual(e["json"]["Content"], "from device A")
            # one device closing its stream leaves the other's working
            sa.close()
            m2 = self.send(b["ParticipantToken"], "from device B")
            e = sb.next_event()
            self.assertEqual(e["json"]["Id"], m2["Id"])
            self.assertTrue(sb.quiet(), "unexpected %r" % getattr(sb, "unexpected", None))
        t = self.full_transcript(a["ParticipantToken"])
        self.assertEqual([(x["Id"], x["Content"]) for x in t],
                         [(m["Id"], "from device A"), (m2["Id"], "from device B")])
        self.assertEqual(self.full_transcript(b["ParticipantToken"]), t)

    def test_other_sub_is_isolated(self):
        sub1, res1, _ = self.new_chat("iso1", initial="secret of one")
        sub2, res2, data2 = self.new_chat("iso2", initial="words of two")
        self.assertIs(data2["resumed"], False)
        self.assertNotEqual(res1["ContactId"], res2["ContactId"])
        self.assertNotEqual(res1["ParticipantId"], res2["ParticipantId"])
        pt1, pt2 = res1["ParticipantToken"], res2["ParticipantToken"]
        with SseStream(self.edge, pt2) as s2:
            s2.next_block()
            self.assertEqual(s2.next_event()["json"]["ContactId"], res2["ContactId"])
            self.send(pt1, "more secrets of one")
            self.assertTrue(s2.quiet(), "sub2's stream got %r" % getattr(s2, "unexpected", None))
        t2 = self.transcript_page(pt2, MaxResults=100)
        self.assertEqual(t2["InitialContactId"], res2["ContactId"])
        self.assertEqual([m["Content"] for m in t2["Transcript"]], ["words of two"])
        self.assertEqual({m["ContactId"] for m in t2["Transcript"]}, {res2["ContactId"]})
        # a body naming the other chat selects nothing
        t2b = self.transcript_page(pt2, ContactId=res1["ContactId"])
        self.assertEqual([m["Content"] for m in t2b["Transcript"]], ["words of two"])
        # a start body naming the other contact still resumes by sub only
        r, d = self.start_chat(self.mint(sub2), {"ParticipantDetails": {"DisplayName": "x"},
                                                 "ContactId": res1["ContactId"]})
        self.assertEqual(r["ContactId"], res2["ContactId"])
        t1 = self.full_transcript(pt1)
        self.assertEqual([m["Content"] for m in t1], ["secret of one", "more secrets of one"])


class ChatDurabilityTests(ChatClient, unittest.TestCase):
    """kill -9 mid-burst: every acknowledged message survives the restart."""

    def test_acknowledged_messages_survive_kill_9(self):
        first = Edge(["--demo"])
        second = None
        try:
            first.start()
            self.edge = first
            sub = new_sub("dur")
            res, _ = self.start_chat(self.mint(sub))
            pt = res["ParticipantToken"]
            n_threads = 3
            acked = [[] for _ in range(n_threads)]   # (Id, content) in ack order
            attempted = set()
            lock = threading.Lock()
            stop = threading.Event()

            def burst(k):
                try:
                    with first.connect(timeout=3.0) as c:
                        i = 0
                        while not stop.is_set() and i < 5000:
                            content = "t%d-%05d" % (k, i)
                            with lock:
                                attempted.add(content)
                            c.send_request("POST", API + "participant/message",
                                           {"X-Amz-Bearer": pt, "Content-Type": JSON},
                                           json.dumps({"ContentType": "text/plain",
                                                       "Content": content}))
                            r = c.read_response("POST", timeout=3.0)
                            if r.status != 200:
                                return
                            acked[k].append((r.json()["Id"], content))
                            i += 1
                except (OSError, ConnectionClosed, socket.timeout, ValueError):
                    return  # the server died under us

            threads = [threading.Thread(target=burst, args=(k,), daemon=True)
                       for k in range(n_threads)]
            for t in threads:
                t.start()
            deadline = time.monotonic() + 10
            while sum(len(a) for a in acked) < 150 and time.monotonic() < deadline:
                time.sleep(0.005)
            first.kill()  # SIGKILL, mid-burst
            killed_at = [len(a) for a in acked]
            stop.set()
            for t in threads:
                t.join(10)
                self.assertFalse(t.is_alive())
            self.assertEqual(first.proc.returncode, -9)
            self.assertGreater(sum(killed_at), 0, "nothing was acknowledged before the kill")
            # every sender was still going when the server died
            for t_acked in acked:
                self.assertLess(len(t_acked), 5000)

            second = Edge(["--demo", "--data", first.data_dir], data=False)
            second.start()
            self.edge = second
            items = self.full_transcript(pt)  # the token survives the restart
            ids = [m["Id"] for m in items]
            self.assertEqual(len(ids), len(set(ids)), "duplicate Ids after restart")
            seqs = [m["Seq"] for m in items]
            self.assertEqual(seqs, sorted(set(seqs)))
            for m in items:
                self.assertIn(m["Content"], attempted, "a message nobody sent: %r" % m)
            self.assertEqual(len({m["Content"] for m in items}), len(items))
            position = {m["Id"]: i for i, m in enumerate(items)}
            by_id = {m["Id"]: m for m in items}
            for k, t_acked in enumerate(acked):
                missing = [c for i, c in t_acked if i not in position]
                self.assertEqual(missing, [], "acknowledged but lost after kill -9 "
                                 "(thread %d, %d acked)" % (k, len(t_acked)))
                for i, c in t_acked:
                    self.assertEqual(by_id[i]["Content"], c)
                order = [position[i] for i, _ in t_acked]
                self.assertEqual(order, sorted(order), "thread %d out of order" % k)
            # the acknowledged messages' events survived too
            all_acked = {i for t_acked in acked for i, _ in t_acked}
            with SseStream(second, pt) as s:
                self.assertEqual(s.next_block(), {"retry": 3000})
                got = set()
                deadline = time.monotonic() + 10
                while not all_acked <= got and time.monotonic() < deadline:
                    e = s.next_event(5)
                    if e["event"] == "message":
                        self.assertNotIn(e["json"]["Id"], got, "event replayed twice")
                        got.add(e["json"]["Id"])
                self.assertEqual(all_acked - got, set(), "acknowledged message events lost")
            # the open chat survives too: a start resumes it, and it takes messages
            res2, data2 = self.start_chat(self.mint(sub))
            self.assertEqual(res2["ContactId"], res["ContactId"])
            self.assertIs(data2["resumed"], True)
            after = self.send(pt, "after the restart")
            self.assertEqual(self.full_transcript(pt)[-1]["Id"], after["Id"])
            second.stop_ok(self)
        finally:
            if second is not None:
                second.kill()
                second.cleanup()
            first.kill()
            first.cleanup()


if __name__ == "__main__":
    unittest.main()
