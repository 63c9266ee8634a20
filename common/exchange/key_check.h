// The API-key health check behind the key-linking wizard: one call that says whether an agent's Binance key
// can trade futures for the daemon and is safe to hold, each finding with a plain-language fix.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "exchange/binance_client.h"

namespace tradingd::exchange {

struct KeyCheckSettings {
    std::string rest_url = kBinanceFuturesUrl;         // exchange.rest_url
    std::string sapi_url = "https://api.binance.com";  // exchange.sapi_url: the key-restriction endpoint
    std::chrono::milliseconds request_timeout{10000};  // exchange.request_timeout_ms
};

// One finding. `code` is a stable word: key_valid, futures_enabled, withdrawals_disabled, ip_restricted,
// usdt_balance. `fix` is empty when ok.
struct KeyCheck {
    std::string code;
    bool ok = false;
    std::string message;
    std::string fix;
};

struct KeyCheckReport {
    bool ok = false;  // every check passed
    std::vector<KeyCheck> checks;
};

// Reads the key's restrictions (GET /sapi/v1/account/apiRestrictions) and the futures balance (GET
// /fapi/v2/balance). Binance answers 401/-2015 both for a key without futures permission and for a call
// from an IP outside the key's whitelist; the restrictions say which one it is. Never throws for exchange
// failures: an unreachable exchange is a failed check with "try again" as its fix. The secret is used only
// to sign; it appears in no message.
KeyCheckReport check_api_key(const ApiCredentials& credentials, const KeyCheckSettings& settings,
                             WeightBudget& budget);

}  // namespace tradingd::exchange
