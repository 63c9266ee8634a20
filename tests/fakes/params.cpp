// Decoding of query strings and form bodies, and typed access with Binance's error codes for bad input.
#include "api.h"

#include <cctype>

namespace fake {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void parse_into(std::string_view text, std::map<std::string, std::string>& out, bool overwrite) {
    while (!text.empty()) {
        size_t amp = text.find('&');
        std::string_view item = text.substr(0, amp);
        text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
        if (item.empty()) continue;
        size_t eq = item.find('=');
        std::string key = url_decode(item.substr(0, eq), true);
        std::string value = eq == std::string_view::npos ? "" : url_decode(item.substr(eq + 1), true);
        if (overwrite || !out.count(key)) out[key] = value;
    }
}

}  // namespace

std::string url_decode(std::string_view s, bool plus_is_space) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += (plus_is_space && s[i] == '+') ? ' ' : s[i];
    }
    return out;
}

Params Params::parse(std::string_view query, std::string_view body) {
    Params p;
    parse_into(query, p.values_, true);
    parse_into(body, p.values_, false);  // the query string wins over the body
    return p;
}

const std::string* Params::get(const std::string& key) const {
    auto it = values_.find(key);
    return it == values_.end() ? nullptr : &it->second;
}

std::string Params::value_or(const std::string& key, const std::string& fallback) const {
    const std::string* v = get(key);
    return v ? *v : fallback;
}

const std::string& Params::required(const std::string& key) const {
    const std::string* v = get(key);
    if (!v || v->empty())
        reject(-1102, "Mandatory parameter '" + key + "' was not sent, was empty/null, or malformed.");
    return *v;
}

std::optional<std::int64_t> Params::integer(const std::string& key) const {
    const std::string* v = get(key);
    if (!v) return std::nullopt;
    bool ok = !v->empty() && v->size() <= 20;
    for (char c : *v) ok = ok && std::isdigit(static_cast<unsigned char>(c));
    if (!ok)
        reject(-1100, "Illegal characters found in parameter '" + key + "'; legal range is '^[0-9]{1,20}$'.");
    return std::stoll(*v);
}

std::optional<ParsedDecimal> Params::decimal(const std::string& key) const {
    const std::string* v = get(key);
    if (!v) return std::nullopt;
    auto d = (*v)[0] == '-' ? std::nullopt : parse_decimal(*v);
    if (!d)
        reject(-1100, "Illegal characters found in parameter '" + key +
                          "'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'.");
    return d;
}

bool Params::boolean(const std::string& key, bool fallback) const {
    const std::string* v = get(key);
    if (!v) return fallback;
    if (*v == "true" || *v == "TRUE") return true;
    if (*v == "false" || *v == "FALSE") return false;
    reject(-1130, "Data sent for parameter '" + key + "' is not valid.");
}

}  // namespace fake
