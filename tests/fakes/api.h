// Types every handler of the fake shares: the error they throw (turned into Binance's {"code","msg"} at the
// edge), the reply they return, the decoded parameters and the request context.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "market_sim.h"

namespace fake {

using Json = nlohmann::ordered_json;  // keeps Binance's field order, which makes diffs against docs readable

struct ApiError : std::runtime_error {
    int http;
    int code;
    int retry_after = 0;  // seconds, sent as Retry-After with 429 and 418
    ApiError(int http_status, int binance_code, const std::string& msg, int retry_after_s = 0)
        : std::runtime_error(msg), http(http_status), code(binance_code), retry_after(retry_after_s) {}
};

[[noreturn]] inline void reject(int code, const std::string& msg, int http = 400) {
    throw ApiError(http, code, msg);
}

// Request parameters from the raw query string and form body; the query string wins, as on Binance.
class Params {
  public:
    static Params parse(std::string_view query, std::string_view body);

    bool has(const std::string& key) const { return values_.count(key) > 0; }
    const std::string* get(const std::string& key) const;
    std::string value_or(const std::string& key, const std::string& fallback) const;
    const std::string& required(const std::string& key) const;           // -1102 when missing or empty
    std::optional<std::int64_t> integer(const std::string& key) const;   // -1100 when not an integer
    std::optional<ParsedDecimal> decimal(const std::string& key) const;  // -1100 when not a decimal
    bool boolean(const std::string& key, bool fallback) const;           // "true"/"false", else -1130
    const std::map<std::string, std::string>& all() const { return values_; }

  private:
    std::map<std::string, std::string> values_;
};

std::string url_decode(std::string_view s, bool plus_is_space);

struct App;

struct Ctx {
    App& app;
    std::string method, path, ip;
    Params params;
    std::int64_t now = 0;  // server time in ms (wall clock plus any injected skew)
    std::string api_key;   // set once the key has been checked
};

struct Reply {
    int status = 200;
    Json body;
};

}  // namespace fake
