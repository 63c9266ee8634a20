// Password hashing for user accounts: Argon2id (RFC 9106) through libargon2, stored as a PHC string.
//
// Defaults are OWASP's current minimum for Argon2id: "a minimum configuration of 19 MiB of memory, an
// iteration count of 2, and 1 degree of parallelism" (Password Storage Cheat Sheet,
// cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html). Salt 16 bytes (RFC 9106 §4:
// 128 bits suffices for all applications), hash 32 bytes. Tests use a PasswordHasher with small parameters of
// their own; the defaults stay untouched.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tradingd::crypto {

struct Argon2Params {
    std::uint32_t memory_kib = 19456;
    std::uint32_t iterations = 2;
    std::uint32_t parallelism = 1;

    friend bool operator==(const Argon2Params&, const Argon2Params&) = default;
};

inline constexpr Argon2Params kOwaspArgon2idMinimum{};
inline constexpr std::size_t kPasswordSaltBytes = 16;
inline constexpr std::size_t kPasswordHashBytes = 32;
// Hashing cost does not grow with length here, but the request body and the copy do; a cap keeps a login
// request from being a cheap way to make the server work.
inline constexpr std::size_t kMaxPasswordBytes = 1024;

enum class PasswordProblem { none, empty, too_long };
// What registration reports to the user before hashing. Strength rules (length minimum, breached lists) are
// policy and belong to the caller.
PasswordProblem check_password(std::string_view password);

// The parameters recorded in an Argon2id PHC string, or nullopt if it is not one this code would accept
// (wrong variant, version other than 19, malformed, or cost beyond sanity limits).
std::optional<Argon2Params> parse_argon2id_phc(std::string_view phc);

class PasswordHasher {
  public:
    // Throws std::invalid_argument for parameters libargon2 rejects (e.g. memory below 8 KiB per lane).
    // Computes one hash up front for dummy_verify(), so construction costs one hash.
    explicit PasswordHasher(Argon2Params params = kOwaspArgon2idMinimum);

    // "$argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>" with a fresh random salt; nullopt if check_password()
    // objects. Throws CryptoError if libargon2 fails (out of memory).
    std::optional<std::string> hash(std::string_view password) const;
    // true only for the right password; false for a wrong one, an unacceptable password, or a malformed or
    // tampered hash. The final comparison inside libargon2 is constant-time.
    bool verify(std::string_view password, std::string_view phc) const;
    // Login for an unknown email: does the same work as verify() against a hash with this hasher's
    // parameters, so the response time does not reveal whether the account exists. Always false.
    bool dummy_verify(std::string_view password) const;
    // true if `phc` was made with a different variant or version, or with any cost parameter below this
    // hasher's: rehash it with hash() after the next successful login.
    bool needs_rehash(std::string_view phc) const;

    const Argon2Params& params() const { return params_; }
    // The hash dummy_verify() checks against (exposed so tests can prove its parameters match).
    const std::string& dummy_hash() const { return dummy_hash_; }

  private:
    Argon2Params params_;
    std::string dummy_hash_;
};

}  // namespace tradingd::crypto
