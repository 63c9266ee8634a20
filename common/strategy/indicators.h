// Technical indicators for the shared strategy: one small streaming class per indicator (O(1) per new
// candle) plus a batch function per indicator that drives the same class, so both give identical bits.
#pragma once

// Conventions (index i is the position in the input; "warm-up" = indices that yield nullopt / JSON null):
//
//  SMA(n)      mean of the last n values. First value at i = n-1. Kept as a rolling sum with Neumaier
//              compensation, so it does not drift over millions of updates.
//  EMA(n)      alpha = 2/(n+1). Seeded with SMA(n) of the first n values, so EMA[n-1] == SMA[n-1] exactly;
//              then EMA = prev + alpha*(x - prev) (a constant input stays exactly constant).
//  Wilder(n)   Wilder's smoothing ("RMA"): the first value is the simple mean of the first n inputs, then
//              avg = prev + (x - prev)/n, i.e. (prev*(n-1) + x)/n. First value at the n-th input.
//  RSI(n)      on closes. change_i = close_i - close_{i-1}; gain = max(change, 0), loss = max(-change, 0).
//              avg_gain, avg_loss = Wilder(n) of gains, losses. RSI = 100 - 100/(1 + avg_gain/avg_loss),
//              and RSI = 100 whenever avg_loss == 0 (also for a perfectly flat series, as TradingView's
//              ta.rsi does). The first change exists at i = 1, so the first RSI is at i = n (14 for RSI 14).
//  ATR(n)      the convention of StockCharts' worked example and TradingView's ta.atr (RMA seeded by SMA):
//              TR_0 = high_0 - low_0 (no previous close yet); TR_i = max(high-low, |high-close_{i-1}|,
//              |low-close_{i-1}|). ATR = Wilder(n) of TR, so the first ATR = mean(TR_0..TR_{n-1}) at
//              i = n-1 (13 for ATR 14). TA-Lib differs: it drops TR_0 and starts at i = n.
//  MACD(f,s,g) line = EMA(f) - EMA(s), defined once both EMAs are (i = max(f,s)-1 = 25 for 12/26/9).
//              signal = EMA(g) of the line values, seeded with the SMA of the first g line values
//              (i = 25 + 9 - 1 = 33). hist = line - signal (also from i = 33).
//  Bollinger(n,k)  middle = SMA(n) (bit-identical to the SMA above), sigma = POPULATION standard deviation
//              of the same n values (divide by n, not n-1), upper/lower = middle +- k*sigma. First at
//              i = n-1. The sum of squared deviations M2 starts exact (two-pass) when the window first
//              fills, then moves in O(1) by the rolling Welford step
//                  M2 += (x_new - x_old) * (x_new - mean_new + x_old - mean_old),
//              is clamped at 0 against rounding, and is exactly 0 when the last n values are all equal
//              (a flat market gives upper == middle == lower).
//  VolumeRatio(n)  volume_i / SMA(n) of volume, the current candle INCLUDED in the average (a volume spike
//              lifts its own baseline a little; with n = 20 the ratio can reach at most 20). First at
//              i = n-1. nullopt when the average is 0 (no trades in the window: the ratio is undefined).
//
// Inputs must be finite (parse_klines guarantees it). Periods must be >= 1 (std::invalid_argument).
// Default periods (RSI 14, ATR 14, MACD 12/26/9, Bollinger 20/2, volume 20) are what the strategy uses.

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "strategy/candle.h"

namespace tradingd::strategy {

// One optional value per input, aligned with it; nullopt during warm-up.
using Series = std::vector<std::optional<double>>;

namespace detail {

// Fixed-size ring buffer: push returns the value that falls out once the window is full.
class Window {
  public:
    explicit Window(std::size_t n);
    std::optional<double> push(double x);
    bool full() const { return count_ == values_.size(); }
    const std::vector<double>& values() const { return values_; }

  private:
    std::vector<double> values_;
    std::size_t next_ = 0;
    std::size_t count_ = 0;
};

// Neumaier-compensated running sum: adding and removing values for years does not accumulate error.
class CompensatedSum {
  public:
    void add(double x);
    double value() const { return sum_ + compensation_; }

  private:
    double sum_ = 0;
    double compensation_ = 0;
};

}  // namespace detail

class Sma {
  public:
    explicit Sma(std::size_t period);
    std::optional<double> update(double x);

  private:
    std::size_t n_;
    detail::Window window_;
    detail::CompensatedSum sum_;
};

class Ema {
  public:
    explicit Ema(std::size_t period);
    std::optional<double> update(double x);

  private:
    double alpha_;
    Sma seed_;  // only used until the first value
    std::optional<double> value_;
};

// Wilder's smoothing, the average behind RSI and ATR.
class WilderAverage {
  public:
    explicit WilderAverage(std::size_t period);
    std::optional<double> update(double x);

  private:
    std::size_t n_;
    std::size_t count_ = 0;
    double seed_sum_ = 0;
    std::optional<double> value_;
};

class Rsi {
  public:
    explicit Rsi(std::size_t period = 14);
    std::optional<double> update(double close);

  private:
    WilderAverage gain_, loss_;
    std::optional<double> prev_close_;
};

class Atr {
  public:
    explicit Atr(std::size_t period = 14);
    std::optional<double> update(const Candle& c);

  private:
    WilderAverage tr_;
    std::optional<double> prev_close_;
};

// The line exists before the signal does, so each part is optional on its own.
struct MacdPoint {
    std::optional<double> line, signal, hist;
};

class Macd {
  public:
    explicit Macd(std::size_t fast = 12, std::size_t slow = 26, std::size_t signal = 9);
    MacdPoint update(double close);

  private:
    Ema fast_, slow_, signal_;
};

struct Bands {
    double upper, middle, lower;
};

class Bollinger {
  public:
    explicit Bollinger(std::size_t period = 20, double k = 2.0);
    std::optional<Bands> update(double x);

  private:
    std::size_t n_;
    double k_;
    Sma mean_;
    detail::Window window_;
    double m2_ = 0;  // sum of squared deviations from the mean over the window
    double prev_mean_ = 0;
    std::optional<double> last_;
    std::size_t run_ = 0;  // how many of the latest values are equal to last_
};

class VolumeRatio {
  public:
    explicit VolumeRatio(std::size_t period = 20);
    std::optional<double> update(double volume);

  private:
    Sma average_;
};

// Batch forms: each runs the streaming class above over the input, so the values are bit-identical.
Series sma(std::span<const double> values, std::size_t period);
Series ema(std::span<const double> values, std::size_t period);
Series wilder_average(std::span<const double> values, std::size_t period);
Series rsi(std::span<const double> closes, std::size_t period = 14);
Series atr(std::span<const Candle> candles, std::size_t period = 14);
Series volume_ratio(std::span<const double> volumes, std::size_t period = 20);

struct MacdSeries {
    Series line, signal, hist;
};
MacdSeries macd(std::span<const double> closes, std::size_t fast = 12, std::size_t slow = 26,
                std::size_t signal = 9);

struct BandsSeries {
    Series upper, middle, lower;
};
BandsSeries bollinger(std::span<const double> values, std::size_t period = 20, double k = 2.0);

// Column helpers for the batch forms.
std::vector<double> closes(std::span<const Candle> candles);
std::vector<double> volumes(std::span<const Candle> candles);

}  // namespace tradingd::strategy
