#!/usr/bin/env python3
# Behaviour tests for fake-binance: starts the real binary on port 0 and talks to it over HTTP the way a
# Binance USDⓈ-M client would (stdlib only). Run: fake_binance_test.py --binary path/to/fake-binance [-v]
import hashlib
import hmac
import http.client
import json
import os
import socket
import sys
import time
import unittest
import urllib.error
import urllib.request

sys.dont_write_bytecode = True  # importing the helper must not leave __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fake_binance_client  # noqa: E402
from fake_binance_client import KEY, SECRET, Fake, fresh_minute  # noqa: E402

class FakeBinanceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fake = Fake()

    @classmethod
    def tearDownClass(cls):
        cls.fake.close()

    def setUp(self):
        self.fake.admin("reset")

    def error(self, status, body, http_status, code):
        self.assertEqual((status, body.get("code") if isinstance(body, dict) else body), (http_status, code), body)

    def market_buy_btc(self, qty="0.002", client_id=None, resp="RESULT"):
        params = {"symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": qty, "newOrderRespType": resp}
        if client_id:
            params["newClientOrderId"] = client_id
        return self.fake.ok("POST", "/fapi/v1/order", params, signed=True, in_body=True)

    # --- market data ---------------------------------------------------------------------------------------

    def test_exchange_info_lists_150_trading_usdt_perpetuals_with_filters(self):
        info = self.fake.ok("GET", "/fapi/v1/exchangeInfo")
        limits = {(r["rateLimitType"], r["interval"], r["intervalNum"]): r["limit"] for r in info["rateLimits"]}
        self.assertEqual(limits, {("REQUEST_WEIGHT", "MINUTE", 1): 2400, ("ORDERS", "MINUTE", 1): 1200,
                                  ("ORDERS", "SECOND", 10): 300})
        tradable = [s for s in info["symbols"] if s["status"] == "TRADING" and s["contractType"] == "PERPETUAL"
                    and s["quoteAsset"] == "USDT"]
        self.assertGreaterEqual(len(tradable), 150)
        self.assertGreater(len(info["symbols"]), len(tradable), "no symbols for a client to filter out")
        for s in tradable:
            kinds = {f["filterType"] for f in s["filters"]}
            self.assertTrue({"PRICE_FILTER", "LOT_SIZE", "MARKET_LOT_SIZE", "MAX_NUM_ORDERS", "MIN_NOTIONAL",
                             "PERCENT_PRICE"} <= kinds, s["symbol"])
        btc = next(s for s in tradable if s["symbol"] == "BTCUSDT")
        f = {x["filterType"]: x for x in btc["filters"]}
        self.assertEqual((f["PRICE_FILTER"]["tickSize"], f["LOT_SIZE"]["stepSize"], f["MIN_NOTIONAL"]["notional"]),
                         ("0.10", "0.001", "100"))

    def test_klines_have_binance_shape_and_limit_semantics(self):
        rows = self.fake.ok("GET", "/fapi/v1/klines", {"symbol": "ETHUSDT", "interval": "1h", "limit": 5})
        self.assertEqual(len(rows), 5)
        for r in rows:
            self.assertEqual(len(r), 12)
            self.assertTrue(all(isinstance(r[i], int) for i in (0, 6, 8)))
            self.assertTrue(all(isinstance(r[i], str) for i in (1, 2, 3, 4, 5, 7, 9, 10, 11)))
            o, h, l, c = map(float, r[1:5])
            self.assertTrue(l <= min(o, c) <= max(o, c) <= h)
            self.assertEqual(r[6], r[0] + 3600000 - 1)
        self.assertLessEqual(rows[-1][0], time.time() * 1000, "the last row is the open candle")
        start = rows[0][0] - 10 * 3600000
        fwd = self.fake.ok("GET", "/fapi/v1/klines", {"symbol": "ETHUSDT", "interval": "1h", "startTime": start + 1,
                                                      "limit": 3})
        self.assertEqual([r[0] for r in fwd], [start + 3600000 * k for k in (1, 2, 3)])
        for iv in "1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M".split():
            self.assertTrue(self.fake.ok("GET", "/fapi/v1/klines", {"symbol": "BTCUSDT", "interval": iv, "limit": 2}))
        year = self.fake.ok("GET", "/fapi/v1/klines", {"symbol": "SOLUSDT", "interval": "1h", "limit": 1500,
                                                       "endTime": int(time.time() * 1000) - 366 * 86400000})
        self.assertEqual(len(year), 1500, "at least a year of 1h history")
        status, _, body = self.fake.request("GET", "/fapi/v1/klines", {"symbol": "BTCUSDT", "interval": "7m"})
        self.error(status, body, 400, -1120)
        status, _, body = self.fake.request("GET", "/fapi/v1/klines", {"symbol": "NOPEUSDT", "interval": "1m"})
        self.error(status, body, 400, -1121)

    def test_same_seed_gives_same_candles(self):
        query = {"symbol": "DOGEUSDT", "interval": "15m", "startTime": 1735689600000, "limit": 200}
        twin, other = Fake(seed=7), Fake(seed=8)
        try:
            mine = self.fake.ok("GET", "/fapi/v1/klines", query)
            self.assertEqual(mine, twin.ok("GET", "/fapi/v1/klines", query))
            self.assertNotEqual(mine, other.ok("GET", "/fapi/v1/klines", query))
        finally:
            twin.close()
            other.close()

    def test_tickers_and_mark_prices(self):
        one = self.fake.ok("GET", "/fapi/v1/ticker/24hr", {"symbol": "BTCUSDT"})
        self.assertTrue({"lastPrice", "priceChangePercent", "quoteVolume", "openTime", "closeTime", "count"} <= set(one))
        everything = self.fake.ok("GET", "/fapi/v1/ticker/24hr")
        self.assertGreaterEqual(len(everything), 150)
        mark = self.fake.ok("GET", "/fapi/v1/premiumIndex", {"symbol": "BTCUSDT"})
        self.assertTrue({"markPrice", "indexPrice", "lastFundingRate", "nextFundingTime", "time"} <= set(mark))
        self.assertEqual(self.fake.ok("GET", "/fapi/v1/ticker/price", {"symbol": "BTCUSDT"})["symbol"], "BTCUSDT")

    # --- signing and keys ----------------------------------------------------------------------------------

    def test_reference_signature_vectors_reproduce(self):
        vectors = [
            ("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j",
             "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
             "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"),
            ("2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9",
             "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943",
             "3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9"),
        ]
        for secret, payload, expected in vectors:
            self.assertEqual(hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest(), expected)

    def test_signature_is_checked_over_query_and_body(self):
        self.fake.ok("GET", "/fapi/v2/balance", signed=True)
        self.fake.ok("GET", "/fapi/v3/balance", signed=True, signature=None)
        ts = int(time.time() * 1000)
        good = hmac.new(SECRET.encode(), ("timestamp=%d" % ts).encode(), hashlib.sha256).hexdigest()
        self.fake.ok("GET", "/fapi/v2/balance", {"timestamp": ts}, signed=True, signature=good.upper())
        status, _, body = self.fake.request("GET", "/fapi/v2/balance", signed=True, signature="0" * 64)
        self.error(status, body, 400, -1022)
        status, _, body = self.fake.request("GET", "/fapi/v2/balance", signed=True, secret="wrong-secret")
        self.error(status, body, 400, -1022)
        status, _, body = self.fake.request("GET", "/fapi/v2/balance", {"timestamp": ts})
        self.error(status, body, 400, -1102)
        # Mixed: part of the parameters in the query string, the rest and the signature in the body.
        query = "symbol=BTCUSDT&side=BUY&type=MARKET"
        body = "quantity=0.002&timestamp=%d" % int(time.time() * 1000)
        sig = hmac.new(SECRET.encode(), (query + body).encode(), hashlib.sha256).hexdigest()
        req = urllib.request.Request(self.fake.base + "/fapi/v1/order?" + query,
                                     data=(body + "&signature=" + sig).encode(), method="POST")
        req.add_header("X-MBX-APIKEY", KEY)
        with urllib.request.urlopen(req, timeout=5) as r:
            self.assertEqual(json.loads(r.read())["symbol"], "BTCUSDT")

    def test_timestamp_outside_recv_window_is_refused(self):
        old = int(time.time() * 1000) - 6000
        status, _, body = self.fake.request("GET", "/fapi/v2/balance", {"timestamp": old}, signed=True)
        self.error(status, body, 400, -1021)
        self.fake.ok("GET", "/fapi/v2/balance", {"timestamp": old, "recvWindow": 10000}, signed=True)
        ahead = int(time.time() * 1000) + 3000
        status, _, body = self.fake.request("GET", "/fapi/v2/balance", {"timestamp": ahead}, signed=True)
        self.error(status, body, 400, -1021)
        self.fake.admin("clock", {"skew_ms": 10000})
        status, _, body = self.fake.request("GET", "/fapi/v2/balance", signed=True)
        self.error(status, body, 400, -1021)

    def test_missing_or_unknown_api_key(self):
        status, _, body = self.fake.request("GET", "/fapi/v2/balance", signed=True, key=None)
        self.error(status, body, 401, -2014)
        status, _, body = self.fake.request("GET", "/fapi/v2/balance", signed=True, key="nobody")
        self.error(status, body, 401, -2015)

    def test_api_key_restrictions(self):
        r = self.fake.ok("GET", "/sapi/v1/account/apiRestrictions", signed=True)
        self.assertEqual((r["enableFutures"], r["enableWithdrawals"], r["ipRestrict"]), (True, False, False))
        self.fake.admin("restrictions", {"enableFutures": False, "enableWithdrawals": True})
        r = self.fake.ok("GET", "/sapi/v1/account/apiRestrictions", signed=True)
        self.assertEqual((r["enableFutures"], r["enableWithdrawals"]), (False, True))
        status, _, body = self.fake.request("GET", "/fapi/v2/balance", signed=True)
        self.error(status, body, 401, -2015)
        self.fake.admin("restrictions", {"enableFutures": True, "ipRestrict": True, "allowedIps": ["10.1.2.3"]})
        status, _, body = self.fake.request("GET", "/fapi/v2/balance", signed=True)
        self.error(status, body, 401, -2015)
        self.assertIn("request ip: 127.0.0.1", body["msg"])

    # --- orders and positions ------------------------------------------------------------------------------

    def test_market_order_fills_and_shows_in_positions_and_trades(self):
        ack = self.market_buy_btc(client_id="entry-1", resp="ACK")
        self.assertEqual((ack["status"], ack["executedQty"]), ("NEW", "0"), "ACK reports the order as accepted")
        order = self.fake.ok("GET", "/fapi/v1/order", {"symbol": "BTCUSDT", "origClientOrderId": "entry-1"},
                             signed=True)
        self.assertEqual((order["status"], order["executedQty"]), ("FILLED", "0.002"))
        v2 = self.fake.ok("GET", "/fapi/v2/positionRisk", {"symbol": "BTCUSDT"}, signed=True)
        self.assertEqual((v2[0]["positionAmt"], v2[0]["leverage"], v2[0]["marginType"]), ("0.002", "20", "cross"))
        self.assertAlmostEqual(float(v2[0]["entryPrice"]), float(order["avgPrice"]), places=6)
        v3 = self.fake.ok("GET", "/fapi/v3/positionRisk", signed=True)
        self.assertEqual([p["symbol"] for p in v3], ["BTCUSDT"])
        self.assertNotIn("leverage", v3[0])
        trades = self.fake.ok("GET", "/fapi/v1/userTrades", {"symbol": "BTCUSDT"}, signed=True)
        self.assertEqual(len(trades), 1)
        self.assertEqual((trades[0]["orderId"], trades[0]["qty"], trades[0]["side"]), (order["orderId"], "0.002", "BUY"))
        self.assertGreater(float(trades[0]["commission"]), 0)
        close = self.fake.ok("POST", "/fapi/v1/order", {"symbol": "BTCUSDT", "side": "SELL", "type": "MARKET",
                                                         "quantity": "0.002", "reduceOnly": "true",
                                                         "newOrderRespType": "RESULT"}, signed=True, in_body=True)
        self.assertEqual(close["status"], "FILLED")
        trades = self.fake.ok("GET", "/fapi/v1/userTrades", {"symbol": "BTCUSDT"}, signed=True)
        self.assertNotEqual(trades[1]["realizedPnl"], "0.00000000")
        balance = self.fake.ok("GET", "/fapi/v2/balance", signed=True)[0]
        pnl = sum(float(t["realizedPnl"]) - float(t["commission"]) for t in trades)
        self.assertAlmostEqual(float(balance["balance"]), 10000 + pnl, places=6)

    def test_order_filters_and_margin_are_enforced(self):
        def refused(symbol="BTCUSDT", **kw):
            params = {"symbol": symbol, "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "quantity": "0.002"}
            params.update(kw)
            status, _, body = self.fake.request("POST", "/fapi/v1/order", params, signed=True, in_body=True)
            return status, body.get("code")
        last = float(self.fake.ok("GET", "/fapi/v1/ticker/price", {"symbol": "BTCUSDT"})["price"])
        below = "%.1f" % round(last * 0.98, 1)
        self.assertEqual(refused(price=below + "5"), (400, -4014))  # 2 decimals but not on the 0.10 tick
        self.assertEqual(refused(price=below + "55"), (400, -1111))  # 3 decimals: over pricePrecision 2
        self.assertEqual(refused(price=below, quantity="0.0015"), (400, -1111))
        self.assertEqual(refused(price=below, quantity="0.000"), (400, -4003))
        self.assertEqual(refused(price=below, quantity="50"), (400, -2019))
        self.assertEqual(refused(price="%.1f" % round(last * 1.2, 1)), (400, -4016))
        self.assertEqual(refused(price=below, reduceOnly="true"), (400, -2022))
        self.assertEqual(refused(price=below, symbol="FOOUSDT"), (400, -1121))
        self.assertEqual(refused(price=below, side="HOLD"), (400, -1117))
        eth = float(self.fake.ok("GET", "/fapi/v1/ticker/price", {"symbol": "ETHUSDT"})["price"])
        self.assertEqual(refused("ETHUSDT", price="%.2f" % round(eth * 0.98, 2), quantity="0.001"), (400, -4164))
        status, _, body = self.fake.request("POST", "/fapi/v1/order", {
            "symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "quantity": "0.002",
            "price": below}, signed=True, in_body=True)
        self.assertEqual((status, body["status"]), (200, "NEW"))

    def test_duplicate_client_order_id_is_refused_while_open(self):
        last = float(self.fake.ok("GET", "/fapi/v1/ticker/price", {"symbol": "BTCUSDT"})["price"])
        params = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "quantity": "0.002",
                  "price": "%.1f" % round(last * 0.97, 1), "newClientOrderId": "pos7-entry-0"}
        first = self.fake.ok("POST", "/fapi/v1/order", params, signed=True, in_body=True)
        status, _, body = self.fake.request("POST", "/fapi/v1/order", params, signed=True, in_body=True)
        self.assertEqual((status, body), (400, {"code": -4116, "msg": "ClientOrderId is duplicated."}))
        open_orders = self.fake.ok("GET", "/fapi/v1/openOrders", {"symbol": "BTCUSDT"}, signed=True)
        self.assertEqual([o["orderId"] for o in open_orders], [first["orderId"]])
        canceled = self.fake.ok("DELETE", "/fapi/v1/order", {"symbol": "BTCUSDT", "origClientOrderId": "pos7-entry-0"},
                                signed=True)
        self.assertEqual(canceled["status"], "CANCELED")
        self.fake.ok("POST", "/fapi/v1/order", params, signed=True, in_body=True)  # reuse once closed is allowed
        status, _, body = self.fake.request("GET", "/fapi/v1/order", {"symbol": "BTCUSDT", "origClientOrderId": "nope"},
                                            signed=True)
        self.error(status, body, 400, -2013)
        status, _, body = self.fake.request("DELETE", "/fapi/v1/order", {"symbol": "BTCUSDT", "orderId": 1},
                                            signed=True)
        self.error(status, body, 400, -2011)

    def test_conditional_orders_go_to_the_algo_endpoint(self):
        last = float(self.fake.ok("GET", "/fapi/v1/ticker/price", {"symbol": "BTCUSDT"})["price"])
        stop = "%.1f" % round(last * 0.95, 1)
        status, _, body = self.fake.request("POST", "/fapi/v1/order", {
            "symbol": "BTCUSDT", "side": "SELL", "type": "STOP_MARKET", "stopPrice": stop, "closePosition": "true"},
            signed=True, in_body=True)
        self.error(status, body, 400, -4120)
        self.market_buy_btc()
        algo = self.fake.ok("POST", "/fapi/v1/algoOrder", {
            "algoType": "CONDITIONAL", "symbol": "BTCUSDT", "side": "SELL", "type": "STOP_MARKET",
            "triggerPrice": stop, "closePosition": "true", "workingType": "MARK_PRICE", "clientAlgoId": "pos7-sl-0"},
            signed=True, in_body=True)
        self.assertEqual((algo["algoStatus"], algo["clientAlgoId"], algo["orderType"]), ("NEW", "pos7-sl-0", "STOP_MARKET"))
        listed = self.fake.ok("GET", "/fapi/v1/openAlgoOrders", {"symbol": "BTCUSDT"}, signed=True)
        self.assertEqual([a["algoId"] for a in listed], [algo["algoId"]])
        status, _, body = self.fake.request("POST", "/fapi/v1/algoOrder", {
            "algoType": "CONDITIONAL", "symbol": "BTCUSDT", "side": "SELL", "type": "STOP_MARKET",
            "triggerPrice": "%.1f" % round(last * 1.01, 1), "quantity": "0.002"}, signed=True, in_body=True)
        self.error(status, body, 400, -2021)
        # The stop fires once the simulated mark price crosses it, and closes the position.
        self.fake.admin("price", {"symbol": "BTCUSDT", "price": float(stop) * 0.99})
        self.fake.admin("tick")
        fired = self.fake.ok("GET", "/fapi/v1/algoOrder", {"clientAlgoId": "pos7-sl-0"}, signed=True)
        self.assertEqual(fired["algoStatus"], "FINISHED")
        child = self.fake.ok("GET", "/fapi/v1/order", {"symbol": "BTCUSDT", "orderId": int(fired["actualOrderId"])},
                             signed=True)
        self.assertEqual((child["status"], child["origType"], child["reduceOnly"]), ("FILLED", "STOP_MARKET", True))
        pos = self.fake.ok("GET", "/fapi/v2/positionRisk", {"symbol": "BTCUSDT"}, signed=True)
        self.assertEqual(pos[0]["positionAmt"], "0.000")

    def test_resting_limit_order_fills_when_price_crosses(self):
        last = float(self.fake.ok("GET", "/fapi/v1/ticker/price", {"symbol": "ETHUSDT"})["price"])
        limit = "%.2f" % round(last * 0.97, 2)
        order = self.fake.ok("POST", "/fapi/v1/order", {"symbol": "ETHUSDT", "side": "BUY", "type": "LIMIT",
                                                         "timeInForce": "GTC", "quantity": "0.050", "price": limit},
                             signed=True, in_body=True)
        self.fake.admin("price", {"symbol": "ETHUSDT", "price": last * 0.96})
        self.fake.admin("tick")
        done = self.fake.ok("GET", "/fapi/v1/order", {"symbol": "ETHUSDT", "orderId": order["orderId"]}, signed=True)
        self.assertEqual((done["status"], float(done["avgPrice"])), ("FILLED", float(limit)))
        trade = self.fake.ok("GET", "/fapi/v1/userTrades", {"symbol": "ETHUSDT"}, signed=True)[0]
        self.assertTrue(trade["maker"])

    # --- rate limits ---------------------------------------------------------------------------------------

    def test_weight_header_grows_with_the_reference_weights(self):
        fresh_minute()
        used = lambda h: int(h["X-MBX-USED-WEIGHT-1M"])
        _, h1, _ = self.fake.request("GET", "/fapi/v1/time")
        _, h2, _ = self.fake.request("GET", "/fapi/v1/klines", {"symbol": "BTCUSDT", "interval": "1m", "limit": 1000})
        _, h3, _ = self.fake.request("GET", "/fapi/v1/ticker/24hr")
        _, h4, _ = self.fake.request("GET", "/fapi/v2/balance", signed=True)
        self.assertEqual([used(h) for h in (h1, h2, h3, h4)], [1, 6, 46, 51])
        _, h5, _ = self.fake.request("POST", "/fapi/v1/order", {"symbol": "BTCUSDT", "side": "BUY", "type": "MARKET",
                                                                 "quantity": "0.002"}, signed=True, in_body=True)
        self.assertEqual((used(h5), h5["X-MBX-ORDER-COUNT-10S"], h5["X-MBX-ORDER-COUNT-1M"]), (51, "1", "1"))

    def test_429_over_budget_then_418_ban(self):
        fresh_minute()
        self.fake.admin("weight", {"budget": 10, "ban_after": 2, "ban_seconds": 60})
        statuses = []
        for _ in range(14):
            status, headers, body = self.fake.request("GET", "/fapi/v1/time")
            statuses.append(status)
            if status == 429:
                self.assertEqual(body["code"], -1003)
                self.assertGreater(int(headers["Retry-After"]), 0)
        self.assertEqual(statuses[:10], [200] * 10)
        self.assertEqual(statuses[10:12], [429, 429])
        self.assertEqual(statuses[12:], [418, 418])
        status, headers, body = self.fake.request("GET", "/fapi/v1/exchangeInfo")
        self.assertEqual((status, body["code"]), (418, -1003))
        self.assertIn("banned until", body["msg"])
        self.assertGreater(int(headers["Retry-After"]), 50)

    # --- fault injection -----------------------------------------------------------------------------------

    def test_timeout_after_accept_leaves_exactly_one_order(self):
        self.fake.admin("fault", {"method": "POST", "path": "/fapi/v1/order", "action": "hang", "hold_ms": 3000})
        with self.assertRaises((socket.timeout, TimeoutError, urllib.error.URLError)):
            self.fake.request("POST", "/fapi/v1/order", {"symbol": "BTCUSDT", "side": "BUY", "type": "MARKET",
                                                         "quantity": "0.002", "newClientOrderId": "pos9-entry-0"},
                              signed=True, in_body=True, timeout=1)
        state = self.fake.admin("state", method="GET")
        self.assertEqual(state["counters"]["orders_placed"], 1)
        self.assertEqual(len(state["accounts"][0]["orders"]), 1)
        found = self.fake.ok("GET", "/fapi/v1/order", {"symbol": "BTCUSDT", "origClientOrderId": "pos9-entry-0"},
                             signed=True)
        self.assertEqual((found["status"], found["clientOrderId"]), ("FILLED", "pos9-entry-0"))

    def test_5xx_injection(self):
        self.fake.admin("fault", {"path": "/fapi/v1/time", "count": 2, "status": 503})
        first = self.fake.request("GET", "/fapi/v1/time")
        second = self.fake.request("GET", "/fapi/v1/time")
        self.assertEqual((first[0], second[0]), (503, 503))
        self.assertEqual(first[2]["msg"], "Unknown error, please check your request or try again later.")
        self.assertEqual(self.fake.request("GET", "/fapi/v1/time")[0], 200)
        self.fake.admin("fault", {"path": "/fapi/v1/exchangeInfo", "status": 502})
        status, _, body = self.fake.request("GET", "/fapi/v1/exchangeInfo")
        self.assertEqual(status, 502)
        self.assertIn("Bad Gateway", body)
        # 503 after the order was placed: the client cannot know, a query finds it.
        self.fake.admin("fault", {"method": "POST", "path": "/fapi/v1/order", "status": 503, "after": True})
        status, _, _ = self.fake.request("POST", "/fapi/v1/order", {"symbol": "BTCUSDT", "side": "BUY", "type": "MARKET",
                                                                     "quantity": "0.002", "newClientOrderId": "u-1"},
                                         signed=True, in_body=True)
        self.assertEqual(status, 503)
        self.assertEqual(self.fake.ok("GET", "/fapi/v1/order", {"symbol": "BTCUSDT", "origClientOrderId": "u-1"},
                                      signed=True)["status"], "FILLED")
        # Service Unavailable before anything happened: no order.
        self.fake.admin("fault", {"method": "POST", "path": "/fapi/v1/order", "status": 503, "variant": "unavailable"})
        status, _, body = self.fake.request("POST", "/fapi/v1/order", {"symbol": "BTCUSDT", "side": "BUY",
                                                                        "type": "MARKET", "quantity": "0.002",
                                                                        "newClientOrderId": "u-2"},
                                            signed=True, in_body=True)
        self.assertEqual((status, body["msg"]), (503, "Service Unavailable."))
        status, _, body = self.fake.request("GET", "/fapi/v1/order", {"symbol": "BTCUSDT", "origClientOrderId": "u-2"},
                                            signed=True)
        self.error(status, body, 400, -2013)

    def test_dropped_connection_and_rejected_orders(self):
        self.fake.admin("fault", {"path": "/fapi/v1/ping", "action": "drop"})
        conn = http.client.HTTPConnection("127.0.0.1", self.fake.port, timeout=5)
        conn.request("GET", "/fapi/v1/ping")
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionResetError)):
            conn.getresponse()
        conn.close()
        self.fake.admin("reject_orders", {"count": 1, "code": -2019, "msg": "Margin is insufficient."})
        status, _, body = self.fake.request("POST", "/fapi/v1/order", {"symbol": "BTCUSDT", "side": "BUY",
                                                                        "type": "MARKET", "quantity": "0.002"},
                                            signed=True, in_body=True)
        self.assertEqual((status, body), (400, {"code": -2019, "msg": "Margin is insufficient."}))
        self.assertEqual(self.fake.admin("state", method="GET")["counters"]["orders_placed"], 0)

    def test_latency_order_rate_limit_and_throttle(self):
        self.fake.admin("latency", {"ms": 400, "path": "/fapi/v1/time"})
        started = time.monotonic()
        self.fake.ok("GET", "/fapi/v1/time")
        self.assertGreaterEqual(time.monotonic() - started, 0.4)
        self.fake.admin("weight", {"orders_10s": 2})
        order = {"symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.002"}
        for _ in range(2):
            self.fake.ok("POST", "/fapi/v1/order", order, signed=True, in_body=True)
        status, _, body = self.fake.request("POST", "/fapi/v1/order", order, signed=True, in_body=True)
        self.error(status, body, 429, -1015)
        self.fake.admin("weight", {"orders_10s": 300})
        # -1008 throttling spares reduce-only orders and hits the next ordinary one.
        self.fake.admin("fault", {"method": "POST", "path": "/fapi/v1/order", "status": 503, "variant": "throttle"})
        self.fake.ok("POST", "/fapi/v1/order", dict(order, side="SELL", reduceOnly="true"), signed=True, in_body=True)
        status, _, body = self.fake.request("POST", "/fapi/v1/order", order, signed=True, in_body=True)
        self.error(status, body, 503, -1008)

    def test_unknown_path_is_404(self):
        status, _, _ = self.fake.request("GET", "/fapi/v1/doesNotExist")
        self.assertEqual(status, 404)
        self.assertEqual(self.fake.request("GET", "/fapi/v1/ping")[2], {})


if __name__ == "__main__":
    fake_binance_client.run_tests("fake_binance_test")
