"""Test keys and JWTs for the auth tests, made with the openssl CLI.

RSA (RS256) and EC P-256 (ES256) keys are generated with `openssl genpkey`;
public parameters are read back with `openssl rsa -modulus` / `-text` and
`openssl pkey -pubout -outform DER`; signatures come from `openssl dgst
-sha256 -sign` (ES256 DER signatures are converted to raw r||s). HS256 is
plain hmac. Nothing here talks to the server.
"""

import hashlib
import hmac
import json
import os
import re
import subprocess

from edge import b64url

OPENSSL_TIMEOUT = 30


def _openssl(args, data=None):
    p = subprocess.run(["openssl"] + args, input=data, capture_output=True,
                       timeout=OPENSSL_TIMEOUT)
    if p.returncode != 0:
        raise RuntimeError("openssl %s failed: %s" % (" ".join(args),
                                                      p.stderr.decode("utf-8", "replace")))
    return p.stdout


def _int_b64url(n):
    return b64url(n.to_bytes((n.bit_length() + 7) // 8, "big"))


class RsaKey:
    def __init__(self, directory, kid, bits=2048):
        self.kid = kid
        self.path = os.path.join(directory, "rsa-%s.pem" % kid)
        _openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:%d" % bits,
                  "-out", self.path])
        mod = _openssl(["rsa", "-in", self.path, "-noout", "-modulus"]).decode()
        m = re.search(r"Modulus=([0-9A-Fa-f]+)", mod)
        self.n = int(m.group(1), 16)
        text = _openssl(["rsa", "-in", self.path, "-noout", "-text"]).decode()
        m = re.search(r"publicExponent:\s*(\d+)", text)
        self.e = int(m.group(1))
        self.public_pem = _openssl(["pkey", "-in", self.path, "-pubout"])

    def jwk(self):
        return {"kty": "RSA", "kid": self.kid, "use": "sig", "alg": "RS256",
                "n": _int_b64url(self.n), "e": _int_b64url(self.e)}

    def sign(self, signing_input):
        return _openssl(["dgst", "-sha256", "-sign", self.path], signing_input)


def der_ecdsa_to_raw(der, size=32):
    """ECDSA-Sig-Value (SEQUENCE { INTEGER r, INTEGER s }) -> r || s."""
    def read_len(buf, i):
        n = buf[i]
        i += 1
        if n & 0x80:
            k = n & 0x7F
            n = int.from_bytes(buf[i:i + k], "big")
            i += k
        return n, i

    if der[0] != 0x30:
        raise ValueError("not a DER SEQUENCE")
    _, i = read_len(der, 1)
    out = b""
    for _ in range(2):
        if der[i] != 0x02:
            raise ValueError("not a DER INTEGER")
        n, i = read_len(der, i + 1)
        v = int.from_bytes(der[i:i + n], "big")
        i += n
        out += v.to_bytes(size, "big")
    return out


# The order n of P-256 (FIPS 186-4, D.1.2.3).
P256_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def is_high_s(raw):
    """True when the s of a raw r || s ES256 signature is above n/2."""
    return int.from_bytes(raw[32:], "big") > P256_N // 2


def flip_s(raw):
    """r || (n - s): the other, mathematically valid spelling of a signature."""
    return raw[:32] + (P256_N - int.from_bytes(raw[32:], "big")).to_bytes(32, "big")


class EcKey:
    def __init__(self, directory, kid):
        self.kid = kid
        self.path = os.path.join(directory, "ec-%s.pem" % kid)
        _openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                  "-out", self.path])
        der = _openssl(["pkey", "-in", self.path, "-pubout", "-outform", "DER"])
        point = der[-65:]  # the BIT STRING ends with the uncompressed point
        if point[0] != 0x04:
            raise ValueError("unexpected EC public key encoding")
        self.x, self.y = point[1:33], point[33:65]

    def jwk(self):
        return {"kty": "EC", "kid": self.kid, "use": "sig", "alg": "ES256", "crv": "P-256",
                "x": b64url(self.x), "y": b64url(self.y)}

    def sign_der(self, signing_input):
        return _openssl(["dgst", "-sha256", "-sign", self.path], signing_input)

    def sign(self, signing_input):
        """Raw r || s with s normalized to the low half, as the server requires
        (openssl leaves half of its signatures with a high s)."""
        raw = der_ecdsa_to_raw(self.sign_der(signing_input))
        return raw if not is_high_s(raw) else flip_s(raw)


class HmacKey:
    def __init__(self, kid, secret=None):
        self.kid = kid
        self.secret = secret if secret is not None else os.urandom(32)

    def jwk(self):
        return {"kty": "oct", "kid": self.kid, "alg": "HS256", "k": b64url(self.secret)}

    def sign(self, signing_input):
        return hmac.new(self.secret, signing_input, hashlib.sha256).digest()


ALG_OF = {RsaKey: "RS256", EcKey: "ES256", HmacKey: "HS256"}


def jwks_document(keys):
    return json.dumps({"keys": [k.jwk() for k in keys]}, indent=1)


def write_jwks(path, keys):
    """Replace the JWKS file atomically (a watcher never sees half a file)."""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(jwks_document(keys))
    os.replace(tmp, path)


def encode(header, payload):
    """base64url(header) "." base64url(payload), as bytes."""
    def part(x):
        if isinstance(x, (dict, list)):
            x = json.dumps(x, separators=(",", ":"))
        return b64url(x)
    return (part(header) + "." + part(payload)).encode("ascii")


def make_token(key, claims, alg=None, kid="__key__", header_extra=None):
    """A compact JWS signed by key. kid defaults to the key's kid; None
    leaves it out. alg defaults to the key's algorithm."""
    header = {"alg": alg or ALG_OF[type(key)], "typ": "JWT"}
    if kid == "__key__":
        kid = key.kid
    if kid is not None:
        header["kid"] = kid
    if header_extra:
        header.update(header_extra)
    signing_input = encode(header, claims)
    return (signing_input + b"." + b64url(key.sign(signing_input)).encode()).decode("ascii")


def sign_with(signing_input, sig):
    return (signing_input + b"." + b64url(sig).encode()).decode("ascii")
