#!/usr/bin/env bash
# What a downstream crate pays to build cloudsnap: a clean debug build of a
# new crate that depends on cloudsnap (by path) with the given features, in
# an empty target dir. Prints wall time, CPU time (user + sys of the whole
# build, which stays comparable on a shared machine) and the number of
# compiled units.
#
#   scripts/build-cost.sh [REV] [FEATURES]
#
# REV (default: the working tree) is checked out into a temporary worktree,
# so two revisions can be compared in one session:
#   scripts/build-cost.sh 19201ad huawei-cbr; scripts/build-cost.sh HEAD huawei-cbr
# FEATURES default to `huawei-cbr` (one service, with the default client);
# pass `default` for every service, or `only:a,b` for exactly those
# features (`only:huawei-cbr` is one service without the async client).
set -euo pipefail
cd "$(dirname "$0")/.."
rev="${1:-}"
features="${2:-huawei-cbr}"
work="$(mktemp -d)"
trap 'git worktree remove --force "$work/src" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

if [ -n "$rev" ]; then
  git worktree add --detach "$work/src" "$rev" >/dev/null 2>&1
  src="$work/src"
else
  src="$(pwd)"
fi

if [ "$features" = default ]; then
  dep="cloudsnap = { path = \"$src\" }"
elif [ "${features#only:}" != "$features" ]; then
  list=$(echo "${features#only:}" | sed 's/[^,][^,]*/"&"/g; s/,/, /g')
  dep="cloudsnap = { path = \"$src\", default-features = false, features = [$list] }"
else
  dep="cloudsnap = { path = \"$src\", default-features = false, features = [\"client\", \"rustls-ring\", \"$features\"] }"
  # Before the crate split there was no `client` feature: the client was always built.
  grep -q '^client = ' "$src/Cargo.toml" ||
    dep="cloudsnap = { path = \"$src\", default-features = false, features = [\"$features\"] }"
fi
mkdir -p "$work/app/src"
cat >"$work/app/Cargo.toml" <<EOF
[package]
name = "downstream"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
$dep

[workspace]
EOF
echo 'fn main() {}' >"$work/app/src/main.rs"
# The same versions as the checkout's lock, so nothing new is resolved.
cp "$src/Cargo.lock" "$work/app/Cargo.lock"

cd "$work/app"
start=$(date +%s.%N)
/usr/bin/time -f '%U %S' -o "$work/cpu" cargo build --offline --quiet --message-format=json \
  --target-dir "$work/target" >"$work/messages.json" 2>"$work/stderr" || {
  cat "$work/stderr" >&2
  exit 1
}
end=$(date +%s.%N)
units=$(grep -c '"reason":"compiler-artifact"' "$work/messages.json" || true)
read -r user sys <"$work/cpu"
printf 'rev=%s features=%s wall=%.1fs cpu=%.1fs units=%s\n' "${rev:-worktree}" "$features" \
  "$(echo "$end - $start" | bc)" "$(echo "$user + $sys" | bc)" "$units"
