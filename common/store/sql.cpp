// Backend-independent parts of the SQL interface.
#include "store/sql.h"

namespace tradingd::store {

Connection::Lease Connection::cached(std::string_view sql) {
    for (auto& [text, stmt] : cache_) {
        if (text == sql) {
            stmt->reset();
            return Lease(*stmt);
        }
    }
    cache_.emplace_back(std::string(sql), prepare(sql));
    return Lease(*cache_.back().second);
}

}  // namespace tradingd::store
