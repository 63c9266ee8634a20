#!/usr/bin/env python3
"""Live bots follow their account's user data stream: with the regular poll set to a minute, a stop-loss
triggered on fake-binance is recorded CLOSED in the database within about two seconds (the stream's
ALGO_UPDATE/ORDER_TRADE_UPDATE wake the worker, which polls at once), and after the stream is dropped the
worker reconnects and the next trigger is seen as fast.
Usage: test_user_stream.py TRADINGD TRADINGCTL"""
import os
import time
import unittest

from harness import FAKE_BINANCE, Deployment, FakeBinance, register_live_agent, wait_for

KEY, SECRET = "streamkey" + "k" * 55, "streamsecret" + "s" * 52

# A poll once a minute whatever the stream's state: a close seen within seconds came from the stream.
CONFIG = """bots:
  scan_interval_s: 10
  poll_interval_s: 60
  stream_poll_interval_s: 60
  heartbeat_interval_s: 1
strategy:
  cooldown_minutes: 0
  entry_threshold: 50
  long_skip_score: 101
exchange:
  market_data: binance
  rest_url: %s
  sapi_url: %s
  stream_url: %s
"""


@unittest.skipUnless(os.path.exists(FAKE_BINANCE), "fake-binance is not built")
class UserStreamTest(unittest.TestCase):

    def setUp(self):
        self.fake = FakeBinance("--symbols", "40", "--seed", "11", "--account", "%s:%s:1000000" % (KEY, SECRET))
        self.d = Deployment()
        self.d.extra_secrets = [SECRET]
        self.d.write_config(extra=CONFIG % (self.fake.base, self.fake.base, self.fake.stream_base))
        r = self.d.ctl("db", "migrate")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.d.start()

    def tearDown(self):
        self.fake.stop()
        self.d.cleanup()

    def start_live_bot(self):
        agent = register_live_agent(self.d, "stream@example.com", "agent-password-123", KEY, SECRET)
        self.assertEqual(self.d.ctl("bot", "start", str(agent), "--mode", "live").returncode, 0)
        return agent

    def protected_position(self, agent):
        """(position id, symbol, its live stop) once the bot holds an OPEN position with a stop-loss."""
        rows = self.d.sql_query("SELECT id, symbol FROM positions WHERE agent_id = %d AND status = 'OPEN'" % agent)
        state = self.fake.state()
        for pid, symbol in rows:
            for o in state["accounts"][0]["algo_orders"]:
                parts = o["clientAlgoId"].split("-")
                if (o["symbol"] == symbol and o["algoStatus"] == "NEW" and len(parts) == 4 and parts[3][0] == "s"
                        and int(parts[2], 36) == int(pid)):
                    return int(pid), symbol, o
        return None

    def position_reads(self):
        requests = self.fake.state()["counters"]["requests"]
        return sum(n for k, n in requests.items() if k.startswith("GET /fapi/") and k.endswith("/positionRisk"))

    def trigger_and_time_close(self, agent):
        pid, symbol, stop = wait_for("an open position with its stop-loss", lambda: self.protected_position(agent),
                                     timeout=60)
        time.sleep(1)  # past the bot's own start-up polls
        polls_before = self.position_reads()
        trigger = float(stop["triggerPrice"])
        price = trigger * (0.994 if stop["side"] == "SELL" else 1.006)
        pushed = time.time()
        self.fake.post("/_fake/price", {"symbol": symbol, "price": price})
        closed = "SELECT status FROM positions WHERE id = %d" % pid
        wait_for("position %d CLOSED" % pid, lambda: self.d.sql_query(closed) == [["CLOSED"]], timeout=10, step=0.05)
        took = time.time() - pushed
        polls = self.position_reads() - polls_before
        return took, polls

    def test_triggered_stop_is_closed_by_the_stream_not_the_poll(self):
        agent = self.start_live_bot()
        took, polls = self.trigger_and_time_close(agent)
        print("\nstop triggered -> CLOSED in the database after %.2f s (%d positionRisk reads)" % (took, polls))
        self.assertLess(took, 2.5, "the close waited for the minute's poll, not the stream")
        self.assertIn("user_stream connected", self.d.read_log())

        # A dropped stream is reconnected (with a poll for what it missed) and serves the next close as fast.
        self.fake.post("/_fake/stream", {"drop": True})
        wait_for("the stream reconnected", lambda: self.d.read_log().count("user_stream connected") >= 2, timeout=15)
        took, _ = self.trigger_and_time_close(agent)
        print("after a dropped stream: CLOSED after %.2f s" % took)
        self.assertLess(took, 2.5)
        streams = self.fake.state()["stream"]
        self.assertEqual(streams["connections_open"], 1, streams)


if __name__ == "__main__":
    unittest.main(argv=[__file__], verbosity=2)
