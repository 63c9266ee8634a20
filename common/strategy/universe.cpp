// Universe selection: filter eligible perpetuals, rank by volume with a stable tie-break, split off skips.
#include "strategy/universe.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <string_view>

namespace tradingd::strategy {
namespace {

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t");
    return s.substr(first, last - first + 1);
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::toupper(static_cast<unsigned char>(x)) ==
                      std::toupper(static_cast<unsigned char>(y));
           });
}

bool eligible(const exchange::SymbolInfo& s) {
    return s.trading() && s.contract_type == "PERPETUAL" && s.quote_asset == "USDT";
}

double usable_volume(double v) {
    return std::isfinite(v) && v > 0 ? v : 0.0;
}

}  // namespace

bool is_skip_coin(const exchange::SymbolInfo& symbol, std::span<const std::string> skip_coins) {
    return std::any_of(skip_coins.begin(), skip_coins.end(), [&](const std::string& entry) {
        const auto wanted = trim(entry);
        return !wanted.empty() &&
               (equal_ignoring_case(wanted, symbol.base_asset) || equal_ignoring_case(wanted, symbol.symbol));
    });
}

Universe select_universe(std::span<const exchange::SymbolInfo> symbols,
                         std::span<const exchange::Ticker24h> tickers, const StrategyParams& params) {
    std::map<std::string_view, double> volume_of;
    for (const auto& t : tickers) volume_of.emplace(t.symbol, usable_volume(t.quote_volume));

    std::vector<UniverseMember> ranked;
    std::set<std::string_view> seen;
    for (const auto& s : symbols) {
        if (!eligible(s) || !seen.insert(s.symbol).second) continue;
        const auto it = volume_of.find(s.symbol);
        ranked.push_back({s, it == volume_of.end() ? 0.0 : it->second, 0});
    }
    std::sort(ranked.begin(), ranked.end(), [](const UniverseMember& a, const UniverseMember& b) {
        if (a.quote_volume != b.quote_volume) return a.quote_volume > b.quote_volume;
        return a.info.symbol < b.info.symbol;
    });

    Universe universe;
    const auto wanted = static_cast<std::size_t>(std::max(params.universe_size, 0));
    for (std::size_t i = 0; i < ranked.size(); ++i) {
        ranked[i].rank = static_cast<int>(i + 1);
        if (is_skip_coin(ranked[i].info, params.skip_coins)) {
            universe.skipped.push_back(std::move(ranked[i]));
        } else if (universe.members.size() < wanted) {
            universe.members.push_back(std::move(ranked[i]));
        }
    }
    return universe;
}

}  // namespace tradingd::strategy
