// The paper broker's Trading interface: every call first brings the account up to the current mark prices
// (poll), then reads or changes it. Symbol rules and prices come from the MarketData source.
#include "exchange/paper_broker.h"

#include <algorithm>
#include <set>

#include "exchange/client_order_id.h"
#include "exchange/order_fit.h"
#include "exchange/paper_account.h"

namespace tradingd::exchange {
namespace {

using money::Rounding;
constexpr TimeMs kFundingPeriodMs = 8 * 3600000;
constexpr int kMaxLeverage = 125;

Error refuse(int code, std::string message) {
    return make_error(400, code, std::move(message));
}

}  // namespace

PaperBroker::PaperBroker(std::unique_ptr<paper::Account> account, MarketData& market,
                         std::function<TimeMs()> clock)
    : account_(std::move(account)), market_(&market), clock_(std::move(clock)) {}

PaperBroker::PaperBroker(PaperSettings settings, MarketData& market, std::function<TimeMs()> clock)
    : PaperBroker(std::make_unique<paper::Account>(), market, std::move(clock)) {
    account_->settings = settings;
    account_->wallet = settings.starting_balance;
    account_->funded_until = clock_();
}

PaperBroker PaperBroker::restore(const std::string& snapshot, MarketData& market,
                                 std::function<TimeMs()> clock) {
    return PaperBroker(paper::from_json(snapshot), market, std::move(clock));
}

PaperBroker::~PaperBroker() = default;
PaperBroker::PaperBroker(PaperBroker&&) noexcept = default;
PaperBroker& PaperBroker::operator=(PaperBroker&&) noexcept = default;

std::string PaperBroker::snapshot() const {
    return paper::to_json(*account_);
}

std::uint64_t PaperBroker::version() const {
    return account_->version;
}

Result<SymbolInfo> PaperBroker::rules_for(const std::string& symbol) {
    if (rules_.empty()) {
        auto info = market_->exchange_info();
        if (!info) return info.error();
        rules_ = std::move(info).value();
    }
    auto it =
        std::find_if(rules_.begin(), rules_.end(), [&](const SymbolInfo& s) { return s.symbol == symbol; });
    if (it == rules_.end()) return refuse(-1121, "Invalid symbol.");
    return *it;
}

Result<Decimal> PaperBroker::mark(const std::string& symbol) {
    auto m = market_->mark_price(symbol);
    if (!m) return m.error();
    if (!m->mark_price.is_positive()) return local_error(Outcome::unavailable, "no mark price for " + symbol);
    return m->mark_price;
}

Result<bool> PaperBroker::poll() {
    TimeMs now = clock_();
    paper::Account& a = *account_;
    std::set<std::string> symbols;
    for (const paper::Order& o : a.orders) {
        if (o.open()) symbols.insert(o.info.symbol);
    }
    bool changed = false;
    for (const std::string& symbol : symbols) {
        auto rules = rules_for(symbol);
        if (!rules) return rules.error();
        auto m = mark(symbol);
        if (!m) return m.error();
        changed = paper::on_mark(a, *rules, *m, now) || changed;
    }
    // Funding at every 8-hour mark passed since the last poll: longs pay shorts when the rate is positive.
    TimeMs due = a.funded_until / kFundingPeriodMs * kFundingPeriodMs + kFundingPeriodMs;
    if (a.settings.funding && due <= now && !a.positions.empty()) {
        for (; due <= now; due += kFundingPeriodMs) {
            for (const auto& [symbol, p] : a.positions) {
                auto m = market_->mark_price(symbol);
                if (!m) return m.error();
                a.wallet -= p.amount.mul(m->mark_price, Rounding::half_even)
                                .mul(m->funding_rate, Rounding::half_even);
            }
        }
        ++a.version;
        changed = true;
    }
    a.funded_until = std::max(a.funded_until, now);
    return changed;
}

Result<std::vector<Balance>> PaperBroker::balances() {
    if (auto p = poll(); !p) return p.error();
    const paper::Account& a = *account_;
    Balance b;
    b.asset = "USDT";
    b.wallet_balance = a.wallet;
    Decimal margin;
    for (const auto& [symbol, p] : a.positions) {
        auto m = mark(symbol);
        if (!m) return m.error();
        b.unrealized_pnl += paper::unrealized_pnl(p, *m);
        margin +=
            p.amount.abs().mul(*m, Rounding::up).div(Decimal::from_int(a.leverage_of(symbol)), Rounding::up);
    }
    // Resting limit orders hold margin for the part that would open a position.
    for (const paper::Order& o : a.orders) {
        if (!o.open() || o.info.type != OrderType::limit || o.info.reduce_only) continue;
        Decimal qty =
            paper::opening_quantity(a, o.info.symbol, o.info.side, o.info.orig_qty - o.info.executed_qty);
        margin += qty.mul(o.info.price, Rounding::up)
                      .div(Decimal::from_int(a.leverage_of(o.info.symbol)), Rounding::up);
    }
    b.available_balance = std::max(Decimal{}, b.wallet_balance + b.unrealized_pnl - margin);
    return std::vector<Balance>{b};
}

Result<std::vector<PositionInfo>> PaperBroker::positions() {
    if (auto p = poll(); !p) return p.error();
    std::vector<PositionInfo> out;
    for (const auto& [symbol, p] : account_->positions) {
        auto m = mark(symbol);
        if (!m) return m.error();
        PositionInfo i;
        i.symbol = symbol;
        i.amount = p.amount;
        i.entry_price = p.entry_price;
        i.mark_price = *m;
        i.unrealized_pnl = paper::unrealized_pnl(p, *m);
        i.leverage = account_->leverage_of(symbol);
        auto type = account_->margin_types.find(symbol);
        i.margin_type = type == account_->margin_types.end() ? MarginType::cross : type->second;
        i.update_time = p.update_time;
        out.push_back(i);  // liquidation_price stays 0: the paper broker does not liquidate
    }
    return out;
}

Result<std::vector<OrderInfo>> PaperBroker::open_orders(const std::optional<std::string>& symbol) {
    if (auto p = poll(); !p) return p.error();
    std::vector<OrderInfo> out;
    for (const paper::Order& o : account_->orders) {
        if (o.open() && (!symbol || o.info.symbol == *symbol)) out.push_back(o.info);
    }
    return out;
}

Result<OrderInfo> PaperBroker::place_order(const OrderRequest& request) {
    if (!request.client_order_id.empty() && !is_valid_client_order_id(request.client_order_id)) {
        return local_error(Outcome::rejected, "client order id \"" + request.client_order_id +
                                                  "\" is not 1-36 characters of [.A-Z:/a-z0-9_-]");
    }
    if (auto p = poll(); !p) return p.error();
    auto rules = rules_for(request.symbol);
    if (!rules) return rules.error();
    auto m = mark(request.symbol);
    if (!m) return m.error();
    OrderRequest order = round_to_filters(*rules, request);
    if (auto refusal = filter_refusal(*rules, request, order, *m)) return *refusal;
    auto balance = balances();
    if (!balance) return balance.error();
    return paper::place(*account_, *rules, order, *m, balance->front().available_balance, clock_());
}

Result<OrderInfo> PaperBroker::query_order(const std::string& symbol, const std::string& client_order_id,
                                           OrderKind kind) {
    if (auto p = poll(); !p) return p.error();
    // The newest order with this id: an id is free again once its first order is done.
    const auto& orders = account_->orders;
    for (auto it = orders.rbegin(); it != orders.rend(); ++it) {
        if (it->info.kind == kind && it->info.client_order_id == client_order_id &&
            (kind == OrderKind::conditional || it->info.symbol == symbol))
            return it->info;
    }
    return refuse(-2013, "Order does not exist.");
}

Result<OrderInfo> PaperBroker::cancel_order(const std::string& symbol, const std::string& client_order_id,
                                            OrderKind kind) {
    if (auto p = poll(); !p) return p.error();
    for (paper::Order& o : account_->orders) {
        if (!o.open() || o.info.kind != kind || o.info.client_order_id != client_order_id ||
            o.info.symbol != symbol)
            continue;
        o.info.status = OrderStatus::canceled;
        if (kind == OrderKind::conditional) o.info.algo_status = AlgoStatus::canceled;
        o.info.update_time = clock_();
        ++account_->version;
        return o.info;
    }
    return refuse(-2011, "Unknown order sent.");
}

Result<LeverageInfo> PaperBroker::set_leverage(const std::string& symbol, int leverage) {
    if (auto rules = rules_for(symbol); !rules) return rules.error();
    if (leverage < 1 || leverage > kMaxLeverage)
        return refuse(-4028, "Leverage " + std::to_string(leverage) + " is not valid");
    if (account_->leverage_of(symbol) != leverage || !account_->leverage.count(symbol)) {
        account_->leverage[symbol] = leverage;
        ++account_->version;
    }
    // No notional brackets are simulated: one flat cap, smaller at higher leverage as on Binance.
    return LeverageInfo{symbol, leverage, Decimal::from_int(250'000'000 / leverage)};
}

Result<void> PaperBroker::set_margin_type(const std::string& symbol, MarginType type) {
    if (auto rules = rules_for(symbol); !rules) return rules.error();
    auto current = account_->margin_types.find(symbol);
    if ((current == account_->margin_types.end() ? MarginType::cross : current->second) == type) return {};
    bool busy = account_->position(symbol) != nullptr;
    for (const paper::Order& o : account_->orders) busy = busy || (o.open() && o.info.symbol == symbol);
    if (busy) return refuse(-4048, "Margin type cannot be changed if there exists position.");
    account_->margin_types[symbol] = type;
    ++account_->version;
    return {};
}

Result<std::vector<UserTrade>> PaperBroker::user_trades(const TradeQuery& query) {
    if (auto p = poll(); !p) return p.error();
    std::vector<UserTrade> out;
    for (const UserTrade& t : account_->trades) {
        if (t.symbol != query.symbol || (query.order_id && t.order_id != *query.order_id) ||
            (query.from_id && t.id < *query.from_id) || (query.start_time && t.time < *query.start_time) ||
            (query.end_time && t.time > *query.end_time))
            continue;
        out.push_back(t);
    }
    // Binance returns the newest `limit` unless asked from an id or a start time.
    std::size_t limit = static_cast<std::size_t>(std::clamp(query.limit, 1, 1000));
    if (out.size() > limit) {
        if (query.from_id || query.start_time)
            out.resize(limit);
        else
            out.erase(out.begin(), out.end() - static_cast<long>(limit));
    }
    return out;
}

}  // namespace tradingd::exchange
