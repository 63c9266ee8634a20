// The route handlers, one file per area (health, auth, agent, admin); all_routes() gathers their tables.
#pragma once

#include <vector>

#include "http/api.h"

namespace tradingd::daemon::http {

std::vector<Route> health_routes();
std::vector<Route> all_routes();

}  // namespace tradingd::daemon::http
