// The fake exchange as one object: immutable symbol list and price model, and the guarded mutable World.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "guarded.h"
#include "market_sim.h"
#include "world.h"

namespace fake {

struct AccountSeed {
    std::string key, secret;
    double balance = 10000;
};

struct App {
    App(std::uint64_t seed, int n_symbols, std::vector<AccountSeed> seeds);

    // Server time: the wall clock plus the injected skew.
    std::int64_t now() const;
    // A World as at startup: the seeded accounts, no orders, default limits.
    World fresh_world() const;

    Universe universe;
    PriceSim sim;
    std::vector<AccountSeed> seeds;
    Guarded<World> world;
};

std::int64_t wall_clock_ms();

}  // namespace fake
