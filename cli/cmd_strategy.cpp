// strategy indicators: the shared strategy's indicators for a Binance klines file, so ops can check its
// numbers by hand. Pure computation: needs neither the daemon nor a config.
#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "output.h"
#include "strategy/indicators_json.h"

namespace tradingd::cli {
namespace {

std::string read_klines(const std::string& path) {
    std::ostringstream text;
    if (path == "-") {
        text << std::cin.rdbuf();
        if (std::cin.bad()) throw CommandFailed{kFailed, "cannot read klines from standard input"};
        return text.str();
    }
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw CommandFailed{kFailed, path + " is a directory, not a klines file"};
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CommandFailed{kFailed, "cannot read klines file " + path + ": " + std::strerror(errno)};
    text << in.rdbuf();
    if (in.bad())
        throw CommandFailed{kFailed, "cannot read klines file " + path + ": " + std::strerror(errno)};
    return text.str();
}

}  // namespace

void add_strategy_commands(CLI::App& app, Globals& g, Action& action) {
    auto* grp = app.add_subcommand("strategy", "inspect the shared strategy's numbers (daemon not needed)");
    grp->require_subcommand(1);

    auto* ind = grp->add_subcommand(
        "indicators", "compute SMA, EMA, RSI, ATR, MACD and Bollinger bands for a Binance klines JSON file");
    static std::string klines_path;
    static std::size_t last_rows = 20;
    ind->add_option("--klines", klines_path, "file holding a Binance klines JSON array, or - for stdin")
        ->required();
    ind->add_option("--last", last_rows, "candles shown in the table (default 20; --json always has all)")
        ->check(CLI::PositiveNumber);
    // Also accepted here so `... indicators --klines F --json` works: the global flag only parses before
    // the subcommand.
    ind->add_flag("--json", g.json, "print the indicators as one JSON object, nothing else");
    ind->callback([&] {
        action = [&] {
            std::string where = klines_path == "-" ? "standard input" : klines_path;
            std::vector<strategy::Candle> candles;
            try {
                candles = strategy::parse_klines(read_klines(klines_path));
            } catch (const strategy::KlinesError& e) {
                throw CommandFailed{kFailed, where + ": " + e.what()};
            }
            nlohmann::json result = strategy::indicators_json(candles);
            emit(g, result, [&](const nlohmann::json& r) {
                auto table = strategy::indicators_table(candles, r, last_rows);
                if (candles.empty()) {
                    std::cout << where << " holds no candles\n";
                    return;
                }
                std::cout << candles.size() << " candles in " << where << "; the last " << table.rows.size()
                          << ", '-' while an indicator warms up (--json prints every candle):\n";
                print_table(table.headers, table.rows);
            });
        };
    });
}

}  // namespace tradingd::cli
