#!/usr/bin/env python3
"""The watchdog against a slow exchange (issue 6): a live bot whose every exchange request takes 1.2 s spends
its reconciliation at start in several calls in a row, longer than bots.heartbeat_timeout_s (5 s) without
returning to its loop, then keeps polling. It must never be killed as `hung`: it sends a heartbeat before
each call, so its longest silence is one call (open orders are two requests: 2.4 s) plus the 1 s interval.
A worker stuck inside one call for longer than the timeout still is killed and restarted with cause `hung`.
Usage: test_worker_heartbeat.py TRADINGD TRADINGCTL"""
import os
import re
import time
import unittest

from harness import FAKE_BINANCE, LiveBotsOnFake, register_live_agent, wait_for

SLOW_MS = 1200


@unittest.skipUnless(os.path.exists(FAKE_BINANCE), "fake-binance is not built")
class SlowExchangeHeartbeatTest(LiveBotsOnFake, unittest.TestCase):
    FAKE_ARGS = ("--symbols", "20", "--seed", "5")
    # One scan an hour: the test is about the worker's own exchange calls, not the scanner's.
    BOTS_YAML = ("  scan_interval_s: 3600\n  heartbeat_interval_s: 1\n  heartbeat_timeout_s: 5\n"
                 "  poll_interval_s: 1\n  restart_backoff_ms: 100\n  restart_limit: 50\n  restart_window_s: 300\n")
    REQUEST_TIMEOUT_MS = 8000

    def latency(self, ms):
        self.fake.post("/_fake/latency", {"ms": ms})

    def requests_made(self):
        return sum(self.fake.state().get("counters", {}).get("requests", {}).values())

    def hung_lines(self, agent):
        return re.findall(r"restart agent=%d cause=hung" % agent, self.d.read_log())

    def test_slow_calls_are_progress_and_a_stuck_call_is_hung(self):
        agent = register_live_agent(self.d, "slow@example.com", self.AGENT_PASSWORD, self.API_KEY, self.API_SECRET)
        self.latency(SLOW_MS)
        t0 = time.monotonic()
        self.assertEqual(self.d.ctl("bot", "start", str(agent), "--mode", "live").returncode, 0)
        s = wait_for("the slow bot running", lambda: (lambda s: s if s["state"] == "running" else None)(
            self.bot_status(agent)), timeout=60)
        start_s = time.monotonic() - t0
        # Reconciliation alone is several slow calls in a row: longer than the heartbeat timeout.
        self.assertGreater(start_s, 5.0, "start was not slow enough to prove anything")
        before = self.requests_made()
        time.sleep(12)  # a poll every second, each a 1.2 s positions request at least
        calls = self.requests_made() - before
        self.assertGreaterEqual(calls, 5, "the worker made too few exchange calls to prove anything")
        now = self.bot_status(agent)
        self.assertEqual((now["state"], now["pid"]), ("running", s["pid"]),
                         "the busy worker was restarted:\n" + self.agent_log(agent))
        self.assertEqual(self.hung_lines(agent), [])
        print("slow exchange: start %.1f s, %d exchange calls in 12 s, no restart" % (start_s, calls))

        # One call that takes longer than the heartbeat timeout (the client gives up at 8 s): silence.
        self.latency(20000)
        wait_for("the stuck worker killed as hung", lambda: self.hung_lines(agent), timeout=30)


if __name__ == "__main__":
    unittest.main(argv=[__file__], verbosity=2)
