"""The SIP bridge's test bench: Janus (its SIP plugin, HTTP API on
127.0.0.1) and sipp user agents, inside the private network namespace
tests/sip/run.sh made (a veth pair with 198.51.100.1 on v0 and the default
route on it: Janus ignores loopback when it gathers ICE candidates, and
nothing here can reach any other machine).

Every process is started by a test and stopped by it; ports are picked
free; configs and logs live in temporary directories removed at the end."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

SIP_IP = "198.51.100.1"      # v0's address (run.sh)
SIP_IFACE = "v0"
JANUS_LIBS = "/usr/lib/x86_64-linux-gnu/janus"
START_TIMEOUT = 10.0
# Janus's media ports, below the ephemeral range (where free_port picks
# sipp's ports), so that a call's RTP never takes a port a sipp is given
WEBRTC_RTP_PORTS = "10000-10999"
SIP_RTP_PORTS = "11000-11999"
ADMIN_SECRET = "c2c-test-admin"


def free_port(kind=socket.SOCK_STREAM, host="127.0.0.1"):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout, step=0.02, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("timed out after %.1f s waiting for %s" % (timeout, what))


class Janus:
    """One Janus process with only the SIP plugin and the HTTP transport."""

    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="c2c-janus-")
        self.port = free_port()
        self.admin_port = free_port()
        self.url = "http://127.0.0.1:%d/janus" % self.port
        self.proc = None
        self.log_path = os.path.join(self.tmp, "janus.log")
        for sub, lib in (("plugins", "libjanus_sip.so"), ("transports", "libjanus_http.so")):
            os.mkdir(os.path.join(self.tmp, sub))
            os.symlink(os.path.join(JANUS_LIBS, sub, lib), os.path.join(self.tmp, sub, lib))
        os.mkdir(os.path.join(self.tmp, "none"))
        self._write("janus.jcfg", """
general: {
    configs_folder = "%(d)s"
    plugins_folder = "%(d)s/plugins"
    transports_folder = "%(d)s/transports"
    events_folder = "%(d)s/none"
    loggers_folder = "%(d)s/none"
    debug_level = 4
    session_timeout = 60
    admin_secret = "%(secret)s"
}
nat: {
    ice_enforce_list = "%(iface)s"
}
media: {
    rtp_port_range = "%(webrtc)s"
}
""" % {"d": self.tmp, "iface": SIP_IFACE, "webrtc": WEBRTC_RTP_PORTS,
       "secret": ADMIN_SECRET})
        self._write("janus.transport.http.jcfg", """
general: {
    json = "compact"
    base_path = "/janus"
    http = true
    port = %d
    ip = "127.0.0.1"
    https = false
}
admin: {
    admin_base_path = "/admin"
    admin_http = true
    admin_port = %d
    admin_ip = "127.0.0.1"
    admin_https = false
}
""" % (self.port, self.admin_port))
        self._write("janus.plugin.sip.jcfg", """
general: {
    local_ip = "%s"
    keepalive_interval = 0
    behind_nat = false
    register_ttl = 3600
    rtp_port_range = "%s"
    user_agent = "c2c-test-janus"
}
""" % (SIP_IP, SIP_RTP_PORTS))

    def _write(self, name, text):
        with open(os.path.join(self.tmp, name), "w") as f:
            f.write(text)

    def start(self):
        log = open(self.log_path, "ab")
        try:
            self.proc = subprocess.Popen(
                ["janus", "-F", self.tmp, "-C", os.path.join(self.tmp, "janus.jcfg")],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        finally:
            log.close()
        wait_until(self.answers, START_TIMEOUT, what="Janus to answer on %s" % self.url)
        return self

    def answers(self):
        if self.proc.poll() is not None:
            raise AssertionError("janus exited %s:\n%s" % (self.proc.returncode, self.log()))
        try:
            with urllib.request.urlopen(self.url + "/info", timeout=1) as r:
                return json.load(r).get("janus") == "server_info"
        except OSError:
            return False

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.kill()

    def sessions(self):
        """The ids of the sessions Janus holds (its admin API)."""
        body = json.dumps({"janus": "list_sessions", "transaction": "t",
                           "admin_secret": ADMIN_SECRET}).encode()
        req = urllib.request.Request("http://127.0.0.1:%d/admin" % self.admin_port, data=body,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=2) as r:
            answer = json.load(r)
        if answer.get("janus") != "success":
            raise AssertionError("list_sessions: %r" % answer)
        return answer["sessions"]

    def log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def cleanup(self):
        self.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)


# ---------------------------------------------------------------------------
# sipp scenarios (UAS): each answers one INVITE its own way

_REPLY_HEAD = """SIP/2.0 %(status)s
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port];transport=[transport]>
"""

_SDP = """v=0
o=sipp 53655765 2353687637 IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0%(te_pt)s
a=rtpmap:0 PCMU/8000
%(te)sa=sendrecv
"""


def reply(status, sdp=False, telephone_event=True):
    text = _REPLY_HEAD % {"status": status}
    if sdp:
        body = _SDP % {"te_pt": " 101" if telephone_event else "",
                       "te": "a=rtpmap:101 telephone-event/8000\na=fmtp:101 0-15\n"
                       if telephone_event else ""}
        text += "Content-Type: application/sdp\nContent-Length: [len]\n\n" + body
    else:
        text += "Content-Length: 0\n\n"
    return text


def send(text, retrans=False, extra=""):
    return '<send%s%s><![CDATA[\n%s]]></send>\n' % (
        ' retrans="500"' if retrans else "", extra, text)


def scenario(body):
    return ('<?xml version="1.0" encoding="ISO-8859-1" ?>\n'
            '<scenario name="c2c">\n<recv request="INVITE" crlf="true" rrs="true"/>\n%s</scenario>\n' % body)


def answer_then(rest, telephone_event=True, keep_caller=False):
    """180, 200 with SDP, ACK (its From kept as [$caller]: sipp refuses a
    variable it never uses), then rest."""
    ack = ('<recv request="ACK"><action><ereg regexp=".*" search_in="hdr" header="From:" '
           'assign_to="caller"/></action></recv>\n' if keep_caller else '<recv request="ACK"/>\n')
    return (send(reply("180 Ringing")) +
            send(reply("200 OK", sdp=True, telephone_event=telephone_event), retrans=True) +
            ack + rest)


# after the 200: INFOs are answered (and logged) until the BYE comes
WAIT_BYE = """<label id="1"/>
<recv request="INFO" optional="true" next="2"/>
<recv request="BYE"/>
""" + send(reply("200 OK")) + """<nop next="3"/>
<label id="2"/>
""" + send(reply("200 OK"), extra=' next="1"') + """<label id="3"/>
"""

# after the 200 and its ACK, the far end hangs up; the ACK's From (the
# caller's side, with Janus's tag) is the BYE's To
SEND_BYE = """<pause milliseconds="300"/>
<send retrans="500"><![CDATA[
BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:far@[local_ip]:[local_port]>;tag=[pid]SIPpTag01[call_number]
To:[$caller]
[last_Call-ID:]
CSeq: 1 BYE
Contact: <sip:[local_ip]:[local_port];transport=[transport]>
Max-Forwards: 70
Content-Length: 0

]]></send>
<recv response="200"/>
"""

# after the 200 and its ACK, the far end plays tone.ul (raw PCMU at 8 kHz,
# in sipp's directory: see Sipp.tone) to the media address of the INVITE
PLAY_TONE = '<nop><action><exec rtp_stream="tone.ul,1,0"/></action></nop>\n'

SCENARIOS = {
    "answer": scenario(answer_then(WAIT_BYE)),
    "answer_play": scenario(answer_then(PLAY_TONE + WAIT_BYE)),
    "answer_no_te": scenario(answer_then(WAIT_BYE, telephone_event=False)),
    "answer_bye": scenario(answer_then(SEND_BYE, keep_caller=True)),
    "busy": scenario(send(reply("486 Busy Here")) + '<recv request="ACK"/>\n'),
    "decline": scenario(send(reply("603 Decline")) + '<recv request="ACK"/>\n'),
    "unavailable": scenario(send(reply("503 Service Unavailable")) + '<recv request="ACK"/>\n'),
    "ring_forever": scenario(send(reply("180 Ringing")) + '<recv request="CANCEL"/>\n' +
                             send(reply("200 OK"))),
}


class Sipp:
    """One sipp UAS on SIP_IP:port running one scenario for one call, with
    every message it sends and receives logged."""

    def __init__(self, name, tmp):
        self.name = name
        self.port = free_port(socket.SOCK_DGRAM, SIP_IP)
        self.media_port = free_port(socket.SOCK_DGRAM, SIP_IP)
        self.dir = tempfile.mkdtemp(prefix="sipp-", dir=tmp)
        self.xml = os.path.join(self.dir, name + ".xml")
        self.messages_path = os.path.join(self.dir, "messages.log")
        self.out_path = os.path.join(self.dir, "out.log")
        with open(self.xml, "w") as f:
            f.write(SCENARIOS[name])
        self.proc = None

    def tone(self, seconds):
        """Write the tone the answer_play scenario plays: a 440 Hz sine."""
        subprocess.run(["sox", "-n", "-r", "8000", "-c", "1", "-t", "ul",
                        os.path.join(self.dir, "tone.ul"), "synth", str(seconds), "sine", "440",
                        "vol", "0.5"], check=True, stdout=subprocess.DEVNULL)

    def uri(self, user="{number}"):
        return "sip:%s@%s:%d" % (user, SIP_IP, self.port)

    def start(self):
        out = open(self.out_path, "wb")
        try:
            self.proc = subprocess.Popen(
                ["sipp", "-sf", self.xml, "-i", SIP_IP, "-p", str(self.port), "-mi", SIP_IP,
                 "-mp", str(self.media_port), "-m", "1", "-nostdin", "-trace_msg",
                 "-message_file", self.messages_path, "-timeout", "60"],
                cwd=self.dir, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
        finally:
            out.close()
        time.sleep(0.1)  # sipp binds at once; give it the moment to
        if self.proc.poll() is not None:
            with open(self.out_path, "rb") as f:
                raise AssertionError("sipp (%s) exited %s at start:\n%s" % (
                    self.name, self.proc.returncode, f.read().decode("utf-8", "replace")[-2000:]))
        return self

    def messages(self):
        try:
            with open(self.messages_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def received(self, method):
        """The SIP requests of method that sipp received, as raw texts."""
        out = []
        for part in re.split(r"-{5,} [^\n]*\n", self.messages()):
            head, _, rest = part.partition("\n")
            if head.startswith("UDP message received"):
                rest = rest.lstrip()
                if rest.startswith(method + " "):
                    out.append(rest.strip())
        return out

    def wait_received(self, method, count=1, timeout=5.0):
        return wait_until(lambda: len(self.received(method)) >= count and self.received(method),
                          timeout, what="sipp (%s) to receive %d %s; log:\n%s"
                          % (self.name, count, method, self.messages()[-3000:]))

    def wait_exit(self, timeout=5.0):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError("sipp (%s) still running; log:\n%s"
                                 % (self.name, self.messages()[-3000:]))

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(5)


def header(message, name):
    """The value of header name in a raw SIP message, or None."""
    for line in message.split("\n"):
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() == name.lower():
            return value.strip()
    return None


# A browser's WebRTC offer, as Janus needs it to place the call: audio
# only, Opus and telephone-event, ICE credentials, a DTLS fingerprint.
WEBRTC_OFFER = "\r\n".join([
    "v=0",
    "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
    "s=-",
    "t=0 0",
    "a=group:BUNDLE 0",
    "a=msid-semantic: WMS c2c",
    "m=audio 9 UDP/TLS/RTP/SAVPF 111 126",
    "c=IN IP4 0.0.0.0",
    "a=rtcp:9 IN IP4 0.0.0.0",
    "a=ice-ufrag:c2cT",
    "a=ice-pwd:c2ctestpasswordc2ctestpw",
    "a=ice-options:trickle",
    "a=fingerprint:sha-256 " + ":".join(["AB"] * 32),
    "a=setup:actpass",
    "a=mid:0",
    "a=sendrecv",
    "a=msid:c2c audio0",
    "a=rtcp-mux",
    "a=rtpmap:111 opus/48000/2",
    "a=fmtp:111 minptime=10;useinbandfec=1",
    "a=rtpmap:126 telephone-event/8000",
    "a=ssrc:11111111 cname:c2ctest",
    "",
])
