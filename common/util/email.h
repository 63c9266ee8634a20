// A plausibility check for email addresses: enough to catch typos and injection, not RFC 5322.
#pragma once

#include <string_view>

namespace tradingd {

inline bool plausible_email(std::string_view email) {
    const auto at = email.find('@');
    return email.size() <= 254 && at != std::string_view::npos && at > 0 &&
           email.find('@', at + 1) == email.npos && email.find('.', at) != std::string_view::npos &&
           email.back() != '.' && email.find_first_of(" \t\r\n<>\"'(),;:\\[]") == std::string_view::npos;
}

}  // namespace tradingd
