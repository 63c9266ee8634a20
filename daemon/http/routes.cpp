// The REST route table and the small helpers every handler shares: path matching and body fields.
#include <algorithm>
#include <charconv>

#include "http/api.h"
#include "http/handlers.h"

namespace tradingd::daemon::http {

bool match_route(std::string_view pattern, std::string_view path,
                 std::map<std::string, std::string>& params) {
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

std::string Fields::str(const char* name, std::size_t max_bytes) {
    auto v = opt_str(name, max_bytes);
    if (!v && problem_.empty()) problem_ = std::string("'") + name + "' is required";
    return v.value_or("");
}

std::optional<std::string> Fields::opt_str(const char* name, std::size_t max_bytes) {
    if (!problem_.empty() || !body_.is_object() || !body_.contains(name) || body_[name].is_null())
        return std::nullopt;
    if (!body_[name].is_string()) {
        problem_ = std::string("'") + name + "' must be a string";
        return std::nullopt;
    }
    auto s = body_[name].get<std::string>();
    if (s.size() > max_bytes) {
        problem_ = std::string("'") + name + "' is longer than " + std::to_string(max_bytes) + " bytes";
        return std::nullopt;
    }
    return s;
}

ApiReply Fields::error() const {
    return ApiReply::error(400, "invalid_field", problem_);
}

std::optional<std::int64_t> to_id(const std::string& text) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v <= 0) return std::nullopt;
    return v;
}

std::vector<Route> build_routes(AuthService& auth) {
    std::vector<Route> all;
    for (auto&& group : {health_routes(), auth_routes(auth), agent_routes(), bot_routes(), admin_routes(),
                         public_routes(), signal_routes()})
        for (auto& r : group) all.push_back(r);
    std::sort(all.begin(), all.end(), [](const Route& a, const Route& b) {
        return a.pattern != b.pattern ? a.pattern < b.pattern : a.method < b.method;
    });
    return all;
}

}  // namespace tradingd::daemon::http
