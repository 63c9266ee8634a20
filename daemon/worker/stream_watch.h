// StreamWatch: a live bot's user data stream, reduced to what the worker loop needs — "poll now" when the
// stream reports something about the bot's symbols or orders (or reconnected after a gap), and whether the
// stream is healthy, so the regular poll can run less often.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "exchange/user_stream.h"
#include "util/guarded.h"

namespace tradingd::worker {

class StreamWatch {
  public:
    // From `init` (market.rest_url, market.stream_url, credentials.api_key); starts the stream's thread.
    StreamWatch(const nlohmann::json& init, std::int64_t agent_id);
    ~StreamWatch();  // stops the stream first: its callback uses this object

    // The symbols the bot holds or is entering; events for other symbols of the account are not its news.
    void watch(std::set<std::string> symbols);
    // True once after the stream reported something the bot must look at.
    bool take_poll_request() { return poll_wanted_.exchange(false); }
    bool connected() const { return stream_ && stream_->connected(); }

  private:
    void on_event(const exchange::UserStreamEvent& e);
    bool concerns_bot(const std::string& symbol, const std::string& client_id) const;

    std::uint64_t agent_id_;
    Guarded<std::set<std::string>> symbols_;
    std::atomic<bool> poll_wanted_{false};
    std::unique_ptr<exchange::UserStream> stream_;  // last: destroyed (stopped) before what it calls
};

}  // namespace tradingd::worker
