// Argon2id password hashing, verification and rehash decisions on PHC strings, via libargon2.
#include "crypto/password.h"

#include <argon2.h>

#include <charconv>
#include <cstring>
#include <stdexcept>

#include "crypto/bytes.h"
#include "crypto/random.h"

namespace tradingd::crypto {

namespace {

// Ceilings on what a stored hash may ask for: a tampered or corrupt row must not be able to make one login
// allocate gigabytes or spin for minutes. Far above any sane configuration.
constexpr std::uint32_t kMaxMemoryKib = 2u * 1024 * 1024;  // 2 GiB
constexpr std::uint32_t kMaxIterations = 256;
constexpr std::uint32_t kMaxParallelism = 64;

bool params_in_range(const Argon2Params& p) {
    return p.iterations >= ARGON2_MIN_TIME && p.iterations <= kMaxIterations && p.parallelism >= 1 &&
           p.parallelism <= kMaxParallelism && p.memory_kib >= 8 * p.parallelism &&
           p.memory_kib <= kMaxMemoryKib;
}

// Reads "<name>=<decimal>" at the front of `text` and advances past it.
bool read_param(std::string_view& text, std::string_view name, std::uint32_t& value) {
    if (!text.starts_with(name) || text.size() <= name.size() || text[name.size()] != '=') return false;
    text.remove_prefix(name.size() + 1);
    // No leading zeros or signs: one spelling per value, as the PHC format specifies.
    if (text.empty() || (text[0] == '0' && text.size() > 1 && text[1] >= '0' && text[1] <= '9')) return false;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{}) return false;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    return true;
}

// Unpadded standard base64, as libargon2 writes salt and hash; only the alphabet is checked here, libargon2
// decodes it.
bool is_b64_field(std::string_view field, std::size_t min_bytes) {
    if (field.size() < (min_bytes * 4 + 2) / 3) return false;
    for (char c : field) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                        c == '+' || c == '/';
        if (!ok) return false;
    }
    return true;
}

}  // namespace

PasswordProblem check_password(std::string_view password) {
    if (password.empty()) return PasswordProblem::empty;
    if (password.size() > kMaxPasswordBytes) return PasswordProblem::too_long;
    return PasswordProblem::none;
}

std::optional<Argon2Params> parse_argon2id_phc(std::string_view phc) {
    constexpr std::string_view kPrefix = "$argon2id$v=19$";
    if (!phc.starts_with(kPrefix)) return std::nullopt;
    std::string_view rest = phc.substr(kPrefix.size());
    Argon2Params p;
    if (!read_param(rest, "m", p.memory_kib) || !rest.starts_with(',')) return std::nullopt;
    rest.remove_prefix(1);
    if (!read_param(rest, "t", p.iterations) || !rest.starts_with(',')) return std::nullopt;
    rest.remove_prefix(1);
    if (!read_param(rest, "p", p.parallelism) || !rest.starts_with('$')) return std::nullopt;
    rest.remove_prefix(1);
    const auto dollar = rest.find('$');
    if (dollar == std::string_view::npos) return std::nullopt;
    // libargon2 itself accepts 8-byte salts and 4-byte hashes; this code never writes less than 16 and 32.
    if (!is_b64_field(rest.substr(0, dollar), kPasswordSaltBytes) ||
        !is_b64_field(rest.substr(dollar + 1), kPasswordHashBytes)) {
        return std::nullopt;
    }
    if (!params_in_range(p)) return std::nullopt;
    return p;
}

PasswordHasher::PasswordHasher(Argon2Params params) : params_(params) {
    if (!params_in_range(params_)) throw std::invalid_argument("Argon2id parameters out of range");
    // Any password will do: nobody can log in with the dummy hash because dummy_verify() ignores the result.
    dummy_hash_ = *hash(random_hex(16));
}

std::optional<std::string> PasswordHasher::hash(std::string_view password) const {
    if (check_password(password) != PasswordProblem::none) return std::nullopt;
    const Bytes salt = random_bytes(kPasswordSaltBytes);
    std::string encoded(
        argon2_encodedlen(params_.iterations, params_.memory_kib, params_.parallelism,
                          static_cast<std::uint32_t>(salt.size()), kPasswordHashBytes, Argon2_id),
        '\0');
    const int rc = argon2id_hash_encoded(params_.iterations, params_.memory_kib, params_.parallelism,
                                         password.data(), password.size(), salt.data(), salt.size(),
                                         kPasswordHashBytes, encoded.data(), encoded.size());
    if (rc != ARGON2_OK) throw CryptoError(std::string("argon2id_hash_encoded: ") + argon2_error_message(rc));
    encoded.resize(std::strlen(encoded.c_str()));
    return encoded;
}

bool PasswordHasher::verify(std::string_view password, std::string_view phc) const {
    if (check_password(password) != PasswordProblem::none) return false;
    if (!parse_argon2id_phc(phc)) return false;
    const std::string encoded(phc);  // libargon2 wants it NUL-terminated
    const int rc = argon2id_verify(encoded.c_str(), password.data(), password.size());
    if (rc == ARGON2_OK) return true;
    if (rc == ARGON2_MEMORY_ALLOCATION_ERROR) throw CryptoError("argon2id_verify: out of memory");
    return false;  // ARGON2_VERIFY_MISMATCH, or a hash libargon2 could not decode
}

bool PasswordHasher::dummy_verify(std::string_view password) const {
    // The same code path as a real login, result discarded; an empty or overlong password returns early here
    // exactly as it does in verify() for a real account.
    [[maybe_unused]] const bool ignored = verify(password, dummy_hash_);
    return false;
}

bool PasswordHasher::needs_rehash(std::string_view phc) const {
    const auto p = parse_argon2id_phc(phc);
    if (!p) return true;
    return p->memory_kib < params_.memory_kib || p->iterations < params_.iterations ||
           p->parallelism < params_.parallelism;
}

}  // namespace tradingd::crypto
