"""Recording bridged calls (--record-calls): the real c2c-edge asks a real
Janus to record both legs of a call to a sipp phone that plays a tone;
after the hang-up the edge converts them (janus-pp-rec, sox) into one WAV,
which a supervisor's token fetches (GET /api/recordings/<ContactId>); other
tokens get 403, unknown contacts 404, and the raw .mjr files are gone.
Recordings older than --retention-days are deleted. Without the flag
nothing is recorded.

Runs inside the namespace tests/sip/run.sh prepares."""

import array
import glob
import io
import math
import os
import socket
import time
import unittest
import wave

from edge import Edge, assert_json_error
from sipnet import SIP_IP, Janus, Sipp, free_port, wait_until
from test_calls import cid_of, jt_of
from test_chat import new_sub
from test_sip import BridgeClient

PREFIX = "+155508"  # every number here goes to the playing phone
NUMBER = PREFIX + "0000"
TONE_S = 3
MADE = ("c2c_recordings_made_total", frozenset())
FAILED = ("c2c_recordings_failed_total", frozenset())
RMS_MIN = 1000  # the tone is a half-scale sine (RMS ~11500 as 16-bit PCM); silence is ~0


def rms(frames):
    samples = array.array("h", frames)
    if not samples:
        return 0.0
    return math.sqrt(sum(s * s for s in samples) / len(samples))


class RecordingBench(BridgeClient):
    """One Janus, one sipp port for the playing phone, one edge (flags)."""

    EXTRA_FLAGS = ()

    @classmethod
    def setUpClass(cls):
        cls.janus = Janus().start()
        cls.port = free_port(socket.SOCK_DGRAM, SIP_IP)
        flags = ["--demo", "--sip-gateway", cls.janus.url, "--limit-dials", "0",
                 "--sip-route", "%s=sip:{number}@%s:%d" % (PREFIX, SIP_IP, cls.port)]
        cls.edge = Edge(flags + list(cls.EXTRA_FLAGS))
        cls.prepare(cls.edge.data_dir)
        try:
            cls.edge.start()
        except Exception:
            cls.janus.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        if os.environ.get("C2C_SIP_DEBUG"):
            print("---- janus log\n" + cls.janus.log()[-6000:])
            print("---- edge stderr\n" + cls.edge.stderr_tail())
        try:
            cls.edge.stop_ok()
        finally:
            cls.edge.cleanup()
            cls.janus.cleanup()

    @classmethod
    def prepare(cls, data_dir):
        """Files to put under --data before the edge starts."""

    def played_call(self):
        """A call answered by a phone playing a tone: (sipp, token, contact id, stream)."""
        sipp = Sipp("answer_play", self.edge.tmp)
        sipp.port = self.port
        sipp.tone(TONE_S)
        sipp.start()
        self.addCleanup(sipp.kill)
        token = self.mint(new_sub("rec"))
        ans = self.dial(token, NUMBER).json()
        stream = self.stream(jt_of(ans), {"contact.state", "signal"})
        self.addCleanup(stream.close)
        self.offer(ans)
        while True:
            ev = stream.next_event(5.0)
            if ev["event"] == "contact.state" and ev["json"]["State"] == "CONNECTED":
                break
        return sipp, token, cid_of(ans), stream

    def recording(self, cid, role="supervisor"):
        token = self.mint(new_sub(role), "Boss", role=role)
        return self.edge.get("/api/recordings/" + cid,
                             headers={"Authorization": "Bearer " + token})

    def raw_files(self):
        return glob.glob(os.path.join(self.edge.data_dir, "recordings", "raw", "*"))


class RecordingTests(RecordingBench, unittest.TestCase):
    EXTRA_FLAGS = ("--record-calls",)

    @classmethod
    def prepare(cls, data_dir):
        # a previous run stopped while converting: its raw leg (not a real .mjr) is left
        os.makedirs(os.path.join(data_dir, "recordings", "raw"))
        with open(os.path.join(data_dir, "recordings", "raw", "leftover-peer-audio.mjr"),
                  "wb") as f:
            f.write(b"MJR00002 but nothing Janus wrote")

    def test_leftover_of_a_previous_run_is_converted_at_start(self):
        wait_until(lambda: self.edge.metrics()[FAILED] == 1, 10.0, step=0.05,
                   what="the leftover's conversion to fail")
        self.assertFalse(os.path.exists(os.path.join(self.edge.data_dir, "recordings", "raw",
                                                     "leftover-peer-audio.mjr")))
        assert_json_error(self, self.recording("leftover"), 404, "not_found")

    def test_call_recorded_converted_and_served_to_supervisors(self):
        wait_until(lambda: self.edge.metrics()[FAILED] == 1, 10.0, step=0.05,
                   what="the leftover's conversion to fail (see the test above)")
        before = self.edge.metrics()
        # a recording older than --retention-days (30 by default) goes with its contact
        old = os.path.join(self.edge.data_dir, "recordings", "old-contact.wav")
        with open(old, "wb") as f:
            f.write(b"RIFF")
        forty_days_ago = time.time() - 40 * 86400
        os.utime(old, (forty_days_ago, forty_days_ago))
        sipp, token, cid, stream = self.played_call()
        peer = os.path.join(self.edge.data_dir, "recordings", "raw", cid + "-peer-audio.mjr")
        # Janus writes the phone's leg as its RTP arrives: 2 s of PCMU is 16000 bytes of payload
        wait_until(lambda: os.path.exists(peer) and os.path.getsize(peer) > 20000, 5.0,
                   what="Janus to record 2 s of the phone's tone")
        # while the call goes on, its recording is pending
        assert_json_error(self, self.recording(cid), 409, "recording_pending")
        self.assertEqual(self.hang_up(token, cid).status, 200)
        self.assertEqual(self.state(stream, "ENDED")["Reason"], "customer_hangup")
        self.assertEqual(sipp.wait_exit(), 0)

        r = wait_until(lambda: (lambda x: x if x.status != 409 else None)(self.recording(cid)),
                       15.0, step=0.1, what="the recording to be converted")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Content-Type"), "audio/wav")
        with wave.open(io.BytesIO(r.body)) as w:
            self.assertEqual(w.getsampwidth(), 2)
            self.assertEqual(w.getnchannels(), 1)
            duration = w.getnframes() / w.getframerate()
            frames = w.readframes(w.getnframes())
        self.assertGreater(duration, 1.5)
        self.assertLess(duration, TONE_S + 3.0)
        self.assertGreater(rms(frames), RMS_MIN)
        # one file per call, the raw legs gone; the sweep after the conversion took the old one
        self.assertEqual(sorted(os.listdir(os.path.join(self.edge.data_dir, "recordings"))),
                         [cid + ".wav", "raw"])
        self.assertEqual(self.raw_files(), [])
        after = self.edge.metrics()
        self.assertEqual(after[MADE] - before[MADE], 1)
        self.assertEqual(after[FAILED], before[FAILED])

        # only supervisors: agents and customers are refused, unknown ids are 404
        assert_json_error(self, self.recording(cid, role="agent"), 403, "forbidden")
        assert_json_error(self, self.recording(cid, role="customer"), 403, "forbidden")
        assert_json_error(self, self.recording("00000000-0000-4000-8000-000000000000"),
                          404, "not_found")
        assert_json_error(self, self.recording("..%2F..%2Fetc"), 404, "not_found")
        r = self.edge.get("/api/recordings/" + cid)
        self.assertEqual(r.status, 401, r)


class NotRecordingTests(RecordingBench, unittest.TestCase):
    def test_off_by_default(self):
        sipp, token, cid, stream = self.played_call()
        self.assertEqual(self.hang_up(token, cid).status, 200)
        self.assertEqual(self.state(stream, "ENDED")["Reason"], "customer_hangup")
        self.assertEqual(sipp.wait_exit(), 0)
        self.assertFalse(os.path.exists(os.path.join(self.edge.data_dir, "recordings")))
        assert_json_error(self, self.recording(cid), 404, "not_found")
        self.assertEqual(self.edge.metrics()[MADE], 0)


if __name__ == "__main__":
    unittest.main()
