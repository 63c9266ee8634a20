// Points the npm "binance" SDK (tiagosiebler) at fake-binance through its baseUrl option.
import { USDMClient, MainClient } from 'binance';
const base = process.argv[2];
const opts = { api_key: 'sdkkey', api_secret: 'sdksecret', baseUrl: base, beautifyResponses: false };
const usdm = new USDMClient(opts);
const main = new MainClient(opts);
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
await step('getServerTime', () => usdm.getServerTime());
await step('getExchangeInfo', async () => (await usdm.getExchangeInfo()).symbols.length + ' symbols');
await step('getKlines', () => usdm.getKlines({ symbol: 'ETHUSDT', interval: '4h', limit: 2 }));
await step('getMarkPrice', () => usdm.getMarkPrice({ symbol: 'ETHUSDT' }));
await step('getBalanceV3', async () => (await usdm.getBalanceV3())[0]);
await step('getAccountInformationV3', async () => (await usdm.getAccountInformationV3()).availableBalance);
await step('setLeverage', () => usdm.setLeverage({ symbol: 'ETHUSDT', leverage: 5 }));
await step('submitNewOrder MARKET', () => usdm.submitNewOrder({ symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: 0.05, newClientOrderId: 'sdk-entry-1' }));
await step('getOrder by client id', async () => { const o = await usdm.getOrder({ symbol: 'ETHUSDT', origClientOrderId: 'sdk-entry-1' }); return [o.status, o.avgPrice]; });
await step('getPositionsV3', async () => (await usdm.getPositionsV3()).map(p => [p.symbol, p.positionAmt, p.entryPrice]));
const px = Number((await usdm.getMarkPrice({ symbol: 'ETHUSDT' })).markPrice);
await step('submitNewAlgoOrder STOP_MARKET', () => usdm.submitNewAlgoOrder({ algoType: 'CONDITIONAL', symbol: 'ETHUSDT', side: 'SELL', type: 'STOP_MARKET', triggerPrice: (px * 0.9).toFixed(2), closePosition: 'true', workingType: 'MARK_PRICE', clientAlgoId: 'sdk-sl-1' }));
await step('getOpenAlgoOrders', async () => (await usdm.getOpenAlgoOrders({ symbol: 'ETHUSDT' })).map(a => [a.clientAlgoId, a.algoStatus]));
await step('getAlgoOrder', async () => (await usdm.getAlgoOrder({ clientAlgoId: 'sdk-sl-1' })).algoStatus);
await step('cancelAlgoOrder', () => usdm.cancelAlgoOrder({ clientAlgoId: 'sdk-sl-1' }));
await step('submitNewOrder STOP_MARKET on /order (expect -4120)', () => usdm.submitNewOrder({ symbol: 'ETHUSDT', side: 'SELL', type: 'STOP_MARKET', stopPrice: (px * 0.9).toFixed(2), closePosition: 'true' }));
await step('getAccountTrades', async () => (await usdm.getAccountTrades({ symbol: 'ETHUSDT' })).map(t => [t.qty, t.price, t.commission]));
await step('getApiKeyPermissions (spot host)', () => main.getApiKeyPermissions());
console.log(failures ? `${failures} step(s) failed` : 'all steps passed');
process.exitCode = failures ? 1 : 0;
