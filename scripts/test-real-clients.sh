#!/usr/bin/env bash
# `npm run test:clients`: real MCP client CLIs from npm (scripts/install-real-clients.mjs) connect
# through the Switchboard bridge. Installs need the network; the tests themselves run in a private
# network namespace with only loopback up, inside the keyring session of scripts/with-keyring.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/install-real-clients.mjs
npm run build:cli >/dev/null
export SWITCHBOARD_REAL_CLIENTS=1
run='ip link set lo up && exec npx vitest run --config vitest.clients.config.ts'
if unshare -n true 2>/dev/null; then
  exec bash scripts/with-keyring.sh unshare -n sh -c "$run"
fi
exec bash scripts/with-keyring.sh unshare -rn sh -c "$run"
