// Small text helpers shared by config parsing and the HTTP layer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tradingd {

// "a, b,,c " → {"a", "b", "c"}: items split on `sep`, trimmed of spaces and tabs, empty ones dropped.
inline std::vector<std::string> split_list(std::string_view text, char sep = ',') {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find(sep, start);
        if (end == std::string_view::npos) end = text.size();
        auto item = text.substr(start, end - start);
        auto b = item.find_first_not_of(" \t");
        if (b != std::string_view::npos)
            out.emplace_back(item.substr(b, item.find_last_not_of(" \t") - b + 1));
        start = end + 1;
    }
    return out;
}

}  // namespace tradingd
