#!/usr/bin/env bash
# Run tests on the current Node LTS (24) as well as on the machine's Node (20, past its end of
# life). The registry's `node` package brings the LTS binary: no system install, nothing outside
# the project's .cache. Default set: every unit test of packages and services (the operator CLI
# included), the SMS and email paths end to end, the manifests' offline validation, the NATS
# permissions and the migration Job flow; pass tap arguments to run others.
set -euo pipefail
cd "$(dirname "$0")/.."
LTS_MAJOR=${LTS_MAJOR:-24}
dir=.cache/node-lts-$LTS_MAJOR
if [ ! -x "$dir/node_modules/node/bin/node" ]; then
  echo "test-node-lts: installing node@$LTS_MAJOR from the npm registry into $dir"
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "node@$LTS_MAJOR" >/dev/null
fi
export PATH="$PWD/$dir/node_modules/node/bin:$PATH"
echo "test-node-lts: $(node --version)"
if [ $# -gt 0 ]; then
  exec npx tap "$@"
fi
# Test files only (a test folder may hold fixtures, e.g. the SMS corpus).
mapfile -t units < <(find packages/*/test services/*/test -name '*.test.ts' | sort)
exec npx tap "${units[@]}" \
  test/integration/sms-path.test.ts test/integration/email-path.test.ts \
  test/integration/deploy-manifests.test.ts test/faults/nats-permissions.test.ts \
  test/integration/rollout-start.test.ts
