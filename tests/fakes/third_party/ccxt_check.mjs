// Points ccxt's binanceusdm at fake-binance by overriding its REST base URLs, then runs a trading session.
import ccxt from 'ccxt';
const base = process.argv[2];
const ex = new ccxt.binanceusdm({ apiKey: 'ccxtkey', secret: 'ccxtsecret', enableRateLimit: false });
for (const k of ['fapiPublic', 'fapiPrivate']) ex.urls.api[k] = `${base}/fapi/v1`;
for (const k of ['fapiPublicV2', 'fapiPrivateV2']) ex.urls.api[k] = `${base}/fapi/v2`;
for (const k of ['fapiPublicV3', 'fapiPrivateV3']) ex.urls.api[k] = `${base}/fapi/v3`;
ex.urls.api.sapi = `${base}/sapi/v1`;
// A step named "... (expect -CODE)" passes when the call fails with that Binance error code.
const expected = (name) => (name.match(/expect (-\d+)/) || [])[1];
let failures = 0;
const step = async (name, fn) => {
  try {
    const r = await fn();
    if (expected(name)) { failures++; console.log('FAIL', name, 'succeeded'); return r; }
    console.log('OK  ', name, typeof r === 'string' ? r : JSON.stringify(r).slice(0, 200)); return r;
  } catch (e) {
    const text = String(e?.body ? JSON.stringify(e.body) : e?.message ?? e);
    if (expected(name) && text.includes('"code":' + expected(name))) { console.log('OK  ', name, 'refused as expected'); return; }
    failures++; console.log('FAIL', name, e?.constructor?.name, text.slice(0, 300));
  }
};
const S = 'BTC/USDT:USDT';
const markets = await step('loadMarkets', async () => { const m = await ex.loadMarkets(); return Object.keys(m).length + ' markets; BTC precision ' + JSON.stringify(m[S].precision) + ' limits ' + JSON.stringify(m[S].limits); });
await step('fetchTime', () => ex.fetchTime());
await step('fetchOHLCV 1h', () => ex.fetchOHLCV(S, '1h', undefined, 3));
await step('fetchTicker', async () => { const t = await ex.fetchTicker(S); return {last: t.last, pct: t.percentage, qv: t.quoteVolume}; });
await step('fetchTickers', async () => Object.keys(await ex.fetchTickers()).length + ' tickers');
await step('fetchFundingRate', async () => { const f = await ex.fetchFundingRate(S); return {mark: f.markPrice, rate: f.fundingRate}; });
await step('fetchBalance', async () => (await ex.fetchBalance()).USDT);
await step('setLeverage 10', () => ex.setLeverage(10, S));
await step('setMarginMode isolated', () => ex.setMarginMode('isolated', S));
await step('setMarginMode isolated again (expect -4046)', () => ex.setMarginMode('isolated', S));
const buy = await step('createOrder market buy', () => ex.createOrder(S, 'market', 'buy', 0.002, undefined, { clientOrderId: 'ccxt-entry-1' }));
await step('fetchOrder by id', async () => { const o = await ex.fetchOrder(buy.id, S); return {status: o.status, filled: o.filled, avg: o.average}; });
await step('fetchPositions', async () => (await ex.fetchPositions([S])).map(p => ({side: p.side, contracts: p.contracts, entry: p.entryPrice, lev: p.leverage, mm: p.marginMode})));
await step('fetchMyTrades', async () => (await ex.fetchMyTrades(S)).map(t => ({price: t.price, amount: t.amount, fee: t.fee})));
const t = await ex.fetchTicker(S);
const stop = await step('createOrder stop-loss (algo)', () => ex.createOrder(S, 'market', 'sell', 0.002, undefined, { stopLossPrice: ex.priceToPrecision(S, t.last * 0.9), reduceOnly: true }));
await step('fetchOpenOrders trigger', async () => (await ex.fetchOpenOrders(S, undefined, undefined, { trigger: true })).map(o => ({id: o.id, type: o.type, trig: o.triggerPrice, status: o.status})));
await step('fetchOrder trigger', async () => { const o = await ex.fetchOrder(stop.id, S, { trigger: true }); return {status: o.status, trig: o.triggerPrice}; });
await step('cancelOrder trigger', async () => { const o = await ex.cancelOrder(stop.id, S, { trigger: true }); return {id: o.id, status: o.status}; });
const lim = await step('createOrder limit', () => ex.createOrder(S, 'limit', 'buy', 0.002, Number(ex.priceToPrecision(S, t.last * 0.95))));
await step('fetchOpenOrders', async () => (await ex.fetchOpenOrders(S)).map(o => ({id: o.id, price: o.price, status: o.status})));
await step('cancelOrder', async () => (await ex.cancelOrder(lim.id, S)).status);
const px = Number(ex.priceToPrecision(S, t.last * 0.9));
await step('createOrder limit cid dup-1', async () => (await ex.createOrder(S, 'limit', 'buy', 0.002, px, { clientOrderId: 'dup-1' })).status);
await step('createOrder same cid while open (expect -4116)', () => ex.createOrder(S, 'limit', 'buy', 0.002, px, { clientOrderId: 'dup-1' }));
await step('createOrder too big (expect -2019)', () => ex.createOrder(S, 'market', 'buy', 100));
await step('cancelAllOrders', async () => JSON.stringify(await ex.cancelAllOrders(S)).slice(0, 120));
await step('createOrder reduceOnly sell closes', async () => (await ex.createOrder(S, 'market', 'sell', 0.002, undefined, { reduceOnly: true })).status);
await step('fetchPositions after close', async () => (await ex.fetchPositions([S])).length + ' open positions');
await step('fetchBalance after', async () => (await ex.fetchBalance()).USDT);
console.log(failures ? `${failures} step(s) failed` : 'all steps passed');
process.exitCode = failures ? 1 : 0;
