#!/usr/bin/env python3
# Independent reference for the indicator tests: generates a seeded klines series and computes every
# indicator with exact rational arithmetic (fractions.Fraction), written batch-style from the textbook
# formulas rather than from the C++ streaming code. Plain Python 3, no third-party packages.
#
#   python3 tests/unit/strategy/oracle.py   # rewrites fixtures/oracle_klines.json and oracle_expected.json
#
# The C++ test (reference_test.cpp) parses oracle_klines.json with the real parser and compares every value
# with oracle_expected.json to 1e-10 relative; null positions must match exactly.
import json
import math
import os
import random
from fractions import Fraction as F

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures")


def make_klines(n=160, seed=20240601):
    """An hourly series that exercises the edge cases: a gap (TR must use the previous close), a flat
    stretch with zero volume (Bollinger bands collapse, volume ratio undefined), a strong rally (RSI)."""
    rng = random.Random(seed)
    t0, hour = 1_699_999_200_000, 3_600_000  # 2023-11-14 22:00 UTC
    rows, prev = [], 100.0
    for i in range(n):
        if 70 <= i < 95:  # flat and idle: no trades at all
            o = h = l = c = prev
            vol = 0.0
        else:
            o = prev * 1.05 if i == 50 else prev  # gap up at candle 50
            drift = 0.004 if 110 <= i < 130 else 0.0
            c = o * (1 + drift + rng.gauss(0, 0.01))
            h = max(o, c) * (1 + abs(rng.gauss(0, 0.003)))
            l = min(o, c) * (1 - abs(rng.gauss(0, 0.003)))
            vol = rng.uniform(10, 1000) * (8 if i == 140 else 1)  # one volume spike
        o, h, l, c = (round(x, 4) for x in (o, h, l, c))
        vol = round(vol, 3)
        rows.append([t0 + i * hour, f"{o:.4f}", f"{h:.4f}", f"{l:.4f}", f"{c:.4f}", f"{vol:.3f}",
                     t0 + (i + 1) * hour - 1, f"{vol * c:.4f}", 100 + i, "0", "0", "0"])
        prev = c
    return rows


def sma(xs, n):
    return [None if i < n - 1 else sum(xs[i - n + 1:i + 1]) / n for i in range(len(xs))]


def ema(xs, n):
    alpha = F(2, n + 1)
    out = [None] * len(xs)
    for i in range(n - 1, len(xs)):
        out[i] = sum(xs[:n]) / n if i == n - 1 else alpha * xs[i] + (1 - alpha) * out[i - 1]
    return out


def ema_of_defined(series, n):
    """EMA over the defined (non-None) part of a series, aligned back to it."""
    start = next(i for i, v in enumerate(series) if v is not None)
    tail = ema(series[start:], n)
    return [None] * start + tail


def wilder(xs, n):
    out = [None] * len(xs)
    for i in range(n - 1, len(xs)):
        out[i] = sum(xs[:n]) / n if i == n - 1 else (out[i - 1] * (n - 1) + xs[i]) / n
    return out


def rsi(closes, n=14):
    changes = [closes[i] - closes[i - 1] for i in range(1, len(closes))]
    gains = wilder([max(d, 0) for d in changes], n)
    losses = wilder([max(-d, 0) for d in changes], n)
    out = [None]
    for g, l in zip(gains, losses):
        out.append(None if g is None else (F(100) if l == 0 else 100 - F(100) / (1 + g / l)))
    return out


def atr(highs, lows, closes, n=14):
    trs = [highs[0] - lows[0]] + [max(highs[i] - lows[i], abs(highs[i] - closes[i - 1]), abs(lows[i] - closes[i - 1]))
                                  for i in range(1, len(closes))]
    return wilder(trs, n)


def bollinger(xs, n=20, k=2):
    up, mid, lo = [], [], []
    for i in range(len(xs)):
        if i < n - 1:
            up.append(None), mid.append(None), lo.append(None)
            continue
        w = xs[i - n + 1:i + 1]
        m = sum(w) / n
        sigma = math.sqrt(float(sum((x - m) ** 2 for x in w) / n))  # population: divide by n
        mid.append(m)
        up.append(float(m) + k * sigma)
        lo.append(float(m) - k * sigma)
    return up, mid, lo


def volume_ratio(vols, n=20):
    avg = sma(vols, n)
    return [None if a is None or a == 0 else v / a for v, a in zip(vols, avg)]


def floats(series):
    return [None if v is None else float(v) for v in series]


def main():
    rows = make_klines()
    highs = [F(r[2]) for r in rows]
    lows = [F(r[3]) for r in rows]
    closes = [F(r[4]) for r in rows]
    vols = [F(r[5]) for r in rows]

    line = [None if a is None or b is None else a - b for a, b in zip(ema(closes, 12), ema(closes, 26))]
    signal = ema_of_defined(line, 9)
    hist = [None if s is None else l - s for l, s in zip(line, signal)]
    up, mid, lo = bollinger(closes)
    expected = {
        "sma_20": floats(sma(closes, 20)),
        "ema_20": floats(ema(closes, 20)),
        "ema_50": floats(ema(closes, 50)),
        "rsi_14": floats(rsi(closes)),
        "atr_14": floats(atr(highs, lows, closes)),
        "macd_12_26_9": {"line": floats(line), "signal": floats(signal), "hist": floats(hist)},
        "bb_20_2": {"upper": up, "middle": floats(mid), "lower": lo},
        "volume_ratio_20": floats(volume_ratio(vols)),
    }
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "oracle_klines.json"), "w") as f:
        json.dump(rows, f, separators=(",", ":"))
        f.write("\n")
    with open(os.path.join(OUT, "oracle_expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    print(f"wrote {len(rows)} klines and their indicators to {OUT}")


if __name__ == "__main__":
    main()
