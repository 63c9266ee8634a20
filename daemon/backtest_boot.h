// At start, when no backtest run is published and backtest.publish_sample is on (the default), runs the
// sample backtest (backtest/sample.h: the simulated market, fixed seed and period) on a background thread
// and publishes it, so a fresh install's landing page shows figures from this exact code. The store is
// held only to check and to save; the replay itself runs outside it.
#pragma once

#include <atomic>
#include <thread>

namespace tradingd::daemon {

class DaemonContext;

class SampleBacktest {
  public:
    explicit SampleBacktest(DaemonContext& ctx) : ctx_(ctx) {}
    ~SampleBacktest();  // cancels a sample still running and waits for its thread
    SampleBacktest(const SampleBacktest&) = delete;
    SampleBacktest& operator=(const SampleBacktest&) = delete;

    void start();
    bool done() const { return done_.load(); }

  private:
    void run();

    DaemonContext& ctx_;
    std::thread thread_;
    std::atomic<bool> done_{false};
    std::atomic<bool> cancel_{false};
};

}  // namespace tradingd::daemon
