// Env files hold the secrets: parsed strictly, written atomically with mode 0600.
#include "config/env.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace tradingd::config {
namespace {

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return "";
    auto e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

bool valid_name(const std::string& name) {
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
    for (char c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    return true;
}

}  // namespace

EnvMap parse_env_text(const std::string& text, const std::string& origin,
                      std::vector<std::string>& problems) {
    EnvMap out;
    std::istringstream in(text);
    std::string line;
    int lineno = 0;
    while (std::getline(in, line)) {
        ++lineno;
        std::string t = trim(line);
        if (t.empty() || t[0] == '#') continue;
        if (t.rfind("export ", 0) == 0) t = trim(t.substr(7));
        auto eq = t.find('=');
        std::string where = origin + ":" + std::to_string(lineno) + ": ";
        if (eq == std::string::npos) {
            problems.push_back(where + "expected NAME=VALUE");
            continue;
        }
        std::string name = trim(t.substr(0, eq));
        std::string value = trim(t.substr(eq + 1));
        if (!valid_name(name)) {
            problems.push_back(where + "invalid variable name '" + name + "'");
            continue;
        }
        if (!value.empty() && (value[0] == '"' || value[0] == '\'')) {
            char q = value[0];
            auto close = value.find(q, 1);
            if (close == std::string::npos) {
                problems.push_back(where + name + ": unterminated quote");
                continue;
            }
            value = value.substr(1, close - 1);
        } else if (auto hash = value.find(" #"); hash != std::string::npos) {
            value = trim(value.substr(0, hash));
        }
        out[name] = value;
    }
    return out;
}

EnvMap read_env_file(const std::string& path, std::vector<std::string>& problems) {
    std::ifstream f(path);
    if (!f) {
        problems.push_back(path + ": cannot read env file: " + std::strerror(errno));
        return {};
    }
    std::stringstream ss;
    ss << f.rdbuf();
    return parse_env_text(ss.str(), path, problems);
}

const std::vector<std::string>& known_env_names() {
    static const std::vector<std::string> names = {
        "JWT_SECRET_KEY",    "CORS_ORIGINS",
        "MYSQL_HOST",        "MYSQL_PORT",
        "MYSQL_USER",        "MYSQL_PASSWORD",
        "MYSQL_DB",          "TRADINGD_SESSION_KEY",
        "TRADINGD_DATA_KEY", "TRADINGD_DATA_KEY_PREVIOUS",
    };
    return names;
}

EnvMap process_environment() {
    EnvMap out;
    for (const auto& name : known_env_names())
        if (const char* v = std::getenv(name.c_str())) out[name] = v;
    return out;
}

namespace {

// Writes `text` to a temp file beside `path` and renames it over `path`. An existing file keeps its owner,
// group and permission bits (never wider than 0640): the daemon's user must still read it after root edits.
void write_private_file(const std::string& path, const std::string& text) {
    std::string tmp = path + ".tmp." + std::to_string(::getpid());
    struct stat old {};
    const bool existed = ::stat(path.c_str(), &old) == 0;
    const mode_t mode = existed ? (old.st_mode & 0640) | 0600 : 0600;
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) throw std::runtime_error("cannot create " + tmp + ": " + std::strerror(errno));
    if (existed && (old.st_uid != ::geteuid() || old.st_gid != ::getegid()) &&
        ::fchown(fd, old.st_uid, old.st_gid) != 0) {
        std::string err = std::strerror(errno);
        ::close(fd);
        ::unlink(tmp.c_str());
        throw std::runtime_error("cannot keep the owner of " + path + ": " + err);
    }
    ::fchmod(fd, mode);  // the umask may have narrowed it
    bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
    ok = (::close(fd) == 0) && ok;
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
        std::string err = std::strerror(errno);
        ::unlink(tmp.c_str());
        throw std::runtime_error("cannot write " + path + ": " + err);
    }
}

}  // namespace

void write_env_file(const std::string& path, const EnvMap& values, const std::string& header) {
    std::string text = header;
    for (const auto& [k, v] : values) text += k + "=" + v + "\n";
    write_private_file(path, text);
    std::fill(text.begin(), text.end(), '\0');
}

void update_env_file(const std::string& path, const EnvMap& set, const std::vector<std::string>& remove) {
    std::ifstream f(path);
    if (!f) throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
    std::string line, text;
    std::map<std::string, bool> written;
    while (std::getline(f, line)) {
        std::string t = trim(line);
        if (t.rfind("export ", 0) == 0) t = trim(t.substr(7));
        auto eq = t.find('=');
        std::string name = eq == std::string::npos || t.empty() || t[0] == '#' ? "" : trim(t.substr(0, eq));
        if (!name.empty() && std::find(remove.begin(), remove.end(), name) != remove.end()) continue;
        if (auto it = set.find(name); !name.empty() && it != set.end()) {
            if (written[name]) continue;  // a duplicate line would shadow the new value
            text += name + "=" + it->second + "\n";
            written[name] = true;
            continue;
        }
        text += line + "\n";
    }
    for (const auto& [k, v] : set)
        if (!written[k]) text += k + "=" + v + "\n";
    write_private_file(path, text);
    std::fill(text.begin(), text.end(), '\0');
}

}  // namespace tradingd::config
