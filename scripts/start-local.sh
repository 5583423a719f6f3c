#!/usr/bin/env bash
# `npm start`: install dependencies, make sure the services run, then run every worker in one process.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/ensure-services.sh
exec node --conditions=development --import tsx scripts/local.ts
