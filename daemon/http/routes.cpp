// The REST route table: every endpoint, its access rule and handler, in one sorted list.
#include <algorithm>

#include "http/api.h"
#include "http/handlers.h"

namespace tradingd::daemon::http {

bool match_route(std::string_view pattern, std::string_view path, std::map<std::string, std::string>& params) {
    auto next = [](std::string_view& s) {
        auto slash = s.find('/', 1);
        auto seg = s.substr(0, slash);
        s = slash == std::string_view::npos ? std::string_view() : s.substr(slash);
        return seg;
    };
    while (!pattern.empty() && !path.empty()) {
        auto p = next(pattern);
        auto q = next(path);
        if (p.size() > 3 && p[1] == '{' && p.back() == '}') {
            if (q.size() < 2) return false;
            params[std::string(p.substr(2, p.size() - 3))] = std::string(q.substr(1));
        } else if (p != q) {
            return false;
        }
    }
    return pattern.empty() && path.empty();
}

std::span<const Route> routes() {
    static const std::vector<Route> table = [] {
        std::vector<Route> t = all_routes();
        std::sort(t.begin(), t.end(), [](const Route& a, const Route& b) {
            return a.pattern != b.pattern ? a.pattern < b.pattern : a.method < b.method;
        });
        return t;
    }();
    return table;
}

}  // namespace tradingd::daemon::http
