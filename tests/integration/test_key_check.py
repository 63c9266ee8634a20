#!/usr/bin/env python3
"""The API-key wizard's check end to end: POST /api/agent/api-key/check on the real daemon, pointed at
fake-binance by exchange.rest_url / exchange.sapi_url, for a key in the body and for the agent's linked key.
The secret never comes back. Usage: test_key_check.py TRADINGD TRADINGCTL"""
import json
import os
import sys
import unittest
import urllib.request

from harness import FAKE_BINANCE, Deployment, FakeBinance

API_KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
API_SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
CODES = ["key_valid", "futures_enabled", "withdrawals_disabled", "ip_restricted", "usdt_balance"]


@unittest.skipUnless(os.path.exists(FAKE_BINANCE), "fake-binance is not built")
class KeyCheckTest(unittest.TestCase):
    def setUp(self):
        self.fake = FakeBinance("--symbols", "20", "--account", "%s:%s:1234.5" % (API_KEY, API_SECRET))
        self.base = self.fake.base
        self.d = Deployment()
        self.d.write_config(extra="exchange:\n  rest_url: %s\n  sapi_url: %s\n  request_timeout_ms: 5000\n"
                            % (self.base, self.base))
        self.assertEqual(self.d.ctl("db", "migrate").returncode, 0)
        self.d.start()
        body = {"email": "key@example.com", "password": "agent-password-123", "display_name": "key"}
        self.assertEqual(self.d.http("POST", "/api/auth/register", body)[0], 201)
        status, _, s = self.d.http("POST", "/api/auth/login", {"email": body["email"], "password": body["password"]})
        self.assertEqual(status, 200, s)
        self.token = s["access_token"]

    def tearDown(self):
        self.fake.stop()
        self.d.cleanup()

    def restrict(self, **flags):
        req = urllib.request.Request(self.base + "/_fake/restrictions", data=json.dumps(flags).encode(),
                                     method="POST", headers={"Content-Type": "application/json"})
        urllib.request.urlopen(req, timeout=5).read()

    def check(self, body):
        status, _, reply = self.d.http("POST", "/api/agent/api-key/check", body, token=self.token)
        self.assertNotIn(API_SECRET, json.dumps(reply))
        return status, reply

    def test_a_key_in_the_body_is_checked_before_linking(self):
        self.restrict(ipRestrict=True, allowedIps=["127.0.0.1"])
        status, reply = self.check({"api_key": API_KEY, "api_secret": API_SECRET})
        self.assertEqual(status, 200, reply)
        self.assertEqual([c["code"] for c in reply["checks"]], CODES)
        self.assertTrue(reply["ok"], reply)
        self.assertIn("1234.5", reply["checks"][4]["message"])
        # Nothing was linked by checking.
        self.assertEqual(self.d.http("GET", "/api/agent/api-key", token=self.token)[2], {"linked": False})

        self.restrict(enableWithdrawals=True, enableFutures=False)
        status, reply = self.check({"api_key": API_KEY, "api_secret": API_SECRET})
        by_code = {c["code"]: c for c in reply["checks"]}
        self.assertFalse(reply["ok"])
        self.assertFalse(by_code["withdrawals_disabled"]["ok"])
        self.assertFalse(by_code["futures_enabled"]["ok"])
        self.assertIn("Enable Futures", by_code["futures_enabled"]["fix"])

    def test_an_empty_body_checks_the_linked_key(self):
        status, reply = self.check({})
        self.assertEqual(status, 404, reply)
        self.assertEqual(self.d.http("PUT", "/api/agent/api-key", {"api_key": API_KEY, "api_secret": API_SECRET},
                                     token=self.token)[0], 200)
        status, reply = self.check(None)
        self.assertEqual(status, 200, reply)
        by_code = {c["code"]: c for c in reply["checks"]}
        self.assertTrue(by_code["key_valid"]["ok"])
        self.assertFalse(by_code["ip_restricted"]["ok"])  # the fake's default: no IP whitelist
        self.assertIn("trusted IPs", by_code["ip_restricted"]["fix"])

    def test_a_wrong_secret_and_a_malformed_body(self):
        status, reply = self.check({"api_key": API_KEY, "api_secret": "x" * 64})
        self.assertEqual(status, 200)
        self.assertFalse(reply["checks"][0]["ok"])
        self.assertIn("secret", reply["checks"][0]["message"])
        status, reply = self.check({"api_key": "short", "api_secret": "x"})
        self.assertEqual(status, 400)
        self.assertEqual(reply["error"]["code"], "invalid_api_key")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
