// The table of tradingd.yaml keys: each declared once with its type, default, bounds and help.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <variant>
#include <vector>

#include "config/config.h"

namespace tradingd::config {

enum class KeyType { string, integer, path, choice, string_list, boolean };

struct KeyDecl {
    std::string_view path;  // dotted, e.g. "control.socket"
    KeyType type;
    std::variant<std::string Settings::*, std::int64_t Settings::*, std::vector<std::string> Settings::*,
                 bool Settings::*>
        field;
    std::string_view default_value;  // as it would be written in YAML
    std::string_view help;
    std::int64_t min = 0;  // integers only
    std::int64_t max = 0;
    std::vector<std::string_view> choices = {};  // choice only
};

std::span<const KeyDecl> key_table();

}  // namespace tradingd::config
