#!/usr/bin/env python3
"""Backtests end to end with the real binaries: the sample run a fresh daemon publishes (GET
/api/public/backtest, no sign-in), `tradingctl backtest run/list/show/publish` against the store with the
daemon down, and `tradingctl market fetch` from fake-binance into the kline store, resumable, then a
backtest over the stored candles.
Usage: test_backtest.py TRADINGD TRADINGCTL"""
import json
import os
import time
import unittest
import urllib.request

from harness import FAKE_BINANCE, Deployment, FakeBinance

NO_SAMPLE = "backtest:\n  publish_sample: false\n"


class BacktestTest(unittest.TestCase):
    def setUp(self):
        self.d = Deployment()
        self.fake = None

    def tearDown(self):
        if self.fake:
            self.fake.stop()
        self.d.cleanup()

    def migrate(self, extra=""):
        self.d.write_config(extra=extra)
        r = self.d.ctl("db", "migrate")
        self.assertEqual(r.returncode, 0, r.stderr)

    def ctl_json(self, *args):
        r = self.d.ctl(*args, json_out=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def test_a_fresh_daemon_publishes_the_sample_run_for_the_landing_page(self):
        self.migrate()
        started = time.time()
        self.d.start()
        deadline = time.time() + 120
        while True:
            status, _, body = self.d.http("GET", "/api/public/backtest")
            if status == 200 or time.time() > deadline:
                break
            self.assertEqual(status, 404, body)
            self.assertEqual(body["error"]["code"], "not_found")
            time.sleep(0.5)
        self.assertEqual(status, 200, self.d.read_log())
        print("sample published %.1f s after start" % (time.time() - started), flush=True)
        self.assertEqual(body["source"], "simulated")
        self.assertEqual((body["from"], body["to"]), ("2025-01-01 00:00:00", "2025-04-01 00:00:00"))
        self.assertEqual(body["symbol_count"], 30)
        self.assertEqual([m["month"] for m in body["monthly"]], ["2025-01", "2025-02", "2025-03"])
        self.assertLessEqual(len(body["equity_curve"]), 200)
        self.assertLessEqual(len(body["top_trades"]), 10)
        self.assertGreater(body["summary"]["trade_count"], 0)
        pnls = [float(t["pnl"]) for t in body["top_trades"]]
        self.assertEqual(pnls, sorted(pnls, reverse=True))

        # The store holds the same run, marked published; tradingctl reads it while the daemon runs.
        runs = self.ctl_json("backtest", "list")
        self.assertEqual([r["id"] for r in runs if r["published"]], [body["id"]])
        shown = self.ctl_json("backtest", "show", str(body["id"]))
        self.assertEqual(shown["summary"], body["summary"])
        self.assertEqual(shown["equity_curve"][0], body["equity_curve"][0])
        self.assertEqual(shown["equity_curve"][-1], body["equity_curve"][-1])

        # A restart does not run the sample again: a run is already published.
        self.assertEqual(self.d.stop(), 0)
        self.d.start()
        time.sleep(2)
        self.assertEqual(len(self.ctl_json("backtest", "list")), 1)

    def test_cli_runs_lists_shows_and_publishes_with_the_daemon_down(self):
        self.migrate(NO_SAMPLE)
        args = ["backtest", "run", "--from", "2025-01-01", "--to", "2025-02-05", "--seed", "5"]
        first = self.ctl_json(*args)
        second = self.ctl_json(*args)
        self.assertNotEqual(first["id"], second["id"])
        self.assertEqual(first["digest"], second["digest"])  # bit-for-bit the same replay
        self.assertEqual(len(first["symbols"]), 150)
        self.assertEqual([m["month"] for m in first["monthly"]], ["2025-01", "2025-02"])
        self.assertFalse(first["published"])
        narrow = self.ctl_json("backtest", "run", "--from", "2025-01-01", "--to", "2025-02-05", "--seed", "5",
                               "--symbols", first["symbols"][0] + "," + first["symbols"][1])
        self.assertEqual(len(narrow["symbols"]), 2)

        table = self.d.ctl("backtest", "list")
        self.assertEqual(table.returncode, 0, table.stderr)
        self.assertIn("RETURN %", table.stdout)
        self.assertEqual(self.d.ctl("backtest", "publish", str(first["id"])).returncode, 0)
        self.assertEqual(self.d.ctl("backtest", "publish", str(second["id"])).returncode, 0)
        published = [r["id"] for r in self.ctl_json("backtest", "list") if r["published"]]
        self.assertEqual(published, [second["id"]])

        human = self.d.ctl("backtest", "show", str(first["id"]))
        self.assertEqual(human.returncode, 0, human.stderr)
        self.assertIn("max drawdown", human.stdout)
        full = self.ctl_json("backtest", "show", str(first["id"]))
        self.assertEqual(len(full["trades"]), full["summary"]["trade_count"])

        missing = self.d.ctl("backtest", "show", "999")
        self.assertEqual((missing.returncode, missing.stderr.strip()), (1, "tradingctl: no backtest run 999"))
        bad = self.d.ctl("backtest", "run", "--from", "2025-13-01", "--to", "2025-02-01")
        self.assertEqual(bad.returncode, 2)
        self.assertIn("not a UTC date", bad.stderr)
        future = self.d.ctl("backtest", "run", "--from", "2025-01-01", "--to", "2099-01-01")
        self.assertEqual(future.returncode, 2)

    @unittest.skipUnless(os.path.exists(FAKE_BINANCE), "fake-binance is not built")
    def test_market_fetch_is_resumable_and_feeds_a_stored_backtest(self):
        self.fake = FakeBinance("--symbols", "20", "--seed", "3")
        base = self.fake.base
        self.migrate(NO_SAMPLE + "exchange:\n  rest_url: %s\n" % base)
        # 20 days of 1h candles for the 3 most traded coins: 480 candles each, in one request per symbol.
        fetch = ["market", "fetch", "--from", "2025-03-01", "--to", "2025-03-21", "--universe", "3"]
        first = self.ctl_json(*fetch)
        self.assertEqual(len(first["symbols"]), 3)
        self.assertEqual(first["added"], 3 * 480)
        self.assertEqual(first["requests"], 3)
        again = self.ctl_json(*fetch)
        self.assertEqual((again["added"], again["requests"], again["already_stored"]), (0, 0, 3 * 480))
        # Extending the period fetches only the new days.
        longer = self.ctl_json("market", "fetch", "--from", "2025-03-01", "--to", "2025-03-23", "--universe", "3")
        self.assertEqual((longer["added"], longer["requests"]), (3 * 48, 3))
        rows = self.d.sql_query("SELECT COUNT(*) FROM klines WHERE kline_interval = '1h'")
        self.assertEqual(int(rows[0][0]), 3 * 528)
        # The stored candles match the exchange's.
        symbol = first["symbols"][0]["symbol"]
        with urllib.request.urlopen("%s/fapi/v1/klines?symbol=%s&interval=1h&startTime=%d&limit=2"
                                    % (base, symbol, 1740787200000), timeout=10) as r:
            expected = json.load(r)
        stored = self.d.sql_query("SELECT open_time, open, close FROM klines WHERE symbol = '%s' "
                                  "ORDER BY open_time LIMIT 2" % symbol)
        for want, got in zip(expected, stored):
            self.assertEqual(int(got[0]), want[0])
            self.assertEqual(float(got[1]), float(want[1]))
            self.assertEqual(float(got[2]), float(want[4]))

        run = self.ctl_json("backtest", "run", "--source", "stored", "--from", "2025-03-10", "--to", "2025-03-23")
        self.assertEqual(sorted(run["symbols"]), sorted(s["symbol"] for s in first["symbols"]))
        self.assertEqual(run["source"], "stored")
        empty = self.d.ctl("backtest", "run", "--source", "stored", "--from", "2024-01-01", "--to", "2024-02-01")
        self.assertEqual(empty.returncode, 1)
        self.assertIn("market fetch", empty.stderr)


if __name__ == "__main__":
    unittest.main(argv=[__file__], verbosity=2)
