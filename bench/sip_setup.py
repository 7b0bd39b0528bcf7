#!/usr/bin/env python3
"""Call setup through the SIP bridge (bench/sip.sh runs it inside the SIP
tests' private network namespace): N calls, one after the other, each
dialled by a fresh caller, offered a synthetic WebRTC SDP, answered 200 by a
sipp user agent and hung up by the caller. Measured per call:

- dial to INVITE: from sending POST /api/dial to sipp receiving the INVITE
  (dial, Janus session setup, the DIALING event, the offer, Janus's call);
- 200 to CONNECTED: from sipp sending its 200 OK (its message log's
  timestamp) to the caller's event stream delivering CONNECTED.

Prints median and p95 of each (ms) and a markdown row. Knobs: CALLS (20),
BREAKDOWN=1 (each call's dial answer time and offer-to-INVITE time)."""

import datetime
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "sip"))

from edge import Edge  # noqa: E402
from sipnet import SIP_IP, WEBRTC_OFFER, Janus, Sipp, wait_until  # noqa: E402
from test_chat import SseStream, new_sub  # noqa: E402

CALLS = int(os.environ.get("CALLS", "20"))


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def sent_at(sipp, first_line):
    """The wall-clock time sipp logged sending the message starting with first_line."""
    blocks = sipp.messages().split("-----------------------------------------------")
    for block in blocks:
        head, _, rest = block.partition("\n")
        if rest.startswith("UDP message sent") and rest.split("\n\n", 1)[-1].startswith(
                first_line):
            stamp = head.strip()
            return datetime.datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S.%f").timestamp()
    raise AssertionError("sipp never sent %r" % first_line)


def one_call(edge, sipp, number):
    import json
    token = edge.get("/demo/token?sub=%s&email=b@example.com" % new_sub("bench")).json()["token"]
    t0 = time.time()
    r = edge.request("POST", "/api/dial", {"Authorization": "Bearer " + token,
                                           "Content-Type": "application/json"},
                     json.dumps({"toNumber": number}))
    assert r.status == 200, r
    t_dialled = time.time()
    ans = r.json()
    ptoken = ans["responseInfo"]["Attendee"]["JoinToken"]
    cid = ans["responseInfo"]["Meeting"]["MeetingId"]
    stream = SseStream(edge, ptoken)
    stream.types = {"contact.state"}
    assert stream.next_block() == {"retry": 3000}
    edge.request("POST", "/api/participant/signal", {"X-Amz-Bearer": ptoken,
                                                     "Content-Type": "application/json"},
                 json.dumps({"Type": "offer", "Payload": {"type": "offer",
                                                          "sdp": WEBRTC_OFFER}}))
    wait_until(lambda: sipp.received("INVITE"), 5.0, step=0.001, what="the INVITE")
    t_invite = time.time()
    while True:
        ev = stream.next_event(5.0)
        if ev["json"]["State"] == "CONNECTED":
            t_connected = time.time()
            break
    t_200 = sent_at(sipp, "SIP/2.0 200 OK")
    edge.request("POST", "/api/update", {"Authorization": "Bearer " + token,
                                         "Content-Type": "application/json"},
                 json.dumps({"update": "end", "meetingId": cid}))
    sipp.wait_exit()
    stream.close()
    if os.environ.get("BREAKDOWN"):
        print("dial answered %.1f ms, INVITE %.1f ms after" % ((t_dialled - t0) * 1000,
                                                              (t_invite - t_dialled) * 1000))
    return (t_invite - t0) * 1000, (t_connected - t_200) * 1000


def main():
    janus = Janus().start()
    edge = None
    try:
        sipp_port = None
        sipp = Sipp("answer", janus.tmp)
        sipp_port = sipp.port
        edge = Edge(["--demo", "--limit-dials", "0", "--sip-gateway", janus.url, "--sip-route",
                     "+155501=sip:{number}@%s:%d" % (SIP_IP, sipp_port)])
        edge.start()
        invite, connected = [], []
        for i in range(CALLS):
            sipp = Sipp("answer", janus.tmp)
            sipp.port = sipp_port
            sipp.start()
            try:
                a, b = one_call(edge, sipp, "+1555010000")
            finally:
                sipp.kill()
            invite.append(a)
            connected.append(b)
        print("calls: %d" % CALLS)
        print("dial to INVITE:     median %.1f ms, p95 %.1f ms" % (statistics.median(invite),
                                                                  p95(invite)))
        print("200 to CONNECTED:   median %.1f ms, p95 %.1f ms" % (statistics.median(connected),
                                                                  p95(connected)))
        print("| %d calls | %.1f / %.1f ms | %.1f / %.1f ms |" % (
            CALLS, statistics.median(invite), p95(invite), statistics.median(connected),
            p95(connected)))
    finally:
        if edge is not None:
            edge.stop()
            edge.cleanup()
        janus.cleanup()


if __name__ == "__main__":
    main()
