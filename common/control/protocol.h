// The control protocol: newline-delimited JSON over a Unix socket, shared by tradingd, tradingctl and
// workers.
//   request  {"id":7,"command":"status","args":{...}}
//   reply    {"id":7,"ok":true,"result":{...}} | {"id":7,"ok":false,"error":{"code":"...","message":"..."}}
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace tradingd::control {

// Fixed result codes; scripts match on these words, so never rename one.
enum class ErrorCode {
    parse_error,  // the line is not JSON
    bad_request,  // JSON, but not a request object
    unknown_command,
    invalid_args,  // missing or wrongly typed argument
    not_found,
    conflict,   // the request contradicts the current state
    too_large,  // request line over control.max_line_bytes
    timeout,    // no complete request within control.idle_timeout_ms
    busy,       // too many clients
    permission_denied,
    unavailable,     // a dependency (database, exchange) is down
    invalid_config,  // a configuration file or variable is wrong
    internal,
};
std::string_view code_name(ErrorCode code);
std::optional<ErrorCode> code_from_name(std::string_view name);

struct Request {
    nlohmann::json id;  // echoed back; null when the client gave none
    std::string command;
    nlohmann::json args = nlohmann::json::object();
};

struct Reply {
    nlohmann::json id;
    bool ok = false;
    nlohmann::json result;   // when ok
    std::string error_code;  // when !ok
    std::string error_message;

    static Reply success(nlohmann::json id, nlohmann::json result);
    static Reply failure(nlohmann::json id, ErrorCode code, std::string message);
};

// One line, without the trailing newline. Serialising never throws: invalid UTF-8 is replaced.
std::string encode(const Request& request);
std::string encode(const Reply& reply);

// Parse a request line; on failure returns the error reply to send instead.
struct ParsedRequest {
    std::optional<Request> request;
    std::optional<Reply> error;
};
ParsedRequest parse_request(std::string_view line);
// Parse a reply line; throws std::runtime_error when it is not a well-formed reply.
Reply parse_reply(std::string_view line);

}  // namespace tradingd::control
