// User-data-stream events of the fake, derived from the World rather than hooked into every handler: each
// run compares an account with what was last published for it and describes the difference as Binance
// would (ORDER_TRADE_UPDATE per order change and per fill, ALGO_UPDATE per conditional-order status,
// ACCOUNT_UPDATE when the wallet or a position moved). Events can therefore never disagree with REST.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "api.h"
#include "app.h"

namespace fake {

struct StreamEvent {
    std::string account;  // API key of the account it belongs to
    Json body;
    std::int64_t at = 0;  // when it happened: one run's events go out in this order
};

class StreamLedger {
  public:
    // Appends to `out` what changed in every account since the last call; runs with the World locked.
    // A World replaced by /_fake/reset starts again from its seeded accounts.
    void collect(const App& app, const World& w, std::int64_t now, std::vector<StreamEvent>& out);

  private:
    struct Seen {
        std::map<std::int64_t, std::string> orders;  // id -> status published
        std::map<std::int64_t, std::string> algos;
        std::map<std::string, Position> positions;
        double wallet = 0;
        std::size_t trades = 0;
    };
    static Seen baseline(const App& app, const std::string& key);
    void diff(const App& app, const Account& a, Seen& seen, std::int64_t now, std::vector<StreamEvent>& out);

    std::int64_t epoch_ = -1;
    std::map<std::string, Seen> seen_;  // by API key
};

Json listen_key_expired_json(const std::string& listen_key, std::int64_t now);

}  // namespace fake
