#!/usr/bin/env python3
"""Request weight a live bot spends per minute on its own (polls, protective-order checks, its orders), which
bounds how many live bots one server IP can run: Binance grants 2,400 weight a minute per IP, shared with the
scanner. N live bots on fake-binance with the defaults (poll every 3 s); the scanner runs on the built-in
simulation (same symbols as the fake) so that only the workers spend the fake's weight. Measured for MINUTES
whole exchange minutes after every bot has had time to open positions.
Each bot follows its account's user data stream on the fake (bots.stream_poll_interval_s, default 30);
STREAM_POLL_INTERVAL_S=0 in the environment turns the stream off (polls only, as before the stream).
Usage: live_weight_bench.py TRADINGD TRADINGCTL N [MINUTES]"""
import json
import os
import sys
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
MINUTES = int(sys.argv.pop(4)) if len(sys.argv) > 4 else 2
N = int(sys.argv.pop(3)) if len(sys.argv) > 3 else 3
from harness import Deployment, FakeBinance  # noqa: E402

PASSWORD = "agent-password-123"
keys = [("benchkey%02d" % i + "x" * 55, "benchsecret%02d" % i + "y" * 52) for i in range(N)]
args = ["--symbols", "160", "--seed", "1"]
for k, s in keys:
    args += ["--account", "%s:%s:100000" % (k, s)]
fake = FakeBinance(*args)
d = Deployment()
d.extra_secrets = [PASSWORD] + [s for _, s in keys]
d.write_config(extra="bots:\n  scan_interval_s: 60\n  stream_poll_interval_s: %s\nstrategy:\n  entry_threshold: 55\n"
               "exchange:\n  rest_url: %s\n  sapi_url: %s\n  stream_url: %s\n"
               % (os.environ.get("STREAM_POLL_INTERVAL_S", "30"), fake.base, fake.base, fake.stream_base))
assert d.ctl("db", "migrate").returncode == 0
d.start()


def state():
    with urllib.request.urlopen(fake.base + "/_fake/state", timeout=10) as r:
        return json.loads(r.read())


try:
    for i, (key, secret) in enumerate(keys):
        body = {"email": "w%d@example.com" % i, "password": PASSWORD, "display_name": "w%d" % i}
        status, _, reg = d.http("POST", "/api/auth/register", body)
        assert status == 201, reg
        token = d.http("POST", "/api/auth/login", body)[2]["access_token"]
        d.http("PUT", "/api/agent/api-key", {"api_key": key, "api_secret": secret}, token=token)
        assert d.ctl("bot", "start", str(reg["user"]["agent_id"]), "--mode", "live").returncode == 0
    time.sleep(75)  # a scan, entries, protective orders
    per_minute = []
    for _ in range(MINUTES):
        while time.time() % 60 < 58.5:  # the fake's window is the calendar minute
            time.sleep(0.2)
        s = state()
        per_minute.append(sum(u["used"] for u in s["weight"].values()))
        time.sleep(2)
    s = state()
    positions = sum(len(a["positions"]) for a in s["accounts"])
    orders = sum(len(a["orders"]) + len(a["algo_orders"]) for a in s["accounts"])
    print("live bots: %d; open positions: %d; orders so far: %d" % (N, positions, orders))
    print("weight per whole minute, all bots: %s" % per_minute)
    avg = sum(per_minute) / len(per_minute) / N
    print("weight per live bot per minute: %.0f; live bots per IP at 90%% of 2,400 less a 341-weight scan: %d"
          % (avg, int((2400 * 0.9 - 341) // avg)))
finally:
    fake.stop()
    d.cleanup()
