#!/usr/bin/env bash
# Rebuilds the committed linux-x64 prebuild (N-API, stripped) and records the hash of its sources.
set -euo pipefail
cd "$(dirname "$0")/.."
export npm_config_nodedir="${npm_config_nodedir:-/usr}"
rm -rf prebuilds/linux-x64
prebuildify --napi --strip --nodedir="$npm_config_nodedir"
tsx scripts/prebuild-hash.ts
ls -l prebuilds/linux-x64
