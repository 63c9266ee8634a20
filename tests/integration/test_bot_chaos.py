#!/usr/bin/env python3
"""Process-level chaos (issue 6): the real daemon runs live bots as real worker processes on fake-binance, and
for at least CHAOS_FLOWS order flows (entries that reached the exchange, each followed by its protective
orders and its exit) the test SIGKILLs workers at random instants, kills them between an order's acceptance
and its reply, makes the exchange answer 503 after accepting an order or a cancel, holds replies past the
client's timeout, and moves prices through the bots' stop-loss and take-profit triggers so positions keep
closing and reopening. Afterwards, once every bot has restarted and reconciled:
  - no client order id twice on the exchange, and no position entered twice (two filled entry attempts);
  - no exchange position the database does not hold OPEN (untracked), none OPEN in the database that the
    exchange does not hold (lost), nothing left PENDING;
  - every OPEN position has a live stop-loss on the exchange.
Environment: CHAOS_SEED (6), CHAOS_FLOWS (200), CHAOS_SECONDS (time limit, 420), CHAOS_AGENTS (6).
Usage: test_bot_chaos.py TRADINGD TRADINGCTL"""
import json
import os
import random
import signal
import time
import unittest
import urllib.request

from harness import FAKE_BINANCE, Deployment, FakeBinance, register_live_agent, wait_for

AGENT_PASSWORD = "agent-password-123"
ORDER, ALGO = "/fapi/v1/order", "/fapi/v1/algoOrder"

# Fast scans and polls, restarts without a growing delay, a short request timeout so that a held reply is a
# timeout-after-accept, no cooldown so a closed coin can be entered again at the next scan.
CONFIG = """bots:
  scan_interval_s: 10
  poll_interval_s: 1
  heartbeat_interval_s: 1
  heartbeat_timeout_s: 15
  restart_backoff_ms: 100
  restart_backoff_max_ms: 1000
  restart_limit: 1000
  restart_window_s: 300
  stop_timeout_s: 10
strategy:
  cooldown_minutes: 0
  entry_threshold: %d
  long_skip_score: 101
exchange:
  market_data: binance
  rest_url: %s
  sapi_url: %s
  stream_url: %s
  request_timeout_ms: 1500
"""


def leg_of(client_id):
    """The leg letter of one of our ids ("td1-<agent>-<position>-<leg><attempt>"), or None."""
    parts = client_id.split("-")
    return parts[3][0] if len(parts) == 4 and parts[0] == "td1" else None


def position_of(client_id):
    parts = client_id.split("-")
    return int(parts[2], 36)


@unittest.skipUnless(os.path.exists(FAKE_BINANCE), "fake-binance is not built")
class ProcessChaosTest(unittest.TestCase):

    def setUp(self):
        self.rng = random.Random(int(os.environ.get("CHAOS_SEED", "6")))
        self.target = int(os.environ.get("CHAOS_FLOWS", "200"))
        self.limit = float(os.environ.get("CHAOS_SECONDS", "420"))
        n = int(os.environ.get("CHAOS_AGENTS", "6"))
        self.keys = [("chaoskey%02d" % i + "x" * 54, "chaossecret%02d" % i + "y" * 52) for i in range(n)]
        args = ["--symbols", "60", "--seed", "11"]
        for k, s in self.keys:
            args += ["--account", "%s:%s:1000000" % (k, s)]
        self.fake = FakeBinance(*args)
        self.base = self.fake.base
        # This many worker restarts a minute (each reconciles: positions and every open order, ~90 weight)
        # would overrun the 2,400 request weight a minute a real IP gets, and the point here is order
        # integrity, not rate limits: the server grants more (exchangeInfo tells the clients so).
        self.fake_post("/_fake/weight", {"budget": 24000})
        self.d = Deployment()
        self.d.extra_secrets = [s for _, s in self.keys]
        self.d.write_config(extra=CONFIG % (int(os.environ.get("CHAOS_THRESHOLD", "55")), self.base, self.base,
                                             self.fake.stream_base))
        self.assertEqual(self.d.ctl("db", "migrate").returncode, 0)
        self.d.start()

    def tearDown(self):
        if os.environ.get("CHAOS_KEEP_LOG"):
            with open(os.environ["CHAOS_KEEP_LOG"], "w") as f:
                f.write(self.d.read_log())
        self.fake.stop()
        self.d.cleanup()

    # ---- the exchange and the daemon ----

    def fake_post(self, path, body):
        req = urllib.request.Request(self.base + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        urllib.request.urlopen(req, timeout=10).read()

    def state(self):
        with urllib.request.urlopen(self.base + "/_fake/state", timeout=10) as r:
            return json.loads(r.read())

    def accounts(self, state):
        return {a["key"]: a for a in state["accounts"]}

    def bots(self):
        r = self.d.ctl("bot", "list", json_out=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        listed = json.loads(r.stdout)
        return {b["agent_id"]: b for b in (listed["bots"] if isinstance(listed, dict) else listed)}

    def kill(self, agent):
        pid = self.bots().get(agent, {}).get("pid")
        if not pid:
            return False
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return False
        return True

    def scans(self):
        """The scanner's passed counts so far, from the daemon's log."""
        return [line.split("passed=")[1].split()[0] for line in self.d.read_log().splitlines()
                if "scan_complete" in line]

    def entries_filled(self, state):
        return sum(1 for a in state["accounts"] for o in a["orders"]
                   if leg_of(o["clientOrderId"]) == "e" and o["status"] == "FILLED")

    def register(self, i, key, secret):
        agent = register_live_agent(self.d, "chaos%d@example.com" % i, AGENT_PASSWORD, key, secret)
        # Room for many positions at once, so every scan has entries to make.
        self.d.sql_query("UPDATE agents SET max_positions = 12 WHERE id = %d" % agent)
        return agent

    # ---- the chaos ----

    def push_through_triggers(self, state, most):
        """Moves up to `most` held symbols' prices just past one of their live stop-loss or take-profit
        triggers, so that those positions close (for every bot holding that side) and their slots free up."""
        live = {}
        for a in state["accounts"]:
            for o in a["algo_orders"]:
                if o["algoStatus"] == "NEW" and leg_of(o["clientAlgoId"]) in ("s", "t"):
                    live.setdefault(o["symbol"], []).append(o)
        pushed = 0
        for symbol in self.rng.sample(sorted(live), min(most, len(live))):
            o = self.rng.choice(live[symbol])
            trigger = float(o["triggerPrice"])
            # A SELL protects a long: it fires at or below a stop, at or above a take-profit; a BUY mirrors it.
            up = (o["side"] == "SELL") == (o["orderType"].startswith("TAKE_PROFIT"))
            self.fake_post("/_fake/price", {"symbol": symbol, "price": trigger * (1.006 if up else 0.994)})
            pushed += 1
        return pushed

    def newest_order_account(self, state):
        """The account whose order the exchange accepted last."""
        newest = {}
        for key, a in self.accounts(state).items():
            times = [o.get("updateTime", 0) for o in a["orders"]] + [o.get("updateTime", 0) for o in a["algo_orders"]]
            newest[key] = max(times, default=0)
        return max(newest, key=newest.get)

    def test_random_kills_and_lost_replies_leave_no_duplicate_untracked_or_lost_position(self):
        agents = {}
        for i, (key, secret) in enumerate(self.keys):
            agent = self.register(i, key, secret)
            agents[agent] = key
            self.assertEqual(self.d.ctl("bot", "start", str(agent), "--mode", "live").returncode, 0)
        agents_by_key = {k: a for a, k in agents.items()}
        counts = {"kills": 0, "kills_after_accept": 0, "lost_replies": 0, "held_replies": 0, "price_pushes": 0}
        held = False  # a held reply is armed and has not fired yet
        started = time.time()
        while True:
            state = self.state()
            flows = self.entries_filled(state)
            if flows >= self.target:
                break
            self.assertLess(time.time() - started, self.limit, "only %d order flows in %.0f s (%s); scans: %s" % (
                flows, self.limit, counts, self.scans()))
            if held and not any(f["action"] == "hang" for f in state["faults"]):
                # The held reply fired: its order was accepted, and the worker that sent it is waiting for a
                # reply that comes only after its timeout. Kill it there.
                counts["kills_after_accept"] += self.kill(agents_by_key[self.newest_order_account(state)])
                held = False
            counts["price_pushes"] += self.push_through_triggers(state, 3)
            time.sleep(self.rng.uniform(0.05, 0.3))
            roll = self.rng.random()
            if roll < 0.3:
                path, method = self.rng.choice([(ORDER, "POST"), (ALGO, "POST"), (ALGO, "DELETE")])
                self.fake_post("/_fake/fault", {"path": path, "method": method, "action": "status",
                                                "status": 503, "after": True, "count": 1})
                counts["lost_replies"] += 1
            elif roll < 0.5 and not held:
                self.fake_post("/_fake/fault", {"path": self.rng.choice([ORDER, ALGO]), "method": "POST",
                                                "action": "hang", "after": True, "hold_ms": 2500, "count": 1})
                counts["held_replies"] += 1
                held = True
            elif roll < 0.7:
                counts["kills"] += self.kill(self.rng.choice(list(agents)))
        elapsed = time.time() - started

        # Quiet: no more faults; every bot restarts, reconciles, polls and sees one more scan.
        self.fake_post("/_fake/fault", {"clear": True})
        for agent in agents:
            wait_for("agent %d running" % agent, lambda: self.bots()[agent]["state"] == "running",
                     timeout=60, step=0.1)
        pending = "SELECT COUNT(*) FROM positions WHERE status = 'PENDING'"
        wait_for("nothing pending", lambda: self.d.sql_query(pending) == [["0"]], timeout=60, step=0.1)
        time.sleep(12)
        wait_for("nothing pending", lambda: self.d.sql_query(pending) == [["0"]], timeout=60, step=0.1)

        state = self.state()
        flows, positions = self.entries_filled(state), 0
        for agent, key in agents.items():
            acct = self.accounts(state)[key]
            # A conditional order that fires becomes a plain order carrying its clientAlgoId: that is one order.
            algo_ids = [o["clientAlgoId"] for o in acct["algo_orders"]]
            ids = [o["clientOrderId"] for o in acct["orders"] if o["clientOrderId"] not in set(algo_ids)] + algo_ids
            self.assertEqual(len(ids), len(set(ids)), "agent %d: a client order id was used twice" % agent)
            entered = {}
            for o in acct["orders"]:
                if leg_of(o["clientOrderId"]) == "e" and o["status"] == "FILLED":
                    entered[position_of(o["clientOrderId"])] = entered.get(position_of(o["clientOrderId"]), 0) + 1
            self.assertEqual([p for p, n in entered.items() if n > 1], [], "agent %d: entered twice" % agent)
            exchange = {p["symbol"]: float(p["positionAmt"]) for p in acct["positions"]}
            rows = self.d.sql_query("SELECT id, symbol, side, quantity FROM positions WHERE agent_id = %d AND "
                                    "status = 'OPEN'" % agent)
            db = {}
            for _, sym, side, q in rows:
                db[sym] = round(db.get(sym, 0) + float(q) * (1 if side == "LONG" else -1), 12)
            self.assertEqual(db, exchange, "agent %d: untracked or lost positions" % agent)
            stops = {o["symbol"] for o in acct["algo_orders"]
                     if o["algoStatus"] == "NEW" and leg_of(o["clientAlgoId"]) == "s"}
            unprotected = sorted({sym for _, sym, _, _ in rows} - stops)
            self.assertEqual(unprotected, [], "agent %d: open positions without a stop-loss" % agent)
            positions += int(self.d.sql_query("SELECT COUNT(*) FROM positions WHERE agent_id = %d AND status IN "
                                              "('OPEN', 'CLOSED')" % agent)[0][0])
        closed = int(self.d.sql_query("SELECT COUNT(*) FROM positions WHERE status = 'CLOSED'")[0][0])
        orders = sum(len(a["orders"]) + len(a["algo_orders"]) for a in state["accounts"])
        print("\nscans (signals passed): %s" % " ".join(self.scans()))
        print("chaos: %d order flows (filled entries) in %.0f s, %d orders in all; %d positions in the database "
              "(%d closed); %s; exchange and database agree" % (flows, elapsed, orders, positions, closed, counts))
        self.assertEqual(positions, flows, "every filled entry is one position in the database")
        self.assertGreater(counts["kills"] + counts["kills_after_accept"], 20)
        self.assertGreater(closed, 0)


if __name__ == "__main__":
    unittest.main(argv=[__file__], verbosity=2)
