// The schema's tables and columns as of the latest migration. When a migration adds a table or a column, add
// it here too: the catalog test fails until both agree (tests/store/data_copy_test.cpp).
#include "store/table_catalog.h"

#include <algorithm>
#include <array>

namespace tradingd::store {
namespace {

using K = ColumnKind;

constexpr ColumnSpec kUsers[] = {{"id", K::integer},          {"email", K::text},
                                 {"password_hash", K::text},  {"role", K::enumeration},
                                 {"status", K::enumeration},  {"created_at", K::timestamp},
                                 {"updated_at", K::timestamp}};
constexpr ColumnSpec kAgents[] = {{"id", K::integer},
                                  {"user_id", K::integer},
                                  {"display_name", K::text},
                                  {"telegram_chat_id", K::text},
                                  {"risk_fraction", K::decimal},
                                  {"max_leverage", K::integer},
                                  {"max_positions", K::integer},
                                  {"fee_rate", K::decimal},
                                  {"high_water_mark", K::decimal},
                                  {"created_at", K::timestamp}};
constexpr ColumnSpec kApiKeys[] = {
    {"id", K::integer},         {"agent_id", K::integer},     {"exchange", K::text},
    {"key_masked", K::text},    {"data_key_id", K::integer},  {"ciphertext", K::blob},
    {"status", K::enumeration}, {"created_at", K::timestamp}, {"checked_at", K::timestamp}};
constexpr ColumnSpec kBots[] = {
    {"id", K::integer},        {"agent_id", K::integer},          {"mode", K::enumeration},
    {"state", K::enumeration}, {"desired_state", K::enumeration}, {"restart_count", K::integer},
    {"last_error", K::text},   {"started_at", K::timestamp},      {"updated_at", K::timestamp},
    {"last_cause", K::text},   {"last_restart_at", K::timestamp}, {"worker_pid", K::integer}};
constexpr ColumnSpec kPositions[] = {{"id", K::integer},
                                     {"agent_id", K::integer},
                                     {"symbol", K::text},
                                     {"side", K::enumeration},
                                     {"status", K::enumeration},
                                     {"quantity", K::decimal},
                                     {"entry_price", K::decimal},
                                     {"exit_price", K::decimal},
                                     {"stop_loss", K::decimal},
                                     {"take_profit", K::decimal},
                                     {"leverage", K::integer},
                                     {"realized_pnl", K::decimal},
                                     {"fees", K::decimal},
                                     {"score", K::integer},
                                     {"close_reason", K::text},
                                     {"opened_at", K::timestamp},
                                     {"closed_at", K::timestamp},
                                     {"atr_at_entry", K::text},
                                     {"opened_at_ms", K::integer},
                                     {"closed_at_ms", K::integer},
                                     {"entry_attempt", K::integer},
                                     {"stop_loss_attempt", K::integer},
                                     {"take_profit_attempt", K::integer},
                                     {"exit_attempt", K::integer},
                                     {"trailing_attempt", K::integer},
                                     {"scan_id", K::integer},
                                     {"adopted", K::boolean}};
constexpr ColumnSpec kOrders[] = {{"id", K::integer},
                                  {"agent_id", K::integer},
                                  {"position_id", K::integer},
                                  {"client_order_id", K::text},
                                  {"exchange_order_id", K::text},
                                  {"symbol", K::text},
                                  {"side", K::enumeration},
                                  {"type", K::text},
                                  {"leg", K::enumeration},
                                  {"status", K::text},
                                  {"quantity", K::decimal},
                                  {"price", K::decimal},
                                  {"stop_price", K::decimal},
                                  {"filled_quantity", K::decimal},
                                  {"average_price", K::decimal},
                                  {"reduce_only", K::boolean},
                                  {"created_at", K::timestamp},
                                  {"updated_at", K::timestamp},
                                  {"algo_status", K::text},
                                  {"close_position", K::boolean},
                                  {"updated_at_ms", K::integer}};
constexpr ColumnSpec kPaperAccounts[] = {
    {"agent_id", K::integer}, {"state", K::text}, {"updated_at", K::timestamp}};
constexpr ColumnSpec kTrades[] = {
    {"id", K::integer},           {"agent_id", K::integer},       {"order_id", K::integer},
    {"position_id", K::integer},  {"exchange_trade_id", K::text}, {"symbol", K::text},
    {"side", K::enumeration},     {"price", K::decimal},          {"quantity", K::decimal},
    {"fee", K::decimal},          {"fee_asset", K::text},         {"realized_pnl", K::decimal},
    {"executed_at", K::timestamp}};
constexpr ColumnSpec kNotifications[] = {
    {"id", K::integer},   {"agent_id", K::integer}, {"type", K::enumeration},    {"title", K::text},
    {"message", K::text}, {"is_read", K::boolean},  {"created_at", K::timestamp}};
constexpr ColumnSpec kScanResults[] = {
    {"id", K::integer},     {"scan_id", K::integer}, {"scanned_at", K::timestamp},
    {"symbol", K::text},    {"score", K::integer},   {"direction", K::enumeration},
    {"passed", K::boolean}, {"reason", K::text},     {"details", K::text}};
constexpr ColumnSpec kEvents[] = {{"id", K::integer},
                                  {"agent_id", K::integer},
                                  {"kind", K::text},
                                  {"payload", K::text},
                                  {"created_at", K::timestamp}};
constexpr ColumnSpec kRefreshTokens[] = {{"id", K::integer},          {"user_id", K::integer},
                                         {"family_id", K::text},      {"token_hash", K::text},
                                         {"issued_at", K::timestamp}, {"expires_at", K::timestamp},
                                         {"used_at", K::timestamp},   {"revoked_at", K::timestamp}};
constexpr ColumnSpec kAuditLog[] = {{"id", K::integer},   {"user_id", K::integer},     {"actor", K::text},
                                    {"action", K::text},  {"target", K::text},         {"ip", K::text},
                                    {"details", K::text}, {"created_at", K::timestamp}};
constexpr ColumnSpec kBacktestRuns[] = {{"id", K::integer},
                                        {"status", K::enumeration},
                                        {"published", K::boolean},
                                        {"strategy_version", K::text},
                                        {"params", K::text},
                                        {"source", K::enumeration},
                                        {"seed", K::integer},
                                        {"kline_interval", K::text},
                                        {"period_from", K::timestamp},
                                        {"period_to", K::timestamp},
                                        {"symbols", K::text},
                                        {"initial_equity", K::decimal},
                                        {"final_equity", K::decimal},
                                        {"total_return_pct", K::decimal},
                                        {"max_drawdown_pct", K::decimal},
                                        {"profit_factor", K::decimal},
                                        {"sharpe", K::decimal},
                                        {"trade_count", K::integer},
                                        {"win_rate_pct", K::decimal},
                                        {"monthly_win_rate_pct", K::decimal},
                                        {"candles", K::integer},
                                        {"digest", K::text},
                                        {"equity_curve", K::text},
                                        {"error", K::text},
                                        {"created_at", K::timestamp},
                                        {"finished_at", K::timestamp}};
constexpr ColumnSpec kBacktestTrades[] = {
    {"id", K::integer},          {"run_id", K::integer},       {"symbol", K::text},
    {"side", K::enumeration},    {"score", K::integer},        {"leverage", K::integer},
    {"quantity", K::decimal},    {"entry_time", K::timestamp}, {"entry_price", K::decimal},
    {"exit_time", K::timestamp}, {"exit_price", K::decimal},   {"exit_reason", K::text},
    {"fees", K::decimal},        {"funding", K::decimal},      {"pnl", K::decimal},
    {"return_pct", K::decimal}};
constexpr ColumnSpec kBacktestMonthly[] = {{"id", K::integer},          {"run_id", K::integer},
                                           {"month", K::text},          {"start_equity", K::decimal},
                                           {"end_equity", K::decimal},  {"return_pct", K::decimal},
                                           {"trade_count", K::integer}, {"win_count", K::integer}};
constexpr ColumnSpec kKlines[] = {
    {"id", K::integer},         {"symbol", K::text},         {"kline_interval", K::text},
    {"open_time", K::integer},  {"open", K::decimal},        {"high", K::decimal},
    {"low", K::decimal},        {"close", K::decimal},       {"volume", K::decimal},
    {"close_time", K::integer}, {"quote_volume", K::decimal}};
constexpr ColumnSpec kSchemaVersion[] = {
    {"version", K::integer}, {"name", K::text}, {"checksum", K::text}, {"applied_at", K::timestamp}};

constexpr std::array<TableSpec, 18> kCatalog = {{
    {"users", kUsers, true, true},
    {"agents", kAgents, true, true},
    {"api_keys", kApiKeys, true, true},
    {"bots", kBots, true, true},
    {"positions", kPositions, true, true},
    {"orders", kOrders, true, true},
    {"trades", kTrades, true, true},
    {"notifications", kNotifications, true, true},
    {"scan_results", kScanResults, true, true},
    {"events", kEvents, true, true},
    {"refresh_tokens", kRefreshTokens, true, true},
    {"audit_log", kAuditLog, true, true},
    {"backtest_runs", kBacktestRuns, true, true},
    {"backtest_trades", kBacktestTrades, true, true},
    {"backtest_monthly", kBacktestMonthly, true, true},
    {"klines", kKlines, true, true},
    {"paper_accounts", kPaperAccounts, false, true},
    // Each dialect's migrator writes its own rows (checksums of its own SQL files): migrated, not copied.
    {"schema_version", kSchemaVersion, false, false},
}};

std::string column_list(const TableLayout& layout) {
    std::string out;
    for (const ColumnSpec* c : layout.columns) out += (out.empty() ? "" : ", ") + quote_identifier(c->name);
    return out;
}

}  // namespace

std::string_view kind_name(ColumnKind kind) {
    switch (kind) {
        case K::integer:
            return "integer";
        case K::decimal:
            return "decimal";
        case K::text:
            return "text";
        case K::blob:
            return "blob";
        case K::timestamp:
            return "timestamp";
        case K::boolean:
            return "boolean";
        case K::enumeration:
            return "enum";
    }
    return "?";
}

std::span<const TableSpec> table_catalog() {
    return kCatalog;
}

const TableSpec* catalog_table(std::string_view name) {
    for (const TableSpec& t : kCatalog)
        if (t.name == name) return &t;
    return nullptr;
}

std::string quote_identifier(std::string_view name) {
    return "`" + std::string(name) + "`";
}

TableLayout TableLayout::full(const TableSpec& table) {
    TableLayout layout{&table, {}};
    for (const ColumnSpec& c : table.columns) layout.columns.push_back(&c);
    return layout;
}

TableLayout TableLayout::from_names(std::string_view table, const std::vector<std::string>& columns) {
    const TableSpec* spec = catalog_table(table);
    if (!spec) throw Error(ErrorKind::schema, "table '" + std::string(table) + "' is unknown to this binary");
    TableLayout layout{spec, {}};
    for (const ColumnSpec& c : spec->columns)
        if (std::find(columns.begin(), columns.end(), c.name) != columns.end()) layout.columns.push_back(&c);
    for (const std::string& name : columns)
        if (std::none_of(spec->columns.begin(), spec->columns.end(), [&](auto& c) { return c.name == name; }))
            throw Error(ErrorKind::schema, "column " + std::string(table) + "." + name +
                                               " is unknown to this binary (is the database newer than it?)");
    if (layout.columns.empty() || layout.columns.front() != &spec->columns.front())
        throw Error(ErrorKind::schema, "table " + std::string(table) + " lacks its primary key " +
                                           std::string(spec->primary_key()));
    return layout;
}

std::vector<std::string> TableLayout::column_names() const {
    std::vector<std::string> out;
    for (const ColumnSpec* c : columns) out.emplace_back(c->name);
    return out;
}

bool TableLayout::operator==(const TableLayout& other) const {
    return table == other.table && columns == other.columns;
}

std::string TableLayout::select_page_sql() const {
    const std::string pk = quote_identifier(table->primary_key());
    return "SELECT " + column_list(*this) + " FROM " + quote_identifier(table->name) + " WHERE " + pk +
           " > ? ORDER BY " + pk + " LIMIT ?";
}

std::string TableLayout::insert_sql() const {
    std::string marks;
    for (std::size_t i = 0; i < columns.size(); ++i) marks += i ? ", ?" : "?";
    return "INSERT INTO " + quote_identifier(table->name) + " (" + column_list(*this) + ") VALUES (" + marks +
           ")";
}

std::vector<std::string> live_columns(Connection& conn, const TableSpec& table) {
    auto st = conn.prepare(
        conn.backend() == Backend::mysql
            ? "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE()"
              " AND table_name = ? ORDER BY ordinal_position"
            : "SELECT name FROM pragma_table_info(?) ORDER BY cid");
    st->bind_all(std::string(table.name));
    std::vector<std::string> names;
    while (st->step()) names.push_back(st->get_text(0));
    return names;
}

std::vector<TableLayout> live_data_layouts(Connection& conn) {
    const std::vector<std::string> present = conn.table_names();
    std::vector<TableLayout> layouts;
    for (const TableSpec& t : kCatalog) {
        if (!t.data || std::find(present.begin(), present.end(), t.name) == present.end()) continue;
        layouts.push_back(TableLayout::from_names(t.name, live_columns(conn, t)));
    }
    return layouts;
}

}  // namespace tradingd::store
