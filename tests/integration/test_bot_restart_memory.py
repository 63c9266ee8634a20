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

from harness import FAKE_BINANCE, LiveBotsOnFake, wait_for


@unittest.skipUnless(os.path.exists(FAKE_BINANCE), "fake-binance is not built")
class RestartMemoryTest(LiveBotsOnFake, unittest.TestCase):
    BOTS_YAML = ("  scan_interval_s: 10\n  heartbeat_interval_s: 1\n  heartbeat_timeout_s: 5\n"
                 "  poll_interval_s: 1\n  restart_backoff_ms: 100\n")

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
        agent = self.live_agent("memory@example.com")
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

        old = self.bot_status(agent)["pid"]
        before_kill = max((e["id"] for e in self.events(agent)), default=0)
        last_id = int(self.d.sql_query("SELECT MAX(id) FROM positions WHERE agent_id = %d" % agent)[0][0])
        os.kill(old, signal.SIGKILL)
        new = wait_for("the worker restarted", lambda: (lambda s: s["pid"] if s["state"] == "running" and s["pid"]
                                                       and s["pid"] != old else None)(self.bot_status(agent)))
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
