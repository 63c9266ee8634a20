#!/usr/bin/env python3
"""The scanner in the real daemon: on the built-in simulated market it stores a scan soon after start, which
`tradingctl scan show` (table and --json) and GET /api/agent/signals return; with exchange.market_data:
binance pointed at fake-binance it scans the fake's universe within its request weight.
Usage: test_scanner.py TRADINGD TRADINGCTL"""
import json
import os
import sys
import time
import unittest
import urllib.request

from harness import BACKEND, FAKE_BINANCE, Deployment, FakeBinance

REASONS = {"skip_coin", "insufficient_data", "long_85_plus", "ma_slope", "score_too_low"}


def wait_for_scan(d, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        r = d.ctl("scan", "show", json_out=True)
        if r.returncode == 0:
            return json.loads(r.stdout)
        assert "no scan has completed yet" in r.stderr, r.stderr
        time.sleep(0.25)
    raise AssertionError("no scan within %d s:\n%s" % (timeout, d.read_log()))


class ScannerTest(unittest.TestCase):
    def setUp(self):
        self.d = Deployment()
        self.fake = None

    def tearDown(self):
        if self.fake:
            self.fake.stop()
        self.d.cleanup()

    def start(self, extra=""):
        self.d.write_config(extra=extra)
        self.assertEqual(self.d.ctl("db", "migrate").returncode, 0)
        self.d.start()

    def agent_token(self):
        body = {"email": "sig@example.com", "password": "agent-password-123", "display_name": "sig"}
        self.assertEqual(self.d.http("POST", "/api/auth/register", body)[0], 201)
        status, _, s = self.d.http("POST", "/api/auth/login", {"email": body["email"], "password": body["password"]})
        self.assertEqual(status, 200, s)
        return s["access_token"]

    def test_simulated_market_scan_reaches_ctl_rest_and_the_store(self):
        started = time.time()
        self.start()
        scan = wait_for_scan(self.d)
        first_scan_s = time.time() - started
        self.assertLess(first_scan_s, 30)
        self.assertEqual(len(scan["rows"]), 150)  # universe_size of the simulated market's 160 symbols
        self.assertEqual(scan["stats"]["symbols"], 150)
        self.assertEqual(scan["stats"]["requests"], 152)  # exchange info, 24h tickers, 150 klines
        for row in scan["rows"]:
            self.assertEqual(row["passed"], row["failure"] is None)
            if row["failure"]:
                self.assertIn(row["failure"]["reason"], REASONS)
        # Stored: one row per symbol under this scan id, reasons included.
        stored = self.d.sql_query("SELECT COUNT(*), SUM(passed) FROM scan_results WHERE scan_id = %d"
                                  % scan["scan_id"])
        self.assertEqual(int(stored[0][0]), 150)
        self.assertEqual(int(stored[0][1] or 0), scan["stats"]["passed"])
        log = self.d.read_log()
        self.assertRegex(log, r"scan_complete scan_id=%d symbols=150 .* duration_ms=\d+" % scan["scan_id"])

        table = self.d.ctl("scan", "show")
        self.assertEqual(table.returncode, 0, table.stderr)
        self.assertIn("SYMBOL", table.stdout)
        self.assertIn(scan["rows"][0]["symbol"], table.stdout)
        self.assertIn("scan %d at" % scan["scan_id"], table.stdout)

        status, _, body = self.d.http("GET", "/api/agent/signals")
        self.assertEqual(status, 401)
        token = self.agent_token()
        status, _, panel = self.d.http("GET", "/api/agent/signals", token=token)
        self.assertEqual(status, 200, panel)
        self.assertGreaterEqual(panel["scan_id"], scan["scan_id"])
        self.assertEqual(len(panel["signals"]), 150)
        refused = [s for s in panel["signals"] if not s["passed"]]
        self.assertTrue(refused)
        for s in refused:
            self.assertIn(s["reason"], REASONS)
            self.assertTrue(s["label"] and s["detail"])
        print("first scan %.1f s after start; %d ms; %d passed" % (first_scan_s, scan["stats"]["duration_ms"],
                                                                    scan["stats"]["passed"]), flush=True)

    @unittest.skipUnless(os.path.exists(FAKE_BINANCE), "fake-binance is not built")
    def test_binance_market_data_scans_the_fake_exchange(self):
        self.fake = FakeBinance("--symbols", "40", "--seed", "9")
        base = self.fake.base
        self.start("exchange:\n  market_data: binance\n  rest_url: %s\n" % base)
        scan = wait_for_scan(self.d)
        # The fake lists 40 TRADING USDT perpetuals (plus non-trading ones): the universe is exactly those.
        with urllib.request.urlopen(base + "/fapi/v1/exchangeInfo", timeout=10) as r:
            info = json.load(r)
        eligible = {s["symbol"] for s in info["symbols"]
                    if s["status"] == "TRADING" and s["contractType"] == "PERPETUAL" and s["quoteAsset"] == "USDT"}
        self.assertEqual(len(eligible), 40)
        self.assertEqual({row["symbol"] for row in scan["rows"]}, eligible)
        # Binance's weights: exchangeInfo 1, all 24h tickers 40, klines of 201 candles 2 each.
        self.assertEqual(scan["stats"]["requests"], 42)
        self.assertEqual(scan["stats"]["weight_used"], 1 + 40 + 2 * 40)
        self.assertTrue(any(row["signal"] for row in scan["rows"]), "no symbol could be scored")


if __name__ == "__main__":
    print("integration tests on backend:", BACKEND, flush=True)
    unittest.main(argv=[sys.argv[0], "-v"])
