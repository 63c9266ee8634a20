#!/usr/bin/env python3
"""Maintenance mode (issue 7): `tradingctl maintenance on` stops every paper bot but keeps its desired state,
pauses the scanner and makes the store read-only: REST changes and sign-ins answer 503 with Retry-After and change
nothing, control changes are refused, reads keep working, `status` shows it; `maintenance off` brings the bots
back; a restart starts outside maintenance. On the mysql run also `db copy --stop-bots` of a live SQLite
deployment into MariaDB (refused without the flag, nothing copied), then the daemon on MariaDB starts the bots
that were running. Usage: test_maintenance.py TRADINGD TRADINGCTL"""
import json
import os
import signal
import subprocess
import threading
import time
import unittest

from harness import BACKEND, TRADINGCTL, Deployment, wait_for
from test_data import share_secrets

PASSWORD = "agent-password-123"
API_KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
CONFIG = ("bots:\n  scan_interval_s: 10\n  heartbeat_interval_s: 1\n  stop_timeout_s: 10\n"
          "backtest:\n  publish_sample: false\n")
TABLES = ("users", "agents", "api_keys", "refresh_tokens", "audit_log", "notifications", "bots", "events",
          "positions", "orders", "scan_results", "paper_accounts")


def ctl_json(d, *args):
    r = d.ctl(*args, json_out=True)
    assert r.returncode == 0, (args, r.returncode, r.stderr)
    return json.loads(r.stdout)


def register(d, n):
    email = "maint%d@example.com" % n
    status, _, body = d.http("POST", "/api/auth/register",
                             {"email": email, "password": PASSWORD, "display_name": "Maint %d" % n})
    assert status == 201, body
    status, _, tokens = d.http("POST", "/api/auth/login", {"email": email, "password": PASSWORD})
    assert status == 200, tokens
    return body["user"]["agent_id"], tokens["access_token"]


def running(d, agent, not_pid=None):
    def check():
        s = ctl_json(d, "bot", "status", str(agent))
        return s if s["state"] == "running" and s["pid"] and s["pid"] != not_pid else None
    return wait_for("agent %d running" % agent, check, timeout=30)


def query(d, sql):
    """Rows of `sql` on the deployment's own database: the SQLite deployment of the mysql run has no MYSQL_HOST."""
    if d.env_value("MYSQL_HOST") is not None:
        return d.sql_query(sql)
    out = subprocess.run(["sqlite3", "-separator", "\t", os.path.join(d.dir, "data", "tradingd.db"), sql],
                         check=True, capture_output=True, text=True)
    return [line.split("\t") for line in out.stdout.splitlines()]


def counts(d):
    return {t: int(query(d, "SELECT COUNT(*) FROM " + t)[0][0]) for t in TABLES}


def live_deployment(d, bots=2):
    """A started daemon with `bots` running paper bots, one agent whose bot was stopped, and a REST token each."""
    d.extra_secrets = [PASSWORD]
    d.write_config(extra=CONFIG)
    assert d.ctl("db", "migrate").returncode == 0
    d.start()
    agents = [register(d, i) for i in range(bots + 1)]
    for agent, _ in agents:
        ctl_json(d, "bot", "start", str(agent), "--mode", "paper")
    pids = {agent: running(d, agent)["pid"] for agent, _ in agents}
    ctl_json(d, "bot", "stop", str(agents[-1][0]))
    wait_for("bot stopped", lambda: ctl_json(d, "bot", "status", str(agents[-1][0]))["state"] == "stopped")
    return agents, pids


class MaintenanceChecks:
    """Assertions shared by both test classes: what an operator and a REST client see in maintenance."""

    def assert_in_maintenance(self, d, agents, pids):
        bots = [a for a, _ in agents[:-1]]
        for agent in bots:
            s = ctl_json(d, "bot", "status", str(agent))
            self.assertEqual((s["state"], s["desired_state"], s["pid"]), ("stopped", "running", None))
            self.assertFalse(os.path.exists("/proc/%d" % pids[agent]), "the worker is gone")
        self.assertEqual(ctl_json(d, "bot", "status", str(agents[-1][0]))["desired_state"], "stopped")
        status = ctl_json(d, "status")
        self.assertEqual(status["maintenance"]["state"], "on")
        self.assertTrue(status["maintenance"]["store_read_only"])
        self.assertIn("maintenance: on since", d.ctl("status").stdout)
        m = ctl_json(d, "maintenance", "status")
        self.assertEqual(sorted(m["bots_to_resume"]), sorted(bots))
        self.assertEqual(m["workers_alive"], 0)

        before = counts(d)
        agent, token = agents[0]
        for method, path, body, auth in (
                ("PUT", "/api/agent/api-key", {"api_key": API_KEY, "api_secret": API_KEY[::-1]}, token),
                ("POST", "/api/agent/bot/start", {}, token),
                ("POST", "/api/auth/login", {"email": "maint0@example.com", "password": PASSWORD}, None),
                ("POST", "/api/auth/register", {"email": "new@example.com", "password": PASSWORD,
                                                "display_name": "new"}, None)):
            status, headers, reply = d.http(method, path, body, token=auth)
            self.assertEqual(status, 503, (path, reply))
            self.assertEqual(reply["error"]["code"], "maintenance")
            self.assertIn("migrated", reply["error"]["message"])
            self.assertEqual(headers.get("retry-after"), "60")
        status, _, me = d.http("GET", "/api/agent/me", token=token)  # reads go on with an existing session
        self.assertEqual(status, 200, me)
        self.assertEqual(me["agent"]["id"], agent)
        for args in (("bot", "start", str(agents[-1][0])), ("bot", "stop", str(agent)), ("bot", "reset", str(agent))):
            r = d.ctl(*args)
            self.assertEqual(r.returncode, 1, args)
            self.assertIn("maintenance mode", r.stderr)
        # tradingctl commands that open the database themselves refuse too (the copy would miss their rows).
        r = subprocess.run([TRADINGCTL, "--config", d.config, "--env-file", d.env_file, "user", "add-admin",
                            "late@example.com"], input=PASSWORD + "\n", capture_output=True, text=True,
                           env=d.clean_env())
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("maintenance mode", r.stderr)
        r = d.ctl("db", "migrate")
        self.assertEqual(r.returncode, 1)
        self.assertIn("maintenance mode", r.stderr)
        self.assertEqual(counts(d), before, "nothing may change the database in maintenance")
        return before

    def assert_back_to_normal(self, d, agents, pids):
        for agent, _ in agents[:-1]:
            running(d, agent, not_pid=pids[agent])
        self.assertEqual(ctl_json(d, "bot", "status", str(agents[-1][0]))["state"], "stopped")
        self.assertEqual(ctl_json(d, "status")["maintenance"]["state"], "off")
        status, _, body = d.http("PUT", "/api/agent/api-key", {"api_key": API_KEY, "api_secret": API_KEY[::-1]},
                                 token=agents[0][1])
        self.assertEqual(status, 200, body)


class MaintenanceMode(unittest.TestCase, MaintenanceChecks):
    """On the backend under test: SQLite's query_only, or a read-only MariaDB session."""

    def setUp(self):
        self.d = Deployment()
        self.addCleanup(self.d.cleanup)
        self.agents, self.pids = live_deployment(self.d)

    def test_maintenance_stops_bots_refuses_changes_and_off_resumes_everything(self):
        wait_for("a first scan", lambda: "scan_complete" in self.d.read_log())
        on = ctl_json(self.d, "maintenance", "on")
        self.assertEqual((on["state"], on["store_read_only"], on["scanner_paused"]), ("on", True, True))
        before = self.assert_in_maintenance(self.d, self.agents, self.pids)
        scans = self.d.read_log().count("scan_complete")
        time.sleep(11)  # longer than bots.scan_interval_s: a scan would have been stored by now
        self.assertEqual(self.d.read_log().count("scan_complete"), scans, "the scanner is paused")
        self.assertEqual(counts(self.d), before)
        self.assertIn("maintenance on: every bot stopped, the store is read-only", self.d.read_log())
        backup = ctl_json(self.d, "db", "backup", "--out", self.d.dir)  # the roadmap's step 3, daemon up
        self.assertEqual({t["name"]: t["rows"] for t in backup["tables"] if t["name"] in TABLES}, before)

        off = ctl_json(self.d, "maintenance", "off")
        self.assertEqual((off["state"], off["store_read_only"]), ("off", False))
        self.assert_back_to_normal(self.d, self.agents, self.pids)
        wait_for("a scan after maintenance", lambda: self.d.read_log().count("scan_complete") > scans, timeout=15)

    def test_bots_that_do_not_stop_in_time_make_it_leave_maintenance_again(self):
        agent = self.agents[0][0]
        os.kill(self.pids[agent], signal.SIGSTOP)  # its worker cannot act on the stop message
        try:
            r = self.d.ctl("maintenance", "on", "--wait", "1")
        finally:
            os.kill(self.pids[agent], signal.SIGCONT)
        self.assertEqual(r.returncode, 1)
        self.assertIn("did not reach maintenance mode within 1 s", r.stderr)
        self.assertIn("maintenance mode was left again", r.stderr)
        self.assertEqual(ctl_json(self.d, "maintenance", "status")["state"], "off")
        self.assertEqual(self.d.http("GET", "/healthz")[2]["maintenance"], "off")
        # The stalled worker finishes its stop, then starts again with the other bots.
        self.assert_back_to_normal(self.d, self.agents, self.pids)

    def test_a_copy_with_stop_bots_refuses_a_daemon_serving_another_database(self):
        if BACKEND != "mysql":
            self.skipTest("db copy needs MYSQL_* for its target")
        other = os.path.join(self.d.dir, "other.db")
        open(other, "w").close()
        r = self.d.ctl("db", "copy", "--from", "sqlite:" + other, "--to", "mysql", "--stop-bots")
        self.assertEqual(r.returncode, 1)
        self.assertIn("serves mysql:", r.stderr)
        self.assertIn("not sqlite:" + other, r.stderr)
        self.assertEqual(ctl_json(self.d, "status")["maintenance"]["state"], "off")
        for agent, _ in self.agents[:-1]:
            self.assertEqual(ctl_json(self.d, "bot", "status", str(agent))["pid"], self.pids[agent])

    def test_a_restart_starts_outside_maintenance_with_the_bots_running(self):
        ctl_json(self.d, "maintenance", "on")
        self.d.stop()
        self.d.start()
        self.assertEqual(ctl_json(self.d, "status")["maintenance"]["state"], "off")
        self.assert_back_to_normal(self.d, self.agents, self.pids)


@unittest.skipUnless(BACKEND == "mysql", "db copy targets MySQL/MariaDB")
class CopyWithStopBots(unittest.TestCase, MaintenanceChecks):
    """A live SQLite deployment with paper bots and a REST client writing, copied into MariaDB."""

    def setUp(self):
        self.sqlite = Deployment()
        self.addCleanup(self.sqlite.cleanup)
        for name in ("MYSQL_HOST", "MYSQL_PORT", "MYSQL_USER", "MYSQL_PASSWORD", "MYSQL_DB"):
            self.sqlite.set_env_value(name, None)  # this deployment runs on SQLite
        self.agents, self.pids = live_deployment(self.sqlite)
        self.path = os.path.join(self.sqlite.dir, "data", "tradingd.db")
        self.mysql = Deployment()
        self.addCleanup(self.mysql.cleanup)
        self.mysql.extra_secrets = [PASSWORD]
        self.mysql.write_config(extra=CONFIG)
        share_secrets(self.sqlite, self.mysql)

    def copy(self, *extra):
        # tradingctl of the MariaDB deployment (MYSQL_* set) talking to the SQLite daemon's socket.
        return self.mysql.ctl("--socket", self.sqlite.socket, "db", "copy", "--from", "sqlite:" + self.path,
                              "--to", "mysql", *extra, json_out=True)

    def rest_writer(self, stop, statuses):
        token = self.agents[0][1]
        while not stop.is_set():
            status, _, _ = self.sqlite.http("PUT", "/api/agent/api-key",
                                            {"api_key": API_KEY, "api_secret": API_KEY[::-1]}, token=token)
            statuses.append(status)
            time.sleep(0.02)

    def test_copy_with_stop_bots_then_the_daemon_on_mariadb_runs_the_same_bots(self):
        r = self.copy()
        self.assertEqual(r.returncode, 1)
        self.assertIn("is running", r.stderr)
        self.assertIn("--stop-bots", r.stderr)
        self.assertEqual(self.mysql.sql_query("SHOW TABLES"), [], "nothing may be copied")
        self.assertEqual(ctl_json(self.sqlite, "status")["maintenance"]["state"], "off")

        stop, statuses = threading.Event(), []
        writer = threading.Thread(target=self.rest_writer, args=(stop, statuses))
        writer.start()
        try:
            time.sleep(0.5)
            t0 = time.monotonic()
            r = self.copy("--stop-bots")
            elapsed = time.monotonic() - t0
            time.sleep(0.3)
        finally:
            stop.set()
            writer.join()
        self.assertEqual(r.returncode, 0, r.stderr)
        report = json.loads(r.stdout)
        print("\ndb copy --stop-bots of a live daemon (2 bots, a REST writer): %.1f s" % elapsed)
        self.assertTrue(report["ok"], report)
        for t in report["tables"]:
            self.assertEqual((t["source_rows"], t["source_checksum"]), (t["target_rows"], t["target_checksum"]))
        self.assertEqual(report["daemon"]["maintenance"], "on")
        self.assertIn(200, statuses)
        self.assertIn(503, statuses)
        self.assertEqual(set(statuses), {200, 503}, "a REST write failed other than with 503")

        before = self.assert_in_maintenance(self.sqlite, self.agents, self.pids)
        self.assertEqual(counts(self.mysql), before, "the copy holds every row the daemon had")
        wanted = sorted([str(a), "running"] for a, _ in self.agents[:-1]) + [[str(self.agents[-1][0]), "stopped"]]
        self.assertEqual(sorted(self.mysql.sql_query("SELECT agent_id, desired_state FROM bots")), sorted(wanted))

        self.assertEqual(self.sqlite.http("GET", "/healthz")[2]["maintenance"], "on")
        # A failed copy (the target now holds data) leaves the daemon in maintenance for the next attempt.
        r = self.copy("--stop-bots")
        self.assertEqual(r.returncode, 1)
        self.assertIn("not empty", r.stderr)
        self.assertIn("stays in maintenance mode", r.stderr)
        self.assertEqual(ctl_json(self.sqlite, "status")["maintenance"]["state"], "on")

        ctl_json(self.sqlite, "maintenance", "off")
        self.assert_back_to_normal(self.sqlite, self.agents, self.pids)
        self.sqlite.stop()

        self.mysql.start()
        self.assertEqual(ctl_json(self.mysql, "status")["store"]["backend"], "mysql")
        for agent, _ in self.agents[:-1]:
            running(self.mysql, agent)
        self.assertEqual(ctl_json(self.mysql, "bot", "status", str(self.agents[-1][0]))["state"], "stopped")
        status, _, _ = self.mysql.http("POST", "/api/auth/login", {"email": "maint0@example.com",
                                                                  "password": PASSWORD})
        self.assertEqual(status, 200)


if __name__ == "__main__":
    print("integration tests on backend:", BACKEND, flush=True)
    unittest.main(argv=[__file__], verbosity=2)
