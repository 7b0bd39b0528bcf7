"""Static files: types, validators, caching policy, precompressed variants,
index files, several roots, path traversal, refresh on change."""

import email.utils
import gzip
import os
import shutil
import tempfile
import time
import unittest

from edge import Edge, assert_json_error, build_request

SECRET_MARKER = b"TOP-SECRET-MARKER-7f3d0c"
OUTSIDE_MARKER = b"OUTSIDE-ROOT-MARKER-91ab2e"
PASSWD_MARKER = b"root:x:0:0"

C2C_JS = b"/* c2c loader */ window.c2c = function () { return 42; };\n" * 20
C2C_JS_BR = b"FAKE-BROTLI-BYTES\x00\x01\x02" + os.urandom(16)


def write(path, data, mtime=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    if mtime is not None:
        os.utime(path, (mtime, mtime))


class StaticTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="c2c-static-")
        cls.root = os.path.join(cls.tmp, "root1")
        cls.root2 = os.path.join(cls.tmp, "root2")
        cls.sibling = os.path.join(cls.tmp, "sibling")
        t = time.time() - 3600  # an hour ago: If-Modified-Since has room both ways
        cls.mtime = int(t)
        r = cls.root
        cls.files = {
            "index.html": b"<!doctype html><title>root index</title>\n",
            "app.3f9a1b2c.js": b"console.log('hashed app');\n",
            "c2c.js": C2C_JS,
            "style.css": b"body { color: red }\n",
            "mod.mjs": b"export const x = 1;\n",
            "x.wasm": b"\x00asm\x01\x00\x00\x00",
            "i.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>\n",
            "d.json": b'{"a": 1}\n',
            "p.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 32,
            "f.ico": b"\x00\x00\x01\x00" + b"\x00" * 20,
            "sub/index.html": b"<!doctype html><title>sub index</title>\n",
            "shared.txt": b"from root one\n",
            ".secret": SECRET_MARKER + b"\n",
            "refresh.txt": b"version one\n",
            "doomed.txt": b"delete me\n",
        }
        for name, data in cls.files.items():
            write(os.path.join(r, name), data, cls.mtime)
        # precompressed siblings: same mtime as the file (not stale)
        write(os.path.join(r, "c2c.js.gz"), gzip.compress(C2C_JS, mtime=0), cls.mtime)
        write(os.path.join(r, "c2c.js.br"), C2C_JS_BR, cls.mtime)
        write(os.path.join(cls.root2, "only-in-two.txt"), b"second root file\n", cls.mtime)
        write(os.path.join(cls.root2, "shared.txt"), b"from root two\n", cls.mtime)
        write(os.path.join(cls.sibling, "file.txt"), OUTSIDE_MARKER + b"\n", cls.mtime)
        # a symlink inside the root that points outside it
        os.symlink(os.path.join(cls.sibling, "file.txt"), os.path.join(r, "escape.txt"))
        os.symlink(cls.sibling, os.path.join(r, "escapedir"))
        cls.edge = Edge(["--static-recheck-ms", "50"], static=[cls.root, cls.root2])
        cls.edge.start()

    @classmethod
    def tearDownClass(cls):
        try:
            cls.edge.stop_ok()
        finally:
            cls.edge.cleanup()
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def get(self, path, headers=None):
        return self.edge.get(path, headers)

    # -- types ---------------------------------------------------------------

    def test_content_types(self):
        expect = {
            "/index.html": ("text/html",),
            "/app.3f9a1b2c.js": ("text/javascript", "application/javascript"),
            "/c2c.js": ("text/javascript", "application/javascript"),
            "/mod.mjs": ("text/javascript", "application/javascript"),
            "/style.css": ("text/css",),
            "/x.wasm": ("application/wasm",),
            "/i.svg": ("image/svg+xml",),
            "/d.json": ("application/json",),
            "/p.png": ("image/png",),
            "/f.ico": ("image/x-icon", "image/vnd.microsoft.icon"),
        }
        for path, types in expect.items():
            with self.subTest(path=path):
                r = self.get(path)
                self.assertEqual(r.status, 200, r)
                ctype = r.header("content-type", "")
                self.assertIn(ctype.split(";")[0].strip().lower(), types, ctype)
                self.assertEqual(r.body, self.files[path[1:]])
                self.assertEqual(int(r.header("content-length")), len(r.body))

    def test_head_matches_get(self):
        g = self.get("/style.css")
        with self.edge.connect() as c:
            c.send_request("HEAD", "/style.css")
            h = c.read_response(method="HEAD")
            c.send_request("GET", "/d.json")  # proves no body followed the HEAD
            self.assertEqual(c.read_response().body, self.files["d.json"])
        self.assertEqual(h.status, 200)
        self.assertEqual(h.body, b"")
        for name in ("content-type", "content-length", "etag", "last-modified",
                     "cache-control", "vary"):
            self.assertEqual(h.header(name), g.header(name), name)

    # -- validators ----------------------------------------------------------

    def test_etag_and_last_modified(self):
        r = self.get("/style.css")
        etag = r.header("etag")
        self.assertTrue(etag and etag.startswith('"') and etag.endswith('"'), etag)
        lm = r.header("last-modified")
        self.assertIsNotNone(lm)
        self.assertEqual(email.utils.parsedate_to_datetime(lm).timestamp(), self.mtime)
        self.assertEqual(self.get("/style.css").header("etag"), etag, "ETag not stable")
        self.assertNotEqual(self.get("/d.json").header("etag"), etag)

    def test_if_none_match_304(self):
        r = self.get("/style.css")
        etag = r.header("etag")
        for inm in (etag, "W/" + etag, '"nope", ' + etag, "*"):
            with self.subTest(inm=inm):
                with self.edge.connect() as c:
                    c.send_request("GET", "/style.css", {"If-None-Match": inm})
                    n = c.read_response()
                    self.assertEqual(n.status, 304, n)
                    self.assertEqual(n.body, b"")
                    self.assertEqual(n.header("etag"), etag)
                    self.assertFalse(n.has("content-length") and
                                     n.header("content-length") != "0", n)
                    # the connection is still in sync: no body followed
                    c.send_request("GET", "/d.json")
                    self.assertEqual(c.read_response().body, self.files["d.json"])
        r2 = self.get("/style.css", {"If-None-Match": '"different"'})
        self.assertEqual(r2.status, 200)
        self.assertEqual(r2.body, self.files["style.css"])

    def test_if_modified_since_304(self):
        lm = self.get("/style.css").header("last-modified")
        r = self.get("/style.css", {"If-Modified-Since": lm})
        self.assertEqual(r.status, 304, r)
        self.assertEqual(r.body, b"")
        later = email.utils.formatdate(self.mtime + 100, usegmt=True)
        self.assertEqual(self.get("/style.css", {"If-Modified-Since": later}).status, 304)
        earlier = email.utils.formatdate(self.mtime - 100, usegmt=True)
        r = self.get("/style.css", {"If-Modified-Since": earlier})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, self.files["style.css"])
        self.assertEqual(self.get("/style.css", {"If-Modified-Since": "garbage"}).status, 200)

    def test_if_none_match_wins_over_if_modified_since(self):
        lm = self.get("/style.css").header("last-modified")
        r = self.get("/style.css", {"If-None-Match": '"other"', "If-Modified-Since": lm})
        self.assertEqual(r.status, 200)

    # -- Cache-Control -------------------------------------------------------

    def max_age(self, cc):
        for part in cc.split(","):
            part = part.strip()
            if part.startswith("max-age="):
                return int(part[8:])
        return None

    def test_cache_control_hashed_asset_immutable(self):
        cc = self.get("/app.3f9a1b2c.js").header("cache-control", "")
        self.assertIn("immutable", cc)
        self.assertGreaterEqual(self.max_age(cc) or 0, 30 * 86400, cc)

    def test_cache_control_revalidate(self):
        for path in ("/index.html", "/", "/c2c.js"):
            with self.subTest(path=path):
                cc = self.get(path).header("cache-control", "")
                self.assertIn("no-cache", cc)
                self.assertNotIn("immutable", cc)

    # -- encodings -----------------------------------------------------------

    def test_accept_encoding_variants(self):
        cases = [
            ("br", C2C_JS_BR, "br"),
            ("gzip", None, "gzip"),
            ("gzip, deflate, br", C2C_JS_BR, "br"),
            ("br;q=0, gzip", None, "gzip"),
            ("br;q=0.5, gzip;q=0.9", None, "gzip"),
            (None, C2C_JS, None),
            ("identity", C2C_JS, None),
            ("deflate", C2C_JS, None),
        ]
        etags = {}
        for ae, body, coding in cases:
            with self.subTest(accept_encoding=ae):
                r = self.get("/c2c.js", {"Accept-Encoding": ae} if ae is not None else None)
                self.assertEqual(r.status, 200)
                self.assertEqual(r.header("content-encoding"), coding, r)
                if coding == "gzip":
                    self.assertEqual(gzip.decompress(r.body), C2C_JS)
                else:
                    self.assertEqual(r.body, body)
                self.assertIn("accept-encoding", r.header("vary", "").lower())
                self.assertIn(r.header("content-type", "").split(";")[0],
                              ("text/javascript", "application/javascript"))
                etags.setdefault(coding, set()).add(r.header("etag"))
        # one ETag per variant, different between variants
        self.assertTrue(all(len(v) == 1 for v in etags.values()), etags)
        self.assertEqual(len({next(iter(v)) for v in etags.values()}), len(etags), etags)

    def test_not_modified_per_variant(self):
        br = self.get("/c2c.js", {"Accept-Encoding": "br"})
        r = self.get("/c2c.js", {"Accept-Encoding": "br", "If-None-Match": br.header("etag")})
        self.assertEqual(r.status, 304)
        self.assertIn("accept-encoding", r.header("vary", "").lower())
        # the br tag does not validate the identity variant
        r = self.get("/c2c.js", {"If-None-Match": br.header("etag")})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, C2C_JS)

    def test_sibling_files_not_used_for_uncompressible_or_missing(self):
        r = self.get("/style.css", {"Accept-Encoding": "br, gzip"})
        self.assertEqual(r.status, 200)
        self.assertIsNone(r.header("content-encoding"))
        self.assertEqual(r.body, self.files["style.css"])

    # -- index files, roots --------------------------------------------------

    def test_root_and_subdir_index(self):
        r = self.get("/")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, self.files["index.html"])
        self.assertTrue(r.header("content-type", "").startswith("text/html"))
        r = self.get("/sub/")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, self.files["sub/index.html"])

    def test_directory_without_slash_redirects(self):
        r = self.get("/sub?x=1")
        self.assertIn(r.status, (301, 308), r)
        self.assertEqual(r.header("location"), "/sub/?x=1")

    def test_second_root(self):
        r = self.get("/only-in-two.txt")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body, b"second root file\n")
        # the first root wins when both have the file
        self.assertEqual(self.get("/shared.txt").body, b"from root one\n")

    def test_missing_file_404_json(self):
        assert_json_error(self, self.get("/nope.js"), 404)
        assert_json_error(self, self.get("/sub/nope/"), 404)

    def test_post_to_static_405(self):
        r = self.edge.request("POST", "/index.html", body=b"x")
        assert_json_error(self, r, 405)

    # -- traversal -----------------------------------------------------------

    def assert_blocked(self, path):
        r = self.get(path)
        self.assertIn(r.status, (400, 404), "%s -> %r" % (path, r))
        assert_json_error(self, r, r.status)
        for marker in (SECRET_MARKER, OUTSIDE_MARKER, PASSWD_MARKER):
            self.assertNotIn(marker, r.body, path)

    def test_traversal_blocked(self):
        paths = [
            "/../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/..%2fetc%2fpasswd",
            "/%2e%2e%5cetc",
            "/a/..\\..\\etc/passwd",
            "/%00",
            "/index.html%00.js",
            "/%c0%ae%c0%ae/etc/passwd",
            "/.secret",
            "/%2esecret",
            "/sub/../.secret",
            "/./.secret",
            "/%252e%252e/etc/passwd",
            "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            "/....//....//etc/passwd",
            "/%u002e%u002e/etc/passwd",
            "/%e0%80%ae%e0%80%ae/etc/passwd",
            "/escape.txt",
            "/escapedir/file.txt",
        ]
        outside = [
            "/../sibling/file.txt",
            "/%2e%2e/sibling/file.txt",
            "/%2E%2E/sibling/file.txt",
            "/.%2e/sibling/file.txt",
            "/%2e./sibling/file.txt",
            "/..%2fsibling%2ffile.txt",
            "/%2e%2e%2fsibling%2ffile.txt",
            "/..%5csibling%5cfile.txt",
            "/%2e%2e%5csibling%5cfile.txt",
            "/..\\sibling\\file.txt",
            "/sub/..\\..\\sibling/file.txt",
            "/%c0%ae%c0%ae/sibling/file.txt",
            "/%c0%2e%c0%2e/sibling/file.txt",
            "/%252e%252e/sibling/file.txt",
            "/sub/%2e%2e/%2e%2e/sibling/file.txt",
            "/sub/./../../sibling/file.txt",
            "//../sibling/file.txt",
        ]
        for path in paths + outside:
            with self.subTest(path=path):
                self.assert_blocked(path)
        self.assertTrue(self.edge.alive())

    def test_harmless_spellings_still_served(self):
        # positive control for the traversal test: decoding works, only
        # escapes are refused
        for path in ("/sub/./index.html", "/sub//index.html", "/%73ub/index.html",
                     "/sub/index%2Ehtml", "/sub/index.html?x=../../etc/passwd",
                     "/sub/index.html#frag"):
            with self.subTest(path=path):
                r = self.get(path)
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.body, self.files["sub/index.html"])

    def test_dotfile_not_served_but_siblings_are(self):
        self.assertIn(self.get("/.secret").status, (400, 404))
        self.assertEqual(self.get("/style.css").status, 200)

    # -- refresh -------------------------------------------------------------

    def test_changed_file_is_refreshed(self):
        path = os.path.join(self.root, "refresh.txt")
        r1 = self.get("/refresh.txt")
        self.assertEqual(r1.body, b"version one\n")
        write(path, b"version two, longer\n", self.mtime + 60)
        time.sleep(0.2)  # past --static-recheck-ms 50
        r2 = self.get("/refresh.txt")
        self.assertEqual(r2.body, b"version two, longer\n")
        self.assertNotEqual(r2.header("etag"), r1.header("etag"))
        self.assertNotEqual(r2.header("last-modified"), r1.header("last-modified"))
        # the old validator no longer gives 304
        r3 = self.get("/refresh.txt", {"If-None-Match": r1.header("etag")})
        self.assertEqual(r3.status, 200)

    def test_same_size_change_is_refreshed(self):
        path = os.path.join(self.root, "same.txt")
        write(path, b"AAAA\n", self.mtime)
        self.assertEqual(self.get("/same.txt").body, b"AAAA\n")
        write(path, b"BBBB\n", self.mtime + 1)
        time.sleep(0.2)
        self.assertEqual(self.get("/same.txt").body, b"BBBB\n")

    def test_deleted_file_404(self):
        self.assertEqual(self.get("/doomed.txt").status, 200)
        os.unlink(os.path.join(self.root, "doomed.txt"))
        time.sleep(0.2)
        assert_json_error(self, self.get("/doomed.txt"), 404)

    def test_new_file_visible(self):
        self.assertEqual(self.get("/born.txt").status, 404)
        write(os.path.join(self.root, "born.txt"), b"hello\n")
        self.assertEqual(self.get("/born.txt").body, b"hello\n")

    def test_pipelined_large_files_survive_replacement(self):
        """Many MiB of queued responses borrow one cache entry; replacing
        the file meanwhile must neither corrupt nor free them early."""
        big = os.urandom(300 * 1024)
        path = os.path.join(self.root, "big.bin")
        write(path, big)
        n = 24
        with self.edge.connect(timeout=10) as c:
            c.send(b"".join(build_request("GET", "/big.bin") for _ in range(n)))
            time.sleep(0.3)  # the server queues far more than it may write at once
            for i in range(n):
                r = c.read_response(timeout=10)
                self.assertEqual(r.status, 200)
                self.assertTrue(r.body == big, "response %d corrupted" % i)
                if i == 2:
                    write(path + ".tmp", b"replaced\n")
                    os.replace(path + ".tmp", path)
            time.sleep(0.2)
            c.send_request("GET", "/big.bin")
            self.assertEqual(c.read_response().body, b"replaced\n")

    def test_stale_precompressed_sibling_ignored(self):
        write(os.path.join(self.root, "stale.js"), b"new content();\n", self.mtime + 100)
        write(os.path.join(self.root, "stale.js.br"), b"OLD-BR", self.mtime)
        r = self.get("/stale.js", {"Accept-Encoding": "br"})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, b"new content();\n")
        self.assertIsNone(r.header("content-encoding"))


if __name__ == "__main__":
    unittest.main()


class BuiltWidgetTests(unittest.TestCase):
    """The widget as ./build.sh leaves it in dist/: a browser asking for
    brotli gets the precompressed .br file, not the whole script."""

    def test_the_loader_is_served_brotli(self):
        from edge import REPO
        dist = os.path.join(REPO, "dist")
        loader = os.path.join(dist, "c2c.js")
        self.assertTrue(os.path.exists(loader + ".br"), "run ./build.sh first: no dist/c2c.js.br")
        edge = Edge(static=[dist])
        edge.start()
        try:
            r = edge.get("/c2c.js", [("Accept-Encoding", "br, gzip")])
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.header("content-encoding"), "br", r)
            with open(loader + ".br", "rb") as f:
                self.assertEqual(r.body, f.read())
            r = edge.get("/c2c.js", [("Accept-Encoding", "gzip")])
            self.assertEqual(r.header("content-encoding"), "gzip", r)
        finally:
            edge.stop_ok()
            edge.cleanup()
