// The CORS allowlist decision. Exact, case-sensitive origin match: "https://app.example.com" does not admit
// "https://app.example.com.evil.io" or "http://app.example.com".
#include "http/cors.h"

#include <algorithm>

namespace tradingd::daemon::http {

CorsDecision decide_cors(const std::vector<std::string>& allowlist, const std::string& method,
                         const std::string& origin, const std::string& request_method) {
    CorsDecision d;
    d.headers["Vary"] = "Origin";
    d.preflight = method == "OPTIONS" && !request_method.empty();
    if (origin.empty()) return d;
    d.allowed = std::find(allowlist.begin(), allowlist.end(), origin) != allowlist.end();
    if (!d.allowed) return d;
    d.headers["Access-Control-Allow-Origin"] = origin;
    d.headers["Access-Control-Allow-Credentials"] = "true";
    if (d.preflight) {
        d.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
        d.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type";
        d.headers["Access-Control-Max-Age"] = "600";
    }
    return d;
}

}  // namespace tradingd::daemon::http
