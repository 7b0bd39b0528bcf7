"""No agent within a timeout: a call still waiting after --no-agent-timeout-s
ends with Reason "no_agent" and leaves the queue, while answered calls and
chats are untouched. The timeout is a scan of the store, not a timer in
memory, so a call that outlived a restart ends too."""

import time
import unittest

from edge import Edge, ServerPerTest
from test_calls import CallClient
from test_chat import SseStream

TIMEOUT_S = 1
DEADLINE_S = TIMEOUT_S + 3  # the scan runs once a second


class CallTimeoutTests(ServerPerTest, CallClient, unittest.TestCase):
    def server_flags(self):
        return ["--demo", "--no-agent-timeout-s", str(TIMEOUT_S)]

    def contact_of(self, answer):
        return answer["responseInfo"]["Meeting"]["MeetingId"]

    def wait_for_end(self, stream):
        self.assertEqual(stream.next_block(), {"retry": 3000})
        deadline = time.time() + DEADLINE_S
        while time.time() < deadline:
            event = stream.next_event(deadline - time.time())
            if event["event"] == "contact.state" and event["json"]["State"] == "ENDED":
                return event["json"]
        self.fail("no ENDED event within %d s" % DEADLINE_S)

    def queue_ids(self):
        r = self.edge.request("GET", "/api/agent/queue",
                              {"Authorization": "Bearer " + self.agent("viewer")})
        self.assertEqual(r.status, 200, r)
        return [c["ContactId"] for c in r.json()["Contacts"]]

    def test_unanswered_call_ends_with_no_agent(self):
        _, _, answer = self.new_call("lonely")
        token = answer["responseInfo"]["Attendee"]["JoinToken"]
        with SseStream(self.edge, token) as stream:
            ended = self.wait_for_end(stream)
        self.assertEqual(ended["Reason"], "no_agent")
        self.assertEqual(ended["ContactId"], self.contact_of(answer))
        self.assertNotIn(self.contact_of(answer), self.queue_ids())

    def test_answered_call_and_waiting_chat_are_left_alone(self):
        _, _, answer, accepted = self.connected_call("kept")
        first, _ = self.start_chat(self.mint("chatter"))
        time.sleep(DEADLINE_S)
        r = self.p(accepted["ParticipantToken"], "message",
                   {"ContentType": "text/plain", "Content": "still here"})
        self.assertEqual(r.status, 200, r)  # the connected call did not end
        r = self.p(first["ParticipantToken"], "message",
                   {"ContentType": "text/plain", "Content": "still waiting"})
        self.assertEqual(r.status, 200, r)  # chats wait as long as they like

    def test_a_call_that_outlived_a_restart_still_ends(self):
        origin = self.edge
        origin.stop_ok()
        self.addCleanup(origin.cleanup)  # owns the data dir the next servers share
        data_dir = origin.data_dir
        patient = Edge(["--demo", "--no-agent-timeout-s", "0", "--data", data_dir], data=False)
        patient.start()
        try:
            self.edge = patient
            _, _, answer = self.new_call("survivor")
            time.sleep(DEADLINE_S)  # 0 = never: nothing ends it here
            self.assertIn(self.contact_of(answer), self.queue_ids())
        finally:
            patient.stop_ok()
        strict = Edge(["--demo", "--no-agent-timeout-s", str(TIMEOUT_S), "--data", data_dir],
                      data=False)
        strict.start()
        self.edge = strict
        token = answer["responseInfo"]["Attendee"]["JoinToken"]
        with SseStream(self.edge, token) as stream:
            ended = self.wait_for_end(stream)
        self.assertEqual(ended["Reason"], "no_agent")


if __name__ == "__main__":
    unittest.main()
