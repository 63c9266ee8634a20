// An in-memory bot::Journal: what the daemon would have committed, plus every event, for assertions. A
// failure switch makes the durable calls throw JournalError like a broken worker socket.
#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "bot/bot.h"

namespace tradingd::bot::test {

class MemoryJournal final : public Journal {
  public:
    std::int64_t create_position(const PositionRecord& intent) override {
        check();
        PositionRecord p = intent;
        p.id = next_id++;
        p.status = PositionStatus::pending;
        positions[p.id] = p;
        return p.id;
    }
    void update_position(const PositionRecord& p) override {
        check();
        if (!positions.count(p.id)) throw JournalError("no position " + std::to_string(p.id));
        positions[p.id] = p;
    }
    void record_order(const OrderRecord& o) override {
        check();
        orders[o.client_order_id] = o;
    }
    void event(const Event& e) override { events.push_back(e); }

    // What the daemon hands a starting worker: its pending and open positions.
    std::vector<PositionRecord> live_positions() const {
        std::vector<PositionRecord> out;
        for (const auto& [id, p] : positions)
            if (p.status == PositionStatus::pending || p.status == PositionStatus::open) out.push_back(p);
        return out;
    }
    // What the daemon's store hands a starting worker for the cooldown filter (BotStore::recent_activity):
    // per symbol, the latest opened_at_ms / closed_at_ms of the positions active since `since_ms`.
    ActivityBySymbol recent_activity(TimeMs since_ms) const {
        ActivityBySymbol out;
        for (const auto& [id, p] : positions) {
            const TimeMs last = std::max(p.opened_at_ms, p.closed_at_ms.value_or(0));
            if (last >= since_ms) out[p.symbol] = std::max(out[p.symbol], last);
        }
        return out;
    }
    std::vector<PositionRecord> with_status(PositionStatus s) const {
        std::vector<PositionRecord> out;
        for (const auto& [id, p] : positions)
            if (p.status == s) out.push_back(p);
        return out;
    }
    std::vector<Event> events_of(const std::string& kind) const {
        std::vector<Event> out;
        for (const auto& e : events)
            if (e.kind == kind) out.push_back(e);
        return out;
    }

    bool failing = false;
    std::int64_t next_id = 1;
    std::map<std::int64_t, PositionRecord> positions;
    std::map<std::string, OrderRecord> orders;
    std::vector<Event> events;

  private:
    void check() const {
        if (failing) throw JournalError("daemon unreachable");
    }
};

}  // namespace tradingd::bot::test
