// Random-access Brownian walk, minute candles from 10-second sub-points, and their aggregation.
#include "market_sim/price_sim.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace tradingd::market_sim {
namespace {

constexpr std::int64_t kMinute = 60000;
constexpr int kSub = 6;  // sub-points per minute (every 10 s)
constexpr int kBlockBits = 20;
constexpr std::int64_t kBlock = std::int64_t{1} << kBlockBits;  // ~728 days of minutes
constexpr double kClip = 2.5;  // log-price excursion bound (x12): keeps small coins above their tick
enum Stream : std::uint64_t {
    kBlockStream = 1,
    kMidStream,
    kSubStream,
    kBasisStream,
    kIndexStream,
    kFundingStream,
    kVolumeStream,
    kTakerStream
};

std::uint64_t splitmix(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

// Approximately standard normal (sum of four uniforms): cheap enough for millions of sub-points.
inline __attribute__((always_inline)) double gauss(std::uint64_t key, std::uint64_t stream,
                                                   std::int64_t idx) {
    std::uint64_t h = splitmix(key + stream * 0xD1B54A32D192ED03ull +
                               static_cast<std::uint64_t>(idx) * 0x8CB92BA72F3D8DD7ull);
    double sum = static_cast<double>(h & 0xFFFF) + static_cast<double>((h >> 16) & 0xFFFF) +
                 static_cast<double>((h >> 32) & 0xFFFF) + static_cast<double>(h >> 48);
    return (sum / 65535.0 - 2.0) * 1.7320508075688772;  // mean 2, variance 4/12 -> N(0,1)
}

// Standard deviation of a bridge midpoint over an interval of 2^level minutes: sqrt(2^level / 4).
double mid_scale(std::int64_t length) {
    static const auto kTable = [] {
        std::array<double, 64> t{};
        for (int i = 0; i < 64; ++i) t[i] = std::sqrt(std::ldexp(1.0, i) / 4.0);
        return t;
    }();
    return kTable[__builtin_ctzll(static_cast<unsigned long long>(length))];
}

// W at the start of block b (a random walk over blocks).
double block_start(std::uint64_t key, std::int64_t b) {
    double w = 0;
    for (std::int64_t j = 0; j < b; ++j)
        w += std::sqrt(static_cast<double>(kBlock)) * gauss(key, kBlockStream, j);
    return w;
}

// Brownian motion at minute m >= 0, in units of one minute's standard deviation.
double walk_at(std::uint64_t key, std::int64_t m) {
    std::int64_t b = m >> kBlockBits, off = m & (kBlock - 1);
    double wa = block_start(key, b);
    double wb = wa + std::sqrt(static_cast<double>(kBlock)) * gauss(key, kBlockStream, b);
    std::int64_t a = 0, e = kBlock;
    while (e - a > 1) {
        std::int64_t mid = (a + e) / 2;
        double wm = 0.5 * (wa + wb) + mid_scale(e - a) * gauss(key, kMidStream, b * kBlock + mid);
        if (off == mid) return wm;
        if (off < mid)
            e = mid, wb = wm;
        else
            a = mid, wa = wm;
    }
    return off == a ? wa : wb;
}

// Fills out[i] = W(lo + i) for lo..hi by descending only into the bridge nodes that cover the range.
void fill_bridge(std::uint64_t key, std::int64_t base, std::int64_t a, std::int64_t e, double wa, double wb,
                 std::int64_t lo, std::int64_t hi, std::vector<double>& out) {
    if (base + e < lo || base + a > hi) return;
    if (base + a >= lo) out[base + a - lo] = wa;
    if (base + e <= hi) out[base + e - lo] = wb;
    if (e - a <= 1) return;
    std::int64_t mid = (a + e) / 2;
    double wm = 0.5 * (wa + wb) + mid_scale(e - a) * gauss(key, kMidStream, base + mid);
    fill_bridge(key, base, a, mid, wa, wm, lo, hi, out);
    fill_bridge(key, base, mid, e, wm, wb, lo, hi, out);
}

void walk_range(std::uint64_t key, std::int64_t lo, std::int64_t hi, std::vector<double>& out) {
    out.assign(static_cast<size_t>(hi - lo + 1), 0.0);
    for (std::int64_t b = lo >> kBlockBits; b <= (hi >> kBlockBits); ++b) {
        double wa = block_start(key, b);
        double wb = wa + std::sqrt(static_cast<double>(kBlock)) * gauss(key, kBlockStream, b);
        fill_bridge(key, b * kBlock, 0, kBlock, wa, wb, lo, hi, out);
    }
}

std::int64_t minute_of(std::int64_t ms) {
    return (ms - kHistoryOriginMs) / kMinute;
}
std::int64_t minute_start(std::int64_t m) {
    return kHistoryOriginMs + m * kMinute;
}

// exp(0.6 g - 0.18): lognormal volume noise with mean 1, from a table (g is bounded by +-3.47).
double volume_factor(double g) {
    static const auto kTable = [] {
        std::array<double, 1025> t{};
        for (int i = 0; i <= 1024; ++i) t[i] = std::exp(0.6 * (i / 1024.0 * 7.0 - 3.5) - 0.18);
        return t;
    }();
    int i = static_cast<int>((g + 3.5) / 7.0 * 1024.0 + 0.5);
    return kTable[std::clamp(i, 0, 1024)];
}

}  // namespace

struct PriceSim::Walk {
    std::uint64_t key;
    double log_ref, sigma, anchor;
    Overrides overrides;

    // A soft bound (y / sqrt(1 + y^2), cheaper than tanh) keeps long walks within e^+-kClip of the reference.
    double log_price(double w) const {
        double y = sigma * (w - anchor) / kClip;
        return log_ref + kClip * y / std::sqrt(1.0 + y * y);
    }
    double factor(std::int64_t ms) const {
        double f = 0;
        for (auto& [from, lf] : overrides) {
            if (ms >= from) f = lf;
        }
        return f;
    }
    // Log prices at the 13 sub-points of minute m, overrides applied.
    void points(std::int64_t m, double l0, double l1, double out[kSub + 1],
                bool with_overrides = true) const {
        static const auto kBridge = [] {
            std::array<double, kSub + 1> t{};
            for (int k = 0; k <= kSub; ++k) t[k] = std::sqrt(static_cast<double>(k * (kSub - k))) / kSub;
            return t;
        }();
        for (int k = 0; k <= kSub; ++k) {
            double x = l0 + (l1 - l0) * k / kSub;
            if (k > 0 && k < kSub) x += sigma * kBridge[k] * gauss(key, kSubStream, m * 16 + k);
            if (with_overrides && !overrides.empty()) x += factor(minute_start(m) + k * (kMinute / kSub));
            out[k] = x;
        }
    }
    double basis(std::int64_t m) const { return 0.00015 * gauss(key, kBasisStream, m); }
};

PriceSim::Walk PriceSim::walk_for(const SymbolSpec& s) const {
    Walk w;
    w.key = s.stream ^ splitmix(seed_);
    w.log_ref = std::log(s.ref_price);
    w.sigma = s.annual_vol / std::sqrt(525960.0);
    w.anchor = walk_at(w.key, minute_of(kAnchorMs));
    overrides_.with([&](const auto& map) {
        if (auto it = map.find(s.symbol); it != map.end()) w.overrides = it->second;
    });
    return w;
}

double PriceSim::last_price(const SymbolSpec& s, std::int64_t ms) const {
    if (ms < kHistoryOriginMs) ms = kHistoryOriginMs;
    Walk w = walk_for(s);
    std::int64_t m = minute_of(ms);
    double pts[kSub + 1];
    // The override applies from its exact millisecond, not from the next sub-point.
    w.points(m, w.log_price(walk_at(w.key, m)), w.log_price(walk_at(w.key, m + 1)), pts, false);
    double pos = static_cast<double>(ms - minute_start(m)) / (kMinute / kSub);
    int k = std::min(kSub - 1, static_cast<int>(pos));
    return std::exp(pts[k] + (pts[k + 1] - pts[k]) * (pos - k) + w.factor(ms));
}

double PriceSim::mark_price(const SymbolSpec& s, std::int64_t ms) const {
    Walk w = walk_for(s);
    return last_price(s, ms) * std::exp(w.basis(minute_of(ms)));
}

double PriceSim::index_price(const SymbolSpec& s, std::int64_t ms) const {
    Walk w = walk_for(s);
    return mark_price(s, ms) * (1.0 - 0.0001 * gauss(w.key, kIndexStream, minute_of(ms)));
}

double PriceSim::funding_rate(const SymbolSpec& s, std::int64_t ms) const {
    Walk w = walk_for(s);
    double r = 0.0001 + 0.00015 * gauss(w.key, kFundingStream, ms / (8 * 3600000));
    return std::clamp(r, -0.003, 0.003);
}

Candle PriceSim::aggregate(const SymbolSpec& s, std::int64_t from_ms, std::int64_t to_ms,
                           std::int64_t now_ms) const {
    Candle c;
    c.open_ms = from_ms;
    c.close_ms = to_ms - 1;
    std::int64_t lo = std::max(from_ms, kHistoryOriginMs);
    std::int64_t hi = std::min(to_ms, now_ms + 1);  // exclusive; the minute holding now is partial
    if (hi <= lo) return c;
    Walk w = walk_for(s);
    std::int64_t m0 = minute_of(lo), m1 = minute_of(hi - 1);
    std::vector<double> lp;
    walk_range(w.key, m0, m1 + 1, lp);
    for (double& x : lp) x = w.log_price(x);
    double pts[kSub + 1];
    double hi_log = -1e300, lo_log = 1e300, first = 0, last = 0;
    for (std::int64_t m = m0; m <= m1; ++m) {
        double l0 = lp[m - m0], l1 = lp[m - m0 + 1];
        w.points(m, l0, l1, pts);
        int n = kSub;
        double fraction = 1.0;
        std::int64_t start = minute_start(m);
        if (now_ms < start + kMinute) {  // the open minute: only what has happened so far
            double pos = static_cast<double>(now_ms - start) / (kMinute / kSub);
            n = std::min(kSub - 1, static_cast<int>(pos));
            pts[n + 1] = std::log(last_price(s, now_ms));  // exactly what the tickers report
            ++n;
            fraction = std::max(0.02, static_cast<double>(now_ms - start) / kMinute);
        }
        if (m == m0) first = pts[0];
        last = pts[n];
        for (int k = 0; k <= n; ++k) hi_log = std::max(hi_log, pts[k]), lo_log = std::min(lo_log, pts[k]);
        // Volume grows with the size of the move, as in real markets.
        double move = std::min(3.0, std::fabs(l1 - l0) / w.sigma);
        double quote = s.daily_quote_volume / 1440.0 * volume_factor(gauss(w.key, kVolumeStream, m)) *
                       (0.6 + 0.4 * move) * fraction;
        double avg = std::exp(0.5 * (pts[0] + pts[n]));
        double taker = std::clamp(
            0.5 + 0.15 * std::tanh((l1 - l0) / w.sigma) + 0.05 * gauss(w.key, kTakerStream, m), 0.05, 0.95);
        c.quote_volume += quote;
        c.volume += quote / avg;
        c.taker_quote_volume += quote * taker;
        c.taker_volume += quote * taker / avg;
        c.trades += std::max<std::int64_t>(1, static_cast<std::int64_t>(quote / 900.0));
    }
    c.open = std::exp(first);
    c.close = std::exp(last);
    c.high = std::exp(hi_log);
    c.low = std::exp(lo_log);
    c.empty = false;
    return c;
}

PriceRange PriceSim::range(const SymbolSpec& s, std::int64_t from_ms, std::int64_t to_ms, bool mark) const {
    from_ms = std::max({from_ms, to_ms - 10 * kMinute, kHistoryOriginMs});
    Walk w = walk_for(s);
    double now_price = mark ? mark_price(s, to_ms) : last_price(s, to_ms);
    PriceRange r{now_price, now_price};
    double pts[kSub + 1];
    for (std::int64_t m = minute_of(from_ms); m <= minute_of(to_ms); ++m) {
        w.points(m, w.log_price(walk_at(w.key, m)), w.log_price(walk_at(w.key, m + 1)), pts);
        double b = mark ? w.basis(m) : 0.0;
        for (int k = 0; k <= kSub; ++k) {
            std::int64_t t = minute_start(m) + k * (kMinute / kSub);
            if (t <= from_ms || t > to_ms) continue;
            double p = std::exp(pts[k] + b);
            r.low = std::min(r.low, p);
            r.high = std::max(r.high, p);
        }
    }
    return r;
}

PriceRange PriceSim::last_range(const SymbolSpec& s, std::int64_t from_ms, std::int64_t to_ms) const {
    return range(s, from_ms, to_ms, false);
}

PriceRange PriceSim::mark_range(const SymbolSpec& s, std::int64_t from_ms, std::int64_t to_ms) const {
    return range(s, from_ms, to_ms, true);
}

void PriceSim::override_price(const SymbolSpec& s, std::int64_t from_ms, double price) {
    Walk w = walk_for(s);
    double current = last_price(s, from_ms);  // includes earlier overrides
    double lf = w.factor(from_ms) + std::log(price / current);
    overrides_.with([&](auto& map) { map[s.symbol].emplace_back(from_ms, lf); });
}

void PriceSim::clear_overrides() {
    overrides_.with([](auto& map) { map.clear(); });
}

}  // namespace tradingd::market_sim
