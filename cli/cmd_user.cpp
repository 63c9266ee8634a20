// user add-admin / list: account administration that works with the daemon stopped. Passwords come from
// stdin or a prompt, never the command line (argv is visible to every user of the machine).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "crypto/password.h"
#include "crypto/secret.h"
#include "daemon_maintenance.h"
#include "output.h"
#include "store/auth_repository.h"
#include "store/open.h"
#include "util/email.h"

namespace tradingd::cli {
namespace {

crypto::SecretString read_password() {
    auto first = read_line_quietly("New password: ");
    auto password = crypto::SecretString::take(first);
    if (::isatty(STDIN_FILENO)) {
        auto again = read_line_quietly("Repeat it: ");
        if (again != password.view()) {
            crypto::wipe_string(again);
            throw CommandFailed{kFailed, "the passwords differ"};
        }
        crypto::wipe_string(again);
    }
    if (password.size() < 12 || crypto::check_password(password.view()) != crypto::PasswordProblem::none)
        throw CommandFailed{kFailed, "an admin password needs 12 to 1024 characters"};
    return password;
}

void add_admin(const Globals& g, const std::string& email) {
    if (!plausible_email(email))
        throw CommandFailed{kFailed, "'" + email + "' does not look like an email address"};
    auto cfg = load_config(g);
    auto password = read_password();
    auto hash = crypto::PasswordHasher().hash(password.view());
    if (!hash) throw CommandFailed{kFailed, "that password cannot be used"};
    refuse_writes_during_maintenance(g, cfg, "adding an admin");
    auto conn = store::open_connection(cfg.db);
    store::Repository repo(*conn);
    store::Transaction tx(*conn);
    if (repo.find_user_by_email(email))
        throw CommandFailed{kFailed, "an account with email " + email + " exists"};
    auto id = repo.create_user(email, *hash, "admin");
    store::AuthRepository(*conn).audit({id, "tradingctl(uid=" + std::to_string(::getuid()) + ")", "add_admin",
                                        "user:" + std::to_string(id), std::nullopt, std::nullopt});
    tx.commit();
    emit(g, {{"id", id}, {"email", email}, {"role", "admin"}}, [&](const nlohmann::json&) {
        std::cout << "admin " << email << " created (user id " << id << ")\n";
    });
}

void list_users(const Globals& g) {
    auto cfg = load_config(g);
    auto conn = store::open_connection(cfg.db);
    nlohmann::json users = nlohmann::json::array();
    for (const auto& u : store::AuthRepository(*conn).users(100000, 0))
        users.push_back({{"id", u.id},
                         {"email", u.email},
                         {"role", u.role},
                         {"status", u.status},
                         {"created_at", u.created_at}});
    emit(g, {{"users", users}}, [](const nlohmann::json& r) {
        std::vector<std::vector<std::string>> rows;
        for (const auto& u : r["users"])
            rows.push_back({text_of(u["id"]), text_of(u["email"]), text_of(u["role"]), text_of(u["status"]),
                            text_of(u["created_at"])});
        print_table({"ID", "EMAIL", "ROLE", "STATUS", "CREATED"}, rows);
    });
}

}  // namespace

void add_user_commands(CLI::App& app, Globals& g, Action& action) {
    auto* grp = app.add_subcommand("user", "accounts (works with the daemon stopped)");
    grp->require_subcommand(1);
    auto* add =
        grp->add_subcommand("add-admin", "create an admin; the password is read from stdin or a prompt");
    static std::string email;
    add->add_option("email", email, "the admin's email address")->required();
    add->callback([&] { action = [&] { add_admin(g, email); }; });
    grp->add_subcommand("list", "list every account")->callback([&] { action = [&] { list_users(g); }; });
}

}  // namespace tradingd::cli
