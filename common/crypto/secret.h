// Buffers for key material and API secrets: wiped on destruction and move, never copied by accident, never
// printable. Logs and API responses get mask(), never the contents.
#pragma once

#include <openssl/crypto.h>

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "crypto/bytes.h"

namespace tradingd::crypto {

// Zeroes a std::string's whole capacity (so the inline buffer of a short string too) and empties it: for
// plaintext that had to pass through an ordinary string, such as a JSON request body field.
inline void wipe_string(std::string& s) noexcept {
    s.resize(s.capacity());
    if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
    s.clear();
}

template <class Char>
class SecretBuffer {
    static_assert(std::is_same_v<Char, char> || std::is_same_v<Char, std::uint8_t>);

  public:
    // The natural view: std::string_view for SecretString, ByteView for SecretBytes.
    using View = std::conditional_t<std::is_same_v<Char, char>, std::string_view, ByteView>;

    SecretBuffer() = default;
    // Copies `source`; wiping the caller's own copy is the caller's job (or use take()).
    explicit SecretBuffer(View source) : data_(source.begin(), source.end()) {}
    // Takes the buffer without copying it: a vector's move never leaves the bytes behind.
    explicit SecretBuffer(std::vector<Char>&& source) noexcept : data_(std::move(source)) { source.clear(); }

    // Copying a secret must be a visible decision at the call site: clone().
    SecretBuffer(const SecretBuffer&) = delete;
    SecretBuffer& operator=(const SecretBuffer&) = delete;
    SecretBuffer(SecretBuffer&& other) noexcept : data_(std::move(other.data_)) { other.data_.clear(); }
    SecretBuffer& operator=(SecretBuffer&& other) noexcept {
        if (this != &other) {
            wipe();
            data_ = std::move(other.data_);
            other.data_.clear();
        }
        return *this;
    }
    ~SecretBuffer() { wipe(); }

    // Takes a std::string's contents and wipes the string, including a short string's inline buffer, which a
    // plain move would leave behind.
    static SecretBuffer take(std::string& source) {
        SecretBuffer out(View(reinterpret_cast<const Char*>(source.data()), source.size()));
        wipe_string(source);
        return out;
    }

    // `n` zero bytes to be filled in place through mutable_data(), e.g. by a decryption, so plaintext is
    // never held anywhere that is not wiped.
    static SecretBuffer zeroed(std::size_t n) { return SecretBuffer(std::vector<Char>(n)); }

    SecretBuffer clone() const { return SecretBuffer(view()); }

    View view() const { return View(data_.data(), data_.size()); }
    ByteView bytes() const { return {reinterpret_cast<const std::uint8_t*>(data_.data()), data_.size()}; }
    const Char* data() const { return data_.data(); }
    Char* mutable_data() { return data_.data(); }
    std::size_t size() const { return data_.size(); }
    bool empty() const { return data_.empty(); }

    // For logs and API responses. Text: "abcd…wxyz" (first and last four, as the exchange shows a key), or
    // "****" under 12 characters, where eight shown would be most of it. Raw key bytes have no public prefix:
    // only the size.
    std::string mask() const {
        if constexpr (std::is_same_v<Char, char>) {
            if (data_.size() < 12) return "****";
            return std::string(data_.data(), 4) + "\xE2\x80\xA6" +
                   std::string(data_.data() + data_.size() - 4, 4);
        } else {
            return "[" + std::to_string(data_.size()) + " secret bytes]";
        }
    }

    // Zeroes and empties the buffer now rather than at destruction.
    void wipe() noexcept {
        if (!data_.empty()) OPENSSL_cleanse(data_.data(), data_.size());
        data_.clear();
    }

  private:
    std::vector<Char> data_;
};

using SecretBytes = SecretBuffer<std::uint8_t>;
using SecretString = SecretBuffer<char>;

// Secrets compare equal only through constant_time_equal(a.bytes(), b.bytes()); no operator== on purpose.

}  // namespace tradingd::crypto
