// Encoding and strict parsing of control-protocol lines.
#include "control/protocol.h"

#include <array>
#include <stdexcept>

namespace tradingd::control {
namespace {

constexpr std::array<std::string_view, 13> kCodeNames = {
    "parse_error", "bad_request",    "unknown_command", "invalid_args", "not_found",
    "conflict",    "too_large",      "timeout",         "busy",         "permission_denied",
    "unavailable", "invalid_config", "internal",
};

std::string dump(const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string_view code_name(ErrorCode code) {
    return kCodeNames[static_cast<std::size_t>(code)];
}

std::optional<ErrorCode> code_from_name(std::string_view name) {
    for (std::size_t i = 0; i < kCodeNames.size(); ++i)
        if (kCodeNames[i] == name) return static_cast<ErrorCode>(i);
    return std::nullopt;
}

Reply Reply::success(nlohmann::json id, nlohmann::json result) {
    Reply r;
    r.id = std::move(id);
    r.ok = true;
    r.result = std::move(result);
    return r;
}

Reply Reply::failure(nlohmann::json id, ErrorCode code, std::string message) {
    Reply r;
    r.id = std::move(id);
    r.error_code = std::string(code_name(code));
    r.error_message = std::move(message);
    return r;
}

std::string encode(const Request& request) {
    return dump({{"id", request.id}, {"command", request.command}, {"args", request.args}});
}

std::string encode(const Reply& reply) {
    nlohmann::json j = {{"id", reply.id}, {"ok", reply.ok}};
    if (reply.ok)
        j["result"] = reply.result;
    else
        j["error"] = {{"code", reply.error_code}, {"message", reply.error_message}};
    return dump(j);
}

ParsedRequest parse_request(std::string_view line) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded())
        return {std::nullopt, Reply::failure(nullptr, ErrorCode::parse_error, "request is not valid JSON")};
    if (!j.is_object())
        return {std::nullopt,
                Reply::failure(nullptr, ErrorCode::bad_request, "request must be a JSON object")};
    nlohmann::json id = j.contains("id") ? j["id"] : nlohmann::json(nullptr);
    if (!(id.is_null() || id.is_number_integer() || id.is_string()))
        return {std::nullopt,
                Reply::failure(nullptr, ErrorCode::bad_request, "'id' must be an integer or a string")};
    if (!j.contains("command") || !j["command"].is_string())
        return {std::nullopt, Reply::failure(id, ErrorCode::bad_request, "'command' must be a string")};
    Request r{id, j["command"].get<std::string>(), nlohmann::json::object()};
    if (j.contains("args") && !j["args"].is_null()) {
        if (!j["args"].is_object())
            return {std::nullopt, Reply::failure(id, ErrorCode::bad_request, "'args' must be a JSON object")};
        r.args = j["args"];
    }
    return {std::move(r), std::nullopt};
}

Reply parse_reply(std::string_view line) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("ok") || !j["ok"].is_boolean())
        throw std::runtime_error("malformed reply from the daemon");
    Reply r;
    r.id = j.value("id", nlohmann::json(nullptr));
    r.ok = j["ok"].get<bool>();
    if (r.ok) {
        r.result = j.value("result", nlohmann::json(nullptr));
    } else {
        const auto& e = j.value("error", nlohmann::json::object());
        r.error_code = e.value("code", "internal");
        r.error_message = e.value("message", "");
    }
    return r;
}

}  // namespace tradingd::control
