// Shared plumbing of tradingctl's commands: config, the daemon connection, JSON and table output.
#include "output.h"

#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>

#include "config/locate.h"
#include "control/client.h"

namespace tradingd::cli {

config::Config load_config(const Globals& g) {
    try {
        return config::load(config::locate(g.config_path, g.env_file));
    } catch (const config::ConfigError& e) {
        throw CommandFailed{kFailed, std::string("configuration invalid:\n  ") + [&] {
                                std::string s;
                                for (const auto& p : e.problems()) s += (s.empty() ? "" : "\n  ") + p;
                                return s;
                            }()};
    }
}

nlohmann::json call_daemon(const Globals& g, const std::string& command, const nlohmann::json& args) {
    std::string socket = g.socket ? *g.socket : [&] {
        auto options = config::locate(g.config_path, g.env_file);
        options.tolerate_problems = true;  // a broken file must not lock the operator out of the daemon
        return config::load(options).settings.control_socket;
    }();
    try {
        control::Client client(socket, g.timeout_ms);
        control::Reply reply = client.call(command, args);
        if (!reply.ok) throw CommandFailed{kFailed, reply.error_code + ": " + reply.error_message};
        return reply.result;
    } catch (const control::Unreachable& e) {
        throw CommandFailed{kUnreachable,
                            std::string(e.what()) +
                                "\nhint: is tradingd running? (systemctl status tradingd; or pass "
                                "--socket PATH / --config FILE)"};
    } catch (const std::runtime_error& e) {
        throw CommandFailed{kFailed, e.what()};
    }
}

void emit(const Globals& g, const nlohmann::json& result,
          const std::function<void(const nlohmann::json&)>& human) {
    if (g.json)
        std::cout << result.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    else
        human(result);
}

std::string read_line_quietly(const std::string& prompt) {
    const bool tty = ::isatty(STDIN_FILENO);
    termios old{};
    if (tty) {
        std::cerr << prompt << std::flush;
        ::tcgetattr(STDIN_FILENO, &old);
        termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    std::getline(std::cin, line);
    if (tty) {
        ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
        std::cerr << "\n";
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

std::string text_of(const nlohmann::json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_null()) return "-";
    return v.dump();
}

void print_table(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> width(headers.size());
    for (std::size_t i = 0; i < headers.size(); ++i) width[i] = headers[i].size();
    for (const auto& r : rows)
        for (std::size_t i = 0; i < r.size() && i < width.size(); ++i)
            width[i] = std::max(width[i], r[i].size());
    auto line = [&](const std::vector<std::string>& cells) {
        std::string out;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            out += cells[i];
            if (i + 1 < cells.size()) out += std::string(width[i] - cells[i].size() + 2, ' ');
        }
        std::cout << out << "\n";
    };
    line(headers);
    for (const auto& r : rows) line(r);
}

}  // namespace tradingd::cli
