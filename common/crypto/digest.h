// SHA-256 for fingerprints of non-secret-bearing data: migration texts, refresh-token lookups.
#pragma once

#include <string>
#include <string_view>

namespace tradingd::crypto {

// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace tradingd::crypto
