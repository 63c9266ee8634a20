#!/usr/bin/env python3
# fake-binance's user data stream: the listenKey lifecycle over REST and the WebSocket events, checked
# against the fake's own REST answers. The WebSocket client is a few lines of stdlib (RFC 6455 framing), as
# the machine's python has no websockets module. Run: fake_stream_test.py --binary path/to/fake-binance
import base64
import json
import os
import socket
import struct
import sys
import time
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fake_binance_client  # noqa: E402
from fake_binance_client import Fake  # noqa: E402


class WsClient:
    """A minimal WebSocket client: the upgrade, unmasked server frames, masked client frames, pong on ping."""

    def __init__(self, port, path):
        self.path = path
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (path, port, key)).encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                break
            self.buf += chunk
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        self.status = int(head.split()[1])
        self.body = self.buf
        self.pings = 0
        self.closed_by = None  # "close-frame" or "eof"

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def send(self, opcode, payload=b""):
        mask = os.urandom(4)
        data = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + data)

    def next_message(self, timeout=5):
        """The next text message as JSON; None once the server closed (self.closed_by says how)."""
        deadline = time.time() + timeout
        try:
            while True:
                self.sock.settimeout(max(0.01, deadline - time.time()))
                b0, b1 = self._read(2)
                n = b1 & 0x7F
                if n == 126:
                    n = struct.unpack(">H", self._read(2))[0]
                elif n == 127:
                    n = struct.unpack(">Q", self._read(8))[0]
                payload, opcode = self._read(n), b0 & 0x0F
                if opcode == 0x9:
                    self.pings += 1
                    self.send(0xA, payload)
                elif opcode == 0x8:
                    self.closed_by = "close-frame"
                    return None
                elif opcode == 0x1:
                    return json.loads(payload)
        except (EOFError, ConnectionResetError):
            self.closed_by = "eof"
            return None

    def messages_until(self, pred, timeout=5):
        """Messages up to and including the first for which pred is true."""
        out, deadline = [], time.time() + timeout
        while time.time() < deadline:
            m = self.next_message(max(0.1, deadline - time.time()))
            if m is None:
                break
            out.append(m)
            if pred(m):
                return out
        raise AssertionError("no matching event; got %s" % json.dumps(out)[:2000])

    def close(self):
        self.sock.close()


def otu(m, **fields):
    return m.get("e") == "ORDER_TRADE_UPDATE" and all(m["o"].get(k) == v for k, v in fields.items())


class FakeStreamTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fake = Fake(extra=("--stream-ping-s", "1"))

    @classmethod
    def tearDownClass(cls):
        cls.fake.close()

    def setUp(self):
        self.fake.admin("reset")
        self.clients = []

    def tearDown(self):
        for c in self.clients:
            c.close()
        self.fake.admin("clock", {"skew_ms": 0})

    def listen_key(self):
        return self.fake.ok("POST", "/fapi/v1/listenKey")["listenKey"]

    def connect(self, path=None):
        c = WsClient(self.fake.stream_port, path or "/private/ws/" + self.listen_key())
        self.clients.append(c)
        return c

    def test_listen_key_lifecycle_follows_the_fake_clock(self):
        key = self.listen_key()
        self.assertEqual(self.listen_key(), key, "POST returns the active key")
        status, headers, _ = self.fake.request("PUT", "/fapi/v1/listenKey")
        self.assertEqual(status, 200)
        # API key only: no signature needed, and weight 1 like Binance.
        status, _, body = self.fake.request("POST", "/fapi/v1/listenKey", key=None)
        self.assertEqual(status, 401)
        self.fake.admin("clock", {"skew_ms": 59 * 60000})
        self.assertEqual(self.fake.request("PUT", "/fapi/v1/listenKey")[0], 200, "PUT extended it by 60 min")
        self.fake.admin("clock", {"skew_ms": 59 * 60000 + 61 * 60000})
        status, _, body = self.fake.request("PUT", "/fapi/v1/listenKey")
        self.assertEqual((status, body["code"]), (400, -1125))
        fresh = self.listen_key()
        self.assertNotEqual(fresh, key, "an expired key is replaced, not revived")
        self.fake.ok("DELETE", "/fapi/v1/listenKey")
        self.assertEqual(self.fake.request("PUT", "/fapi/v1/listenKey")[2]["code"], -1125)

    def test_unknown_listen_key_is_refused_and_both_paths_work(self):
        bad = WsClient(self.fake.stream_port, "/private/ws/nosuchkey")
        self.clients.append(bad)
        self.assertEqual(bad.status, 400)
        self.assertEqual(json.loads(bad.body)["code"], -1125)
        key = self.listen_key()
        for path in ("/private/ws/" + key, "/ws/" + key, "/private/ws?listenKey=" + key):
            self.assertEqual(self.connect(path).status, 101, path)
        time.sleep(0.2)
        self.assertEqual(self.fake.admin("state", method="GET")["stream"]["connections_open"], 3)

    def test_market_order_events_match_rest(self):
        ws = self.connect()
        self.assertEqual(ws.status, 101)
        order = self.fake.ok("POST", "/fapi/v1/order", {"symbol": "BTCUSDT", "side": "BUY", "type": "MARKET",
                                                        "quantity": "0.002", "newClientOrderId": "s-entry-1",
                                                        "newOrderRespType": "RESULT"}, signed=True, in_body=True)
        got = ws.messages_until(lambda m: m.get("e") == "ACCOUNT_UPDATE")
        kinds = [(m["e"], m["o"]["x"], m["o"]["X"]) if m["e"] == "ORDER_TRADE_UPDATE" else (m["e"],) for m in got]
        self.assertEqual(kinds, [("ORDER_TRADE_UPDATE", "NEW", "NEW"), ("ORDER_TRADE_UPDATE", "TRADE", "FILLED"),
                                 ("ACCOUNT_UPDATE",)])
        trade = got[1]["o"]
        self.assertEqual((trade["i"], trade["c"], trade["s"], trade["S"]),
                         (order["orderId"], "s-entry-1", "BTCUSDT", "BUY"))
        self.assertEqual((trade["l"], trade["z"]), ("0.002", order["executedQty"]))
        self.assertAlmostEqual(float(trade["L"]), float(order["avgPrice"]), places=6)
        fills = self.fake.ok("GET", "/fapi/v1/userTrades", {"symbol": "BTCUSDT"}, signed=True)
        self.assertEqual(trade["t"], fills[-1]["id"])
        self.assertAlmostEqual(float(trade["n"]), float(fills[-1]["commission"]), places=6)
        acct = got[2]["a"]
        risk = self.fake.ok("GET", "/fapi/v3/positionRisk", {"symbol": "BTCUSDT"}, signed=True)[0]
        self.assertEqual(acct["m"], "ORDER")
        self.assertEqual([(p["s"], p["pa"]) for p in acct["P"]], [("BTCUSDT", risk["positionAmt"])])
        self.assertAlmostEqual(float(acct["P"][0]["ep"]), float(risk["entryPrice"]), places=6)
        balance = self.fake.ok("GET", "/fapi/v2/balance", signed=True)
        usdt = next(b for b in balance if b["asset"] == "USDT")
        self.assertAlmostEqual(float(acct["B"][0]["wb"]), float(usdt["balance"]), places=6)

    def test_cancelled_limit_order_and_stop_lifecycle(self):
        ws = self.connect()
        price = float(self.fake.ok("GET", "/fapi/v1/ticker/price", {"symbol": "ETHUSDT"})["price"])
        limit = {"symbol": "ETHUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "quantity": "0.1",
                 "price": "%.2f" % round(price * 0.95, 2), "newClientOrderId": "s-limit"}
        placed = self.fake.ok("POST", "/fapi/v1/order", limit, signed=True, in_body=True)
        self.fake.ok("DELETE", "/fapi/v1/order", {"symbol": "ETHUSDT", "orderId": placed["orderId"]}, signed=True)
        got = ws.messages_until(lambda m: otu(m, X="CANCELED"))
        self.assertEqual([m["o"]["x"] for m in got], ["NEW", "CANCELED"])
        self.assertTrue(all(m["e"] != "ACCOUNT_UPDATE" for m in got), "unfilled orders move no balance")

        self.fake.ok("POST", "/fapi/v1/order", {"symbol": "ETHUSDT", "side": "BUY", "type": "MARKET",
                                                "quantity": "0.1"}, signed=True, in_body=True)
        stop = self.fake.ok("POST", "/fapi/v1/algoOrder", {"algoType": "CONDITIONAL", "symbol": "ETHUSDT",
                                                           "side": "SELL", "type": "STOP_MARKET",
                                                           "triggerPrice": "%.2f" % round(price * 0.9, 2),
                                                           "closePosition": "true", "clientAlgoId": "s-stop"},
                            signed=True, in_body=True)
        got = ws.messages_until(lambda m: m.get("e") == "ALGO_UPDATE")
        self.assertEqual((got[-1]["o"]["X"], got[-1]["o"]["caid"], got[-1]["o"]["aid"]), ("NEW", "s-stop",
                                                                                           stop["algoId"]))
        self.fake.admin("price", {"symbol": "ETHUSDT", "price": price * 0.85})
        got = ws.messages_until(lambda m: m.get("e") == "ACCOUNT_UPDATE", timeout=3)
        seq = [(m["e"], m["o"].get("X")) if "o" in m else (m["e"], None) for m in got]
        self.assertEqual(seq, [("ALGO_UPDATE", "TRIGGERED"), ("ORDER_TRADE_UPDATE", "NEW"),
                               ("ORDER_TRADE_UPDATE", "FILLED"), ("ALGO_UPDATE", "FINISHED"),
                               ("ACCOUNT_UPDATE", None)])
        self.assertEqual(got[2]["o"]["c"], "s-stop", "the child order carries the clientAlgoId")
        self.assertEqual(got[2]["o"]["ot"], "STOP_MARKET")
        self.assertEqual(got[0]["o"]["ai"], str(got[1]["o"]["i"]))
        self.assertEqual(got[-1]["a"]["P"][0]["pa"], "0.000")

    def test_expired_key_and_drop_close_the_stream(self):
        before = self.fake.admin("state", method="GET")["stream"]  # counters live as long as the process
        ws = self.connect()
        self.fake.admin("stream", {"expire_listen_keys": True})
        got = ws.messages_until(lambda m: m.get("e") == "listenKeyExpired")
        self.assertEqual(got[-1]["listenKey"], ws.path.rsplit("/", 1)[1])
        self.assertIsNone(ws.next_message(3))
        self.assertEqual(ws.closed_by, "close-frame")
        ws2 = self.connect()  # POST made a new key
        self.assertEqual(ws2.status, 101)
        time.sleep(0.2)
        self.fake.admin("stream", {"drop": True})
        self.assertIsNone(ws2.next_message(3))
        self.assertEqual(ws2.closed_by, "eof", "a drop sends no close frame, like a network failure")
        time.sleep(0.2)
        counters = self.fake.admin("state", method="GET")["stream"]
        delta = {k: counters[k] - before[k] for k in ("connections_total", "dropped", "expired", "messages")}
        self.assertEqual(counters["connections_open"], 0)
        self.assertEqual((delta["connections_total"], delta["dropped"], delta["expired"]), (2, 1, 1))
        self.assertGreaterEqual(delta["messages"], 1)

    def test_idle_stream_is_pinged(self):
        ws = self.connect()  # started with --stream-ping-s 1
        deadline = time.time() + 4
        while ws.pings == 0 and time.time() < deadline:
            try:
                ws.next_message(0.5)
            except socket.timeout:
                pass
        self.assertGreaterEqual(ws.pings, 1)


if __name__ == "__main__":
    fake_binance_client.run_tests("fake_stream_test")
