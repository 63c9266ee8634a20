// GET /api/public/backtest: what the landing page shows, with no sign-in: the published backtest run's
// summary, monthly returns, equity curve (cut to 200 points) and top 10 trades, all from the store, never
// from constants. 404 until a run is published (the sample run is published at first start).
#include <nlohmann/json.hpp>

#include "backtest/run_store.h"
#include "daemon_context.h"
#include "http/handlers.h"

namespace tradingd::daemon::http {
namespace {

ApiReply published_backtest(const ApiRequest&, DaemonContext& ctx) {
    auto view =
        ctx.with_store([](store::Repository& repo) { return backtest::public_view(repo.connection()); });
    if (!view) return ApiReply::error(404, "not_found", "no backtest run is published yet");
    return ApiReply::ok(std::move(*view));
}

}  // namespace

std::vector<Route> public_routes() {
    return {{"GET", "/api/public/backtest", Access::open, "the published backtest run (landing page)",
             published_backtest}};
}

}  // namespace tradingd::daemon::http
