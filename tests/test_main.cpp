// Catch2 main shared by the test binaries. It says which store backend runs, and decides what happens when
// the MariaDB tests have no server: exit 77 (ctest shows "Skipped") on a developer machine, fail under CI.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "store_fixture.h"

int main(int argc, char** argv) {
    using namespace tradingd;
    if (test::backend_under_test() == store::Backend::mysql) {
        auto server = test::mysql_test_settings();
        if (!server) {
            const char* ci = std::getenv("CI");
            if (ci && std::string(ci) == "true") {
                std::fprintf(stderr,
                             "FAIL: CI=true but TRADINGD_TEST_MYSQL_HOST is unset; .ci/run must start "
                             "MariaDB (scripts/test-mariadb start)\n");
                return 1;
            }
            std::fprintf(stderr,
                         "SKIPPED: MariaDB store tests need TRADINGD_TEST_MYSQL_HOST (run "
                         "`scripts/test-mariadb start DIR` and export what it prints)\n");
            return 77;
        }
        std::printf("store backend under test: mysql://%s@%s:%u\n", server->user.c_str(),
                    server->host.c_str(), server->port);
    } else {
        std::printf("store backend under test: sqlite\n");
    }
    return Catch::Session().run(argc, argv);
}
