#!/usr/bin/env bash
# Runs one integration test program on one store backend. Without a MariaDB server the mysql run is
# skipped (exit 77) on a developer machine and fails under CI=true, like the Catch2 store tests.
set -euo pipefail
backend=$1
shift
if [[ $backend == mysql && -z ${TRADINGD_TEST_MYSQL_HOST:-} ]]; then
    if [[ ${CI:-} == true ]]; then
        echo "FAIL: CI=true but TRADINGD_TEST_MYSQL_HOST is unset" >&2
        exit 1
    fi
    echo "SKIPPED: no MariaDB configured (scripts/test-mariadb start DIR)" >&2
    exit 77
fi
TRADINGD_TEST_BACKEND=$backend exec "$@"
