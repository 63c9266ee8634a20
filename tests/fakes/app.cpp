// Construction of the fake exchange and its startup state.
#include "app.h"

#include <atomic>
#include <chrono>

namespace fake {

std::int64_t wall_clock_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

App::App(std::uint64_t seed, int n_symbols, std::vector<AccountSeed> account_seeds)
    : universe(seed, n_symbols, wall_clock_ms()),
      sim(seed),
      seeds(std::move(account_seeds)),
      world(fresh_world()) {}

std::int64_t App::now() const {
    return wall_clock_ms() + world.with([](const World& w) { return w.clock_skew_ms; });
}

World App::fresh_world() const {
    static std::atomic<std::int64_t> worlds{0};
    World w;
    w.epoch = ++worlds;
    for (const AccountSeed& s : seeds) {
        Account& a = w.accounts[s.key];
        a.key = s.key;
        a.secret = s.secret;
        a.wallet = s.balance;
        a.restrictions.create_time = 1717200000000;  // a fixed creation date keeps state dumps comparable
    }
    return w;
}

}  // namespace fake
