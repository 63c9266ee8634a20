// Loading tradingd.yaml against the key table, then secrets and database settings from the environment.
#include "config/config.h"

#include <grp.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <set>
#include <sstream>

#include "config/env.h"
#include "config/exchange_check.h"
#include "config/keys.h"
#include "config/strategy_settings.h"
#include "util/text.h"

namespace tradingd::config {
namespace {

namespace fs = std::filesystem;

std::string join_lines(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
    return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::string suggestion(const std::string& path) {
    std::string best;
    std::size_t best_d = 4;
    for (const auto& k : key_table()) {
        auto d = edit_distance(path, k.path);
        if (d < best_d) best_d = d, best = std::string(k.path);
    }
    return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

bool is_section(const std::string& prefix) {
    return std::any_of(key_table().begin(), key_table().end(),
                       [&](const KeyDecl& k) { return k.path.rfind(prefix + ".", 0) == 0; });
}

const KeyDecl* find_key(const std::string& path) {
    for (const auto& k : key_table())
        if (k.path == path) return &k;
    return nullptr;
}

// Stores a YAML sequence of scalars into a list field; returns an error message or "".
std::string assign_list(Settings& s, const KeyDecl& key, const YAML::Node& node) {
    auto field = std::get<std::vector<std::string> Settings::*>(key.field);
    std::vector<std::string> values;
    if (!node.IsSequence()) return "expected a list, e.g. [127.0.0.1]";
    for (const auto& item : node) {
        if (!item.IsScalar()) return "list items must be single values";
        values.push_back(item.Scalar());
    }
    s.*field = std::move(values);
    return "";
}

// Stores `text` into the field for `key`; returns an error message or "".
std::string assign(Settings& s, const KeyDecl& key, const std::string& text, const fs::path& base_dir) {
    if (key.type == KeyType::string_list) return assign_list(s, key, YAML::Load(text));
    if (auto* flag = std::get_if<bool Settings::*>(&key.field)) {
        if (text == "true" || text == "yes" || text == "on") {
            s.*(*flag) = true;
        } else if (text == "false" || text == "no" || text == "off") {
            s.*(*flag) = false;
        } else {
            return "expected true or false, got '" + text + "'";
        }
        return "";
    }
    if (auto* str = std::get_if<std::string Settings::*>(&key.field)) {
        if (key.type == KeyType::choice &&
            std::find(key.choices.begin(), key.choices.end(), text) == key.choices.end()) {
            std::string list;
            for (auto c : key.choices) list += (list.empty() ? "" : ", ") + std::string(c);
            return "'" + text + "' is not one of: " + list;
        }
        if (key.type == KeyType::path && !text.empty() && fs::path(text).is_relative())
            s.*(*str) = (base_dir / text).lexically_normal().string();
        else
            s.*(*str) = text;
        return "";
    }
    auto field = std::get<std::int64_t Settings::*>(key.field);
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size())
        return "expected an integer, got '" + text + "'";
    if (v < key.min || v > key.max)
        return std::to_string(v) + " is out of range [" + std::to_string(key.min) + ", " +
               std::to_string(key.max) + "]";
    s.*field = v;
    return "";
}

void walk(const YAML::Node& node, const std::string& prefix, const std::string& file, Settings& s,
          const fs::path& base_dir, std::vector<std::string>& problems) {
    for (auto it = node.begin(); it != node.end(); ++it) {
        std::string name = it->first.as<std::string>();
        std::string path = prefix.empty() ? name : prefix + "." + name;
        std::string where = file + ":" + std::to_string(it->first.Mark().line + 1) + ": ";
        if (const KeyDecl* key = find_key(path)) {
            if (key->type == KeyType::string_list) {
                if (auto err = assign_list(s, *key, it->second); !err.empty())
                    problems.push_back(where + path + ": " + err);
                continue;
            }
            if (!it->second.IsScalar()) {
                problems.push_back(where + path + ": expected a single value");
                continue;
            }
            if (auto err = assign(s, *key, it->second.Scalar(), base_dir); !err.empty())
                problems.push_back(where + path + ": " + err);
        } else if (is_section(path)) {
            if (it->second.IsMap())
                walk(it->second, path, file, s, base_dir, problems);
            else if (!it->second.IsNull())
                problems.push_back(where + path + ": expected a section of keys");
        } else {
            problems.push_back(where + "unknown key '" + path + "'" + suggestion(path));
        }
    }
}

void apply_defaults(Settings& s, const fs::path& base_dir) {
    for (const auto& k : key_table()) assign(s, k, std::string(k.default_value), base_dir);
}

void load_yaml(const std::string& path, Settings& s, std::vector<std::string>& problems) {
    fs::path base_dir = fs::absolute(path).parent_path();
    YAML::Node root;
    try {
        root = YAML::LoadFile(path);
    } catch (const YAML::BadFile&) {
        problems.push_back(path + ": cannot read the config file");
        return;
    } catch (const YAML::Exception& e) {
        problems.push_back(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
        return;
    }
    if (root.IsNull()) return;  // an empty file means all defaults
    if (!root.IsMap()) {
        problems.push_back(path + ":1: expected a mapping of sections (e.g. 'control:')");
        return;
    }
    walk(root, "", path, s, base_dir, problems);
}

// Checks that need more than one key or the system: what would otherwise only fail at startup.
void validate_settings(const Settings& s, std::vector<std::string>& problems) {
    if (s.control_socket.empty()) problems.push_back("control.socket: must not be empty");
    if (s.control_socket.size() >= 108)  // sizeof(sockaddr_un::sun_path) on Linux
        problems.push_back("control.socket: '" + s.control_socket +
                           "' is longer than a Unix socket path may be (107 bytes)");
    if (!s.control_socket_group.empty() && !::getgrnam(s.control_socket_group.c_str()))
        problems.push_back("control.socket_group: no such group '" + s.control_socket_group + "'");
    if (!s.http_listen.empty()) {
        auto colon = s.http_listen.rfind(':');
        int port = 0;
        if (colon != std::string::npos)
            std::from_chars(s.http_listen.data() + colon + 1, s.http_listen.data() + s.http_listen.size(),
                            port);
        if (colon == std::string::npos || colon == 0 || port < 0 || port > 65535)
            problems.push_back("http.listen: '" + s.http_listen +
                               "' is not HOST:PORT (e.g. 127.0.0.1:8080; port 0 picks a free one)");
    }
    validate_exchange_settings(s, problems);
    validate_strategy_settings(s, problems);
}

void load_environment(const EnvMap& env, const Settings& s, Config& cfg, std::vector<std::string>& problems) {
    auto get = [&](const char* name) -> std::string {
        auto it = env.find(name);
        return it == env.end() ? "" : it->second;
    };
    cfg.secrets.jwt_secret_key = get("JWT_SECRET_KEY");
    cfg.secrets.cors_origins = split_list(get("CORS_ORIGINS"));
    for (const auto& o : cfg.secrets.cors_origins) {
        if (o == "*")
            problems.push_back(
                "CORS_ORIGINS: '*' is not allowed; list the dashboard's origins, e.g. "
                "https://app.example.com");
        else if (o.rfind("https://", 0) != 0 && o.rfind("http://", 0) != 0)
            problems.push_back("CORS_ORIGINS: '" + o + "' is not an origin (expected scheme://host[:port])");
    }

    cfg.secrets.session_key = get("TRADINGD_SESSION_KEY");
    for (auto [name, slot] : {std::pair{"TRADINGD_DATA_KEY", &cfg.secrets.data_key},
                              std::pair{"TRADINGD_DATA_KEY_PREVIOUS", &cfg.secrets.previous_data_key}}) {
        std::string text = get(name), problem;
        if (text.empty()) continue;
        *slot = parse_data_key(text, problem);
        if (!*slot) problems.push_back(std::string(name) + ": " + problem);
    }

    cfg.db.sqlite.path = s.sqlite_path;
    cfg.db.sqlite.busy_timeout_ms = static_cast<int>(s.sqlite_busy_timeout_ms);
    if (get("MYSQL_HOST").empty()) {
        cfg.db.backend = store::Backend::sqlite;
        return;
    }
    cfg.db.backend = store::Backend::mysql;
    auto& m = cfg.db.mysql;
    m.host = get("MYSQL_HOST");
    m.user = get("MYSQL_USER");
    m.password = get("MYSQL_PASSWORD");
    m.database = get("MYSQL_DB");
    m.connect_timeout_s = static_cast<int>(s.mysql_connect_timeout_s);
    if (auto port = get("MYSQL_PORT"); !port.empty()) {
        unsigned p = 0;
        auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
        if (ec != std::errc() || end != port.data() + port.size() || p == 0 || p > 65535)
            problems.push_back("MYSQL_PORT: '" + port + "' is not a TCP port (1-65535)");
        else
            m.port = p;
    }
    if (m.user.empty()) problems.push_back("MYSQL_USER: required when MYSQL_HOST is set");
    if (m.database.empty()) problems.push_back("MYSQL_DB: required when MYSQL_HOST is set");
}

}  // namespace

ConfigError::ConfigError(std::vector<std::string> problems)
    : std::runtime_error(join_lines(problems)), problems_(std::move(problems)) {}

Config load(const LoadOptions& options) {
    Config cfg;
    cfg.config_path =
        options.config_path.empty() ? "" : fs::absolute(options.config_path).lexically_normal().string();
    cfg.env_file_path = options.env_file_path;
    std::vector<std::string> problems;

    fs::path base_dir =
        options.config_path.empty() ? fs::current_path() : fs::absolute(options.config_path).parent_path();
    apply_defaults(cfg.settings, base_dir);
    if (!options.config_path.empty()) load_yaml(options.config_path, cfg.settings, problems);
    validate_settings(cfg.settings, problems);

    EnvMap env;
    if (!options.env_file_path.empty()) env = read_env_file(options.env_file_path, problems);
    if (options.use_process_environment)
        for (auto& [k, v] : process_environment()) env[k] = v;
    load_environment(env, cfg.settings, cfg, problems);

    if (!problems.empty() && !options.tolerate_problems) throw ConfigError(std::move(problems));
    return cfg;
}

std::vector<KeyInfo> declared_keys() {
    std::vector<KeyInfo> out;
    for (const auto& k : key_table()) {
        static const char* names[] = {"string", "integer", "path", "choice", "list", "boolean"};
        out.push_back({std::string(k.path), names[static_cast<int>(k.type)], std::string(k.default_value),
                       std::string(k.help)});
    }
    return out;
}

std::string defaults_yaml() {
    std::ostringstream out;
    out << "# tradingd.yaml with every key at its default (tradingd --print-defaults).\n"
           "# Secrets and database credentials do not belong here: see tradingd.env.example.\n";
    std::string section;
    for (const auto& k : key_table()) {
        std::string path(k.path);
        auto dot = path.find('.');
        std::string sec = path.substr(0, dot);
        if (sec != section) {
            out << "\n" << sec << ":\n";
            section = sec;
        }
        out << "  # " << k.help << "\n";
        std::string value(k.default_value);
        out << "  " << path.substr(dot + 1) << ": " << (value.empty() ? "\"\"" : value) << "\n";
    }
    return out.str();
}

std::string describe(const Config& c) {
    std::ostringstream out;
    out << "config file: " << (c.config_path.empty() ? "(built-in defaults)" : c.config_path) << "\n";
    out << "env file:    " << (c.env_file_path.empty() ? "(none)" : c.env_file_path) << "\n";
    if (c.db.backend == store::Backend::mysql)
        out << "store:       mysql://" << c.db.mysql.user << "@" << c.db.mysql.host << ":" << c.db.mysql.port
            << "/" << c.db.mysql.database
            << (c.db.mysql.password.empty() ? " (no password)" : " (password set)") << "\n";
    else
        out << "store:       sqlite:" << c.db.sqlite.path << "\n";
    out << "control:     " << c.settings.control_socket << "\n";
    out << "JWT_SECRET_KEY: " << (c.secrets.jwt_secret_key.empty() ? "(unset)" : "(set)") << "\n";
    out << "CORS_ORIGINS:   ";
    for (const auto& o : c.secrets.cors_origins) out << o << " ";
    out << "\n";
    return out.str();
}

}  // namespace tradingd::config
