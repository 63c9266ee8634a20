// bot::Journal over the worker socket: the durable calls are `request`s the daemon commits before it
// replies; events are fire and forget.
#pragma once

#include "bot/journal.h"
#include "worker/worker_link.h"

namespace tradingd::worker {

class IpcJournal final : public bot::Journal {
  public:
    explicit IpcJournal(WorkerLink& link) : link_(link) {}

    std::int64_t create_position(const bot::PositionRecord& intent) override;
    void update_position(const bot::PositionRecord& position) override;
    void record_order(const bot::OrderRecord& order) override;
    void event(const bot::Event& event) override;

  private:
    WorkerLink& link_;
};

}  // namespace tradingd::worker
