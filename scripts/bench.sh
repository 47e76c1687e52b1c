#!/usr/bin/env bash
# Every benchmark, one command: generator scaling (a table of stage times,
# end-to-end time and peak heap for 10..10,000 operations) and the runtime
# criterion benches (response parsing vs serde_json::Value and hand-written
# serde, request building and signing), each ending in a table of ratios
# against baselines measured in the same run.
#
#   scripts/bench.sh                 # everything
#   CLOUDSNAP_BENCH_SIZES=10,100 scripts/bench.sh   # smaller scaling run
#
# Extra arguments go to both bench binaries (e.g. a criterion filter).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg)"
cargo bench --workspace --bench scaling --bench runtime -- "$@"
