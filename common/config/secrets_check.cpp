// What the daemon demands of its secrets before it starts: no missing, guessable or placeholder keys.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>

#include "config/config.h"

namespace tradingd::config {
namespace {

// Values seen in example files and tutorials; a deployment using one of them is as good as keyless.
const char* const kPlaceholders[] = {
    "change-me",  "changeme",        "change_me",  "dev",        "development",    "secret",
    "secret-key", "your-secret-key", "jwt-secret", "jwt_secret", "jwt_secret_key", "test",
    "password",   "example",         "replace-me", "xxx",
};

bool is_hex(const std::string& s) {
    return !s.empty() && s.size() % 2 == 0 &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isxdigit(c); });
}

// Bits of entropy the text can hold at most: its length times the Shannon entropy of its characters. A
// long run of one character, or a word repeated, scores far below a random key of the same length.
double entropy_bits(const std::string& s) {
    if (s.empty()) return 0;
    std::map<char, int> counts;
    for (char c : s) ++counts[c];
    double per_char = 0;
    for (const auto& [c, n] : counts) {
        double p = static_cast<double>(n) / static_cast<double>(s.size());
        per_char -= p * std::log2(p);
    }
    return per_char * static_cast<double>(s.size());
}

std::size_t distinct_chars(const std::string& s) {
    std::map<char, int> seen;
    for (char c : s) seen[c] = 1;
    return seen.size();
}

}  // namespace

std::optional<Secrets::DataKey> parse_data_key(const std::string& text, std::string& problem) {
    auto colon = text.find(':');
    Secrets::DataKey key;
    if (colon == std::string::npos) {
        problem = "expected ID:HEX (e.g. 1:<64 hex digits>)";
        return std::nullopt;
    }
    auto [end, ec] = std::from_chars(text.data(), text.data() + colon, key.id);
    if (ec != std::errc() || end != text.data() + colon || key.id == 0) {
        problem = "the key id before ':' must be a positive integer";
        return std::nullopt;
    }
    key.hex = text.substr(colon + 1);
    if (!is_hex(key.hex) || key.hex.size() != 64) {
        problem = "the key after ':' must be 64 hex digits (32 bytes)";
        return std::nullopt;
    }
    return key;
}

std::vector<std::string> check_daemon_secrets(const Secrets& s) {
    std::vector<std::string> problems;
    const std::string fix = " (generate one with `tradingctl secrets generate`, or `openssl rand -hex 64`)";
    std::string lowered;
    for (char c : s.jwt_secret_key) lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (s.jwt_secret_key.empty()) {
        problems.push_back("JWT_SECRET_KEY: not set" + fix);
    } else if (std::find(std::begin(kPlaceholders), std::end(kPlaceholders), lowered) !=
               std::end(kPlaceholders)) {
        problems.push_back("JWT_SECRET_KEY: is a well-known placeholder, anyone could forge logins" + fix);
    } else if (s.jwt_secret_key.size() < 32 || entropy_bits(s.jwt_secret_key) < 200 ||
               distinct_chars(s.jwt_secret_key) < 10 ||
               (is_hex(s.jwt_secret_key) && s.jwt_secret_key.size() < 64)) {
        problems.push_back("JWT_SECRET_KEY: too short or too regular to hold 32 bytes of entropy" + fix);
    }
    if (!s.data_key)
        problems.push_back(
            "TRADINGD_DATA_KEY: not set; it encrypts the agents' exchange API keys (generate one "
            "with `tradingctl secrets generate`, or write 1: followed by `openssl rand -hex 32`)");
    if (!s.session_key.empty() && (!is_hex(s.session_key) || s.session_key.size() < 64))
        problems.push_back("TRADINGD_SESSION_KEY: must be at least 64 hex digits (32 bytes)" + fix);
    if (s.data_key && s.previous_data_key && s.data_key->id == s.previous_data_key->id)
        problems.push_back("TRADINGD_DATA_KEY_PREVIOUS: has the same key id as TRADINGD_DATA_KEY");
    return problems;
}

}  // namespace tradingd::config
