// The route groups, one file each: health, auth, agent (own data only), admin.
#pragma once

#include <vector>

#include "http/api.h"

namespace tradingd::daemon::http {

class AuthService;

std::vector<Route> health_routes();
std::vector<Route> auth_routes(AuthService& auth);
std::vector<Route> agent_routes();
std::vector<Route> bot_routes();
std::vector<Route> admin_routes();
std::vector<Route> public_routes();
std::vector<Route> signal_routes();

// Every route, sorted by pattern then method: what HttpServer serves and the access tests enumerate.
std::vector<Route> build_routes(AuthService& auth);

}  // namespace tradingd::daemon::http
