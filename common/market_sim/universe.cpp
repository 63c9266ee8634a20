// Builds the symbol list and derives tick/step/notional filters from each price's magnitude, the way
// Binance's listings look: BTC tick 0.10 step 0.001 notional 100, ETH notional 20, the rest 5.
#include "market_sim/universe.h"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace tradingd::market_sim {
namespace {

struct Base {
    const char* name;
    double price;
};

// Approximate price levels; only their magnitude matters (it picks tick and step sizes).
constexpr Base kBases[] = {
    {"BTC", 95000},    {"ETH", 3300},     {"BNB", 650},        {"SOL", 180},      {"XRP", 2.2},
    {"DOGE", 0.32},    {"ADA", 0.9},      {"TRX", 0.25},       {"AVAX", 35},      {"LINK", 20},
    {"DOT", 7},        {"TON", 5.5},      {"SHIB1000", 0.021}, {"LTC", 105},      {"BCH", 450},
    {"NEAR", 5},       {"UNI", 13},       {"APT", 9},          {"ICP", 10},       {"ETC", 27},
    {"FIL", 5},        {"ATOM", 6.5},     {"XLM", 0.4},        {"ARB", 0.75},     {"OP", 1.9},
    {"INJ", 22},       {"SUI", 4},        {"PEPE1000", 0.012}, {"HBAR", 0.28},    {"VET", 0.045},
    {"MKR", 1500},     {"AAVE", 330},     {"RNDR", 7},         {"IMX", 1.3},      {"GRT", 0.2},
    {"ALGO", 0.35},    {"STX", 1.6},      {"SEI", 0.45},       {"TIA", 5},        {"FET", 1.3},
    {"RUNE", 4},       {"EGLD", 30},      {"SAND", 0.55},      {"MANA", 0.5},     {"AXS", 6},
    {"THETA", 1.9},    {"FTM", 0.7},      {"FLOW", 0.75},      {"XTZ", 1.1},      {"EOS", 0.8},
    {"KAVA", 0.45},    {"CHZ", 0.09},     {"GALA", 0.035},     {"APE", 1.2},      {"CRV", 0.9},
    {"LDO", 1.8},      {"SNX", 2.1},      {"COMP", 80},        {"DYDX", 1.4},     {"GMX", 25},
    {"ENS", 30},       {"1INCH", 0.4},    {"SUSHI", 1.1},      {"YFI", 8000},     {"ZEC", 60},
    {"DASH", 35},      {"XMR", 190},      {"NEO", 14},         {"QTUM", 3.5},     {"IOTA", 0.3},
    {"ZIL", 0.022},    {"ONT", 0.25},     {"WAVES", 1.3},      {"KSM", 30},       {"CELO", 0.7},
    {"ROSE", 0.09},    {"ANKR", 0.035},   {"SKL", 0.05},       {"BAT", 0.25},     {"ENJ", 0.25},
    {"ZRX", 0.5},      {"STORJ", 0.5},    {"OCEAN", 0.7},      {"BAND", 1.5},     {"RSR", 0.012},
    {"COTI", 0.1},     {"CELR", 0.02},    {"HOT", 0.0022},     {"ONE", 0.02},     {"IOTX", 0.04},
    {"RVN", 0.02},     {"SXP", 0.3},      {"ALPHA", 0.07},     {"LRC", 0.2},      {"C98", 0.2},
    {"MASK", 3},       {"ICX", 0.2},      {"AR", 20},          {"CFX", 0.18},     {"AGIX", 0.6},
    {"WOO", 0.25},     {"JASMY", 0.035},  {"ID", 0.4},         {"BLUR", 0.3},     {"MAGIC", 0.5},
    {"HOOK", 0.4},     {"HIGH", 1.6},     {"SSV", 25},         {"RDNT", 0.06},    {"PENDLE", 5},
    {"ARKM", 1.8},     {"WLD", 2.5},      {"CYBER", 3},        {"ORDI", 35},      {"BONK1000", 0.03},
    {"WIF", 2.5},      {"JUP", 1.1},      {"PYTH", 0.4},       {"STRK", 0.6},     {"DYM", 1.5},
    {"ALT", 0.15},     {"MANTA", 0.9},    {"PORTAL", 0.4},     {"AEVO", 0.4},     {"ENA", 0.9},
    {"W", 0.3},        {"ETHFI", 2},      {"BOME", 0.008},     {"TNSR", 0.5},     {"SAGA", 2},
    {"OMNI", 10},      {"REZ", 0.04},     {"BB", 0.3},         {"NOT", 0.006},    {"IO", 3},
    {"ZK", 0.2},       {"LISTA", 0.4},    {"ZRO", 5},          {"BANANA", 45},    {"RENDER", 7},
    {"TAO", 450},      {"POL", 0.5},      {"EIGEN", 3},        {"HMSTR", 0.004},  {"GOAT", 0.5},
    {"NEIRO", 0.0018}, {"MOODENG", 0.25}, {"PNUT", 0.6},       {"ACT", 0.35},     {"VIRTUAL", 2.5},
    {"HYPE", 25},      {"MOVE", 0.7},     {"ME", 4},           {"PENGU", 0.035},  {"USUAL", 0.9},
    {"AIXBT", 0.5},    {"TRUMP", 15},     {"BERA", 7},         {"IP", 5},         {"KAITO", 1.5},
    {"ONDO", 1.4},     {"TURBO", 0.008},  {"FLOKI1000", 0.17}, {"JTO", 3},        {"BTCDOM", 5200},
    {"GAS", 5},        {"LPT", 15},       {"KNC", 0.6},        {"MINA", 0.7},     {"ASTR", 0.07},
    {"GLM", 0.45},     {"ILV", 40},       {"YGG", 0.6},        {"SPELL", 0.0009},
};

// Hash for per-symbol streams: stable across platforms, unlike std::hash.
std::uint64_t fnv1a(std::string_view s, std::uint64_t seed) {
    std::uint64_t h = 1469598103934665603ull ^ (seed * 0x9E3779B97F4A7C15ull);
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return h;
}

double unit(std::uint64_t h) {
    return static_cast<double>(h >> 11) / 9007199254740992.0;
}

Fx pow10_fx(int e) {  // 10^e as Fx, e in [-8, 11]
    Fx v = kFxOne;
    for (; e > 0; --e) v *= 10;
    for (; e < 0; ++e) v /= 10;
    return v < 1 ? 1 : v;
}

// Name as Binance lists it: "SHIB1000" is stored so the magnitude table reads naturally; Binance puts the
// multiplier first ("1000SHIBUSDT").
std::string listed_base(std::string_view name) {
    if (name.size() > 4 && name.substr(name.size() - 4) == "1000")
        return "1000" + std::string(name.substr(0, name.size() - 4));
    return std::string(name);
}

void derive_filters(SymbolSpec& s, std::uint64_t h) {
    int mag = static_cast<int>(std::floor(std::log10(s.ref_price)));
    s.tick = pow10_fx(mag - 4);  // ~4-5 significant digits, as on Binance
    if ((h >> 7) % 9 == 0 && s.tick >= 10)
        s.tick = s.tick / 2;  // a few ticks like 0.0005: round to tick, not to decimals
    double step = std::pow(10.0, std::floor(std::log10(1.0 / s.ref_price)));
    s.step = fx_from_double(std::max(step, 0.001), 100000, Round::Nearest);
    if (s.step > 1000 * kFxOne) s.step = 1000 * kFxOne;
    s.min_notional = 5 * kFxOne;
    s.multiplier_up = "1.1500";
    s.multiplier_down = "0.8500";
    s.max_leverage = (h >> 13) % 3 == 0 ? 75 : 50;
    s.notional_cap = 2e7;
    if (s.base == "BTC") {
        s.tick = kFxOne / 10;
        s.step = kFxOne / 1000;
        s.min_notional = 100 * kFxOne;
    } else if (s.base == "ETH") {
        s.tick = kFxOne / 100;
        s.step = kFxOne / 1000;
        s.min_notional = 20 * kFxOne;
    }
    if (s.base == "BTC" || s.base == "ETH") {
        s.multiplier_up = "1.0500";
        s.multiplier_down = "0.9500";
        s.max_leverage = 125;
        s.notional_cap = 5e8;
    }
    s.min_qty = s.step;
    double lot_max = std::min(1e9, std::pow(10.0, std::round(std::log10(5e7 / s.ref_price))));
    s.max_qty = fx_from_double(std::max(lot_max, 1.0), s.step, Round::Down);
    s.market_max_qty =
        fx_from_double(std::max(lot_max * 0.12, fx_to_double(s.step) * 10), s.step, Round::Down);
    s.min_price = std::max(s.tick, fx_from_double(s.ref_price * 0.003, s.tick, Round::Down));
    s.max_price = fx_from_double(s.ref_price * 50, s.tick, Round::Down);
    s.quantity_precision = step_decimals(s.step);
    // pricePrecision is not the tick (Binance's docs warn about it): BTC says 2 with a 0.10 tick.
    s.price_precision = step_decimals(s.tick) + (s.base == "BTC" || (h >> 17) % 4 == 0 ? 1 : 0);
    if (s.price_precision > 8) s.price_precision = 8;
}

SymbolSpec make_symbol(std::string base, std::string quote, double price, std::uint64_t seed) {
    SymbolSpec s;
    s.base = std::move(base);
    s.quote = quote;
    s.symbol = s.pair = s.base + quote;
    s.ref_price = price;
    std::uint64_t h = fnv1a(s.symbol, seed);
    s.stream = h;
    s.annual_vol = (s.base == "BTC" ? 0.45 : s.base == "ETH" ? 0.6 : 0.55 + 0.5 * unit(h * 31 + 7));
    double major = (s.base == "BTC") ? 2e10 : (s.base == "ETH") ? 1e10 : 0.0;
    s.daily_quote_volume = major > 0 ? major : std::exp(std::log(1e7) + unit(h * 17 + 3) * std::log(300.0));
    // Listing dates spread over 2020..mid-2024, so every symbol has well over a year of hourly history.
    s.onboard_ms = (s.base == "BTC" || s.base == "ETH")
                       ? kHistoryOriginMs
                       : kHistoryOriginMs + static_cast<std::int64_t>(unit(h * 13 + 5) * 1.4e11);
    s.onboard_ms -= s.onboard_ms % 86400000;
    s.delivery_ms = kPerpetualDeliveryMs;
    derive_filters(s, h);
    return s;
}

// The last Friday of the current quarter's final month, 08:00 UTC: when Binance settles a quarterly.
std::int64_t next_quarter_delivery(std::int64_t now_ms) {
    std::time_t t = now_ms / 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    for (int step = 0; step < 8; ++step) {
        int month = (tm.tm_mon / 3) * 3 + 2 + 3 * step;  // 2, 5, 8, 11 = Mar, Jun, Sep, Dec
        std::tm end{};
        end.tm_year = tm.tm_year + month / 12;
        end.tm_mon = month % 12 + 1;  // first day of the next month...
        end.tm_mday = 1;
        std::time_t first_next = timegm(&end);
        std::time_t last_day = first_next - 86400;  // ...minus one day
        std::tm ld{};
        gmtime_r(&last_day, &ld);
        int back = (ld.tm_wday - 5 + 7) % 7;
        std::int64_t delivery = (static_cast<std::int64_t>(last_day) - back * 86400) * 1000 + 8 * 3600000;
        if (delivery > now_ms + 86400000) return delivery;
    }
    return now_ms + 90LL * 86400000;
}

}  // namespace

Universe::Universe(std::uint64_t seed, int n_trading, std::int64_t now_ms) {
    constexpr int kTable = sizeof(kBases) / sizeof(kBases[0]);
    for (int i = 0; i < n_trading; ++i) {
        if (i < kTable) {
            symbols_.push_back(make_symbol(listed_base(kBases[i].name), "USDT", kBases[i].price, seed));
        } else {  // more symbols than the table: synthetic names with spread-out magnitudes
            char name[16];
            std::snprintf(name, sizeof name, "SYN%03d", i - kTable + 1);
            double price = std::pow(10.0, -3.0 + unit(fnv1a(name, seed)) * 6.0);
            symbols_.push_back(make_symbol(name, "USDT", price, seed));
        }
        if (symbols_.back().base == "BTCDOM") symbols_.back().underlying = "INDEX";
    }
    // Symbols a correct client must drop: not a perpetual, not USDT, or not TRADING.
    std::int64_t delivery = next_quarter_delivery(now_ms);
    char suffix[16];
    std::time_t dt = delivery / 1000;
    std::tm dtm{};
    gmtime_r(&dt, &dtm);
    std::strftime(suffix, sizeof suffix, "_%y%m%d", &dtm);
    for (const char* base : {"BTC", "ETH"}) {
        SymbolSpec q = make_symbol(base, "USDT", base[0] == 'B' ? 95500 : 3320, seed ^ 0x51);
        q.symbol = q.pair + suffix;
        q.contract_type = "CURRENT_QUARTER";
        q.delivery_ms = delivery;
        q.stream = fnv1a(q.symbol, seed);
        symbols_.push_back(q);
    }
    SymbolSpec usdc = make_symbol("BTC", "USDC", 95000, seed ^ 0x77);
    usdc.stream = fnv1a(usdc.symbol, seed);
    symbols_.push_back(usdc);
    SymbolSpec settling = make_symbol("OLDSETL", "USDT", 0.8, seed);
    settling.status = "SETTLING";
    symbols_.push_back(settling);
    SymbolSpec pending = make_symbol("NEWLIST", "USDT", 1.2, seed);
    pending.status = "PENDING_TRADING";
    pending.onboard_ms = now_ms + 3 * 86400000 - now_ms % 3600000;
    symbols_.push_back(pending);
    SymbolSpec closed = make_symbol("DELISTED", "USDT", 0.05, seed);
    closed.status = "CLOSE";
    symbols_.push_back(closed);
    for (size_t i = 0; i < symbols_.size(); ++i) index_[symbols_[i].symbol] = i;
}

const SymbolSpec* Universe::find(std::string_view symbol) const {
    auto it = index_.find(std::string(symbol));
    return it == index_.end() ? nullptr : &symbols_[it->second];
}

}  // namespace tradingd::market_sim
