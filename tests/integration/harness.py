"""Shared harness for the integration tests: a temp deployment (config, env file with fresh secrets, a
fresh database on the backend under test) and helpers to run tradingd and tradingctl against it."""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

TRADINGD, TRADINGCTL = sys.argv[1], sys.argv[2]
BACKEND = os.environ.get("TRADINGD_TEST_BACKEND", "sqlite")
LATEST = None  # the binary's schema version, learnt from `db migrate`


FAKE_BINANCE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(TRADINGCTL))), "tests", "fakes",
                            "fake-binance")


class FakeBinance:
    """A fake-binance process on a free port (arguments after --listen are passed through); `base` is its URL."""

    def __init__(self, *args):
        self.proc = subprocess.Popen([FAKE_BINANCE, "--listen", "127.0.0.1:0", *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline().strip()  # "listening on 127.0.0.1:PORT"
        self.base = "http://127.0.0.1:%s" % re.search(r":(\d+)$", line).group(1)
        line = self.proc.stdout.readline().strip()  # "stream on 127.0.0.1:PORT": the user data stream
        self.stream_base = "ws://127.0.0.1:%s" % re.search(r":(\d+)$", line).group(1)

    def post(self, path, body):
        """POST to one of the fake's /_fake/ control endpoints; its JSON answer."""
        req = urllib.request.Request(self.base + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read() or b"{}")

    def state(self):
        with urllib.request.urlopen(self.base + "/_fake/state", timeout=10) as r:
            return json.loads(r.read())

    def stop(self):
        self.proc.kill()
        self.proc.wait()
        self.proc.stdout.close()


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
        # The secrets come from the product's own generator, as in a real installation.
        r = self.ctl("secrets", "generate")
        assert r.returncode == 0, r.stderr
        env_lines = ["CORS_ORIGINS=https://app.example.com"]
        if BACKEND == "mysql":
            m = mysql_env()
            self.database = "tradingd_test_it_%d_%d" % (os.getpid(), id(self) % 100000)
            mysql_client("DROP DATABASE IF EXISTS %s; CREATE DATABASE %s" % (self.database, self.database))
            self.password = m["TRADINGD_TEST_MYSQL_PASSWORD"]
            env_lines += ["MYSQL_HOST=" + m["TRADINGD_TEST_MYSQL_HOST"],
                          "MYSQL_PORT=" + m.get("TRADINGD_TEST_MYSQL_PORT", "3306"),
                          "MYSQL_USER=" + m["TRADINGD_TEST_MYSQL_USER"],
                          "MYSQL_PASSWORD=" + self.password, "MYSQL_DB=" + self.database]
        with open(self.env_file, "a") as f:
            f.write("\n".join(env_lines) + "\n")
        self.proc = None
        self.port = None
        self.extra_secrets = []  # passwords and API secrets a test used: none may appear in the log

    def env_value(self, name):
        with open(self.env_file) as f:
            for line in f:
                if line.startswith(name + "="):
                    return line.strip().split("=", 1)[1]
        return None

    def set_env_value(self, name, value):
        with open(self.env_file) as f:
            lines = [l for l in f if not l.startswith(name + "=")]
        if value is not None:
            lines.append("%s=%s\n" % (name, value))
        with open(self.env_file, "w") as f:
            f.writelines(lines)

    def sql(self, statement):
        """Runs one SQL statement directly on the deployment's database (test setup only)."""
        if BACKEND == "mysql":
            mysql_client(statement, self.database)
        else:
            subprocess.run(["sqlite3", os.path.join(self.dir, "data", "tradingd.db"), statement], check=True)

    def sql_query(self, statement):
        if BACKEND == "mysql":
            env = mysql_env()
            out = subprocess.run(["mariadb", "--no-defaults", "-N", "-B", "-h", env["TRADINGD_TEST_MYSQL_HOST"], "-P",
                                  env.get("TRADINGD_TEST_MYSQL_PORT", "3306"), "-u", env["TRADINGD_TEST_MYSQL_USER"],
                                  "-e", statement, self.database], check=True, capture_output=True, text=True,
                                 env={**os.environ, "MYSQL_PWD": env["TRADINGD_TEST_MYSQL_PASSWORD"]})
        else:
            out = subprocess.run(["sqlite3", "-separator", "\t", os.path.join(self.dir, "data", "tradingd.db"),
                                  statement], check=True, capture_output=True, text=True)
        return [line.split("\t") for line in out.stdout.splitlines()]

    def add_admin(self, email, password):
        r = subprocess.run([TRADINGCTL, "--config", self.config, "--env-file", self.env_file, "user", "add-admin",
                            email], input=password + "\n", capture_output=True, text=True, env=self.clean_env())
        assert r.returncode == 0, r.stderr

    def http(self, method, path, body=None, token=None, headers=None, raw_body=None):
        """One HTTP request to the daemon; returns (status, headers dict with lower-case names, parsed JSON)."""
        data = raw_body if raw_body is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request("http://127.0.0.1:%d%s" % (self.port, path), data=data, method=method)
        if data is not None and not (headers and "Content-Type" in headers):
            req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", "Bearer " + token)
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                status, hdrs, text = resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as e:
            status, hdrs, text = e.code, e.headers, e.read()
        lowered = {k.lower(): v for k, v in hdrs.items()}
        return status, lowered, (json.loads(text) if text else None)

    def write_config(self, idle_ms=30000, extra=""):
        with open(self.config, "w") as f:
            f.write("log:\n  level: info\ncontrol:\n  socket: run/control.sock\n  idle_timeout_ms: %d\n"
                    "store:\n  sqlite_path: data/tradingd.db\nhttp:\n  listen: 127.0.0.1:0\n%s" % (idle_ms, extra))

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
                if os.path.exists(self.socket):
                    r = self.ctl("status", json_out=True)
                    if r.returncode == 0:
                        self.port = json.loads(r.stdout)["http"]["port"]
                        return
                time.sleep(0.05)
            raise AssertionError("tradingd did not become ready:\n" + self.read_log())

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=15)
        if getattr(self, "logf", None) and (not self.proc or self.proc.poll() is not None):
            self.logf.close()  # the daemon has its own copy of the descriptor; ours is done once it exits
        return self.proc.returncode if self.proc else None

    def read_log(self):
        with open(self.log) as f:
            return f.read()

    def cleanup(self):
        self.stop(signal.SIGKILL)
        if BACKEND == "mysql":
            mysql_client("DROP DATABASE IF EXISTS " + self.database)
        # Secrets must never reach a log line.
        if os.path.exists(self.log):
            log = self.read_log()
            for name in ("JWT_SECRET_KEY", "TRADINGD_SESSION_KEY", "TRADINGD_DATA_KEY"):
                value = self.env_value(name)
                if value and len(value) >= 32:  # real keys; tests also try short placeholder words
                    assert value.split(":")[-1] not in log, name + " appeared in the daemon's log"
            for value in [self.password] + self.extra_secrets:
                if value:
                    assert value not in log, "a secret appeared in the daemon's log"
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


class LiveBotsOnFake:
    """unittest.TestCase mixin: setUp starts a fake-binance (FAKE_ARGS) holding one funded account and a migrated,
    running daemon whose live bots trade on it with `bots:` settings BOTS_YAML; tearDown stops both."""
    API_KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
    API_SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
    AGENT_PASSWORD = "agent-password-123"
    FAKE_ARGS = ("--symbols", "40", "--seed", "5")
    BOTS_YAML = ""
    REQUEST_TIMEOUT_MS = 5000

    def setUp(self):
        self.fake = FakeBinance(*self.FAKE_ARGS, "--account", "%s:%s:10000" % (self.API_KEY, self.API_SECRET))
        self.d = Deployment()
        self.d.extra_secrets = [self.AGENT_PASSWORD, self.API_SECRET]
        self.d.write_config(extra="bots:\n%sexchange:\n  market_data: binance\n  rest_url: %s\n  sapi_url: %s\n"
                            "  stream_url: %s\n  request_timeout_ms: %d\n" % (
                                self.BOTS_YAML, self.fake.base, self.fake.base, self.fake.stream_base,
                                self.REQUEST_TIMEOUT_MS))
        assert self.d.ctl("db", "migrate").returncode == 0
        self.d.start()

    def tearDown(self):
        self.fake.stop()
        self.d.cleanup()

    def live_agent(self, email):
        """A new agent with the fake account's key linked, started as a live bot; its id."""
        agent = register_live_agent(self.d, email, self.AGENT_PASSWORD, self.API_KEY, self.API_SECRET)
        assert self.d.ctl("bot", "start", str(agent), "--mode", "live").returncode == 0
        return agent

    def bot_status(self, agent):
        return json.loads(self.d.ctl("bot", "status", str(agent), "--json").stdout)

    def agent_log(self, agent):
        """The daemon's log lines about one agent."""
        return "\n".join(line for line in self.d.read_log().splitlines() if "agent=%d" % agent in line)


def register_live_agent(d, email, password, api_key, api_secret):
    """Signs an agent up through the REST API and links its exchange key; the agent id."""
    body = {"email": email, "password": password, "display_name": email.split("@")[0]}
    status, _, reg = d.http("POST", "/api/auth/register", body)
    assert status == 201, reg
    token = d.http("POST", "/api/auth/login", body)[2]["access_token"]
    status, _, r = d.http("PUT", "/api/agent/api-key", {"api_key": api_key, "api_secret": api_secret}, token=token)
    assert status in (200, 201), r
    return reg["user"]["agent_id"]


def wait_for(what, predicate, timeout=20.0, step=0.02):
    """The predicate's first truthy value, polled every `step` s; AssertionError naming `what` after `timeout`."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("timed out waiting for " + what)
