// The key check: restrictions from the SAPI host, then a signed futures call, each outcome turned into a
// finding a non-specialist can act on.
#include "exchange/key_check.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "exchange/http_transport.h"
#include "exchange/signing.h"

namespace tradingd::exchange {
namespace {

using json = nlohmann::json;

struct Restrictions {
    bool reading = false, futures = false, withdrawals = false, ip_restrict = false;
};

const char* const kTryAgain = "Binance could not be reached just now; try the check again in a minute.";

// GET /sapi/v1/account/apiRestrictions, signed with a timestamp on the exchange's clock.
Result<Restrictions> read_restrictions(const ApiCredentials& credentials, const KeyCheckSettings& settings,
                                       TimeMs server_time) {
    QueryParams params{{"timestamp", std::to_string(server_time)}, {"recvWindow", "10000"}};
    HttpRequest request;
    request.url =
        settings.sapi_url + "/sapi/v1/account/apiRestrictions?" + sign(params, credentials.secret.view());
    request.headers.emplace_back("X-MBX-APIKEY", std::string(credentials.api_key.view()));
    request.total_timeout = settings.request_timeout;
    HttpTransport transport;
    HttpResponse reply = transport.perform(request);
    if (reply.failure != Transport::none)
        return make_error(0, std::nullopt, reply.failure_message, reply.failure);
    json body = json::parse(reply.body, nullptr, false);
    if (reply.status != 200 || !body.is_object()) {
        std::optional<int> code;
        std::string message = "HTTP " + std::to_string(reply.status);
        if (body.is_object() && body.contains("code") && body["code"].is_number_integer()) {
            code = body["code"].get<int>();
            message = body.value("msg", message);
        }
        return make_error(reply.status, code, message);
    }
    Restrictions r;
    r.reading = body.value("enableReading", false);
    r.futures = body.value("enableFutures", false);
    r.withdrawals = body.value("enableWithdrawals", false);
    r.ip_restrict = body.value("ipRestrict", false);
    return r;
}

KeyCheck pass(std::string code, std::string message) {
    return {std::move(code), true, std::move(message), ""};
}
KeyCheck fail(std::string code, std::string message, std::string fix) {
    return {std::move(code), false, std::move(message), std::move(fix)};
}
KeyCheck not_checked(std::string code, const std::string& because) {
    return fail(std::move(code), "Not checked: " + because, "Fix the problems above, then check again.");
}

// The key itself was refused: say which kind of refusal it was.
KeyCheck key_refused(const Error& e) {
    if (e.code == -1022)
        return fail("key_valid",
                    "Binance says the signature is wrong: the API secret does not belong to this key.",
                    "Copy the secret key again from Binance (API Management) and paste it without spaces.");
    if (e.outcome == Outcome::auth)
        return fail("key_valid", "Binance says the API key has an invalid format.",
                    "Copy the API key again from Binance (API Management), all 64 characters.");
    if (e.outcome == Outcome::permission_or_ip)
        return fail(
            "key_valid",
            "Binance refused the key from this server: the key does not exist (or was deleted), or its "
            "IP whitelist does not include this server's address.",
            "If the key has an IP whitelist, add this server's IP address to it; otherwise check that "
            "the key was copied completely and still exists in API Management.");
    if (retry_is_safe(e.outcome) || e.outcome == Outcome::unknown_status)
        return fail("key_valid", std::string("Could not reach Binance: ") + e.describe(), kTryAgain);
    return fail("key_valid", "Binance refused the check: " + e.describe(),
                "Check the key in Binance's API Management, or contact support with this message.");
}

KeyCheck balance_check(const Result<std::vector<Balance>>& balances, const Restrictions& r) {
    if (balances.ok()) {
        for (const Balance& b : *balances) {
            if (b.asset != "USDT") continue;
            std::string amounts = "USDT balance " + b.wallet_balance.to_string() + ", available " +
                                  b.available_balance.to_string() + ".";
            if (b.available_balance.is_positive()) return pass("usdt_balance", amounts);
            return fail("usdt_balance", amounts + " The bot cannot open positions without margin.",
                        "Transfer USDT from your Spot wallet to your USDⓈ-M Futures wallet.");
        }
        return fail("usdt_balance", "The futures account holds no USDT.",
                    "Transfer USDT from your Spot wallet to your USDⓈ-M Futures wallet.");
    }
    const Error& e = balances.error();
    if (e.outcome == Outcome::permission_or_ip) {
        // -2015 on futures while the restrictions call worked: futures permission, or a futures-side IP
        // whitelist the restrictions say is on.
        if (!r.futures) return not_checked("usdt_balance", "the key may not use futures.");
        return fail("usdt_balance",
                    "Binance refused the futures call from this server although the key has futures enabled: "
                    "this server's IP address is not on the key's whitelist.",
                    "Add this server's IP address to the key's IP whitelist in API Management.");
    }
    if (retry_is_safe(e.outcome) || e.outcome == Outcome::unknown_status)
        return fail("usdt_balance", "Could not read the futures balance: " + e.describe(), kTryAgain);
    return fail("usdt_balance", "Binance refused the futures balance call: " + e.describe(),
                "Check that the key's USDⓈ-M Futures account is open.");
}

}  // namespace

KeyCheckReport check_api_key(const ApiCredentials& credentials, const KeyCheckSettings& settings,
                             WeightBudget& budget) {
    KeyCheckReport report;
    auto finish = [&] {
        report.ok = !report.checks.empty() && std::all_of(report.checks.begin(), report.checks.end(),
                                                          [](const KeyCheck& c) { return c.ok; });
        return report;
    };
    BinanceConfig config;
    config.base_url = settings.rest_url;
    config.request_timeout = settings.request_timeout;
    BinanceMarketData market(config, budget);
    auto server_time = market.server_time();
    if (!server_time) {
        report.checks.push_back(
            fail("key_valid", "Could not reach Binance: " + server_time.error().describe(), kTryAgain));
        return finish();
    }
    auto restrictions = read_restrictions(credentials, settings, *server_time);
    if (!restrictions) {
        report.checks.push_back(key_refused(restrictions.error()));
        for (const char* code : {"futures_enabled", "withdrawals_disabled", "ip_restricted", "usdt_balance"})
            report.checks.push_back(not_checked(code, "Binance did not accept the key."));
        return finish();
    }
    const Restrictions& r = *restrictions;
    report.checks.push_back(pass("key_valid", "Binance accepted the key and its secret."));
    if (r.futures && r.reading)
        report.checks.push_back(
            pass("futures_enabled", "The key may read the account and trade USDⓈ-M futures."));
    else
        report.checks.push_back(
            fail("futures_enabled",
                 r.futures ? "The key may not read account data."
                           : "The key does not have futures trading permission.",
                 "In API Management, edit the key and tick 'Enable Reading' and 'Enable "
                 "Futures'. Keys created before the futures account was opened cannot get "
                 "it: create a new key."));
    if (!r.withdrawals)
        report.checks.push_back(pass("withdrawals_disabled", "The key cannot withdraw funds."));
    else
        report.checks.push_back(
            fail("withdrawals_disabled",
                 "The key can withdraw funds: anyone who obtained it could empty the account.",
                 "In API Management, edit the key and untick 'Enable Withdrawals'."));
    if (r.ip_restrict)
        report.checks.push_back(pass("ip_restricted", "The key only works from whitelisted IP addresses."));
    else
        report.checks.push_back(fail(
            "ip_restricted", "The key works from any IP address, so a leaked key could be used anywhere.",
            "In API Management, choose 'Restrict access to trusted IPs only' and add "
            "this server's IP address to the key's whitelist."));
    ApiCredentials copy{credentials.api_key.clone(), credentials.secret.clone()};
    BinanceTrading trading(config, budget, std::move(copy));
    report.checks.push_back(balance_check(trading.balances(), r));
    return finish();
}

}  // namespace tradingd::exchange
