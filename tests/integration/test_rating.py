"""The customer's rating (POST participant/rating {Score, Comment?}): the
contact's customer rates once, while the chat runs or after its end within
the transcript grace; a second rating is 409 already_rated; the agent sees
it on the contact (history, agent/contacts) and hears "contact.rated" on
their feed; an agent's token, bad input and a token past the grace are
refused."""

import unittest

from edge import Edge, assert_json_error

from test_agents import AgentTestCase
from test_presence import AgentStream


class RatingTests(AgentTestCase):
    def chat_with_agent(self):
        """A customer chat accepted by a new agent: (agent token, ContactId,
        customer ParticipantToken, agent ParticipantToken)."""
        agent = self.agent("Rita Rated")
        self.set_status(agent, "available")
        _, res = self.customer("Carl Customer", initial="Hello")
        joined = self.accept(agent, res["ContactId"])
        return agent, res["ContactId"], res["ParticipantToken"], joined["ParticipantToken"]

    def rate(self, ptoken, body):
        return self.p(ptoken, "rating", body)

    def test_rated_once_after_the_end_and_the_agent_sees_it(self):
        agent, cid, cust, _ = self.chat_with_agent()
        feed = AgentStream(self.edge, agent)
        self.streams.append(feed)
        self.assertEqual(feed.status, 200)
        self.assertEqual(feed.next_block(), {"retry": 3000})
        feed.types = {"contact.rated"}
        self.assertEqual(self.end(agent, cid).status, 200)
        comment = "Très bien, merci ✓"
        r = self.rate(cust, {"Score": 4, "Comment": comment})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"ContactId": cid, "Rating": {"Score": 4, "Comment": comment}})
        self.assertEqual(feed.next_event()["json"],
                         {"ContactId": cid, "Score": 4, "Comment": comment})
        assert_json_error(self, self.rate(cust, {"Score": 1}), 409, "already_rated")
        [mine] = [c for c in self.history(agent) if c["ContactId"] == cid]
        self.assertEqual(mine["Rating"], {"Score": 4, "Comment": comment})

    def test_rated_while_open_shows_in_the_agents_contacts(self):
        agent, cid, cust, agent_ptoken = self.chat_with_agent()
        assert_json_error(self, self.rate(agent_ptoken, {"Score": 5}), 403, "forbidden")
        r = self.rate(cust, {"Score": 5, "Comment": ""})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"ContactId": cid, "Rating": {"Score": 5}})
        contacts = self.ok("GET", "agent/contacts", agent)["Contacts"]
        [mine] = [c for c in contacts if c["ContactId"] == cid]
        self.assertEqual(mine["Rating"], {"Score": 5, "Comment": ""})
        # An unrated contact carries no Rating.
        _, other = self.customer("Olga Other")
        self.accept(agent, other["ContactId"])
        [unrated] = [c for c in self.history(agent) if c["ContactId"] == other["ContactId"]]
        self.assertNotIn("Rating", unrated)

    def test_bad_input_is_refused(self):
        _, cid, cust, _ = self.chat_with_agent()
        for body in ({}, {"Score": 0}, {"Score": 6}, {"Score": 2.5}, {"Score": "5"},
                     {"Score": None}, {"Score": 3, "Comment": 7},
                     {"Score": 3, "Comment": "x" * 1001},
                     {"Score": 3, "Comment": "é" * 1001}):
            assert_json_error(self, self.rate(cust, body), 400, "bad_request")
        r = self.edge.request("POST", "/api/participant/rating",
                              {"Content-Type": "application/json"}, '{"Score": 3}')
        assert_json_error(self, r, 401)
        assert_json_error(self, self.rate("not-a-token", {"Score": 3}), 401)
        # 1000 characters of two bytes each is within the limit.
        r = self.rate(cust, {"Score": 3, "Comment": "é" * 1000})
        self.assertEqual(r.status, 200, r)


class NoGraceRatingTests(RatingTests):
    """--transcript-grace-s 0: the customer's token dies with the contact,
    so there is no rating after the end."""

    def setUp(self):
        self.edge = Edge(["--demo", "--transcript-grace-s", "0"])
        self.edge.start()
        self.streams = []

    def test_rated_once_after_the_end_and_the_agent_sees_it(self):
        agent, cid, cust, _ = self.chat_with_agent()
        self.assertEqual(self.end(agent, cid).status, 200)
        assert_json_error(self, self.rate(cust, {"Score": 4}), 401)

    test_rated_while_open_shows_in_the_agents_contacts = None
    test_bad_input_is_refused = None


if __name__ == "__main__":
    unittest.main()
