// BinanceRest: one request to Binance from start to end — weight reservation, signing with a synced
// timestamp, the HTTP exchange, feeding the rate headers back, and turning the reply into JSON or an Error.
// Internal to the Binance client; strategy code never sees it.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "exchange/binance_client.h"
#include "exchange/http_transport.h"
#include "exchange/signing.h"

namespace tradingd::exchange {

enum class Security { none, signed_request };

struct RestCall {
    std::string_view method = "GET";
    std::string_view path;
    QueryParams params;
    Security security = Security::none;
    int weight = 1;  // IP weight; reserved before sending
    Priority priority = Priority::normal;
    bool order_entry = false;  // counts against the account's order limits
};

class BinanceRest {
  public:
    // `credentials` only for clients that sign.
    BinanceRest(BinanceConfig config, WeightBudget& budget, std::optional<ApiCredentials> credentials);

    // Sends the call once. A -1021 on a signed call resyncs the clock and, for a GET, sends it once more.
    Result<nlohmann::json> call(const RestCall& call);
    Result<TimeMs> sync_time();

    // Binance's clock, from the last sync.
    TimeMs server_now() const;
    // The timestamp the last signed request carried (server clock). A request that has not executed by
    // this + recvWindow never will: Binance refuses it as outside the window.
    TimeMs last_signed_timestamp() const { return last_timestamp_; }
    const BinanceConfig& config() const { return config_; }
    WeightBudget& budget() { return budget_; }

  private:
    Result<nlohmann::json> send(const RestCall& call);
    Result<void> ensure_time_synced();

    BinanceConfig config_;
    WeightBudget& budget_;
    HttpTransport transport_;
    std::optional<ApiCredentials> credentials_;
    std::string account_label_;  // for per-account order counts: a hash of the key, never the key
    TimeMs offset_ms_ = 0;       // server clock minus local clock
    TimeMs synced_at_ = 0;       // local ms; 0 = never
    TimeMs last_timestamp_ = 0;
};

// Local wall clock in ms.
TimeMs local_now_ms();

}  // namespace tradingd::exchange
