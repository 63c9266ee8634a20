// tradingctl scan show: the scanner's last scan as a table (symbol, score, direction, passed or why not).
#include <CLI/CLI.hpp>
#include <iostream>

#include "output.h"

namespace tradingd::cli {
namespace {

struct ShowOptions {
    bool passed_only = false;
};

void print_scan(const nlohmann::json& r, const ShowOptions& o) {
    std::vector<std::vector<std::string>> rows;
    int passed = 0;
    for (const auto& row : r.at("rows")) {
        const bool ok = row.at("passed").get<bool>();
        passed += ok ? 1 : 0;
        if (o.passed_only && !ok) continue;
        const auto& signal = row.at("signal");
        const auto& failure = row.at("failure");
        rows.push_back({text_of(row.at("volume_rank")), text_of(row.at("symbol")),
                        signal.is_null() ? "-" : text_of(signal.at("score")),
                        signal.is_null() ? "-" : text_of(signal.at("direction")),
                        ok ? "passed" : text_of(failure.at("reason")),
                        failure.is_null() ? "" : text_of(failure.at("detail"))});
    }
    std::cout << "scan " << text_of(r.at("scan_id")) << " at " << text_of(r.at("scanned_at"))
              << " UTC: " << r.at("rows").size() << " symbols, " << passed << " passed";
    if (r.contains("stats")) {
        const auto& s = r.at("stats");
        std::cout << " (" << text_of(s.at("duration_ms")) << " ms, " << text_of(s.at("requests"))
                  << " requests, weight " << text_of(s.at("weight_used")) << ")";
    }
    std::cout << "\n";
    print_table({"RANK", "SYMBOL", "SCORE", "DIRECTION", "RESULT", "DETAIL"}, rows);
}

}  // namespace

void add_scan_commands(CLI::App& app, Globals& g, Action& action) {
    auto* scan = app.add_subcommand("scan", "the market scanner's results");
    scan->require_subcommand(1);
    static ShowOptions show_options;
    auto* show = scan->add_subcommand(
        "show", "the last scan: every symbol's score, direction, and passed or the reason it did not");
    show->add_flag("--passed", show_options.passed_only, "list only the symbols that passed (table only)");
    show->callback([&] {
        action = [&] {
            emit(g, call_daemon(g, "scan.latest"),
                 [](const nlohmann::json& r) { print_scan(r, show_options); });
        };
    });
}

}  // namespace tradingd::cli
