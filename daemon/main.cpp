// tradingd: the trading daemon. Runs in the foreground (systemd Type=notify) or checks its config and exits.
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <string_view>

#include "config/config.h"
#include "config/locate.h"
#include "daemon.h"
#include "version.h"
#include "worker/worker_main.h"

namespace po = boost::program_options;
using namespace tradingd;

namespace {

int check_config(const config::LoadOptions& options, bool verbose) {
    try {
        auto cfg = config::load(options);
        if (auto problems = config::check_daemon_secrets(cfg.secrets); !problems.empty())
            throw config::ConfigError(std::move(problems));
        if (verbose) std::cout << config::describe(cfg);
        std::cout << "tradingd: configuration "
                  << (options.config_path.empty() ? "(built-in defaults)" : options.config_path)
                  << " is ok\n";
        return 0;
    } catch (const config::ConfigError& e) {
        std::cerr << "tradingd: configuration invalid:\n";
        for (const auto& p : e.problems()) std::cerr << "  " << p << "\n";
        return 1;
    }
}

}  // namespace

int main(int argc, char** argv) {
    // `tradingd worker --fd N --parent PID`: a bot process the daemon started (docs/worker-protocol.md).
    if (argc >= 2 && std::string_view(argv[1]) == "worker") return worker::worker_main(argc, argv);
    po::options_description opts("Usage: tradingd [options]\n\nOptions");
    // clang-format off
    opts.add_options()
        ("help,h", "show this help and exit")
        ("version", "print the version and exit")
        ("config,c", po::value<std::string>(),
         "settings file (default: $TRADINGD_CONFIG, else /etc/tradingd/tradingd.yaml if present, else built-in defaults)")
        ("env-file,e", po::value<std::string>(),
         "secrets and database credentials, NAME=VALUE lines (default: $TRADINGD_ENV_FILE, else "
         "/etc/tradingd/tradingd.env if present); the process environment overrides it")
        ("check-config,t", "validate the configuration and exit: 0 when valid, 1 otherwise")
        ("verbose,v", "with --check-config: also print the effective settings (secrets masked)")
        ("print-defaults", "print a tradingd.yaml with every key at its default, with help, and exit");
    // clang-format on
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(opts).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "tradingd: " << e.what() << "\nTry 'tradingd --help'.\n";
        return 2;
    }
    if (vm.count("help")) {
        std::cout << opts << "\nSee tradingd(8) and tradingd.yaml(5).\n";
        return 0;
    }
    if (vm.count("version")) {
        std::cout << "tradingd " << kVersion << "\n";
        return 0;
    }
    if (vm.count("print-defaults")) {
        std::cout << config::defaults_yaml();
        return 0;
    }
    auto get = [&](const char* name) -> std::optional<std::string> {
        if (vm.count(name)) return vm[name].as<std::string>();
        return std::nullopt;
    };
    auto options = config::locate(get("config"), get("env-file"));
    if (vm.count("check-config")) return check_config(options, vm.count("verbose") > 0);
    return daemon::run(options);
}
