#!/bin/sh
# Runs two widely used third-party Binance clients from npm, unchanged, against fake-binance: ccxt's
# binanceusdm (base URLs pointed at the fake) and the `binance` SDK (its baseUrl option). Installs them into a
# temporary folder (needs Node 20 and the npm registry), starts one fake per client, prints OK/FAIL per step,
# and exits non-zero if any step failed. Usage: tests/fakes/third_party_check.sh build/tests/fakes/fake-binance
set -eu
FAKE=$(realpath "${1:?usage: $0 PATH/TO/fake-binance}")
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
PIDS=""
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
cp "$HERE"/third_party/*.mjs "$WORK"/
cd "$WORK"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent ccxt@4.5.84 binance@3.6.5 >/dev/null

run() {  # run SCRIPT KEY SECRET
    "$FAKE" --listen 127.0.0.1:0 --account "$2:$3:5000" --seed 42 >"$WORK/$1.fake" 2>/dev/null &
    PIDS="$PIDS $!"
    for _ in 1 2 3 4 5 6 7 8 9 10; do grep -q listening "$WORK/$1.fake" && break; sleep 0.3; done
    port=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$WORK/$1.fake")
    echo "== $1 ($(node -e "console.log(require('./node_modules/$4/package.json').version)")) against fake-binance :$port"
    node "$1" "http://127.0.0.1:$port"
}
status=0
run ccxt_check.mjs ccxtkey ccxtsecret ccxt || status=1
run binance_check.mjs sdkkey sdksecret binance || status=1
exit $status
