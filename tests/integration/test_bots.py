#!/usr/bin/env python3
"""Bots with real worker processes: start, kill -9 and automatic restart (timed), the restart limit and
reset, a hung worker, the memory limit, positions restored after a crash with the paper exchange and the
database agreeing, stop, and running bots brought back by a daemon restart; a live bot on fake-binance
killed while it trades. The process-level chaos run is test_bot_chaos.py.
Usage: test_bots.py TRADINGD TRADINGCTL"""
import json
import os
import signal
import time
import unittest
import urllib.error
import urllib.request

from harness import FAKE_BINANCE, Deployment, FakeBinance, register_live_agent, wait_for

API_KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
API_SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"

AGENT_PASSWORD = "agent-password-123"
BOTS_CONFIG = ("bots:\n  scan_interval_s: 10\n  heartbeat_interval_s: 1\n  heartbeat_timeout_s: 3\n"
               "  restart_backoff_ms: 100\n"
               "  restart_limit: 3\n  restart_window_s: 300\n  stop_timeout_s: 10\n")


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0): only a reaped worker counts as gone.
    with open("/proc/%d/stat" % pid) as f:
        return f.read().split(") ")[1][0] != "Z"


class BotsTest(unittest.TestCase):
    """One daemon for the class; each test uses its own agent so they do not disturb each other."""

    @classmethod
    def setUpClass(cls):
        cls.d = Deployment()
        cls.d.extra_secrets = [AGENT_PASSWORD]
        cls.d.write_config(extra=BOTS_CONFIG)
        assert cls.d.ctl("db", "migrate").returncode == 0
        cls.d.start()
        cls.agents = 0

    @classmethod
    def tearDownClass(cls):
        cls.d.cleanup()

    def new_agent(self):
        BotsTest.agents += 1
        email = "bot%d@example.com" % BotsTest.agents
        status, _, body = self.d.http("POST", "/api/auth/register", {
            "email": email, "password": AGENT_PASSWORD, "display_name": "bot%d" % BotsTest.agents})
        self.assertEqual(status, 201, body)
        return body["user"]["agent_id"]

    def bot(self, *args):
        r = self.d.ctl("bot", *[str(a) for a in args], json_out=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def running(self, agent, not_pid=None):
        def check():
            s = self.bot("status", agent)
            return s if s["state"] == "running" and s["pid"] and s["pid"] != not_pid else None
        return wait_for("agent %d running" % agent, check)

    def open_positions(self, agent):
        return {int(r[0]): (r[1], r[2], r[3]) for r in self.d.sql_query(
            "SELECT id, symbol, side, quantity FROM positions WHERE agent_id = %d AND status = 'OPEN'" % agent)}

    def paper_positions(self, agent):
        rows = self.d.sql_query("SELECT state FROM paper_accounts WHERE agent_id = %d" % agent)
        if not rows:
            return {}
        return {s: p["amount"] for s, p in json.loads(rows[0][0])["positions"].items()}

    def disagreement(self, agent):
        """What differs between the database's positions and the paper account, or None when they agree.
        An entry in flight is PENDING in the database while the paper account may already hold it (and a
        close is booked a moment after the account is flat), so agreement is judged with nothing pending."""
        pending = self.d.sql_query("SELECT symbol FROM positions WHERE agent_id = %d AND status = 'PENDING'"
                                   % agent)
        db = {s: float(q) * (1 if side == "LONG" else -1) for s, side, q in self.open_positions(agent).values()}
        paper = {s: float(a) for s, a in self.paper_positions(agent).items()}
        if pending or db != paper:
            return "pending %s, database %s, paper account %s" % (pending, db, paper)
        return None

    def assert_exchange_and_db_agree(self, agent, timeout=15.0):
        # The two sides must converge once in-flight orders settle; a lasting difference is a lost or
        # untracked position.
        deadline = time.time() + timeout
        while (diff := self.disagreement(agent)) and time.time() < deadline:
            time.sleep(0.05)
        self.assertIsNone(diff, "database and paper account disagree")
        # Deterministic client order ids: one entry order per position, never a second one.
        dup = self.d.sql_query("SELECT position_id, COUNT(*) FROM orders WHERE agent_id = %d AND leg = 'entry' "
                               "GROUP BY position_id HAVING COUNT(*) > 1" % agent)
        self.assertEqual(dup, [])

    def kill_and_time_restart(self, agent):
        pid = self.running(agent)["pid"]
        t0 = time.monotonic()
        os.kill(pid, signal.SIGKILL)
        s = self.running(agent, not_pid=pid)
        return pid, s, (time.monotonic() - t0) * 1000

    def test_1_kill9_restarts_and_restores_positions(self):
        agent = self.new_agent()
        s = self.bot("start", agent, "--mode", "paper")
        self.assertEqual(s["mode"], "paper")
        self.running(agent)
        # The first scan comes ~2 s after the daemon starts; the paper bot enters what passes.
        before = wait_for("open positions", lambda: self.open_positions(agent), timeout=30)
        self.assert_exchange_and_db_agree(agent)
        old_pid, s, ms = self.kill_and_time_restart(agent)
        print("\nkill -9 to running again: %.0f ms" % ms)
        self.assertFalse(alive(old_pid))
        self.assertLess(ms, 5000)
        self.assertIn("restart agent=%d cause=killed attempt=1" % agent, self.d.read_log())
        self.assertEqual(s["restart_count"], 1)
        self.assertEqual(s["last_cause"], "killed")
        notes = self.d.sql_query("SELECT type, title FROM notifications WHERE agent_id = %d" % agent)
        self.assertIn(["system", "Bot restarted"], notes)
        time.sleep(1.5)  # the restarted worker reconciles and polls
        after = self.open_positions(agent)
        for pid_, row in before.items():  # nothing open before the crash was lost or closed by it
            self.assertEqual(after.get(pid_), row)
        self.assert_exchange_and_db_agree(agent)
        kinds = [e["kind"] for e in self.bot("logs", agent, "--limit", "1000")["events"]]
        self.assertGreaterEqual(kinds.count("reconcile"), 2)
        self.assertIn("supervisor", kinds)

    def test_2_restart_limit_puts_bot_in_error_until_reset(self):
        agent = self.new_agent()
        self.bot("start", agent)
        for attempt in range(1, 4):
            self.kill_and_time_restart(agent)
        pid = self.running(agent)["pid"]
        os.kill(pid, signal.SIGKILL)
        s = wait_for("error state", lambda: (lambda s: s if s["state"] == "error" else None)(
            self.bot("status", agent)))
        self.assertIn("restart limit", s["last_error"])
        time.sleep(1.0)
        s = self.bot("status", agent)
        self.assertEqual(s["state"], "error")
        self.assertIsNone(s["pid"], "no more restarts after the limit")
        self.assertIn("bot error agent=%d: restart limit" % agent, self.d.read_log())
        alerts = self.d.sql_query("SELECT type FROM notifications WHERE agent_id = %d" % agent)
        self.assertIn(["risk_alert"], alerts)
        r = self.d.ctl("bot", "start", str(agent))
        self.assertEqual(r.returncode, 1)
        self.assertIn("reset", r.stderr)
        s = self.bot("reset", agent)
        self.assertEqual(s["state"], "stopped")
        self.assertEqual(s["restart_count"], 0)
        self.bot("start", agent)
        self.running(agent)

    def test_3_hung_worker_is_killed_and_restarted(self):
        agent = self.new_agent()
        self.bot("start", agent)
        pid = self.running(agent)["pid"]
        os.kill(pid, signal.SIGSTOP)  # alive but silent: no heartbeats
        t0 = time.monotonic()
        self.running(agent, not_pid=pid)
        print("\nhung worker replaced after %.1f s (heartbeat timeout 3 s)" % (time.monotonic() - t0))
        self.assertIn("restart agent=%d cause=hung" % agent, self.d.read_log())
        self.assertFalse(alive(pid))

    def test_4_memory_limit_recycles_the_worker(self):
        agent = self.new_agent()
        self.bot("start", agent)
        self.running(agent)
        self.d.write_config(extra=BOTS_CONFIG + "  rss_limit_mb: 2\n")
        self.assertEqual(self.d.ctl("call", "config.reload").returncode, 0)
        try:
            wait_for("rss recycle", lambda: "restart agent=%d cause=rss_limit" % agent in self.d.read_log())
        finally:
            self.d.write_config(extra=BOTS_CONFIG)
            self.assertEqual(self.d.ctl("call", "config.reload").returncode, 0)
        self.bot("stop", agent)

    def test_5_stop_ends_the_worker_and_no_restart_follows(self):
        agent = self.new_agent()
        self.bot("start", agent)
        pid = self.running(agent)["pid"]
        self.bot("stop", agent)
        wait_for("stopped", lambda: self.bot("status", agent)["state"] == "stopped")
        wait_for("worker gone", lambda: not alive(pid))
        time.sleep(0.5)
        s = self.bot("status", agent)
        self.assertEqual((s["state"], s["desired_state"], s["pid"]), ("stopped", "stopped", None))
        self.assertNotIn("restart agent=%d " % agent, self.d.read_log())
        listed = {b["agent_id"]: b for b in self.bot("list")["bots"]}
        self.assertEqual(listed[agent]["state"], "stopped")
        human = self.d.ctl("bot", "list")
        self.assertIn("STATE", human.stdout)

    def test_6_unknown_agent_and_bad_mode_are_refused(self):
        r = self.d.ctl("bot", "start", "999")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no agent 999", r.stderr)
        r = self.d.ctl("call", "bot.start", '{"agent": 1, "mode": "yolo"}')
        self.assertEqual(r.returncode, 1)
        agent = self.new_agent()
        r = self.d.ctl("bot", "start", str(agent), "--mode", "live")
        self.assertEqual(r.returncode, 0)  # accepted, then refused for want of a key: state error
        s = wait_for("error", lambda: (lambda s: s if s["state"] == "error" else None)(self.bot("status", agent)))
        self.assertIn("API key", s["last_error"])

    def test_7_agents_run_their_own_bot_over_rest(self):
        agent = self.new_agent()
        email = "bot%d@example.com" % BotsTest.agents
        token = self.d.http("POST", "/api/auth/login", {"email": email, "password": AGENT_PASSWORD})[2]["access_token"]
        status, _, bot = self.d.http("GET", "/api/agent/bot", token=token)
        self.assertEqual((status, bot["state"]), (200, "stopped"))
        self.assertNotIn("pid", bot)
        self.assertEqual(self.d.http("POST", "/api/agent/bot/start", {"mode": "demo"}, token=token)[0], 400)
        self.assertEqual(self.d.http("POST", "/api/agent/bot/start", {"mode": "paper"})[0], 401)
        status, _, bot = self.d.http("POST", "/api/agent/bot/start", {"mode": "paper"}, token=token)
        self.assertEqual(status, 200, bot)
        self.assertEqual(self.running(agent)["agent_id"], agent)  # the token's agent, nobody else's
        status, _, bot = self.d.http("POST", "/api/agent/bot/stop", {}, token=token)
        self.assertEqual(status, 200, bot)
        wait_for("stopped over REST", lambda: self.d.http("GET", "/api/agent/bot", token=token)[2]["state"] == "stopped")

    def test_8_stop_flatten_closes_every_position(self):
        agent = self.new_agent()
        self.bot("start", agent, "--mode", "paper")
        self.running(agent)
        opened = wait_for("open positions", lambda: self.open_positions(agent), timeout=30)
        self.bot("stop", agent, "--flatten")
        wait_for("stopped", lambda: self.bot("status", agent)["state"] == "stopped")
        self.assertEqual(self.open_positions(agent), {})
        closed = self.d.sql_query("SELECT id, close_reason FROM positions WHERE agent_id = %d AND status = 'CLOSED'"
                                  % agent)
        self.assertTrue(set(opened) <= {int(i) for i, _ in closed})
        self.assertEqual({reason for i, reason in closed if int(i) in opened}, {"flattened"})
        self.assertEqual(self.paper_positions(agent), {})  # flat on the (paper) exchange too

    def test_9_daemon_restart_brings_running_bots_back(self):
        running = [b for b in self.bot("list")["bots"] if b["desired_state"] == "running" and b["state"] == "running"]
        self.assertTrue(running)
        positions = {b["agent_id"]: self.open_positions(b["agent_id"]) for b in running}
        pids = [b["pid"] for b in running]
        self.assertEqual(self.d.stop(), 0)
        for pid in pids:
            wait_for("worker %d gone with the daemon" % pid, lambda: not alive(pid), timeout=5)
        self.d.start()
        log = self.d.read_log()
        for b in running:
            self.assertIn("starting bot agent=%d " % b["agent_id"], log)
            s = self.running(b["agent_id"])
            self.assertNotIn(s["pid"], pids)
            time.sleep(0.5)
            now = self.open_positions(b["agent_id"])
            for pid_, row in positions[b["agent_id"]].items():
                self.assertEqual(now.get(pid_), row)
        stopped = [b for b in self.bot("list")["bots"] if b["desired_state"] == "stopped"]
        for b in stopped:
            self.assertIsNone(b["pid"])
        # A bot in error waits for `bot reset`, daemon restart or not (test 6 left one that wants to run).
        errors = [b for b in self.bot("list")["bots"] if b["state"] == "error"]
        self.assertTrue(errors)
        for b in errors:
            self.assertEqual(b["desired_state"], "running")
            self.assertIsNone(b["pid"])
            self.assertNotIn("starting bot agent=%d " % b["agent_id"], self.d.read_log())


@unittest.skipUnless(os.path.exists(FAKE_BINANCE), "fake-binance is not built")
class LiveBotTest(unittest.TestCase):
    """A live bot on fake-binance with a key linked through the REST API: kill -9 in the middle of trading,
    then the exchange and the database agree on every position, and no order was placed twice."""

    def setUp(self):
        self.fake = FakeBinance("--symbols", "40", "--seed", "5", "--account", "%s:%s:10000" % (API_KEY, API_SECRET))
        self.base = self.fake.base
        self.d = Deployment()
        self.d.extra_secrets = [AGENT_PASSWORD, API_SECRET]
        self.d.write_config(extra=BOTS_CONFIG + "exchange:\n  market_data: binance\n  rest_url: %s\n"
                            "  sapi_url: %s\n  stream_url: %s\n  request_timeout_ms: 5000\n" % (
                                self.base, self.base, self.fake.stream_base))
        self.assertEqual(self.d.ctl("db", "migrate").returncode, 0)
        self.d.start()

    def tearDown(self):
        self.fake.stop()
        self.d.cleanup()

    def exchange_positions(self):
        with urllib.request.urlopen(self.base + "/_fake/state", timeout=5) as r:
            state = json.loads(r.read())
        acct = [a for a in state["accounts"] if a["key"] == API_KEY][0]
        return {p["symbol"]: float(p["positionAmt"]) for p in acct["positions"]}, acct

    def test_live_bot_survives_kill9_with_exchange_and_db_in_agreement(self):
        agent = register_live_agent(self.d, "live@example.com", AGENT_PASSWORD, API_KEY, API_SECRET)
        r = self.d.ctl("bot", "start", str(agent), "--mode", "live", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn(API_SECRET, r.stdout)

        def status_():
            return json.loads(self.d.ctl("bot", "status", str(agent), "--json").stdout)
        s = wait_for("live bot running", lambda: (lambda s: s if s["state"] == "running" else None)(status_()))
        # The worker's command line and environment carry no key.
        with open("/proc/%d/cmdline" % s["pid"], "rb") as f:
            self.assertNotIn(API_KEY.encode(), f.read())
        db_open = lambda: self.d.sql_query(
            "SELECT symbol, side, quantity FROM positions WHERE agent_id = %d AND status = 'OPEN'" % agent)
        wait_for("a live position", db_open, timeout=40)
        os.kill(s["pid"], signal.SIGKILL)
        wait_for("restarted", lambda: (lambda n: n if n["state"] == "running" and n["pid"] != s["pid"] else None)(
            status_()))
        # The restarted worker reconciles; the bot keeps trading meanwhile, so judge at a moment with no entry
        # in flight (PENDING in the database while the exchange may already hold it). A lasting difference fails.
        pending = "SELECT COUNT(*) FROM positions WHERE agent_id = %d AND status = 'PENDING'" % agent

        def agreed():
            if self.d.sql_query(pending) != [["0"]]:
                return None
            exchange, acct = self.exchange_positions()
            db = {sym: float(q) * (1 if side == "LONG" else -1) for sym, side, q in db_open()}
            return (db, exchange, acct) if db == exchange and self.d.sql_query(pending) == [["0"]] else None
        time.sleep(2)  # a poll after the restart reconciles fills and protective orders
        try:
            _, _, acct = wait_for("database and exchange agreeing, nothing pending", agreed, timeout=30, step=0.5)
        except AssertionError:
            exchange, acct = self.exchange_positions()
            db = {sym: float(q) * (1 if side == "LONG" else -1) for sym, side, q in db_open()}
            self.assertEqual(db, exchange)
            self.assertEqual(self.d.sql_query(pending), [["0"]])
            raise
        client_ids = [o["clientOrderId"] for o in acct["orders"]]
        self.assertEqual(len(client_ids), len(set(client_ids)), "an order was placed twice")
        self.assertNotIn(API_SECRET, self.d.read_log())


@unittest.skipUnless(os.path.exists(FAKE_BINANCE), "fake-binance is not built")
class RateLimitedStartTest(unittest.TestCase):
    """A live bot starting while the server's IP has used up its request weight (another program on the host,
    or many bots restarting at once) waits for the exchange's next minute instead of failing its start: no
    crash loop that burns restarts and ends in `error`."""

    def setUp(self):
        self.fake = FakeBinance("--symbols", "40", "--seed", "5", "--account", "%s:%s:10000" % (API_KEY, API_SECRET))
        self.d = Deployment()
        self.d.extra_secrets = [AGENT_PASSWORD, API_SECRET]
        # The scanner runs on the built-in simulation (same symbols as the fake) so that only the worker and
        # this test spend the fake's weight.
        self.d.write_config(extra=BOTS_CONFIG + "exchange:\n  rest_url: %s\n  sapi_url: %s\n  stream_url: %s\n" % (
            self.fake.base, self.fake.base, self.fake.stream_base))
        self.assertEqual(self.d.ctl("db", "migrate").returncode, 0)
        self.d.start()

    def tearDown(self):
        self.fake.stop()
        self.d.cleanup()

    def test_start_waits_for_the_next_minute_instead_of_crashing(self):
        agent = register_live_agent(self.d, "limited@example.com", AGENT_PASSWORD, API_KEY, API_SECRET)
        # Use up this minute's 2,400 weight from the same IP, with at least 15 s of the minute left.
        while time.time() % 60 > 40:
            time.sleep(0.5)
        used = 0
        while used <= 2400:
            try:
                with urllib.request.urlopen(self.fake.base + "/fapi/v1/ticker/24hr", timeout=5) as r:
                    used = int(r.headers["X-MBX-USED-WEIGHT-1M"])
            except urllib.error.HTTPError as e:
                self.assertEqual(e.code, 429)
                break
        minute_ends = (int(time.time()) // 60 + 1) * 60
        self.assertEqual(self.d.ctl("bot", "start", str(agent), "--mode", "live").returncode, 0)
        seen = set()

        def running():
            s = json.loads(self.d.ctl("bot", "status", str(agent), "--json").stdout)
            seen.add(s["state"])
            return s if s["state"] == "running" else None
        s = wait_for("the bot running after the limit", running, timeout=90, step=0.5)
        self.assertGreaterEqual(time.time(), minute_ends - 1, "the bot cannot have started inside the full minute")
        self.assertNotIn("error", seen)
        self.assertEqual(s["restart_count"], 0, "the start waited; it did not crash and restart")
        self.assertIn("start delayed", self.d.read_log())


if __name__ == "__main__":
    unittest.main(argv=[__file__], verbosity=2)
