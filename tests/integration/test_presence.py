"""Presence, liveness, the agent event stream and restoring a console.

- GET /api/agent/events: the agent's own SSE stream (token in the
  Authorization header only), replayed after Last-Event-ID like a
  participant's; 401 without a token, 403 for customers.
- An available agent whose last agent stream closed goes offline after
  --agent-away-s, and a call ringing them moves on; a reconnect within
  the grace keeps them available.
- A call whose caller has had no stream open for --caller-gone-s ends
  with Reason caller_gone.
- At most --max-streams-per-participant streams per token (or agent):
  one more ends the oldest.
- GET /api/agent/contacts restores the open contacts with working
  ParticipantTokens; POST /api/agent/transcript reads a handled contact.

Every test runs its own server with short graces: presence is global."""

import time
import unittest

from edge import ConnectionClosed, Edge, assert_json_error
from test_calls import CallClient, cid_of, jt_of
from test_chat import API, SseStream, new_sub

GRACE_S = 1
DEADLINE_S = GRACE_S + 3  # the tick runs once a second
PAST_GRACE_S = GRACE_S + 1.5  # long enough for a tick after the grace to have run


class AgentStream(SseStream):
    def __init__(self, edge, token, last_event_id=None):
        super().__init__(edge, None, last_event_id, via=None, path=API + "agent/events",
                         extra_headers=[("Authorization", "Bearer " + token)])


class PresenceTestCase(CallClient, unittest.TestCase):
    flags = ["--agent-away-s", str(GRACE_S), "--caller-gone-s", str(GRACE_S)]

    def setUp(self):
        self.edge = Edge(["--demo", "--no-agent-timeout-s", "0"] + self.flags)
        self.edge.start()
        self.streams = []

    def tearDown(self):
        for s in self.streams:
            s.close()
        try:
            self.edge.stop_ok()
        finally:
            self.edge.cleanup()

    def agent_stream(self, token, types, last_event_id=None):
        s = AgentStream(self.edge, token, last_event_id)
        self.assertEqual(s.status, 200)
        self.assertEqual(s.next_block(), {"retry": 3000})
        s.types = set(types)
        self.streams.append(s)
        return s

    def pstream(self, ptoken, types):
        """A participant stream past its retry line, the token in a header."""
        s = SseStream(self.edge, ptoken, via="x-amz")
        self.assertEqual(s.status, 200)
        self.assertEqual(s.next_block(), {"retry": 3000})
        s.types = set(types)
        return s

    def set_status(self, token, status="available"):
        r = self.site(token, "agent/status", {"status": status})
        self.assertEqual(r.status, 200, r)
        time.sleep(0.01)  # distinct status times: the idle-longest order is defined

    def agents_available(self):
        return self.edge.get("/api/availability").json()["agentsAvailable"]

    def get_agent(self, token, path):
        return self.edge.request("GET", API + path, {"Authorization": "Bearer " + token})


class AgentStreamTests(PresenceTestCase):
    def test_needs_an_agent_token_in_the_header(self):
        r = self.edge.request("GET", API + "agent/events")
        assert_json_error(self, r, 401)
        agent = self.agent()
        r = self.edge.request("GET", API + "agent/events?token=" + agent)
        assert_json_error(self, r, 401)  # never from the URL
        customer = self.mint(new_sub("cust"))
        r = self.edge.request("GET", API + "agent/events",
                              {"Authorization": "Bearer " + customer})
        assert_json_error(self, r, 403, "agents_only")

    def test_offer_assignment_end_and_replay_after_last_event_id(self):
        agent = self.agent("a")
        s = self.agent_stream(agent, {"offer", "contact.assigned", "contact.ended",
                                      "offer.withdrawn"})
        self.set_status(agent)
        _, tok, ans = self.new_call("c")
        cid = cid_of(ans)
        caller = self.pstream(jt_of(ans), {"contact.state"})
        self.streams.append(caller)
        offer = s.next_event()
        self.assertEqual((offer["event"], offer["json"]["ContactId"]), ("offer", cid))
        self.assertEqual(offer["json"]["Kind"], "CALL")
        last = s.last_id
        s.close()  # the console reloads; meanwhile the agent accepts and the caller hangs up
        self.accept(agent, cid)
        self.assertEqual(self.hang_up(tok, cid).status, 200)
        again = self.agent_stream(agent, s.types, last_event_id=last)
        got = [again.next_event() for _ in range(2)]
        self.assertEqual([(e["event"], e["json"]["ContactId"]) for e in got],
                         [("contact.assigned", cid), ("contact.ended", cid)])
        self.assertEqual(got[1]["json"]["Reason"], "customer_hangup")
        self.assertTrue(got[0]["id"] > last)
        self.assert_quiet(again)
        # From the start: the whole story again, nothing else.
        full = self.agent_stream(agent, s.types, last_event_id=None)
        self.assertEqual([full.next_event()["event"] for _ in range(3)],
                         ["offer", "contact.assigned", "contact.ended"])

    def test_queue_changes_reach_watching_agents(self):
        agent = self.agent("watch")
        s = self.agent_stream(agent, {"queue.changed"})
        self.new_chat("q")
        ev = s.next_event()
        self.assertEqual(ev["json"], {"Queue": ""})


class PresenceTests(PresenceTestCase):
    def test_agent_gone_after_the_grace_and_the_call_moves_on(self):
        first = self.agent("first")
        second = self.agent("second")
        s1 = self.agent_stream(first, {"offer"})
        self.set_status(first)
        s2 = self.agent_stream(second, {"offer"})
        self.set_status(second)
        _, _, ans = self.new_call("ghostless")
        cid = cid_of(ans)
        caller = self.pstream(jt_of(ans), {"contact.state"})
        self.streams.append(caller)
        self.assertEqual(s1.next_event()["json"]["ContactId"], cid)  # idle longest
        self.assertEqual(self.agents_available(), 2)
        s1.close()  # the first agent closes the console
        offer = s2.next_event(timeout=DEADLINE_S)
        self.assertEqual(offer["json"]["ContactId"], cid)
        self.assertEqual(self.agents_available(), 1)
        # The first agent's next console learns it went offline, and why.
        snap = self.get_agent(first, "agent/contacts").json()
        self.assertEqual(snap["Status"], "offline")
        back = self.agent_stream(first, {"agent.status", "offer.withdrawn"})
        self.assertEqual([e["json"] for e in back.events(3)],
                         [{"Status": "available"}, {"Status": "offline", "Reason": "away"},
                          {"ContactId": cid, "Reason": "away"}])
        self.assertEqual(back.last_id, snap["LastEventId"])

    def test_reconnect_within_the_grace_keeps_the_status(self):
        agent = self.agent("blink")
        s = self.agent_stream(agent, set())
        self.set_status(agent)
        s.close()
        time.sleep(0.2)
        self.agent_stream(agent, set())
        time.sleep(PAST_GRACE_S)
        self.assertEqual(self.agents_available(), 1)

    def test_status_without_a_stream_gets_the_grace(self):
        agent = self.agent("script")
        self.set_status(agent)
        self.assertEqual(self.agents_available(), 1)
        deadline = time.monotonic() + DEADLINE_S
        while self.agents_available() == 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual(self.agents_available(), 0)

    def test_ghost_call_ends_with_caller_gone(self):
        agent = self.agent("helper")
        events = self.agent_stream(agent, {"contact.ended"})
        _, _, ans = self.new_call("ghost")
        cid = cid_of(ans)
        caller = self.pstream(jt_of(ans), {"contact.state"})
        acc = self.accept(agent, cid)
        mine = self.pstream(acc["ParticipantToken"], {"contact.state"})
        self.streams.append(mine)
        caller.close()  # the customer closes the tab
        deadline = time.monotonic() + DEADLINE_S
        while True:
            st = mine.next_event(timeout=max(0.01, deadline - time.monotonic()))["json"]
            if st["State"] == "ENDED":
                break
        self.assertEqual(st, {"ContactId": cid, "State": "ENDED", "Reason": "caller_gone"})
        ended = events.next_event()
        self.assertEqual((ended["json"]["ContactId"], ended["json"]["Reason"]),
                         (cid, "caller_gone"))

    def test_waiting_chat_stays_and_agents_see_the_customer_online(self):
        agent = self.agent("seer")
        s = self.agent_stream(agent, {"customer.presence"})
        _, res, _ = self.new_chat("online")
        cid, ptoken = res["ContactId"], res["ParticipantToken"]
        item = self.queue_entry(agent, cid)
        self.assertFalse(item["CustomerOnline"])
        c = SseStream(self.edge, ptoken, via="x-amz")
        self.streams.append(c)
        ev = s.next_event()
        self.assertEqual(ev["json"], {"ContactId": cid, "CustomerOnline": True})
        self.assertTrue(self.queue_entry(agent, cid)["CustomerOnline"])
        c.close()
        ev = s.next_event()
        self.assertEqual(ev["json"], {"ContactId": cid, "CustomerOnline": False})
        time.sleep(PAST_GRACE_S)
        self.assertIsNotNone(self.queue_entry(agent, cid))  # chats are not ended

    def queue_entry(self, agent, cid):
        r = self.get_agent(agent, "agent/queue")
        self.assertEqual(r.status, 200, r)
        items = [c for c in r.json()["Contacts"] if c["ContactId"] == cid]
        return items[0] if items else None


class RestartTests(PresenceTestCase):
    def test_a_restart_loses_no_grace(self):
        """kill -9 while an agent and a caller are connected: the new process
        has no streams, so after the graces the agent is offline and the
        call has ended (nothing waited on a timer of the dead process)."""
        agent = self.agent("restarted")
        self.agent_stream(agent, set())
        self.set_status(agent)
        _, _, ans = self.new_call("restarted-caller")
        cid = cid_of(ans)
        self.streams.append(self.pstream(jt_of(ans), {"contact.state"}))
        time.sleep(PAST_GRACE_S)
        self.assertEqual(self.agents_available(), 1)  # both streams open: nothing happens
        first = self.edge
        first.kill()
        self.addCleanup(first.cleanup)  # after tearDown: the data directory is in it
        self.edge = Edge(["--demo", "--data", first.data_dir] + self.flags, data=False)
        self.edge.start()
        self.assertEqual(self.agents_available(), 1)  # within the grace from the start
        deadline = time.monotonic() + DEADLINE_S
        while self.agents_available() == 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual(self.agents_available(), 0)
        # The same tick ended the call first (callers, then agents).
        replay = self.pstream(jt_of(ans), {"contact.state"})
        self.streams.append(replay)
        states = [e["json"] for e in replay.events(3)]
        self.assertEqual(states[-1], {"ContactId": cid, "State": "ENDED", "Reason": "caller_gone"})
        watcher = self.agent_stream(agent, {"offer", "offer.withdrawn"}, last_event_id=0)
        got = [watcher.next_event()["json"] for _ in range(2)]
        self.assertEqual([g["ContactId"] for g in got], [cid, cid])
        self.assertEqual(got[1]["Reason"], "ended")


class StreamLimitTests(PresenceTestCase):
    def test_fifth_stream_ends_the_oldest(self):
        ptoken = self.new_chat("many")[1]["ParticipantToken"]
        streams = [SseStream(self.edge, ptoken, via="x-amz") for _ in range(4)]
        self.streams.extend(streams)
        for s in streams:
            self.assertEqual(s.next_block(), {"retry": 3000})
        fifth = SseStream(self.edge, ptoken, via="x-amz")
        self.streams.append(fifth)
        self.assertEqual(fifth.next_block(), {"retry": 3000})
        self.assert_ended(streams[0])
        for s in streams[1:]:
            self.assertFalse(s.ended)

    def test_agent_streams_are_bounded_too(self):
        agent = self.agent("tabs")
        streams = [self.agent_stream(agent, set()) for _ in range(5)]
        self.assert_ended(streams[0])
        for s in streams[1:]:
            self.assertFalse(s.ended)

    def assert_ended(self, s):
        """s gets the terminating chunk (after any events it was sent)."""
        deadline = time.monotonic() + 3.0
        with self.assertRaises(ConnectionClosed):
            while True:
                s.next_block(timeout=max(0.01, deadline - time.monotonic()))
        self.assertTrue(s.ended)


class RestoreTests(PresenceTestCase):
    def test_open_contacts_restored_on_another_device(self):
        agent = self.agent("two-devices")
        _, res, _ = self.new_chat("restore", name="Carol")
        cid, cust_token = res["ContactId"], res["ParticipantToken"]
        acc = self.accept(agent, cid)
        # A second browser with the same agent token.
        r = self.get_agent(agent, "agent/contacts")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["Status"], "offline")  # never set available
        items = r.json()["Contacts"]
        self.assertEqual([c["ContactId"] for c in items], [cid])
        item = items[0]
        self.assertEqual((item["Kind"], item["State"]), ("CHAT", "CONNECTED"))
        self.assertIn("@example.com", item["CustomerEmail"])
        self.assertEqual(item["ParticipantId"], acc["ParticipantId"])
        self.assertIn("CustomerOnline", item)
        self.send(item["ParticipantToken"], "from the second device")
        page = self.transcript_page(cust_token)
        self.assertEqual(page["Transcript"][-1]["Content"], "from the second device")
        # Others see none of it; ended contacts are not restored.
        other = self.agent("other")
        self.assertEqual(self.get_agent(other, "agent/contacts").json(),
                         {"Status": "offline", "LastEventId": 0, "Contacts": []})
        # The snapshot's LastEventId: a stream opened with it gets what came after, only.
        snap = self.get_agent(agent, "agent/contacts").json()
        s = self.agent_stream(agent, {"contact.ended", "contact.assigned"},
                              last_event_id=snap["LastEventId"])
        self.assert_quiet(s)
        self.assertEqual(self.site(agent, "agent/end", {"ContactId": cid}).status, 200)
        self.assertEqual(s.next_event()["json"]["ContactId"], cid)
        self.assertEqual(self.get_agent(agent, "agent/contacts").json()["Contacts"], [])
        assert_json_error(self, self.get_agent(self.mint(new_sub("c")), "agent/contacts"),
                          403, "agents_only")

    def test_history_transcript_read_only_and_404_for_others(self):
        agent = self.agent("historian")
        cid = self.new_chat("hist", initial="first words")[1]["ContactId"]
        acc = self.accept(agent, cid)
        self.send(acc["ParticipantToken"], "reply")
        self.assertEqual(self.site(agent, "agent/end", {"ContactId": cid}).status, 200)
        r = self.site(agent, "agent/transcript", {"ContactId": cid, "MaxResults": 1})
        self.assertEqual(r.status, 200, r)
        page = r.json()
        self.assertEqual(page["InitialContactId"], cid)
        self.assertEqual([m["Content"] for m in page["Transcript"]], ["first words"])
        r = self.site(agent, "agent/transcript", {"ContactId": cid,
                                                  "NextToken": page["NextToken"]})
        self.assertEqual([m["Content"] for m in r.json()["Transcript"]], ["reply"])
        self.assertNotIn("NextToken", r.json())
        other = self.agent("nosy")
        assert_json_error(self, self.site(other, "agent/transcript", {"ContactId": cid}),
                          404)
        assert_json_error(self, self.site(agent, "agent/transcript", {}), 400)
        assert_json_error(self, self.site(self.mint(new_sub("c")), "agent/transcript",
                                          {"ContactId": cid}), 403, "agents_only")


if __name__ == "__main__":
    unittest.main()
