// The REST API's own request/reply types and route table, independent of the HTTP library, so handlers
// stay small and the route list can be enumerated (help, tests proving every route's access rule).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace tradingd::daemon {
class DaemonContext;
}

namespace tradingd::daemon::http {

// Who may call a route. The agent id of an agent route comes from the verified token, never the request.
enum class Access { open, agent, admin };

struct Principal {
    std::int64_t user_id = 0;
    std::string email;
    std::string role;                      // admin | agent
    std::optional<std::int64_t> agent_id;  // set for agents
};

struct ApiRequest {
    std::string method;
    std::string path;
    std::map<std::string, std::string> params;  // from the route pattern, e.g. {id}
    std::map<std::string, std::string> query;
    std::function<std::string(const std::string&)> header;  // case-insensitive lookup, "" when absent
    nlohmann::json body;                                    // parsed JSON object, or null for GET/DELETE
    std::string client_ip;                                  // X-Forwarded-For only from a trusted proxy
    std::optional<Principal> principal;                     // set for agent/admin routes
};

struct ApiReply {
    int status = 200;
    nlohmann::json body;
    std::map<std::string, std::string> headers;

    static ApiReply ok(nlohmann::json b) { return {200, std::move(b), {}}; }
    static ApiReply created(nlohmann::json b) { return {201, std::move(b), {}}; }
    // The one error shape: {"error":{"code":"...","message":"..."}}
    static ApiReply error(int status, std::string_view code, std::string_view message);
};

using RouteHandler = std::function<ApiReply(const ApiRequest&, DaemonContext&)>;

struct Route {
    std::string_view method;   // GET, POST, PUT, PATCH, DELETE
    std::string_view pattern;  // "/api/agent/notifications/{id}/read"
    Access access;
    std::string_view summary;
    RouteHandler handler;
};

// Reads typed fields of a JSON request body, keeping the first problem for a 400 reply.
class Fields {
  public:
    explicit Fields(const nlohmann::json& body) : body_(body) {}
    std::string str(const char* name, std::size_t max_bytes = 1024);  // required, non-empty
    std::optional<std::string> opt_str(const char* name, std::size_t max_bytes = 1024);
    bool ok() const { return problem_.empty(); }
    ApiReply error() const;

  private:
    const nlohmann::json& body_;
    std::string problem_;
};

// Parses a positive integer path parameter or query value; nullopt when it is not one.
std::optional<std::int64_t> to_id(const std::string& text);

// Matches `path` against `pattern`, filling `params`; segments in braces match one non-empty segment.
bool match_route(std::string_view pattern, std::string_view path, std::map<std::string, std::string>& params);

}  // namespace tradingd::daemon::http
