#!/usr/bin/env python3
"""tradingd and tradingctl end to end: config checks, migrations, the running daemon, signals, exit codes.

Runs the real binaries on the backend named by TRADINGD_TEST_BACKEND (sqlite, or mysql with the
TRADINGD_TEST_MYSQL_* server from scripts/test-mariadb). Usage: test_daemon_cli.py TRADINGD TRADINGCTL
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

TRADINGD, TRADINGCTL = sys.argv[1], sys.argv[2]
BACKEND = os.environ.get("TRADINGD_TEST_BACKEND", "sqlite")
LATEST = None  # the binary's schema version, learnt from `db migrate`


def mysql_env():
    return {k: os.environ[k] for k in os.environ if k.startswith("TRADINGD_TEST_MYSQL_")}


def mysql_client(sql, database=""):
    env = mysql_env()
    args = ["mariadb", "--no-defaults", "-h", env["TRADINGD_TEST_MYSQL_HOST"], "-P",
            env.get("TRADINGD_TEST_MYSQL_PORT", "3306"), "-u", env["TRADINGD_TEST_MYSQL_USER"], "-e", sql]
    if database:
        args.append(database)
    # The password travels in the environment, never on a command line.
    subprocess.run(args, check=True, env={**os.environ, "MYSQL_PWD": env["TRADINGD_TEST_MYSQL_PASSWORD"]})


class Deployment:
    """A config + env file in a temp dir, pointing at a fresh database of the backend under test."""

    def __init__(self, idle_ms=30000):
        self.dir = tempfile.mkdtemp(prefix="tradingd_it_")
        self.config = os.path.join(self.dir, "tradingd.yaml")
        self.env_file = os.path.join(self.dir, "tradingd.env")
        self.socket = os.path.join(self.dir, "run", "control.sock")
        self.log = os.path.join(self.dir, "tradingd.log")
        self.password = ""
        self.write_config(idle_ms)
        env_lines = ["JWT_SECRET_KEY=" + "ab" * 64, "CORS_ORIGINS=https://app.example.com"]
        if BACKEND == "mysql":
            m = mysql_env()
            self.database = "tradingd_test_cli_%d_%d" % (os.getpid(), id(self) % 100000)
            mysql_client("DROP DATABASE IF EXISTS %s; CREATE DATABASE %s" % (self.database, self.database))
            self.password = m["TRADINGD_TEST_MYSQL_PASSWORD"]
            env_lines += ["MYSQL_HOST=" + m["TRADINGD_TEST_MYSQL_HOST"],
                          "MYSQL_PORT=" + m.get("TRADINGD_TEST_MYSQL_PORT", "3306"),
                          "MYSQL_USER=" + m["TRADINGD_TEST_MYSQL_USER"],
                          "MYSQL_PASSWORD=" + self.password, "MYSQL_DB=" + self.database]
        with open(self.env_file, "w") as f:
            f.write("\n".join(env_lines) + "\n")
        os.chmod(self.env_file, 0o600)
        self.proc = None

    def write_config(self, idle_ms=30000, extra=""):
        with open(self.config, "w") as f:
            f.write("log:\n  level: info\ncontrol:\n  socket: run/control.sock\n  idle_timeout_ms: %d\n"
                    "store:\n  sqlite_path: data/tradingd.db\n%s" % (idle_ms, extra))

    def ctl(self, *args, json_out=False):
        cmd = [TRADINGCTL, "--config", self.config, "--env-file", self.env_file]
        if json_out:
            cmd.append("--json")
        return subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=60,
                              env=self.clean_env())

    def clean_env(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("MYSQL_") and k != "JWT_SECRET_KEY"}
        env.pop("TRADINGD_CONFIG", None)
        env.pop("TRADINGD_ENV_FILE", None)
        return env

    def start(self, wait=True):
        self.logf = open(self.log, "a")
        self.proc = subprocess.Popen([TRADINGD, "--config", self.config, "--env-file", self.env_file],
                                     stdout=self.logf, stderr=subprocess.STDOUT, env=self.clean_env())
        if wait:
            deadline = time.time() + 15
            while time.time() < deadline:
                if self.proc.poll() is not None:
                    raise AssertionError("tradingd exited with %s:\n%s" % (self.proc.returncode, self.read_log()))
                if os.path.exists(self.socket) and self.ctl("status").returncode == 0:
                    return
                time.sleep(0.05)
            raise AssertionError("tradingd did not become ready:\n" + self.read_log())

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=15)
        return self.proc.returncode if self.proc else None

    def read_log(self):
        with open(self.log) as f:
            return f.read()

    def cleanup(self):
        self.stop(signal.SIGKILL)
        if BACKEND == "mysql":
            mysql_client("DROP DATABASE IF EXISTS " + self.database)
        # Secrets must never reach a log line (the password only exists on the mysql backend).
        if self.password and os.path.exists(self.log):
            assert self.password not in self.read_log(), "the database password appeared in the log"
        shutil.rmtree(self.dir, ignore_errors=True)


def raw_request(path, line, timeout=5.0):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect(path)
        if line is not None:
            s.sendall(line.encode() + b"\n")
        data = b""
        while not data.endswith(b"\n"):
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        return json.loads(data)


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
        self.d.write_config(extra="  sqlite_pth: x.db\n")
        r = self.check()
        self.assertEqual(r.returncode, 1)
        self.assertIn("tradingd.yaml:8: unknown key 'store.sqlite_pth'", r.stderr)
        self.assertIn("did you mean 'store.sqlite_path'", r.stderr)

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
        global LATEST
        r = self.d.ctl("db", "migrate", json_out=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        result = json.loads(r.stdout)
        LATEST = result["schema_latest"]
        self.assertEqual(result["schema_version"], LATEST)
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
        self.assertEqual(result["applied_now"], list(range(1, LATEST + 1)))
        self.assertEqual(result["backend"], BACKEND)
        again = self.d.ctl("db", "migrate", json_out=True)
        self.assertEqual(json.loads(again.stdout)["applied_now"], [])
        human = self.d.ctl("db", "status")
        self.assertEqual(human.returncode, 0, human.stderr)
        self.assertIn("up to date", human.stdout)

    def test_refuses_a_database_newer_than_the_binary(self):
        self.migrate()
        sql = "INSERT INTO schema_version (version, name, checksum) VALUES (%d, 'future', 'x')" % (LATEST + 1)
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
        self.assertEqual(status["store"]["schema_version"], LATEST)
        self.assertIsInstance(status["uptime_s"], int)
        # python3 -m json.tool accepts it, as the issue asks scripts to rely on
        tool = subprocess.run([sys.executable, "-m", "json.tool"], input=r.stdout, capture_output=True, text=True)
        self.assertEqual(tool.returncode, 0)

        human = self.d.ctl("status")
        self.assertIn("schema %d of %d" % (LATEST, LATEST), human.stdout)
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
        self.d.stop(signal.SIGKILL)
        self.assertTrue(os.path.exists(self.d.socket))  # left behind by the crash
        self.d.start()
        self.assertEqual(self.d.ctl("status").returncode, 0)


if __name__ == "__main__":
    print("integration tests on backend:", BACKEND, flush=True)
    unittest.main(argv=[sys.argv[0], "-v"])
