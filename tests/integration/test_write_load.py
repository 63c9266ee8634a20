#!/usr/bin/env python3
"""Concurrent writes (issue 7, the roadmap's last checklist item): paper bots, REST clients, control clients and
tradingctl processes all write at once. Afterwards no request failed, no log line speaks of a locked or busy
database, and every acknowledged write is in the database (counted row by row). Prints the write throughput.
The load's size comes from WRITE_LOAD_SECONDS / WRITE_LOAD_BOTS / WRITE_LOAD_HTTP (small defaults for the suite;
tests/bench/RESULTS.md records a larger run).
Usage: test_write_load.py TRADINGD TRADINGCTL"""
import json
import os
import secrets
import string
import subprocess
import threading
import time
import unittest

from harness import BACKEND, TRADINGCTL, Deployment

SECONDS = float(os.environ.get("WRITE_LOAD_SECONDS", "8"))
BOTS = int(os.environ.get("WRITE_LOAD_BOTS", "6"))
HTTP_CLIENTS = int(os.environ.get("WRITE_LOAD_HTTP", "6"))
CONTROL_CLIENTS = 2
CLI_WRITERS = 1
PASSWORD = "load-password-123"
ALNUM = string.ascii_letters + string.digits


class Counter:
    def __init__(self):
        self.lock = threading.Lock()
        self.values = {}
        self.failures = []

    def add(self, name, n=1):
        with self.lock:
            self.values[name] = self.values.get(name, 0) + n

    def fail(self, what):
        with self.lock:
            self.failures.append(what)


class WriteLoadTest(unittest.TestCase):
    def setUp(self):
        self.d = Deployment()
        self.d.extra_secrets = [PASSWORD]
        self.d.write_config(extra="bots:\n  scan_interval_s: 10\n  heartbeat_interval_s: 1\n"
                                  "backtest:\n  publish_sample: false\n")
        self.assertEqual(self.d.ctl("db", "migrate").returncode, 0)
        self.d.start()
        self.counts = Counter()
        self.stop = threading.Event()

    def tearDown(self):
        self.d.cleanup()

    def register(self, n):
        email = "load%d@example.com" % n
        status, _, body = self.d.http("POST", "/api/auth/register",
                                      {"email": email, "password": PASSWORD, "display_name": "load%d" % n})
        self.assertEqual(status, 201, body)
        status, _, tokens = self.d.http("POST", "/api/auth/login", {"email": email, "password": PASSWORD})
        self.assertEqual(status, 200, tokens)
        return body["user"]["agent_id"], body["user"]["id"], tokens

    def http_writer(self, agent, tokens):
        """Alternates two writes: link a new API key (revoke + insert) and rotate the refresh token."""
        access, refresh = tokens["access_token"], tokens["refresh_token"]
        while not self.stop.is_set():
            key = "".join(secrets.choice(ALNUM) for _ in range(64))
            status, _, body = self.d.http("PUT", "/api/agent/api-key",
                                          {"api_key": key, "api_secret": "".join(reversed(key))}, token=access)
            if status != 200:
                self.counts.fail("PUT api-key %d %s" % (status, body))
                return
            self.counts.add("api_key:%d" % agent)
            status, _, body = self.d.http("POST", "/api/auth/refresh", {"refresh_token": refresh})
            if status != 200:
                self.counts.fail("refresh %d %s" % (status, body))
                return
            access, refresh = body["access_token"], body["refresh_token"]
            self.counts.add("refresh:%d" % agent)

    def control_writer(self, agent):
        """Starts and stops one paper bot over and over: bot rows and worker processes churn."""
        while not self.stop.is_set():
            for verb in ("start", "stop"):
                args = ["bot", verb, str(agent)] + (["--mode", "paper"] if verb == "start" else [])
                r = self.d.ctl(*args, json_out=True)
                if r.returncode != 0:
                    self.counts.fail("bot %s %d: %s" % (verb, agent, r.stderr.strip()))
                    return
                self.counts.add("control")

    def cli_writer(self):
        """A second process writing the same database directly: on SQLite, the old 'database is locked' case."""
        n = 0
        while not self.stop.is_set():
            n += 1
            r = subprocess.run([TRADINGCTL, "--config", self.d.config, "--env-file", self.d.env_file, "user",
                                "add-admin", "admin%d@example.com" % n], input=PASSWORD + "\n",
                               capture_output=True, text=True, env=self.d.clean_env())
            if r.returncode != 0:
                self.counts.fail("user add-admin: " + r.stderr.strip())
                return
            self.counts.add("admins")

    def rows(self, sql):
        return int(self.d.sql_query(sql)[0][0])

    def test_concurrent_writers_lose_nothing_and_never_see_a_locked_database(self):
        http_agents = [self.register(i) for i in range(HTTP_CLIENTS)]
        bot_agents = [self.register(100 + i)[0] for i in range(BOTS)]
        control_agents = [self.register(200 + i)[0] for i in range(CONTROL_CLIENTS)]
        for agent in bot_agents:
            self.assertEqual(self.d.ctl("bot", "start", str(agent), "--mode", "paper").returncode, 0)
        events_before = self.rows("SELECT COUNT(*) FROM events")

        threads = [threading.Thread(target=self.http_writer, args=(a, t)) for a, _, t in http_agents]
        threads += [threading.Thread(target=self.control_writer, args=(a,)) for a in control_agents]
        threads += [threading.Thread(target=self.cli_writer) for _ in range(CLI_WRITERS)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        time.sleep(SECONDS)
        self.stop.set()
        for t in threads:
            t.join(timeout=60)
        elapsed = time.monotonic() - t0
        self.assertEqual(self.counts.failures, [])

        # Every acknowledged write is there.
        c = self.counts.values
        for agent, user, _ in http_agents:
            self.assertEqual(self.rows("SELECT COUNT(*) FROM api_keys WHERE agent_id = %d" % agent),
                             c.get("api_key:%d" % agent, 0))
            self.assertEqual(self.rows("SELECT COUNT(*) FROM api_keys WHERE agent_id = %d AND status = 'active'"
                                       % agent), 1)
            # One token from the login, one per rotation.
            self.assertEqual(self.rows("SELECT COUNT(*) FROM refresh_tokens WHERE user_id = %d" % user),
                             1 + c.get("refresh:%d" % agent, 0))
        self.assertEqual(self.rows("SELECT COUNT(*) FROM users WHERE role = 'admin'"), c.get("admins", 0))
        for agent in bot_agents:
            self.assertEqual(json.loads(self.d.ctl("bot", "status", str(agent), json_out=True).stdout)["state"],
                             "running")
        events = self.rows("SELECT COUNT(*) FROM events") - events_before
        self.assertGreater(c.get("admins", 0), 0)
        self.assertGreater(c.get("control", 0), 0)

        log = self.d.read_log().lower()
        for word in ("database is locked", "database is busy", "sqlite_busy", "deadlock", "lock wait timeout"):
            self.assertNotIn(word, log)

        http_writes = sum(v for k, v in c.items() if k.startswith(("api_key:", "refresh:")))
        # A key link is two statements (revoke + insert) in one transaction, a rotation two (mark used + insert).
        total = http_writes + c["control"] + c["admins"] + events
        print("\n%s: %.1f s, %d HTTP writes, %d control writes, %d tradingctl writes, %d bot events; "
              "%.0f acknowledged writes/s, no lock errors, nothing lost"
              % (BACKEND, elapsed, http_writes, c["control"], c["admins"], events, total / elapsed))


if __name__ == "__main__":
    unittest.main(argv=[__file__], verbosity=2)
