"""Ringing: calls are pushed to agents. A call in the default queue rings the
available agent idle longest who has nothing ringing and no call in progress
(chats do not count), and the end of an agent's call offers them the next
one (contact.state RINGING
to the caller, OfferedTo in that agent's queue); only that agent may accept
it; a reject rings the next idle agent or ends the call ("agent_rejected");
a ring unanswered for --ring-timeout-s moves to the next idle agent or back
to the queue. Chats stay pulled.

Every test runs its own server: agent availability is global state."""

import time
import unittest

from edge import Edge, assert_json_error
from test_calls import CallClient, cid_of, jt_of
from test_chat import new_sub

RING_TIMEOUT_S = 1
DEADLINE_S = RING_TIMEOUT_S + 3  # the scan runs once a second


class RingingTestCase(CallClient, unittest.TestCase):
    flags = []

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

    def available_agent(self, tag):
        token = self.agent(tag)
        r = self.site(token, "agent/status", {"status": "available"})
        self.assertEqual(r.status, 200, r)
        time.sleep(0.01)  # distinct status times: the idle-longest order is defined
        return token

    def states(self, answer):
        """The caller's stream, reading only contact.state."""
        s = self.stream(jt_of(answer), {"contact.state"})
        self.streams.append(s)
        return s

    def next_state(self, stream, timeout=3.0):
        return stream.next_event(timeout)["json"]

    def queue_item(self, agent_token, contact_id):
        r = self.edge.request("GET", "/api/agent/queue", {"Authorization": "Bearer " + agent_token})
        self.assertEqual(r.status, 200, r)
        items = [c for c in r.json()["Contacts"] if c["ContactId"] == contact_id]
        return items[0] if items else None

    def assert_offer(self, agent_token, contact_id, offered, state="RINGING"):
        item = self.queue_item(agent_token, contact_id)
        self.assertIsNotNone(item, "the call left the queue")
        self.assertEqual((item["State"], item["OfferedTo"]), (state, offered), item)

    def reject(self, agent_token, contact_id):
        return self.site(agent_token, "agent/reject", {"ContactId": contact_id})


class OfferTests(RingingTestCase):
    def test_dial_rings_the_available_agent_who_alone_may_accept(self):
        ringer = self.available_agent("ringer")
        other = self.agent("other")  # never available: sees the call, not the offer
        _, _, answer = self.new_call("rung")
        cid = cid_of(answer)
        s = self.states(answer)
        self.assertEqual(self.next_state(s), {"ContactId": cid, "State": "QUEUED"})
        self.assertEqual(self.next_state(s), {"ContactId": cid, "State": "RINGING"})
        self.assert_offer(ringer, cid, True)
        self.assert_offer(other, cid, False)
        assert_json_error(self, self.site(other, "agent/accept", {"ContactId": cid}), 409,
                          "conflict")
        self.assertEqual(self.accept(ringer, cid)["ContactId"], cid)
        self.assertEqual(self.next_state(s), {"ContactId": cid, "State": "CONNECTED"})
        self.assertIsNone(self.queue_item(ringer, cid))

    def test_no_available_agent_leaves_the_call_queued(self):
        watcher = self.agent("watcher")
        _, _, answer = self.new_call("waiting")
        cid = cid_of(answer)
        s = self.states(answer)
        self.assertEqual(self.next_state(s)["State"], "QUEUED")
        self.assert_quiet(s)  # no RINGING
        self.assert_offer(watcher, cid, False, "QUEUED")
        # an agent becoming available is offered the waiting call
        late = self.available_agent("late")
        self.assertEqual(self.next_state(s), {"ContactId": cid, "State": "RINGING"})
        self.assert_offer(late, cid, True)
        self.assert_offer(watcher, cid, False)

    def test_the_agent_idle_longest_rings_and_a_ringing_agent_is_skipped(self):
        first = self.available_agent("first")
        second = self.available_agent("second")
        _, tok1, a1 = self.new_call("one")
        _, _, a2 = self.new_call("two")
        _, _, a3 = self.new_call("three")
        self.assert_offer(first, cid_of(a1), True)
        self.assert_offer(second, cid_of(a2), True)
        self.assert_offer(first, cid_of(a3), False, "QUEUED")  # both agents are ringing
        self.assert_offer(second, cid_of(a3), False, "QUEUED")
        # the first caller hangs up: the agent it rang is offered the next call
        r = self.hang_up(tok1, cid_of(a1))
        self.assertEqual(r.status, 200, r)
        self.assert_offer(first, cid_of(a3), True)
        self.assert_offer(second, cid_of(a3), False)

    def test_an_agent_on_a_call_is_not_rung_until_it_ends(self):
        agent = self.available_agent("busy")
        _, _, a1 = self.new_call("first")
        self.assert_offer(agent, cid_of(a1), True)
        self.accept(agent, cid_of(a1))
        _, _, a2 = self.new_call("second")
        s = self.states(a2)
        self.assertEqual(self.next_state(s)["State"], "QUEUED")
        self.assert_quiet(s)  # the only agent is talking: no RINGING
        self.assert_offer(agent, cid_of(a2), False, "QUEUED")
        # the agent hangs up the first call: the waiting one rings them
        r = self.hang_up(agent, cid_of(a1))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.next_state(s), {"ContactId": cid_of(a2), "State": "RINGING"})
        self.assert_offer(agent, cid_of(a2), True)

    def test_an_agent_ending_a_call_from_the_console_is_rung_next(self):
        agent = self.available_agent("ender")
        _, _, a1 = self.new_call("talking")
        self.accept(agent, cid_of(a1))
        _, _, a2 = self.new_call("next")
        self.assert_offer(agent, cid_of(a2), False, "QUEUED")
        r = self.site(agent, "agent/end", {"ContactId": cid_of(a1)})
        self.assertEqual(r.status, 200, r)
        self.assert_offer(agent, cid_of(a2), True)

    def test_a_call_left_through_participant_disconnect_frees_the_agent(self):
        agent = self.available_agent("leaver")
        _, _, a1 = self.new_call("talking")
        acc = self.accept(agent, cid_of(a1))
        _, _, a2 = self.new_call("next")
        self.assert_offer(agent, cid_of(a2), False, "QUEUED")
        r = self.p(acc["ParticipantToken"], "disconnect", {})
        self.assertEqual(r.status, 200, r)
        self.assert_offer(agent, cid_of(a2), True)

    def test_chats_in_progress_do_not_stop_calls_ringing(self):
        agent = self.available_agent("multi")
        result, _ = self.start_chat(self.mint(new_sub("chatty")))
        self.accept(agent, result["ContactId"])
        _, _, answer = self.new_call("call")
        self.assert_offer(agent, cid_of(answer), True)

    def test_an_away_agent_is_not_rung_until_available(self):
        away = self.agent("away")
        r = self.site(away, "agent/status", {"status": "away"})
        self.assertEqual((r.status, r.json()), (200, {"status": "away"}), r)
        _, _, answer = self.new_call("to-away")
        cid = cid_of(answer)
        s = self.states(answer)
        self.assertEqual(self.next_state(s)["State"], "QUEUED")
        self.assert_quiet(s)  # no RINGING: away agents are offered nothing
        self.assert_offer(away, cid, False, "QUEUED")
        r = self.site(away, "agent/status", {"status": "available"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.next_state(s), {"ContactId": cid, "State": "RINGING"})
        self.assert_offer(away, cid, True)

    def test_chats_are_not_rung(self):
        agent = self.available_agent("chatter")
        result, _ = self.start_chat(self.mint(new_sub("chat")))
        cid = result["ContactId"]
        self.assert_offer(agent, cid, False, "QUEUED")
        assert_json_error(self, self.reject(agent, cid), 409, "conflict")
        self.assertEqual(self.accept(agent, cid)["ContactId"], cid)  # still pulled


class RejectTests(RingingTestCase):
    def test_reject_rings_the_next_idle_agent(self):
        first = self.available_agent("first")
        second = self.available_agent("second")
        _, _, answer = self.new_call("bounced")
        cid = cid_of(answer)
        s = self.states(answer)
        self.assertEqual([self.next_state(s)["State"] for _ in range(2)], ["QUEUED", "RINGING"])
        self.assert_offer(first, cid, True)
        self.assert_offer(second, cid, False)
        assert_json_error(self, self.reject(second, cid), 409, "conflict")  # not rung
        r = self.reject(first, cid)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {})
        self.assert_offer(first, cid, False)
        self.assert_offer(second, cid, True)
        self.assertEqual(self.next_state(s), {"ContactId": cid, "State": "RINGING"})
        assert_json_error(self, self.reject(first, cid), 409, "conflict")
        assert_json_error(self, self.site(first, "agent/accept", {"ContactId": cid}), 409,
                          "conflict")
        self.accept(second, cid)
        self.assertEqual(self.next_state(s)["State"], "CONNECTED")

    def test_reject_with_nobody_else_ends_the_call(self):
        only = self.available_agent("only")
        _, _, answer = self.new_call("unlucky")
        cid = cid_of(answer)
        s = self.states(answer)
        self.assertEqual([self.next_state(s)["State"] for _ in range(2)], ["QUEUED", "RINGING"])
        self.assertEqual(self.reject(only, cid).status, 200)
        self.assertEqual(self.next_state(s), {"ContactId": cid, "State": "ENDED",
                                              "Reason": "agent_rejected"})
        self.assertIsNone(self.queue_item(only, cid))
        assert_json_error(self, self.reject(only, cid), 409, "contact_ended")
        # the agent is free again: the next call rings it
        _, _, nxt = self.new_call("next")
        self.assert_offer(only, cid_of(nxt), True)

    def test_reject_authorization_and_bad_requests(self):
        agent = self.available_agent("picky")
        customer, _, answer = self.new_call("caller")
        cid = cid_of(answer)
        assert_json_error(self, self.site(self.mint(customer), "agent/reject",
                                          {"ContactId": cid}), 403, "agents_only")
        assert_json_error(self, self.post("agent/reject", {"Content-Type": "application/json"},
                                          {"ContactId": cid}), 401)
        assert_json_error(self, self.reject(agent, "f" * 32), 404, "not_found")
        for body in ({}, {"ContactId": ""}, {"ContactId": 7}):
            with self.subTest(body=body):
                assert_json_error(self, self.site(agent, "agent/reject", body), 400)
        self.assert_offer(agent, cid, True)  # none of it touched the offer


class RingTimeoutTests(RingingTestCase):
    flags = ["--ring-timeout-s", str(RING_TIMEOUT_S)]

    def wait_for_offer(self, agent_token, contact_id, offered, state):
        deadline = time.time() + DEADLINE_S
        item = None
        while time.time() < deadline:
            item = self.queue_item(agent_token, contact_id)
            if item is not None and (item["State"], item["OfferedTo"]) == (state, offered):
                return
            time.sleep(0.1)
        self.fail("no %s/OfferedTo=%s within %d s: %r" % (state, offered, DEADLINE_S, item))

    def test_an_unanswered_ring_moves_to_the_other_agent(self):
        first = self.available_agent("first")
        second = self.available_agent("second")
        _, _, answer = self.new_call("patient")
        cid = cid_of(answer)
        s = self.states(answer)
        self.assertEqual([self.next_state(s)["State"] for _ in range(2)], ["QUEUED", "RINGING"])
        self.assert_offer(first, cid, True)
        self.wait_for_offer(second, cid, True, "RINGING")
        self.assert_offer(first, cid, False)
        self.assertEqual(self.next_state(s, DEADLINE_S), {"ContactId": cid, "State": "RINGING"})
        self.accept(second, cid)
        self.assertEqual(self.next_state(s)["State"], "CONNECTED")

    def test_an_unanswered_ring_with_nobody_else_goes_back_to_the_queue(self):
        only = self.available_agent("only")
        _, _, answer = self.new_call("patient")
        cid = cid_of(answer)
        s = self.states(answer)
        self.assertEqual([self.next_state(s)["State"] for _ in range(2)], ["QUEUED", "RINGING"])
        self.wait_for_offer(only, cid, False, "QUEUED")
        self.assertEqual(self.next_state(s, DEADLINE_S), {"ContactId": cid, "State": "QUEUED"})
        # not offered straight back to the agent who missed it
        time.sleep(RING_TIMEOUT_S + 1)
        self.assert_offer(only, cid, False, "QUEUED")
        self.assert_quiet(s)
        # still waiting, so anyone may take it
        self.accept(only, cid)
        self.assertEqual(self.next_state(s)["State"], "CONNECTED")


if __name__ == "__main__":
    unittest.main()
