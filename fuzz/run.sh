#!/usr/bin/env bash
# Fuzz one target with AFL++ through afl.rs, on the stable toolchain.
#
#   fuzz/run.sh <responses|specs> [seconds]      (default 600 seconds)
#
# Installs cargo-afl and builds AFL++ if they are missing, builds the
# instrumented target into $CARGO_TARGET_DIR/afl (so the normal build is not
# invalidated), seeds it with the real specs or the documented example
# bodies, and fuzzes on one core at the lowest priority. A second run resumes
# the same queue. Prints execs, corpus size, crashes and hangs; exits 1 if
# anything crashed or hung (inputs under $CARGO_TARGET_DIR/afl/fuzz-out/).
set -euo pipefail

target="${1:-}"
seconds="${2:-600}"
case "$target" in
  responses | specs) ;;
  *)
    echo "usage: fuzz/run.sh <responses|specs> [seconds]" >&2
    exit 2
    ;;
esac
cd "$(dirname "$0")/.."

afl_version=0.18.2
if ! cargo afl --version >/dev/null 2>&1; then
  cargo install cargo-afl --locked --version "$afl_version"
fi
# Builds AFL++ (afl-fuzz and the runtime) once per toolchain; when it is
# already built it says so and exits non-zero, which is fine.
if ! config_out="$(cargo afl config --build 2>&1)"; then
  case "$config_out" in
    *"already built"*) ;;
    *)
      echo "$config_out" >&2
      echo "building AFL++ failed (it needs make and a C compiler)" >&2
      exit 1
      ;;
  esac
fi

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}/afl"
nice -n 19 cargo afl build --release -p cloudsnap-fuzz --features afl --bins
bin="$CARGO_TARGET_DIR/release/fuzz-$target"

out="$CARGO_TARGET_DIR/fuzz-out/$target"
seeds="$CARGO_TARGET_DIR/fuzz-seeds/$target"
rm -rf "$seeds"
"$CARGO_TARGET_DIR/release/fuzz-seeds" "$target" "$seeds"
mkdir -p "$out"

# No UI, no CPU-governor or core-dump checks (a shared machine, not ours to
# tune), resume the previous queue if there is one, stop after $seconds.
export AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_AUTORESUME=1
nice -n 19 cargo afl fuzz -i "$seeds" -o "$out" -V "$seconds" -t 2000 -- "$bin" >"$out.log" 2>&1 || {
  echo "afl-fuzz failed; its output:" >&2
  tail -n 40 "$out.log" >&2
  exit 1
}

stats="$out/default/fuzzer_stats"
field() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
echo "target:       $target"
echo "run time:     $(field run_time) s"
echo "execs:        $(field execs_done) ($(field execs_per_sec)/s)"
echo "corpus:       $(field corpus_count) inputs"
echo "crashes:      $(field saved_crashes)"
echo "hangs:        $(field saved_hangs)"
echo "output:       $out/default"
if [ "$(field saved_crashes)" != "0" ] || [ "$(field saved_hangs)" != "0" ]; then
  echo "found crashes or hangs: see $out/default/crashes and hangs; save each as fuzz/regressions/$target/<name>" >&2
  exit 1
fi
