#!/usr/bin/env python3
"""tradingd and tradingctl end to end: config checks, migrations, the running daemon, signals, exit codes.

Runs the real binaries on the backend named by TRADINGD_TEST_BACKEND (sqlite, or mysql with the
TRADINGD_TEST_MYSQL_* server from scripts/test-mariadb). Usage: test_daemon_cli.py TRADINGD TRADINGCTL
"""
import json
import os
import signal
import subprocess
import sys
import time
import unittest

import harness
from harness import BACKEND, TRADINGD, Deployment, mysql_client, raw_request

class ConfigCheck(unittest.TestCase):
    def setUp(self):
        self.d = Deployment()

    def tearDown(self):
        self.d.cleanup()

    def check(self, *extra):
        return subprocess.run([TRADINGD, "--config", self.d.config, "--env-file", self.d.env_file,
                               "--check-config", *extra], capture_output=True, text=True,
                              env=self.d.clean_env())

    def test_valid_config_exits_0(self):
        r = self.check()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("is ok", r.stdout)

    def test_verbose_masks_the_password(self):
        r = self.check("--verbose")
        self.assertEqual(r.returncode, 0, r.stderr)
        if self.d.password:
            self.assertNotIn(self.d.password, r.stdout + r.stderr)
            self.assertIn("mysql://", r.stdout)

    def test_unknown_key_names_the_line_and_exits_1(self):
        self.d.write_config(extra="  listn: 127.0.0.1:0\n")
        r = self.check()
        self.assertEqual(r.returncode, 1)
        self.assertIn("tradingd.yaml:10: unknown key 'http.listn'", r.stderr)
        self.assertIn("did you mean 'http.listen'", r.stderr)

    def test_cors_wildcard_is_refused(self):
        with open(self.d.env_file, "a") as f:
            f.write("CORS_ORIGINS=*\n")
        r = self.check()
        self.assertEqual(r.returncode, 1)
        self.assertIn("CORS_ORIGINS", r.stderr)

    def test_tradingctl_config_check_agrees(self):
        r = self.d.ctl("config", "check", json_out=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["store_backend"], BACKEND)
        self.d.write_config(extra="bogus: 1\n")
        r = self.d.ctl("config", "check")
        self.assertEqual(r.returncode, 1)
        self.assertIn("unknown key 'bogus'", r.stderr)
        self.assertEqual(r.stdout, "")


class DaemonLifecycle(unittest.TestCase):
    def setUp(self):
        self.d = Deployment(idle_ms=500)

    def tearDown(self):
        self.d.cleanup()

    def migrate(self):
        r = self.d.ctl("db", "migrate", json_out=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        result = json.loads(r.stdout)
        harness.LATEST = result["schema_latest"]
        self.assertEqual(result["schema_version"], harness.LATEST)
        return result

    def test_refuses_to_start_before_migrate_and_says_what_to_do(self):
        if BACKEND == "sqlite":
            r = self.d.ctl("db", "status")
            self.assertEqual(r.returncode, 1)
            self.assertIn("db migrate", r.stderr)
            os.makedirs(os.path.join(self.d.dir, "data"))
        self.d.start(wait=False)
        self.assertEqual(self.d.proc.wait(timeout=15), 1)
        self.assertIn("tradingctl db migrate", self.d.read_log())

    def test_migrate_then_status_then_idempotent(self):
        result = self.migrate()
        self.assertEqual(result["applied_now"], list(range(1, harness.LATEST + 1)))
        self.assertEqual(result["backend"], BACKEND)
        again = self.d.ctl("db", "migrate", json_out=True)
        self.assertEqual(json.loads(again.stdout)["applied_now"], [])
        human = self.d.ctl("db", "status")
        self.assertEqual(human.returncode, 0, human.stderr)
        self.assertIn("up to date", human.stdout)

    def test_refuses_a_database_newer_than_the_binary(self):
        self.migrate()
        sql = "INSERT INTO schema_version (version, name, checksum) VALUES (%d, 'future', 'x')" % (harness.LATEST + 1)
        if BACKEND == "mysql":
            mysql_client(sql, self.d.database)
        else:
            subprocess.run(["sqlite3", os.path.join(self.d.dir, "data", "tradingd.db"), sql], check=True)
        self.d.start(wait=False)
        self.assertEqual(self.d.proc.wait(timeout=15), 1)
        self.assertIn("newer than this binary", self.d.read_log())
        r = self.d.ctl("db", "migrate")
        self.assertEqual(r.returncode, 1)
        self.assertIn("newer than this binary", r.stderr)

    def test_running_daemon_answers_tradingctl(self):
        self.migrate()
        self.d.start()
        r = self.d.ctl("status", json_out=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        status = json.loads(r.stdout)  # stdout is exactly one JSON document
        self.assertEqual(status["pid"], self.d.proc.pid)
        self.assertEqual(status["store"]["backend"], BACKEND)
        self.assertEqual(status["store"]["schema_version"], harness.LATEST)
        self.assertIsInstance(status["uptime_s"], int)
        # python3 -m json.tool accepts it, as the issue asks scripts to rely on
        tool = subprocess.run([sys.executable, "-m", "json.tool"], input=r.stdout, capture_output=True, text=True)
        self.assertEqual(tool.returncode, 0)

        after = self.d.ctl("status", "--json")  # global flags also work after the subcommand
        self.assertEqual(json.loads(after.stdout)["pid"], self.d.proc.pid)
        human = self.d.ctl("status")
        self.assertIn("schema %d of %d" % (harness.LATEST, harness.LATEST), human.stdout)
        commands = self.d.ctl("commands")
        self.assertEqual(commands.returncode, 0)
        for name in ("status", "help", "config.reload"):
            self.assertIn(name, commands.stdout)
        listed = json.loads(self.d.ctl("commands", json_out=True).stdout)["commands"]
        self.assertEqual([c["name"] for c in listed], sorted(c["name"] for c in listed))

    def test_exit_codes(self):
        self.migrate()
        self.d.start()
        bad_type = self.d.ctl("call", "help", '{"command": 5}')
        self.assertEqual(bad_type.returncode, 1)
        self.assertIn("invalid_args", bad_type.stderr)
        unknown = self.d.ctl("call", "no.such.command")
        self.assertEqual(unknown.returncode, 1)
        self.assertIn("unknown_command", unknown.stderr)
        self.assertEqual(self.d.ctl("call", "status", "[1]").returncode, 2)
        self.assertEqual(self.d.ctl("frobnicate").returncode, 2)
        self.assertEqual(self.d.ctl().returncode, 2)
        self.assertEqual(self.d.ctl("--timeout", "0", "status").returncode, 2)
        ok = self.d.ctl("--help")
        self.assertEqual(ok.returncode, 0)
        self.assertIn("Exit codes", ok.stdout)
        self.assertEqual(self.d.stop(), 0)
        down = self.d.ctl("status", json_out=True)
        self.assertEqual(down.returncode, 3)
        self.assertEqual(down.stdout, "")
        self.assertIn("hint:", down.stderr)

    def test_bad_clients_never_hurt_the_daemon(self):
        self.migrate()
        self.d.start()
        self.assertEqual(raw_request(self.d.socket, "{oops")["error"]["code"], "parse_error")
        self.assertEqual(raw_request(self.d.socket, "x" * (2 * 1024 * 1024))["error"]["code"], "too_large")
        silent = raw_request(self.d.socket, None)  # connects, never writes
        self.assertEqual(silent["error"]["code"], "timeout")
        self.assertEqual(self.d.ctl("status").returncode, 0)
        self.assertIsNone(self.d.proc.poll())

    def test_sighup_reload_keeps_running_config_when_the_new_one_is_broken(self):
        self.migrate()
        self.d.start()
        self.d.write_config(extra="nonsense: true\n")
        self.d.proc.send_signal(signal.SIGHUP)
        r = self.d.ctl("config", "reload")
        self.assertEqual(r.returncode, 1)
        self.assertIn("invalid_config", r.stderr)
        self.assertIn("unknown key 'nonsense'", r.stderr)
        self.assertEqual(self.d.ctl("status").returncode, 0)
        self.d.write_config(idle_ms=700)
        self.assertEqual(self.d.ctl("config", "reload").returncode, 0)
        self.d.proc.send_signal(signal.SIGHUP)
        deadline = time.time() + 5
        while "configuration reloaded" not in self.d.read_log() and time.time() < deadline:
            time.sleep(0.05)
        log = self.d.read_log()
        self.assertIn("reload rejected", log)
        self.assertIn("configuration reloaded", log)

    def test_sigterm_stops_cleanly_and_removes_the_socket(self):
        self.migrate()
        self.d.start()
        self.assertEqual(self.d.stop(signal.SIGTERM), 0)
        self.assertFalse(os.path.exists(self.d.socket))
        self.assertIn("tradingd stopped", self.d.read_log())

    def test_second_daemon_refused_and_stale_socket_replaced_after_a_crash(self):
        self.migrate()
        self.d.start()
        second = subprocess.run([TRADINGD, "--config", self.d.config, "--env-file", self.d.env_file],
                                capture_output=True, text=True, timeout=15, env=self.d.clean_env())
        self.assertEqual(second.returncode, 1)
        self.assertIn("already listening", second.stderr)
        # Another instance with its own socket but our HTTP port is refused too (no silent port sharing).
        other = Deployment()
        try:
            with open(other.config) as f:
                text = f.read().replace("listen: 127.0.0.1:0", "listen: 127.0.0.1:%d" % self.d.port)
            with open(other.config, "w") as f:
                f.write(text)
            self.assertEqual(other.ctl("db", "migrate").returncode, 0)
            clash = subprocess.run([TRADINGD, "--config", other.config, "--env-file", other.env_file],
                                   capture_output=True, text=True, timeout=15, env=other.clean_env())
            self.assertEqual(clash.returncode, 1)
            self.assertIn("cannot listen for HTTP", clash.stderr)
        finally:
            other.cleanup()
        self.d.stop(signal.SIGKILL)
        self.assertTrue(os.path.exists(self.d.socket))  # left behind by the crash
        self.d.start()
        self.assertEqual(self.d.ctl("status").returncode, 0)


if __name__ == "__main__":
    print("integration tests on backend:", BACKEND, flush=True)
    unittest.main(argv=[sys.argv[0], "-v"])
