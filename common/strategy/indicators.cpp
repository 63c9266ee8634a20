// The indicator arithmetic. Formulas and warm-up lengths are documented in indicators.h; comments here
// only explain choices made for numerical care.
#include "strategy/indicators.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace tradingd::strategy {
namespace {

std::size_t checked(std::size_t period, const char* what) {
    if (period == 0) throw std::invalid_argument(std::string(what) + " period must be at least 1");
    return period;
}

template <typename Indicator, typename Input>
Series run(Indicator ind, std::span<const Input> inputs) {
    Series out;
    out.reserve(inputs.size());
    for (const auto& x : inputs) out.push_back(ind.update(x));
    return out;
}

}  // namespace

namespace detail {

Window::Window(std::size_t n) : values_(checked(n, "window")) {}

std::optional<double> Window::push(double x) {
    std::optional<double> evicted;
    if (full())
        evicted = values_[next_];
    else
        ++count_;
    values_[next_] = x;
    next_ = (next_ + 1) % values_.size();
    return evicted;
}

void CompensatedSum::add(double x) {
    double t = sum_ + x;
    // Neumaier: recover the low-order bits lost in t from whichever operand was smaller.
    compensation_ += std::abs(sum_) >= std::abs(x) ? (sum_ - t) + x : (x - t) + sum_;
    sum_ = t;
}

}  // namespace detail

Sma::Sma(std::size_t period) : n_(checked(period, "SMA")), window_(period) {}

std::optional<double> Sma::update(double x) {
    std::optional<double> evicted = window_.push(x);
    sum_.add(x);
    if (evicted) sum_.add(-*evicted);
    if (!window_.full()) return std::nullopt;
    return sum_.value() / static_cast<double>(n_);
}

Ema::Ema(std::size_t period)
    : alpha_(2.0 / (static_cast<double>(checked(period, "EMA")) + 1.0)), seed_(period) {}

std::optional<double> Ema::update(double x) {
    if (value_)
        value_ = *value_ + alpha_ * (x - *value_);
    else
        value_ = seed_.update(x);  // stays nullopt until the seeding SMA has n values
    return value_;
}

WilderAverage::WilderAverage(std::size_t period) : n_(checked(period, "Wilder")) {}

std::optional<double> WilderAverage::update(double x) {
    if (value_) {
        value_ = *value_ + (x - *value_) / static_cast<double>(n_);
    } else {
        // The seed is a plain sum of at most n values: too few for compensation to matter.
        seed_sum_ += x;
        if (++count_ == n_) value_ = seed_sum_ / static_cast<double>(n_);
    }
    return value_;
}

Rsi::Rsi(std::size_t period) : gain_(checked(period, "RSI")), loss_(period) {}

std::optional<double> Rsi::update(double close) {
    std::optional<double> prev = prev_close_;
    prev_close_ = close;
    if (!prev) return std::nullopt;
    double change = close - *prev;
    auto g = gain_.update(std::max(change, 0.0));
    auto l = loss_.update(std::max(-change, 0.0));
    if (!g || !l) return std::nullopt;
    if (*l == 0) return 100.0;
    return 100.0 - 100.0 / (1.0 + *g / *l);
}

Atr::Atr(std::size_t period) : tr_(checked(period, "ATR")) {}

std::optional<double> Atr::update(const Candle& c) {
    double tr = c.high - c.low;
    if (prev_close_) tr = std::max({tr, std::abs(c.high - *prev_close_), std::abs(c.low - *prev_close_)});
    prev_close_ = c.close;
    return tr_.update(tr);
}

Macd::Macd(std::size_t fast, std::size_t slow, std::size_t signal)
    : fast_(fast), slow_(slow), signal_(signal) {}

MacdPoint Macd::update(double close) {
    MacdPoint p;
    auto f = fast_.update(close);
    auto s = slow_.update(close);
    if (!f || !s) return p;
    p.line = *f - *s;
    p.signal = signal_.update(*p.line);
    if (p.signal) p.hist = *p.line - *p.signal;
    return p;
}

Bollinger::Bollinger(std::size_t period, double k)
    : n_(checked(period, "Bollinger")), k_(k), mean_(period), window_(period) {
    if (!(k >= 0) || !std::isfinite(k))
        throw std::invalid_argument("Bollinger width k must be finite and >= 0");
}

std::optional<Bands> Bollinger::update(double x) {
    run_ = (last_ && *last_ == x) ? run_ + 1 : 1;
    last_ = x;
    std::optional<double> evicted = window_.push(x);
    std::optional<double> mean = mean_.update(x);
    if (!mean) return std::nullopt;

    if (!evicted) {
        // The window has just filled: start from the exact two-pass sum of squared deviations.
        m2_ = 0;
        for (double v : window_.values()) m2_ += (v - *mean) * (v - *mean);
    } else {
        // Rolling Welford step; works on differences, so large prices with tiny moves keep their precision
        // (a raw sum of squares at 60000 would lose the moves to cancellation).
        m2_ += (x - *evicted) * (x - *mean + *evicted - prev_mean_);
    }
    prev_mean_ = *mean;
    // Rounding can leave a tiny residue, even a negative one; a flat window is exactly flat.
    if (run_ >= n_ || m2_ < 0) m2_ = 0;

    double width = k_ * std::sqrt(m2_ / static_cast<double>(n_));
    return Bands{*mean + width, *mean, *mean - width};
}

VolumeRatio::VolumeRatio(std::size_t period) : average_(checked(period, "volume ratio")) {}

std::optional<double> VolumeRatio::update(double volume) {
    auto avg = average_.update(volume);
    if (!avg || *avg <= 0) return std::nullopt;
    return volume / *avg;
}

Series sma(std::span<const double> values, std::size_t period) {
    return run(Sma(period), values);
}
Series ema(std::span<const double> values, std::size_t period) {
    return run(Ema(period), values);
}
Series wilder_average(std::span<const double> values, std::size_t period) {
    return run(WilderAverage(period), values);
}
Series rsi(std::span<const double> closes, std::size_t period) {
    return run(Rsi(period), closes);
}
Series atr(std::span<const Candle> candles, std::size_t period) {
    return run(Atr(period), candles);
}
Series volume_ratio(std::span<const double> volumes, std::size_t period) {
    return run(VolumeRatio(period), volumes);
}

MacdSeries macd(std::span<const double> closes, std::size_t fast, std::size_t slow, std::size_t signal) {
    Macd m(fast, slow, signal);
    MacdSeries out;
    for (double c : closes) {
        MacdPoint p = m.update(c);
        out.line.push_back(p.line);
        out.signal.push_back(p.signal);
        out.hist.push_back(p.hist);
    }
    return out;
}

BandsSeries bollinger(std::span<const double> values, std::size_t period, double k) {
    Bollinger b(period, k);
    BandsSeries out;
    for (double v : values) {
        auto bands = b.update(v);
        out.upper.push_back(bands ? std::optional(bands->upper) : std::nullopt);
        out.middle.push_back(bands ? std::optional(bands->middle) : std::nullopt);
        out.lower.push_back(bands ? std::optional(bands->lower) : std::nullopt);
    }
    return out;
}

std::vector<double> closes(std::span<const Candle> candles) {
    std::vector<double> out;
    out.reserve(candles.size());
    for (const auto& c : candles) out.push_back(c.close);
    return out;
}

std::vector<double> volumes(std::span<const Candle> candles) {
    std::vector<double> out;
    out.reserve(candles.size());
    for (const auto& c : candles) out.push_back(c.volume);
    return out;
}

}  // namespace tradingd::strategy
