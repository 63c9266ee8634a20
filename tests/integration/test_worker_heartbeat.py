#!/usr/bin/env python3
"""The watchdog against a slow exchange (issue 6): a live bot whose every exchange request takes 1.2 s spends
its reconciliation at start in several calls in a row, longer than bots.heartbeat_timeout_s (5 s) without
returning to its loop, then keeps polling. It must never be killed as `hung`: it sends a heartbeat before
each call, so its longest silence is one call (open orders are two requests: 2.4 s) plus the 1 s interval.
A worker stuck inside one call for longer than the timeout still is killed and restarted with cause `hung`.
Usage: test_worker_heartbeat.py TRADINGD TRADINGCTL"""
import json
import os
import re
import time
import unittest

from harness import FAKE_BINANCE, Deployment, FakeBinance, register_live_agent, wait_for

API_KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
API_SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
AGENT_PASSWORD = "agent-password-123"
SLOW_MS = 1200


@unittest.skipUnless(os.path.exists(FAKE_BINANCE), "fake-binance is not built")
class SlowExchangeHeartbeatTest(unittest.TestCase):
    def setUp(self):
        self.fake = FakeBinance("--symbols", "20", "--seed", "5", "--account", "%s:%s:10000" % (API_KEY, API_SECRET))
        self.d = Deployment()
        self.d.extra_secrets = [AGENT_PASSWORD, API_SECRET]
        # One scan an hour: the test is about the worker's own exchange calls, not the scanner's.
        self.d.write_config(extra=(
            "bots:\n  scan_interval_s: 3600\n  heartbeat_interval_s: 1\n  heartbeat_timeout_s: 5\n"
            "  poll_interval_s: 1\n  restart_backoff_ms: 100\n  restart_limit: 50\n  restart_window_s: 300\n"
            "exchange:\n  market_data: binance\n  rest_url: %s\n  sapi_url: %s\n  request_timeout_ms: 8000\n"
            % (self.fake.base, self.fake.base)))
        self.assertEqual(self.d.ctl("db", "migrate").returncode, 0)
        self.d.start()

    def tearDown(self):
        self.fake.stop()
        self.d.cleanup()

    def latency(self, ms):
        self.fake.post("/_fake/latency", {"ms": ms})

    def requests_made(self):
        return sum(self.fake.state().get("counters", {}).get("requests", {}).values())

    def status(self, agent):
        return json.loads(self.d.ctl("bot", "status", str(agent), "--json").stdout)

    def hung_lines(self, agent):
        return re.findall(r"restart agent=%d cause=hung" % agent, self.d.read_log())

    def agent_log(self, agent):
        return "\n".join(line for line in self.d.read_log().splitlines() if "agent=%d" % agent in line)

    def test_slow_calls_are_progress_and_a_stuck_call_is_hung(self):
        agent = register_live_agent(self.d, "slow@example.com", AGENT_PASSWORD, API_KEY, API_SECRET)
        self.latency(SLOW_MS)
        t0 = time.monotonic()
        self.assertEqual(self.d.ctl("bot", "start", str(agent), "--mode", "live").returncode, 0)
        s = wait_for("the slow bot running", lambda: (lambda s: s if s["state"] == "running" else None)(
            self.status(agent)), timeout=60)
        start_s = time.monotonic() - t0
        # Reconciliation alone is several slow calls in a row: longer than the heartbeat timeout.
        self.assertGreater(start_s, 5.0, "start was not slow enough to prove anything")
        before = self.requests_made()
        time.sleep(12)  # a poll every second, each a 1.2 s positions request at least
        calls = self.requests_made() - before
        self.assertGreaterEqual(calls, 5, "the worker made too few exchange calls to prove anything")
        now = self.status(agent)
        self.assertEqual((now["state"], now["pid"]), ("running", s["pid"]),
                         "the busy worker was restarted:\n" + self.agent_log(agent))
        self.assertEqual(self.hung_lines(agent), [])
        print("slow exchange: start %.1f s, %d exchange calls in 12 s, no restart" % (start_s, calls))

        # One call that takes longer than the heartbeat timeout (the client gives up at 8 s): silence.
        self.latency(20000)
        wait_for("the stuck worker killed as hung", lambda: self.hung_lines(agent), timeout=30)
        self.assertNotIn(API_SECRET, self.d.read_log())


if __name__ == "__main__":
    unittest.main(argv=[__file__], verbosity=2)
