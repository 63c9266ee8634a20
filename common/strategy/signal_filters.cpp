// The filter checks and their words. Details carry the numbers so an agent can see how far off a coin was.
#include "strategy/signal_filters.h"

#include <algorithm>
#include <cstdio>

namespace tradingd::strategy {
namespace {

using money::Decimal;

struct ReasonText {
    Reason reason;
    std::string_view code;
    std::string_view label;
};

constexpr std::array<ReasonText, 9> kReasonTexts = {{
    {Reason::skip_coin, "skip_coin", "on the operator's skip list"},
    {Reason::insufficient_data, "insufficient_data", "not enough market data to score"},
    {Reason::long_85_plus, "long_85_plus", "LONG score too high (exhaustion top risk)"},
    {Reason::ma_slope, "ma_slope", "moving-average slope disagrees with the direction"},
    {Reason::score_too_low, "score_too_low", "score below the entry threshold"},
    {Reason::max_positions, "max_positions", "maximum open positions reached"},
    {Reason::already_in_position, "already_in_position", "already holding this coin"},
    {Reason::cooldown, "cooldown", "traded this coin too recently"},
    {Reason::insufficient_margin, "insufficient_margin", "not enough available margin"},
}};

// text_of indexes by the enum's value, so the table must list the reasons in declaration order.
static_assert([] {
    for (std::size_t i = 0; i < kReasonTexts.size(); ++i) {
        if (static_cast<std::size_t>(kReasonTexts[i].reason) != i ||
            kFilterOrder[i] != kReasonTexts[i].reason)
            return false;
    }
    return true;
}());

const ReasonText& text_of(Reason reason) {
    return kReasonTexts[static_cast<std::size_t>(reason)];
}

std::string format_number(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", x);
    return buf;
}

}  // namespace

std::string_view reason_code(Reason reason) {
    return text_of(reason).code;
}

std::string_view reason_label(Reason reason) {
    return text_of(reason).label;
}

std::optional<Reason> parse_reason_code(std::string_view code) {
    for (const auto& t : kReasonTexts) {
        if (t.code == code) return t.reason;
    }
    return std::nullopt;
}

std::optional<FilterFailure> global_filters(const Signal& s, const StrategyParams& p) {
    if (s.direction == Direction::long_side && s.score >= p.long_skip_score) {
        return FilterFailure{
            Reason::long_85_plus,
            "LONG score " + std::to_string(s.score) + " is at or above " + std::to_string(p.long_skip_score)};
    }
    const double slope = s.indicators.ma_slope;
    const bool agrees = s.direction == Direction::long_side ? slope > 0 : slope < 0;
    if (!agrees) {
        return FilterFailure{Reason::ma_slope, "EMA50 moved " + format_number(slope) + " over " +
                                                   std::to_string(p.ma_slope_candles) + " candles, against " +
                                                   std::string(direction_name(s.direction))};
    }
    if (s.score < p.entry_threshold) {
        return FilterFailure{Reason::score_too_low, "score " + std::to_string(s.score) +
                                                        " is below the entry threshold " +
                                                        std::to_string(p.entry_threshold)};
    }
    return std::nullopt;
}

Decimal margin_per_position(Decimal equity, const RiskSettings& risk) {
    static const Decimal usdt_step = Decimal::parse("0.00000001");  // USDT balances have 8 decimals
    if (!equity.is_positive()) return Decimal();
    return equity.mul(risk.equity_fraction, money::Rounding::down).floor_to_step(usdt_step);
}

std::optional<FilterFailure> bot_filters(std::string_view symbol, const BotView& bot, const StrategyParams& p,
                                         exchange::TimeMs now_ms, int entries_so_far,
                                         Decimal margin_committed) {
    const int open = static_cast<int>(bot.open_symbols.size()) + entries_so_far;
    if (open >= bot.risk.max_open_positions) {
        return FilterFailure{
            Reason::max_positions,
            std::to_string(open) + " of " + std::to_string(bot.risk.max_open_positions) + " positions taken"};
    }
    if (std::find(bot.open_symbols.begin(), bot.open_symbols.end(), symbol) != bot.open_symbols.end()) {
        return FilterFailure{Reason::already_in_position,
                             "a position in " + std::string(symbol) + " is open"};
    }
    if (const auto it = bot.last_activity_ms.find(std::string(symbol)); it != bot.last_activity_ms.end()) {
        const exchange::TimeMs cooldown_ms = static_cast<exchange::TimeMs>(p.cooldown_minutes) * 60'000;
        const exchange::TimeMs elapsed = now_ms - it->second;
        if (elapsed < cooldown_ms) {
            // Whole minutes, rounded up, so "0 minutes left" is never shown while still cooling down.
            const auto left_min = (cooldown_ms - elapsed + 59'999) / 60'000;
            return FilterFailure{Reason::cooldown,
                                 "last traded " + std::to_string(std::max<long long>(elapsed / 60'000, 0)) +
                                     " min ago, " + std::to_string(left_min) + " min of cooldown left"};
        }
    }
    const Decimal needed = margin_per_position(bot.equity, bot.risk);
    const Decimal available = bot.available_margin - margin_committed;
    if (!needed.is_positive() || available < needed) {
        return FilterFailure{Reason::insufficient_margin, "needs " + needed.to_string() + " USDT margin, " +
                                                              available.to_string() + " USDT available"};
    }
    return std::nullopt;
}

}  // namespace tradingd::strategy
