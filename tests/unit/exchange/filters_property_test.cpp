// Filter rounding properties over random symbols and values from a fixed seed: a rounded quantity is on
// every applicable step, never larger than asked and accepted whenever the request was within bounds; a
// rounded price is on the tick, within one tick, on the promised side, and accepted when within bounds.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "exchange/filters.h"

using namespace tradingd::exchange;
using namespace tradingd::money::literals;
using tradingd::money::Rounding;

namespace {

class Gen {
  public:
    explicit Gen(std::uint64_t seed) : rng_(seed) {}
    std::int64_t between(std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng_);
    }
    template <class T, std::size_t N>
    const T& one_of(const T (&items)[N]) {
        return items[static_cast<std::size_t>(between(0, N - 1))];
    }
    // A value near `step * n` for n up to `span` steps, with random digits below the step.
    Decimal around_grid(Decimal step, std::int64_t span) {
        const Decimal whole = step.mul(Decimal::from_int(between(0, span)), Rounding::down);
        const unsigned __int128 wide = (static_cast<unsigned __int128>(rng_()) << 64) | rng_();
        const Decimal part =
            Decimal::from_raw(static_cast<Decimal::Raw>(wide % static_cast<unsigned __int128>(step.raw())));
        return whole + part;
    }

  private:
    std::mt19937_64 rng_;
};

const Decimal kSteps[] = {"0.001"_dec, "0.1"_dec, "1"_dec, "10"_dec, "0.00001"_dec, "0.5"_dec, "0.025"_dec};
const Decimal kTicks[] = {"0.1"_dec, "0.01"_dec, "0.0001"_dec, "0.5"_dec, "10"_dec, "0.0000001"_dec};

SymbolInfo random_symbol(Gen& g) {
    SymbolInfo s;
    s.symbol = "TESTUSDT";
    s.status = "TRADING";
    s.quote_asset = "USDT";
    s.step_size = g.one_of(kSteps);
    s.min_qty = s.step_size.mul(Decimal::from_int(g.between(1, 10)), Rounding::down);
    s.max_qty = s.step_size.mul(Decimal::from_int(g.between(1000, 100000)), Rounding::down);
    s.market_step_size = s.step_size.mul(Decimal::from_int(g.between(0, 1) == 0 ? 1 : 10), Rounding::down);
    s.market_min_qty = s.market_step_size.mul(Decimal::from_int(g.between(1, 10)), Rounding::down);
    s.market_max_qty = s.market_step_size.mul(Decimal::from_int(g.between(100, 50000)), Rounding::down);
    s.tick_size = g.one_of(kTicks);
    s.min_price = s.tick_size.mul(Decimal::from_int(g.between(1, 100)), Rounding::down);
    s.max_price = s.tick_size.mul(Decimal::from_int(g.between(100000, 10000000)), Rounding::down);
    s.min_notional = "5"_dec;
    return s;
}

}  // namespace

TEST_CASE("property: a rounded quantity is on the step, never larger, and accepted when in bounds",
          "[exchange][filters][property]") {
    Gen g(4242);
    for (int i = 0; i < 400; ++i) {
        const SymbolInfo s = random_symbol(g);
        for (const OrderType type : {OrderType::limit, OrderType::market, OrderType::stop_market}) {
            const bool at_market = type != OrderType::limit;
            const Decimal step = at_market ? s.market_step_size : s.step_size;
            const Decimal min = at_market ? std::max(s.min_qty, s.market_min_qty) : s.min_qty;
            const Decimal max = at_market ? std::min(s.max_qty, s.market_max_qty) : s.max_qty;
            for (int j = 0; j < 25; ++j) {
                const auto steps_to_max =
                    static_cast<std::int64_t>(max.div(step, Rounding::down).raw() / Decimal::kOne);
                const Decimal asked = g.around_grid(step, steps_to_max * 3 / 2);
                const Decimal r = round_quantity(s, asked, type);
                INFO(s.symbol << " step " << step << " min " << min << " max " << max << " asked " << asked
                              << " rounded " << r);
                REQUIRE(r <= asked);
                REQUIRE_FALSE(r.is_negative());
                REQUIRE(r.is_multiple_of(s.step_size));
                REQUIRE(r.is_multiple_of(step));
                REQUIRE(asked - r < step);

                OrderRequest o;
                o.symbol = s.symbol;
                o.side = Side::sell;
                o.type = type;
                o.quantity = r;
                o.price = s.min_price;
                o.stop_price = s.min_price;
                o.reduce_only = true;  // quantity rules only: no notional
                const auto v = check_order(s, o, s.min_price);
                if (asked >= min && asked <= max) {
                    REQUIRE(r >= min);
                    REQUIRE(r <= max);
                    REQUIRE_FALSE(v);
                } else if (asked < min) {
                    REQUIRE(v);
                    REQUIRE((v->reason == FilterReason::qty_below_min ||
                             v->reason == FilterReason::qty_not_positive));
                } else if (r > max) {
                    REQUIRE(v);
                    REQUIRE(v->reason == FilterReason::qty_above_max);
                }
            }
        }
    }
}

TEST_CASE("property: a rounded price is on the tick, within one tick, on the promised side",
          "[exchange][filters][property]") {
    Gen g(777);
    for (int i = 0; i < 400; ++i) {
        const SymbolInfo s = random_symbol(g);
        for (int j = 0; j < 25; ++j) {
            const Decimal asked = g.around_grid(s.tick_size, 20000000);
            for (const Side side : {Side::buy, Side::sell}) {
                for (const PriceUse use : {PriceUse::limit, PriceUse::stop_loss, PriceUse::take_profit}) {
                    const Decimal r = round_price(s, asked, side, use);
                    INFO("tick " << s.tick_size << " asked " << asked << " rounded " << r << " side "
                                 << (side == Side::buy ? "BUY" : "SELL") << " use " << static_cast<int>(use));
                    REQUIRE(r.is_multiple_of(s.tick_size));
                    REQUIRE((r - asked).abs() < s.tick_size);
                    const bool expect_down = use == PriceUse::limit ? side == Side::buy : side == Side::sell;
                    if (expect_down) {
                        REQUIRE(r <= asked);
                    } else {
                        REQUIRE(r >= asked);
                    }

                    OrderRequest o;
                    o.symbol = s.symbol;
                    o.side = side;
                    o.type = OrderType::limit;
                    o.quantity = s.min_qty;
                    o.price = r;
                    o.reduce_only = true;
                    const auto v = check_order(s, o, r);
                    if (r >= s.min_price && r <= s.max_price) {
                        REQUIRE_FALSE(v);
                    } else {
                        REQUIRE(v);
                        REQUIRE((v->reason == FilterReason::price_below_min ||
                                 v->reason == FilterReason::price_above_max ||
                                 v->reason == FilterReason::price_not_positive));
                    }
                }
            }
        }
    }
}
