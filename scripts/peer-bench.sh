#!/usr/bin/env bash
# The peer benchmark, one command: cloudsnap-codegen against progenitor 0.15
# on the same synthetic APIs (codegen/benches/synth and an equivalent
# OpenAPI 3.0 document), interleaved in one process: median CPU and wall
# time, ratios, output size per operation, peak heap; then `cargo check` of
# both outputs at 100 operations, fresh and as an incremental re-check. peer-bench/ is a workspace of its own with
# its own lockfile and target dir, so the repository's build never compiles
# progenitor.
#
#   scripts/peer-bench.sh                                  # 10, 100, 1,000 operations
#   CLOUDSNAP_PEER_SIZES=10,100,1000,10000 scripts/peer-bench.sh
#   CLOUDSNAP_PEER_CHECK=0 scripts/peer-bench.sh           # skip the cargo check comparison
set -euo pipefail
cd "$(dirname "$0")/.."
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg)"
cargo run --release --quiet --manifest-path peer-bench/Cargo.toml -- "$@"
