# Starts fake-binance on port 0 and talks to it like a Binance USDⓈ-M client: HMAC-signed requests over
# urllib (stdlib only), plus the fake's /_fake/ admin calls. Shared by the fake's tests and ad-hoc scripts.
import hashlib
import hmac
import json
import os
import select
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

BINARY = os.environ.get("FAKE_BINANCE", "")
KEY, SECRET = "testkey123", "testsecret456"


class Fake:
    """One fake-binance process and a small signing client for it."""

    def __init__(self, binary=None, seed=7, accounts=((KEY, SECRET, "10000"),), symbols=None, extra=()):
        args = [binary or BINARY, "--listen", "127.0.0.1:0", "--seed", str(seed), *extra]
        for acct in accounts:
            args += ["--account", ":".join(acct)]
        if symbols:
            args += ["--symbols", str(symbols)]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        ready, _, _ = select.select([self.proc.stdout], [], [], 15)
        line = self.proc.stdout.readline() if ready else ""
        if not line.startswith("listening on 127.0.0.1:"):
            self.close()
            raise RuntimeError("fake-binance did not start: %r" % line)
        self.port = int(line.rsplit(":", 1)[1])
        self.base = "http://127.0.0.1:%d" % self.port
        line = self.proc.stdout.readline()  # "stream on 127.0.0.1:PORT": the user data stream (WebSocket)
        self.stream_port = int(line.rsplit(":", 1)[1])

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()

    def request(self, method, path, params=None, signed=False, key=KEY, secret=SECRET, in_body=False,
                timeout=5, signature=None, query_extra=""):
        params = dict(params or {})
        if signed:
            params.setdefault("timestamp", int(time.time() * 1000))
        text = urllib.parse.urlencode(params)
        if signed:
            sig = signature if signature is not None else hmac.new(
                secret.encode(), text.encode(), hashlib.sha256).hexdigest()
            text += ("&" if text else "") + "signature=" + sig
        body = text.encode() if in_body else None
        url = self.base + path + ("?" + text if text and not in_body else "") + query_extra
        req = urllib.request.Request(url, data=body, method=method)
        if body is not None:
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
        if key is not None:
            req.add_header("X-MBX-APIKEY", key)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, r.headers, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, e.headers, json.loads(raw)
            except ValueError:
                return e.code, e.headers, raw.decode(errors="replace")

    def ok(self, method, path, params=None, **kw):
        status, _, body = self.request(method, path, params, **kw)
        if status != 200:
            raise AssertionError("%s %s -> %s %s" % (method, path, status, body))
        return body

    def admin(self, path, body=None, method="POST"):
        data = json.dumps(body or {}).encode() if method == "POST" else None
        req = urllib.request.Request(self.base + "/_fake/" + path, data=data, method=method)
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())


def fresh_minute(margin_s=4):
    """Weight windows are per wall-clock minute: avoid starting a weight test just before one rolls over."""
    into = time.time() % 60
    if into > 60 - margin_s:
        time.sleep(60 - into + 0.2)


def run_tests(name):
    """unittest.main for a test file of the fake, with --binary PATH (or $FAKE_BINANCE) naming the executable."""
    import argparse
    import sys
    import unittest
    global BINARY
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--binary", default=os.environ.get("FAKE_BINANCE", ""))
    args, rest = parser.parse_known_args()
    BINARY = args.binary
    if not args.binary or not os.access(args.binary, os.X_OK):
        sys.exit("%s: pass --binary PATH (or set FAKE_BINANCE) to the fake-binance executable" % name)
    unittest.main(module="__main__", argv=[sys.argv[0]] + rest)
