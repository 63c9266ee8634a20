// Load-time checks of the exchange.* and paper.* settings, so `tradingd --check-config` catches a bad URL or
// fee before a paper account or market source is built from them.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"

namespace tradingd::config {

// Appends one problem per bad value ("paper.taker_fee_rate: '5%' is not ...").
void validate_exchange_settings(const Settings& s, std::vector<std::string>& problems);

}  // namespace tradingd::config
