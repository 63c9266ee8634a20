// The scan pipeline and the per-bot pass over its result (the order of work is documented in scan.h).
#include "strategy/scan.h"

#include <algorithm>
#include <span>
#include <stdexcept>

namespace tradingd::strategy {
namespace {

void throw_if_invalid(const std::vector<std::string>& problems, const char* what) {
    if (!problems.empty()) throw std::invalid_argument(std::string(what) + ": " + problems.front());
}

// The prefix of candles that had closed by now_ms.
std::span<const Candle> closed_before(const std::vector<Candle>& candles, exchange::TimeMs now_ms) {
    const auto open = std::find_if(candles.begin(), candles.end(),
                                   [&](const Candle& c) { return c.close_time_ms >= now_ms; });
    return {candles.data(), static_cast<std::size_t>(open - candles.begin())};
}

ScanRow score_row(const UniverseMember& member, const CandlesBySymbol& candles, const StrategyParams& params,
                  exchange::TimeMs now_ms) {
    ScanRow row{member.info.symbol, member.rank, member.quote_volume, std::nullopt, std::nullopt};
    std::span<const Candle> series;
    if (const auto it = candles.find(member.info.symbol); it != candles.end()) {
        series = closed_before(it->second, now_ms);
    }
    auto outcome = score_symbol(member.info.symbol, series, params);
    if (auto* missing = std::get_if<InsufficientData>(&outcome)) {
        row.failure = FilterFailure{Reason::insufficient_data, std::move(missing->detail)};
        return row;
    }
    row.signal = std::move(std::get<Signal>(outcome));
    row.failure = global_filters(*row.signal, params);
    return row;
}

}  // namespace

ScanResult scan_universe(const Universe& universe, const CandlesBySymbol& candles,
                         const StrategyParams& params, exchange::TimeMs now_ms) {
    throw_if_invalid(validate(params), "strategy params");
    ScanResult result;
    result.scan_time_ms = now_ms;
    result.rows.reserve(universe.members.size() + universe.skipped.size());
    for (const auto& member : universe.members)
        result.rows.push_back(score_row(member, candles, params, now_ms));
    for (const auto& member : universe.skipped) {
        result.rows.push_back(
            {member.info.symbol, member.rank, member.quote_volume, std::nullopt,
             FilterFailure{Reason::skip_coin, "skip_coins lists " + member.info.base_asset}});
    }
    std::sort(result.rows.begin(), result.rows.end(),
              [](const ScanRow& a, const ScanRow& b) { return a.volume_rank < b.volume_rank; });
    return result;
}

ScanResult scan(const UniverseInput& input, const CandlesBySymbol& candles, const StrategyParams& params,
                exchange::TimeMs now_ms) {
    throw_if_invalid(validate(params), "strategy params");
    return scan_universe(select_universe(input.symbols, input.tickers, params), candles, params, now_ms);
}

BotDecisions apply_bot_filters(const ScanResult& scan, const BotView& bot, const StrategyParams& params) {
    throw_if_invalid(validate(params), "strategy params");
    throw_if_invalid(validate(bot.risk), "risk settings");

    BotDecisions out;
    out.decisions.reserve(scan.rows.size());
    std::vector<std::size_t> candidates;
    for (const auto& row : scan.rows) {
        if (row.passed()) candidates.push_back(out.decisions.size());
        out.decisions.push_back({row.symbol, row.signal, row.failure});
    }
    std::sort(candidates.begin(), candidates.end(), [&](std::size_t a, std::size_t b) {
        const ScanRow& ra = scan.rows[a];
        const ScanRow& rb = scan.rows[b];
        if (ra.signal->score != rb.signal->score) return ra.signal->score > rb.signal->score;
        if (ra.volume_rank != rb.volume_rank) return ra.volume_rank < rb.volume_rank;
        return ra.symbol < rb.symbol;
    });

    const money::Decimal margin_each = margin_per_position(bot.equity, bot.risk);
    money::Decimal committed;
    for (const std::size_t i : candidates) {
        Decision& d = out.decisions[i];
        d.failure = bot_filters(d.symbol, bot, params, scan.scan_time_ms,
                                static_cast<int>(out.entries.size()), committed);
        if (d.enter()) {
            out.entries.push_back(i);
            committed += margin_each;
        }
    }
    return out;
}

Candle to_candle(const exchange::Kline& k) {
    return {k.open_time, k.open, k.high, k.low, k.close, k.volume, k.close_time, k.quote_volume};
}

}  // namespace tradingd::strategy
