// Spot/wallet-host endpoints (api.binance.com), served on the same listener: the API-key restriction
// check used when a key is linked, and the two wallet calls ccxt makes while loading markets when it has
// credentials, so that an unmodified ccxt binanceusdm can be pointed at the fake.
#include <set>

#include "routes.h"

namespace fake {
namespace {

Reply api_restrictions(Ctx& ctx) {
    return ctx.app.world.with([&](World& w) {
        const Restrictions& r = w.accounts.at(ctx.api_key).restrictions;
        return Reply{200, Json{{"ipRestrict", r.ip_restrict},
                               {"createTime", r.create_time},
                               {"enableReading", r.enable_reading},
                               {"enableWithdrawals", r.enable_withdrawals},
                               {"enableInternalTransfer", r.enable_internal_transfer},
                               {"enableMargin", r.enable_margin},
                               {"enableFutures", r.enable_futures},
                               {"permitsUniversalTransfer", r.permits_universal_transfer},
                               {"enableVanillaOptions", r.enable_vanilla_options},
                               {"enableFixApiTrade", r.enable_fix_api_trade},
                               {"enableFixReadOnly", r.enable_fix_read_only},
                               {"enableSpotAndMarginTrading", r.enable_spot_and_margin_trading},
                               {"enablePortfolioMarginTrading", r.enable_portfolio_margin_trading}}};
    });
}

std::set<std::string> coins(const App& app) {
    std::set<std::string> out{"USDT", "USDC"};
    for (const SymbolSpec& s : app.universe.all())
        out.insert(s.base.rfind("1000", 0) == 0 ? s.base.substr(4) : s.base);
    return out;
}

// GET /sapi/v1/capital/config/getall: every coin with one network and an empty spot wallet.
Reply coin_config(Ctx& ctx) {
    Json out = Json::array();
    for (const std::string& coin : coins(ctx.app)) {
        Json network{{"network", "BSC"},
                     {"coin", coin},
                     {"withdrawIntegerMultiple", "0.00000001"},
                     {"isDefault", true},
                     {"depositEnable", true},
                     {"withdrawEnable", true},
                     {"depositDesc", ""},
                     {"withdrawDesc", ""},
                     {"specialTips", ""},
                     {"name", "BNB Smart Chain (BEP20)"},
                     {"resetAddressStatus", false},
                     {"addressRegex", "^(0x)[0-9A-Fa-f]{40}$"},
                     {"memoRegex", ""},
                     {"withdrawFee", "0.1"},
                     {"withdrawMin", "1"},
                     {"withdrawMax", "9999999999"},
                     {"minConfirm", 15},
                     {"unLockConfirm", 0},
                     {"sameAddress", false},
                     {"estimatedArrivalTime", 1},
                     {"busy", false}};
        out.push_back({{"coin", coin},
                       {"depositAllEnable", true},
                       {"withdrawAllEnable", true},
                       {"name", coin},
                       {"free", "0"},
                       {"locked", "0"},
                       {"freeze", "0"},
                       {"withdrawing", "0"},
                       {"ipoing", "0"},
                       {"ipoable", "0"},
                       {"storage", "0"},
                       {"isLegalMoney", false},
                       {"trading", true},
                       {"networkList", Json::array({network})}});
    }
    return {200, out};
}

// GET /sapi/v1/margin/allPairs: cross-margin pairs against USDT.
Reply margin_pairs(Ctx& ctx) {
    Json out = Json::array();
    std::int64_t id = 351637150141315861;
    for (const std::string& coin : coins(ctx.app)) {
        if (coin == "USDT") continue;
        out.push_back({{"base", coin},
                       {"id", id++},
                       {"isBuyAllowed", true},
                       {"isMarginTrade", true},
                       {"isSellAllowed", true},
                       {"quote", "USDT"},
                       {"symbol", coin + "USDT"}});
    }
    return {200, out};
}

}  // namespace

std::vector<Route> wallet_routes() {
    return {
        {"GET", "/sapi/v1/account/apiRestrictions", Security::Signed, [](const Params&) { return 1; }, false,
         api_restrictions},
        {"GET", "/sapi/v1/capital/config/getall", Security::Signed, [](const Params&) { return 10; }, false,
         coin_config},
        {"GET", "/sapi/v1/margin/allPairs", Security::ApiKey, [](const Params&) { return 1; }, false,
         margin_pairs},
    };
}

}  // namespace fake
