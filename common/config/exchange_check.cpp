// The paper account's money settings are exact decimals (text in YAML, money::Decimal in the broker); the
// exchange URLs must be http(s) (REST) or ws(s) (user data stream) base URLs. Checked here, once, with the
// key named in the message.
#include "config/exchange_check.h"

#include <string_view>

namespace tradingd::config {
namespace {

// [digits][.digits]: what money::Decimal parses, minus the sign (none of these may be negative).
bool plain_decimal(std::string_view text) {
    auto point = text.find('.');
    std::string_view whole = text.substr(0, point);
    std::string_view frac = point == std::string_view::npos ? std::string_view{} : text.substr(point + 1);
    auto digits = [](std::string_view s) {
        return !s.empty() && s.size() <= 18 && s.find_first_not_of("0123456789") == std::string_view::npos;
    };
    return digits(whole) && (point == std::string_view::npos || digits(frac));
}

bool below_one(std::string_view text) {
    return text.substr(0, text.find('.')).find_first_not_of('0') == std::string_view::npos;
}

bool base_url(std::string_view url) {
    bool scheme = url.starts_with("https://") || url.starts_with("http://");
    return scheme && url.find_first_of(" ?#") == std::string_view::npos && !url.ends_with("/") &&
           url.size() > url.find("//") + 2;
}

}  // namespace

void validate_exchange_settings(const Settings& s, std::vector<std::string>& problems) {
    for (auto [key, url] : {std::pair{"exchange.rest_url", &s.exchange_rest_url},
                            std::pair{"exchange.sapi_url", &s.exchange_sapi_url}}) {
        if (!base_url(*url))
            problems.push_back(std::string(key) + ": '" + *url +
                               "' is not a base URL such as https://fapi.binance.com (http or https, no "
                               "path query or trailing slash)");
    }
    const std::string_view stream = s.exchange_stream_url;
    const bool ws = stream.starts_with("wss://") || stream.starts_with("ws://");
    if (!ws || stream.find_first_of(" ?#") != std::string_view::npos || stream.ends_with("/") ||
        stream.size() <= stream.find("//") + 2)
        problems.push_back("exchange.stream_url: '" + s.exchange_stream_url +
                           "' is not a WebSocket base URL such as wss://fstream.binance.com (ws or wss, no "
                           "query or trailing slash)");
    if (!plain_decimal(s.paper_starting_balance))
        problems.push_back("paper.starting_balance: '" + s.paper_starting_balance +
                           "' is not a plain non-negative decimal number (e.g. 10000)");
    for (auto [key, rate] : {std::pair{"paper.taker_fee_rate", &s.paper_taker_fee_rate},
                             std::pair{"paper.maker_fee_rate", &s.paper_maker_fee_rate},
                             std::pair{"paper.slippage_rate", &s.paper_slippage_rate}}) {
        if (!plain_decimal(*rate) || !below_one(*rate))
            problems.push_back(std::string(key) + ": '" + *rate +
                               "' is not a fraction between 0 and 1 written as a decimal (0.0005 is 0.05 %)");
    }
}

}  // namespace tradingd::config
