#!/usr/bin/env python3
"""N paper bots on one daemon (simulated market): resident memory per worker, the daemon's CPU per scan, and
how long handing one scan to every worker takes (the supervisor's scan_broadcast log line).
Usage: bots_bench.py TRADINGD TRADINGCTL N"""
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
N = int(sys.argv.pop(3)) if len(sys.argv) > 3 else 50
from harness import Deployment  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss(pid):
    with open("/proc/%d/statm" % pid) as f:
        return int(f.read().split()[1]) * PAGE


def pss(pid):  # proportional: shared pages (the tradingd binary) split among the processes using them
    with open("/proc/%d/smaps_rollup" % pid) as f:
        return int(re.search(r"^Pss:\s+(\d+) kB", f.read(), re.M).group(1)) * 1024


def cpu_s(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().split(") ")[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


d = Deployment()
d.write_config(extra="bots:\n  scan_interval_s: 15\n  heartbeat_interval_s: 5\n")
assert d.ctl("db", "migrate").returncode == 0
d.start()
values = ",".join("('b%d@example.com','x','agent')" % i for i in range(N))
d.sql("INSERT INTO users (email, password_hash, role) VALUES " + values)
d.sql("INSERT INTO agents (user_id, display_name) SELECT id, email FROM users")
t0 = time.time()
for agent in range(1, N + 1):
    r = d.ctl("bot", "start", str(agent), "--mode", "paper")
    assert r.returncode == 0, r.stderr
while True:
    bots = json.loads(d.ctl("bot", "list", json_out=True).stdout)["bots"]
    if sum(b["state"] == "running" for b in bots) == N:
        break
    time.sleep(0.2)
print("%d bots running %.1f s after the first start" % (N, time.time() - t0))
pids = [b["pid"] for b in bots]
before = len(re.findall(r"scan_broadcast", d.read_log()))
c0 = cpu_s(d.proc.pid)
while len(re.findall(r"scan_broadcast", d.read_log())) < before + 2:
    time.sleep(0.2)
c1 = cpu_s(d.proc.pid)
worker_rss = sorted(rss(p) for p in pids)
worker_pss = sorted(pss(p) for p in pids)
lines = re.findall(r"scan_broadcast scan_id=(\d+) workers=(\d+) bytes=(\d+) handed_over_us=(\d+)", d.read_log())
print("worker RSS: median %.1f MiB, max %.1f MiB, total %.0f MiB; daemon RSS %.1f MiB"
      % (worker_rss[N // 2] / 2**20, worker_rss[-1] / 2**20, sum(worker_rss) / 2**20, rss(d.proc.pid) / 2**20))
print("worker PSS (shared pages split): median %.1f MiB, total %.0f MiB" % (worker_pss[N // 2] / 2**20,
                                                                           sum(worker_pss) / 2**20))
print("daemon CPU over the last 2 scans: %.2f s (%.2f s per scan, scanning included)" % (c1 - c0, (c1 - c0) / 2))
for scan_id, workers, size, us in lines[-2:]:
    print("scan %s: %s workers, %s bytes each, handed over in %.1f ms" % (scan_id, workers, size, int(us) / 1000))
events = d.sql_query("SELECT COUNT(*) FROM events WHERE kind = 'decision'")
print("decision events stored:", events[0][0])
d.cleanup()
