#!/usr/bin/env python3
"""What a restarted worker remembers (issue 6): a live bot on fake-binance opens positions; one is closed by its
stop-loss; the worker is killed with SIGKILL. The restarted worker must get the coin's cooldown from the daemon
(`init.recent_activity`, reported back as `cooldowns=N` in the supervisor's `bot running` line) and must not
enter that coin again within strategy.cooldown_minutes, however often the scans pass it.
Usage: test_bot_restart_memory.py TRADINGD TRADINGCTL"""
import json
import os
import re
import signal
import time
import unittest

from harness import FAKE_BINANCE, Deployment, FakeBinance, register_live_agent, wait_for

API_KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
API_SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
AGENT_PASSWORD = "agent-password-123"


@unittest.skipUnless(os.path.exists(FAKE_BINANCE), "fake-binance is not built")
class RestartMemoryTest(unittest.TestCase):
    def setUp(self):
        self.fake = FakeBinance("--symbols", "40", "--seed", "5", "--account", "%s:%s:10000" % (API_KEY, API_SECRET))
        self.d = Deployment()
        self.d.extra_secrets = [AGENT_PASSWORD, API_SECRET]
        self.d.write_config(extra=(
            "bots:\n  scan_interval_s: 10\n  heartbeat_interval_s: 1\n  heartbeat_timeout_s: 5\n"
            "  poll_interval_s: 1\n  restart_backoff_ms: 100\n"
            "exchange:\n  market_data: binance\n  rest_url: %s\n  sapi_url: %s\n  request_timeout_ms: 5000\n"
            % (self.fake.base, self.fake.base)))
        self.assertEqual(self.d.ctl("db", "migrate").returncode, 0)
        self.d.start()

    def tearDown(self):
        self.fake.stop()
        self.d.cleanup()

    def status(self, agent):
        return json.loads(self.d.ctl("bot", "status", str(agent), "--json").stdout)

    def rows(self, agent, where):
        return self.d.sql_query("SELECT id, symbol, side, status FROM positions WHERE agent_id = %d AND %s ORDER BY id"
                                % (agent, where))

    def events(self, agent):
        return json.loads(self.d.ctl("bot", "logs", str(agent), "--limit", "1000", "--json").stdout)["events"]

    def stop_loss_of(self, position_id):
        """The live stop-loss algo order of one of our positions on the fake."""
        for account in self.fake.state()["accounts"]:
            for o in account["algo_orders"]:
                parts = o["clientAlgoId"].split("-")
                if (len(parts) == 4 and parts[0] == "td1" and int(parts[2], 36) == position_id
                        and parts[3][0] == "s" and o["algoStatus"] == "NEW"):
                    return o
        return None

    def test_a_coin_closed_before_a_kill9_stays_in_cooldown(self):
        agent = register_live_agent(self.d, "memory@example.com", AGENT_PASSWORD, API_KEY, API_SECRET)
        self.assertEqual(self.d.ctl("bot", "start", str(agent), "--mode", "live").returncode, 0)
        first = wait_for("a protected open position", lambda: [
            r for r in self.rows(agent, "status = 'OPEN'") if self.stop_loss_of(int(r[0]))], timeout=90, step=0.5)
        pid_, symbol, side, _ = first[0]
        position = int(pid_)
        stop = self.stop_loss_of(position)
        # Just past the stop: a long's SELL stop fires below its trigger, a short's BUY stop above.
        trigger = float(stop["triggerPrice"])
        self.fake.post("/_fake/price", {"symbol": symbol, "price": trigger * (0.994 if side == "LONG" else 1.006)})
        wait_for("position %d closed" % position,
                 lambda: self.rows(agent, "id = %d AND status = 'CLOSED'" % position), timeout=30, step=0.2)

        old = self.status(agent)["pid"]
        before_kill = max((e["id"] for e in self.events(agent)), default=0)
        last_id = int(self.d.sql_query("SELECT MAX(id) FROM positions WHERE agent_id = %d" % agent)[0][0])
        os.kill(old, signal.SIGKILL)
        new = wait_for("the worker restarted", lambda: (lambda s: s["pid"] if s["state"] == "running" and s["pid"]
                                                       and s["pid"] != old else None)(self.status(agent)))
        line = wait_for("the restarted worker's running line", lambda: re.search(
            r"bot running agent=%d pid=%d positions=\d+ cooldowns=(\d+)" % (agent, new), self.d.read_log()))
        # Every symbol this agent touched before the kill was within the last hour: all are in cooldown.
        touched = self.d.sql_query("SELECT COUNT(DISTINCT symbol) FROM positions WHERE agent_id = %d AND id <= %d"
                                   % (agent, last_id))
        self.assertEqual(int(line.group(1)), int(touched[0][0]))

        # Several scans later the closed coin has not been entered again.
        time.sleep(25)
        again = self.rows(agent, "symbol = '%s' AND id > %d" % (symbol, position))
        self.assertEqual(again, [], "%s re-entered within its cooldown after the restart" % symbol)
        # The scans after the restart that passed the coin and were refused for its cooldown: each one would
        # have re-entered it without the daemon's memory.
        refused = sum(1 for e in self.events(agent) if e["id"] > before_kill and e["kind"] == "decision"
                      for r in e["payload"].get("refused", []) if r["symbol"] == symbol and r["reason"] == "cooldown")
        self.assertGreaterEqual(refused, 1, "no later scan passed %s: the test proved nothing" % symbol)
        print("restart memory: %s closed by its stop, worker killed, %s cooldowns seeded, %d later scans refused it"
              % (symbol, line.group(1), refused))


if __name__ == "__main__":
    unittest.main(argv=[__file__], verbosity=2)
