"""Token checking on GET /api/me: RS256/ES256/HS256, header forms, time
claims, issuer/audience, malformed and hostile tokens, JWKS reload and the
verified-token cache."""

import base64
import hashlib
import hmac
import os
import shutil
import signal
import tempfile
import time
import unittest

from edge import Edge, ServerPerTest, assert_json_error, b64url, metric
from jwt_keys import (EcKey, HmacKey, RsaKey, encode, flip_s, is_high_s, make_token, sign_with,
                      write_jwks)

ISSUER = "https://idp.example/pool-1"
AUDIENCE = "client-A"

KEYS = {}
KEYDIR = None


def setUpModule():
    global KEYDIR
    KEYDIR = tempfile.mkdtemp(prefix="c2c-keys-")
    KEYS["r1"] = RsaKey(KEYDIR, "r1")
    KEYS["e1"] = EcKey(KEYDIR, "e1")
    KEYS["h1"] = HmacKey("h1")
    KEYS["r2"] = RsaKey(KEYDIR, "r2")
    KEYS["h2"] = HmacKey("h2")


def tearDownModule():
    if KEYDIR:
        shutil.rmtree(KEYDIR, ignore_errors=True)


def claims(sub="user-1", ttl=600, **extra):
    now = int(time.time())
    c = {"sub": sub, "email": sub + "@example.com", "name": "User " + sub,
         "iat": now, "exp": now + ttl}
    c.update(extra)
    return {k: v for k, v in c.items() if v is not None}


class AuthServer:
    """Mixin: one server per class with a JWKS file of KEYS[kids]."""
    kids = ("r1", "e1", "h1")
    flags = ()

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="c2c-auth-")
        cls.jwks = os.path.join(cls.tmp, "jwks.json")
        write_jwks(cls.jwks, [KEYS[k] for k in cls.kids])
        cls.edge = Edge(["--jwks", cls.jwks] + list(cls.flags))
        cls.edge.start()

    @classmethod
    def tearDownClass(cls):
        try:
            cls.edge.stop_ok()
        finally:
            cls.edge.cleanup()
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def me(self, token=None, authorization=None, headers=None):
        h = list(headers or [])
        if authorization is not None:
            h.append(("Authorization", authorization))
        elif token is not None:
            h.append(("Authorization", "Bearer " + token))
        return self.edge.get("/api/me", h)

    def assert_ok(self, token, **expect):
        r = self.me(token)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.header("content-type", "").startswith("application/json"))
        body = r.json()
        self.assertEqual(set(body), {"sub", "email", "name", "role", "expiresAt"}, body)
        for k, v in expect.items():
            self.assertEqual(body[k], v, k)
        return body

    def assert_rejected(self, token=None, authorization=None, status=401):
        r = self.me(token, authorization)
        assert_json_error(self, r, status)
        if status == 401:
            self.assertTrue(r.header("www-authenticate", "").startswith("Bearer"), r)
        return r


class AuthTests(AuthServer, unittest.TestCase):
    # -- valid tokens --------------------------------------------------------

    def test_rs256_valid(self):
        c = claims("alice", groups=["staff"])
        body = self.assert_ok(make_token(KEYS["r1"], c), sub="alice",
                              email="alice@example.com", name="User alice", role="customer")
        self.assertEqual(body["expiresAt"], c["exp"])

    def test_es256_valid(self):
        c = claims("bob", groups=["agents"])
        self.assert_ok(make_token(KEYS["e1"], c), sub="bob", role="agent",
                       expiresAt=c["exp"])

    def test_hs256_valid(self):
        c = claims("carol", **{"cognito:groups": ["x", "agents"]})
        self.assert_ok(make_token(KEYS["h1"], c), sub="carol", role="agent",
                       email="carol@example.com")

    def test_optional_identity_claims(self):
        c = {"sub": "dave", "exp": int(time.time()) + 300}
        self.assert_ok(make_token(KEYS["h1"], c), sub="dave", email="", name="",
                       role="customer")

    def test_agents_must_be_in_a_list(self):
        c = claims("erin", groups="agents")
        self.assert_ok(make_token(KEYS["h1"], c), role="customer")

    def test_token_without_kid_uses_the_only_fitting_key(self):
        self.assert_ok(make_token(KEYS["e1"], claims("nokid"), kid=None), sub="nokid")

    # -- header forms --------------------------------------------------------

    def test_bearer_and_raw_authorization(self):
        t = make_token(KEYS["h1"], claims("frank"))
        for value in ("Bearer " + t, "bearer " + t, "BEARER  " + t, t, "  " + t + "  "):
            with self.subTest(value=value[:12]):
                r = self.me(authorization=value)
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.json()["sub"], "frank")

    def test_missing_token_401_with_challenge(self):
        for auth in (None, "", "Bearer", "Bearer   "):
            with self.subTest(auth=auth):
                r = self.me(authorization=auth)
                assert_json_error(self, r, 401)
                self.assertIn("Bearer", r.header("www-authenticate", ""))

    def test_other_scheme_or_two_headers_rejected(self):
        t = make_token(KEYS["h1"], claims("gina"))
        r = self.me(authorization="Basic dXNlcjpwYXNz")
        self.assertIn(r.status, (400, 401))
        assert_json_error(self, r, r.status)
        r = self.me(headers=[("Authorization", "Bearer " + t), ("Authorization", "Bearer " + t)])
        self.assertIn(r.status, (400, 401))
        assert_json_error(self, r, r.status)

    # -- algorithms and signatures --------------------------------------------

    def test_alg_none_rejected(self):
        c = claims("mallory")
        for hdr in ({"alg": "none"}, {"alg": "none", "kid": "h1"}, {"alg": "None"},
                    {"alg": "NONE", "typ": "JWT"}):
            with self.subTest(hdr=hdr):
                si = encode(hdr, c)
                self.assert_rejected(si.decode() + ".")
                self.assert_rejected(sign_with(si, b"\x00" * 32))

    def test_hs256_with_rsa_public_key_rejected(self):
        """The classic alg confusion: HMAC keyed with the RSA public key."""
        pem = KEYS["r1"].public_pem
        for kid in ("r1", None):
            for key_bytes in (pem, pem.strip()):
                with self.subTest(kid=kid, strip=key_bytes is not pem):
                    si = encode({"alg": "HS256", "typ": "JWT", **({"kid": kid} if kid else {})},
                                claims("mallory"))
                    sig = hmac.new(key_bytes, si, hashlib.sha256).digest()
                    self.assert_rejected(sign_with(si, sig))

    def test_alg_key_type_mismatch_rejected(self):
        c = claims("mallory")
        # RS256 header naming the EC key, ES256 naming the RSA key, signed by that key
        si = encode({"alg": "ES256", "kid": "r1"}, c)
        self.assert_rejected(sign_with(si, KEYS["r1"].sign(si)))
        si = encode({"alg": "RS256", "kid": "e1"}, c)
        self.assert_rejected(sign_with(si, KEYS["e1"].sign(si)))
        self.assert_rejected(make_token(KEYS["h1"], c, alg="HS512"))
        self.assert_rejected(make_token(KEYS["r1"], c, alg="PS256"))

    def test_unknown_kid_rejected(self):
        self.assert_rejected(make_token(KEYS["r2"], claims("x")))  # r2 not in the JWKS
        self.assert_rejected(make_token(KEYS["h2"], claims("x"), kid="h1"))  # wrong secret

    def test_tampered_signature_rejected(self):
        for key in ("r1", "e1", "h1"):
            with self.subTest(key=key):
                t = make_token(KEYS[key], claims("tamper"))
                head, payload, sig = t.split(".")
                raw = bytearray(base64.urlsafe_b64decode(sig + "=" * (-len(sig) % 4)))
                raw[len(raw) // 2] ^= 0x01
                self.assert_rejected("%s.%s.%s" % (head, payload, b64url(bytes(raw))))
                # and a payload swapped under the original signature
                other = encode({}, claims("admin")).split(b".")[1].decode()
                self.assert_rejected("%s.%s.%s" % (head, other, sig))
                self.assert_rejected("%s.%s." % (head, payload))
                self.assert_rejected("%s.%s.%s" % (head, payload, sig[:-4]))

    def test_es256_der_signature_rejected(self):
        si = encode({"alg": "ES256", "kid": "e1"}, claims("der"))
        self.assert_rejected(sign_with(si, KEYS["e1"].sign_der(si)))

    def test_es256_high_s_rejected(self):
        # n - s is as valid a signature as s; only the low-S one is accepted
        for i in range(4):
            t = make_token(KEYS["e1"], claims("highs%d" % i))
            head, payload, sig = t.split(".")
            raw = base64.urlsafe_b64decode(sig + "=" * (-len(sig) % 4))
            self.assertFalse(is_high_s(raw))
            self.assert_ok(t, sub="highs%d" % i)
            twin = "%s.%s.%s" % (head, payload, b64url(flip_s(raw)))
            r = self.assert_rejected(twin)
            self.assertEqual(r.json()["error"], "invalid_signature", r)

    def test_control_characters_in_string_claims_rejected(self):
        def rejected(token, why):
            with self.subTest(why=why):
                r = self.assert_rejected(token)
                self.assertEqual(r.json()["error"], "invalid_token", r)

        h1, e1 = KEYS["h1"], KEYS["e1"]
        # NUL: today's cut would make "agents\0x" an agent and read sub/email up to it
        rejected(make_token(h1, claims("nul", groups=["agents\x00x"])), "NUL in groups")
        rejected(make_token(e1, claims("nul", **{"cognito:groups": ["agents\x00"]})),
                 "NUL in cognito:groups (ES256)")
        rejected(make_token(h1, claims("user-1") | {"sub": "user-1\x00admin"}), "NUL in sub")
        rejected(make_token(h1, claims("m") | {"email": "a@example.com\x00b@evil.test"}),
                 "NUL in email")
        rejected(make_token(h1, claims("m") | {"name": "Ann\x00"}), "NUL in name")
        # other control characters
        rejected(make_token(h1, claims("ctl") | {"sub": "ctl\x01"}), "U+0001 in sub")
        rejected(make_token(h1, claims("ctl") | {"email": "a@b\x1f"}), "U+001F in email")
        rejected(make_token(h1, claims("ctl") | {"name": "Ann\n"}), "newline in name")
        rejected(make_token(h1, claims("ctl") | {"name": "Ann\x7f"}), "U+007F in name")
        rejected(make_token(h1, claims("ctl", groups=["agents", "x\x1b"])), "ESC in groups")
        rejected(make_token(h1, claims("ctl", iss="https://i.example\t")), "tab in iss")
        rejected(make_token(h1, claims("ctl", aud=["a", "b\r"])), "CR in aud")
        rejected(make_token(h1, claims("ctl", token_use="id\x00")), "NUL in token_use")
        rejected(make_token(h1, claims("ctl", client_id="c\x02")), "U+0002 in client_id")
        rejected(make_token(h1, claims("ctl"), kid="h1\x00"), "NUL in kid")
        rejected(make_token(h1, claims("ctl"), kid="h1\x07"), "BEL in kid")
        rejected(make_token(h1, claims("ctl"), alg="HS256\x00"), "NUL in alg")
        # the same names without the control characters are fine
        self.assert_ok(make_token(h1, claims("user-1", groups=["agents"])), sub="user-1",
                       role="agent")
        self.assert_ok(make_token(h1, claims("ok", address={"formatted": "1 Main St\nTown"})),
                       sub="ok")

    # -- time claims ---------------------------------------------------------

    def test_expired_rejected(self):
        now = int(time.time())
        self.assert_rejected(make_token(KEYS["r1"], claims("old", iat=now - 900, exp=now - 300)))

    def test_expired_within_leeway_accepted(self):
        now = int(time.time())
        self.assert_ok(make_token(KEYS["h1"], claims("skew", iat=now - 900, exp=now - 30)),
                       sub="skew")

    def test_nbf_in_future_rejected(self):
        now = int(time.time())
        self.assert_rejected(make_token(KEYS["h1"], claims("early", nbf=now + 600)))
        self.assert_ok(make_token(KEYS["h1"], claims("almost", nbf=now + 20)), sub="almost")

    def test_iat_in_future_rejected(self):
        now = int(time.time())
        self.assert_rejected(make_token(KEYS["h1"], claims("future", iat=now + 3600,
                                                           exp=now + 7200)))

    def test_missing_or_bad_exp_rejected(self):
        c = claims("noexp")
        del c["exp"]
        self.assert_rejected(make_token(KEYS["h1"], c))
        self.assert_rejected(make_token(KEYS["h1"], claims("strexp", exp="9999999999")))

    def test_bad_identity_claims_rejected(self):
        self.assert_rejected(make_token(KEYS["h1"], claims("x") | {"sub": ""}))
        self.assert_rejected(make_token(KEYS["h1"], claims() | {"sub": 12345}))
        c = claims()
        del c["sub"]
        self.assert_rejected(make_token(KEYS["h1"], c))
        self.assert_rejected(make_token(KEYS["h1"], claims("x" * 300)))

    # -- malformed -----------------------------------------------------------

    def test_malformed_tokens_rejected(self):
        good = make_token(KEYS["h1"], claims("fine"))
        head, payload, sig = good.split(".")
        bad_json = encode("{not json", {"a": 1}).split(b".")[0].decode()
        cases = [
            "abc",
            "a.b",
            "a.b.c.d",
            "..",
            "!!!.%s.%s" % (payload, sig),
            "%s.***.%s" % (head, sig),
            "%s.%s.%s" % (bad_json, payload, sig),
            "%s.%s.%s" % (head, b64url("[1,2,3]"), sig),
            "%s.%s.%s" % (b64url('{"alg":"HS256","alg":"none"}'), payload, sig),
            "%s==.%s.%s" % (head, payload, sig),
            "%s.%s.%s" % (head + "A", payload, sig),
            good.replace("-", "+").replace("_", "/") if ("-" in good or "_" in good) else good + "=",
        ]
        for t in cases:
            with self.subTest(token=t[:40]):
                self.assert_rejected(t)

    def test_oversized_token_rejected(self):
        pad_ok = claims("big", pad="p" * 5000)
        t_ok = make_token(KEYS["h1"], pad_ok)
        self.assertLess(len(t_ok), 8192)
        self.assert_ok(t_ok, sub="big")
        t_big = make_token(KEYS["h1"], claims("big", pad="p" * 6500))
        self.assertGreater(len(t_big), 8192)
        self.assertLess(len(t_big), 15000)
        self.assert_rejected(t_big)

    # -- cache ---------------------------------------------------------------

    def test_token_cache_hits_in_metrics(self):
        t = make_token(KEYS["r1"], claims("cached"))
        m0 = self.edge.metrics()
        for _ in range(4):
            self.assert_ok(t, sub="cached")
        m1 = self.edge.metrics()
        hits = (metric(m1, "c2c_token_cache_hits_total") -
                metric(m0, "c2c_token_cache_hits_total"))
        misses = (metric(m1, "c2c_token_cache_misses_total") -
                  metric(m0, "c2c_token_cache_misses_total"))
        self.assertGreaterEqual(hits, 3, (hits, misses))
        self.assertGreaterEqual(misses, 1)
        self.assertLessEqual(misses, 1, (hits, misses))


class ShortLeewayTests(AuthServer, unittest.TestCase):
    kids = ("h1",)
    flags = ("--token-leeway-s", "0")

    def test_expired_even_when_cached(self):
        now = int(time.time())
        t = make_token(KEYS["h1"], claims("brief", exp=now + 2))
        self.assert_ok(t, sub="brief")
        self.assert_ok(t, sub="brief")  # now cached
        time.sleep(max(0.0, now + 2.2 - time.time()))
        self.assert_rejected(t)

    def test_expired_30s_ago_rejected_without_leeway(self):
        now = int(time.time())
        self.assert_rejected(make_token(KEYS["h1"], claims("skew", exp=now - 30)))


class HighSAllowedTests(AuthServer, unittest.TestCase):
    """--es256-allow-high-s: for issuers that do not normalize s, both
    spellings of a signature verify; a tampered signature still does not."""
    kids = ("e1",)
    flags = ("--es256-allow-high-s",)

    def test_high_s_accepted_when_allowed(self):
        t = make_token(KEYS["e1"], claims("twin"))
        head, payload, sig = t.split(".")
        raw = base64.urlsafe_b64decode(sig + "=" * (-len(sig) % 4))
        self.assert_ok("%s.%s.%s" % (head, payload, b64url(flip_s(raw))), sub="twin")
        broken = bytearray(flip_s(raw))
        broken[-1] ^= 0x01
        self.assert_rejected("%s.%s.%s" % (head, payload, b64url(bytes(broken))))


class IssuerAudienceTests(AuthServer, unittest.TestCase):
    flags = ("--issuer", ISSUER, "--audience", AUDIENCE)

    def test_right_issuer_and_audience_string(self):
        self.assert_ok(make_token(KEYS["r1"], claims("ia", iss=ISSUER, aud=AUDIENCE)), sub="ia")

    def test_audience_array(self):
        self.assert_ok(make_token(KEYS["e1"], claims("arr", iss=ISSUER,
                                                     aud=["other", AUDIENCE])), sub="arr")

    def test_cognito_access_token_client_id(self):
        c = claims("cog", iss=ISSUER, client_id=AUDIENCE, token_use="access",
                   **{"cognito:groups": ["agents"]})
        self.assert_ok(make_token(KEYS["h1"], c), sub="cog", role="agent")

    def test_wrong_issuer_rejected(self):
        self.assert_rejected(make_token(KEYS["h1"], claims("wi", iss="https://evil.example",
                                                           aud=AUDIENCE)))
        self.assert_rejected(make_token(KEYS["h1"], claims("wi", iss=ISSUER + "/",
                                                           aud=AUDIENCE)))
        self.assert_rejected(make_token(KEYS["h1"], claims("noiss", aud=AUDIENCE)))

    def test_wrong_audience_rejected(self):
        for aud in ("client-B", ["client-B", "client-C"], [], AUDIENCE.upper()):
            with self.subTest(aud=aud):
                self.assert_rejected(make_token(KEYS["h1"], claims("wa", iss=ISSUER, aud=aud)))
        self.assert_rejected(make_token(KEYS["h1"], claims("noaud", iss=ISSUER)))
        self.assert_rejected(make_token(KEYS["h1"], claims(
            "cog", iss=ISSUER, client_id="client-B", token_use="access")))

    def test_bad_token_use_rejected(self):
        self.assert_rejected(make_token(KEYS["h1"], claims(
            "tu", iss=ISSUER, client_id=AUDIENCE, token_use="refresh")))


def forged(key, c):
    """A token for key's kid whose signature is another key's: it costs the
    server a verification and fails it."""
    good = make_token(key, c)
    other = make_token(KEYS["e1"] if key is not KEYS["e1"] else KEYS["r1"], claims("other"))
    return good.rsplit(".", 1)[0] + "." + other.rsplit(".", 1)[1]


class FailLimitTests(ServerPerTest, AuthServer, unittest.TestCase):
    """--token-fail-limit: past N costly failures from an address in 10 s, its
    uncached tokens get 429 with Retry-After, without being verified. Each test
    runs its own server (ServerPerTest before AuthServer): the count is per
    server; the class's JWKS file serves them all."""
    LIMIT = 3

    def server_flags(self):
        return ["--jwks", self.jwks, "--token-fail-limit", str(self.LIMIT)]

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="c2c-limit-")
        cls.jwks = os.path.join(cls.tmp, "jwks.json")
        write_jwks(cls.jwks, [KEYS["r1"], KEYS["e1"], KEYS["h1"]])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_forged_signatures_then_429_but_cached_tokens_pass(self):
        known = make_token(KEYS["e1"], claims("known"))
        self.assert_ok(known, sub="known")  # verified and cached before the flood
        for i in range(self.LIMIT):
            r = self.assert_rejected(forged(KEYS["e1"], claims("f%d" % i)))
            self.assertEqual(r.json()["error"], "invalid_signature")
        r = self.me(forged(KEYS["e1"], claims("more")))
        assert_json_error(self, r, 429, "too_many_token_failures")
        self.assertTrue(1 <= int(r.header("retry-after")) <= 10, r)
        # a valid token not seen before waits too; the cached one does not
        assert_json_error(self, self.me(make_token(KEYS["r1"], claims("new"))), 429)
        self.assert_ok(known, sub="known")
        self.assertEqual(metric(self.edge.metrics(), "c2c_tokens_limited_total"), 2)

    def test_only_forged_signatures_count(self):
        past = int(time.time()) - 3600
        for i in range(10):
            assert_json_error(self, self.me("not.a.token"), 401)
            assert_json_error(self, self.me(make_token(KEYS["h1"], claims("x"), kid="nope")), 401)
            # expired: refused before the signature is checked, even a forged one
            r = self.assert_rejected(make_token(KEYS["e1"], claims("old%d" % i, exp=past)))
            self.assertEqual(r.json()["error"], "token_expired")
            r = self.assert_rejected(forged(KEYS["e1"], claims("oldf%d" % i, exp=past)))
            self.assertEqual(r.json()["error"], "token_expired")
        self.assert_ok(make_token(KEYS["h1"], claims("still-fine")), sub="still-fine")
        for i in range(self.LIMIT):
            r = self.assert_rejected(forged(KEYS["h1"], claims("f%d" % i)))
            self.assertEqual(r.json()["error"], "invalid_signature")
        assert_json_error(self, self.me(make_token(KEYS["h1"], claims("late"))), 429)

    def test_the_window_ends(self):
        for i in range(self.LIMIT):
            self.assert_rejected(forged(KEYS["h1"], claims("w%d" % i)))
        r = self.me(make_token(KEYS["h1"], claims("waiting")))
        assert_json_error(self, r, 429)
        time.sleep(int(r.header("retry-after")) + 0.2)
        self.assert_ok(make_token(KEYS["h1"], claims("after")), sub="after")


class NoFailLimitTests(AuthServer, unittest.TestCase):
    flags = ("--token-fail-limit", "0")

    def test_no_limit(self):
        for i in range(30):
            self.assert_rejected(forged(KEYS["h1"], claims("n%d" % i)))
        self.assert_ok(make_token(KEYS["h1"], claims("fine")), sub="fine")


class ReloadTests(unittest.TestCase):
    """Each test runs its own server on its own JWKS file."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="c2c-reload-")
        self.jwks = os.path.join(self.tmp, "jwks.json")
        write_jwks(self.jwks, [KEYS["r1"], KEYS["h1"]])
        self.edge = Edge(["--jwks", self.jwks])
        self.edge.start()
        self.old = make_token(KEYS["r1"], claims("old"))
        self.new = make_token(KEYS["r2"], claims("new"))

    def tearDown(self):
        try:
            self.edge.stop_ok(self)
        finally:
            self.edge.kill()
            self.edge.cleanup()
            shutil.rmtree(self.tmp, ignore_errors=True)

    def status(self, token):
        return self.edge.get("/api/me", {"Authorization": "Bearer " + token}).status

    def wait_stderr(self, text, timeout=4.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.edge.stderr_text():
                return True
            time.sleep(0.05)
        return False

    def test_sighup_reload(self):
        self.assertEqual(self.status(self.old), 200)
        self.assertEqual(self.status(self.old), 200)  # cached now
        self.assertEqual(self.status(self.new), 401)
        write_jwks(self.jwks, [KEYS["r2"], KEYS["h2"]])
        self.edge.signal(signal.SIGHUP)
        self.assertTrue(self.wait_stderr("keys reloaded"),
                        "no reload message after SIGHUP:\n" + self.edge.stderr_tail())
        self.assertEqual(self.status(self.old), 401, "old kid still accepted (cache?)")
        self.assertEqual(self.status(self.new), 200)
        self.assertEqual(self.status(make_token(KEYS["h2"], claims("h2"))), 200)
        self.assertEqual(self.status(make_token(KEYS["h1"], claims("h1"))), 401)

    def test_file_change_picked_up_without_signal(self):
        self.assertEqual(self.status(self.old), 200)
        self.assertEqual(self.status(self.new), 401)
        write_jwks(self.jwks, [KEYS["r2"]])
        t0 = time.monotonic()
        while time.monotonic() - t0 < 4.0:
            if self.status(self.new) == 200:
                break
            time.sleep(0.1)
        elapsed = time.monotonic() - t0
        self.assertEqual(self.status(self.new), 200, "new key not picked up in 4 s")
        self.assertLess(elapsed, 3.5)
        self.assertEqual(self.status(self.old), 401)

    def test_broken_jwks_keeps_old_keys(self):
        self.assertEqual(self.status(self.old), 200)
        with open(self.jwks + ".tmp", "w") as f:
            f.write('{"keys": [ {"kty": "RSA", "kid": "r9", "n": "AQAB"')  # truncated
        os.replace(self.jwks + ".tmp", self.jwks)
        self.edge.signal(signal.SIGHUP)
        self.assertTrue(self.wait_stderr("reload failed"),
                        "no failure message:\n" + self.edge.stderr_tail())
        self.assertEqual(self.status(self.old), 200)
        self.assertEqual(self.status(make_token(KEYS["r1"], claims("fresh"))), 200)
        self.assertTrue(self.edge.alive())


class DemoKeyTests(unittest.TestCase):
    """The demo key lives in --data DIR/demo.key: demo tokens survive a
    restart, and a server with another data directory refuses them."""

    def mint(self, edge):
        r = edge.get("/demo/token?sub=kept&name=Kept")
        self.assertEqual(r.status, 200, r)
        return r.json()["token"]

    def me(self, edge, token):
        return edge.get("/api/me", headers={"Authorization": "Bearer " + token})

    def test_demo_tokens_survive_a_restart(self):
        first = Edge(["--demo"])
        first.start()
        self.addCleanup(first.cleanup)
        token = self.mint(first)
        first.stop_ok(self)
        key = os.path.join(first.data_dir, "demo.key")
        self.assertEqual(os.stat(key).st_mode & 0o777, 0o600)
        second = Edge(["--demo", "--data", first.data_dir], data=False)
        second.start()
        try:
            self.assertEqual(self.me(second, token).status, 200)
        finally:
            second.stop_ok(self)
        other = Edge(["--demo"])
        other.start()
        try:
            assert_json_error(self, self.me(other, token), 401)
        finally:
            other.stop_ok(self)
            other.cleanup()


if __name__ == "__main__":
    unittest.main()
