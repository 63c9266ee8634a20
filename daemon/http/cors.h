// CORS by allowlist: only origins listed in CORS_ORIGINS get Access-Control-* headers. The decision is a
// pure function of the request so it can be tested exhaustively.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace tradingd::daemon::http {

struct CorsDecision {
    bool preflight = false;                      // an OPTIONS request with Access-Control-Request-Method
    bool allowed = false;                        // the origin is on the allowlist
    std::map<std::string, std::string> headers;  // to add to the response (always includes Vary: Origin)
};

// origin: the Origin header ("" when absent); request_method: Access-Control-Request-Method ("" when absent).
CorsDecision decide_cors(const std::vector<std::string>& allowlist, const std::string& method,
                         const std::string& origin, const std::string& request_method);

}  // namespace tradingd::daemon::http
