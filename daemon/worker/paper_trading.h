// The paper broker as a worker's exchange: restored from the daemon's snapshot, and saved back through the
// journal (save_paper_state, committed before the call returns) after every call that changed the account,
// so a worker killed at any instant restarts with the account the bot last saw.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>

#include "exchange/market_data.h"
#include "exchange/trading.h"
#include "worker/worker_link.h"

namespace tradingd::worker {

std::unique_ptr<exchange::Trading> make_paper_trading(const nlohmann::json& init,
                                                      exchange::MarketData& market, WorkerLink& link);

}  // namespace tradingd::worker
