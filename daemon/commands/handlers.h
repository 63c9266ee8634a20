// Declarations of every control-command handler; each lives in its own file under commands/.
#pragma once

#include "commands/registry.h"

namespace tradingd::daemon {

Outcome handle_api_routes(const Args& args, DaemonContext& ctx);
Outcome handle_bot_list(const Args& args, DaemonContext& ctx);
Outcome handle_bot_logs(const Args& args, DaemonContext& ctx);
Outcome handle_bot_reset(const Args& args, DaemonContext& ctx);
Outcome handle_bot_restart(const Args& args, DaemonContext& ctx);
Outcome handle_bot_start(const Args& args, DaemonContext& ctx);
Outcome handle_bot_status(const Args& args, DaemonContext& ctx);
Outcome handle_bot_stop(const Args& args, DaemonContext& ctx);
Outcome handle_config_reload(const Args& args, DaemonContext& ctx);
Outcome handle_help(const Args& args, DaemonContext& ctx);
Outcome handle_maintenance_enter(const Args& args, DaemonContext& ctx);
Outcome handle_maintenance_exit(const Args& args, DaemonContext& ctx);
Outcome handle_maintenance_status(const Args& args, DaemonContext& ctx);
Outcome handle_scan_latest(const Args& args, DaemonContext& ctx);
Outcome handle_status(const Args& args, DaemonContext& ctx);

}  // namespace tradingd::daemon
