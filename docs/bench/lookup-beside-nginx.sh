#!/usr/bin/env bash
# Budget lookups beside nginx (docs/bench/serving.md): one server started as the Dockerfile runs it (embedded
# PostgreSQL, the demo's models), nginx on loopback answering GET /api/v1/models/best with the server's own answer as a
# static JSON file (and the model's weights file), then R rounds alternating `bench load` against the serving port
# and against nginx: open loop at RATE lookups/s for DURATION s after WARMUP s, latency from each request's planned
# send time. Both targets share the machine and the client, so the host's scheduling shows in both.
# DOWNLOADS=1,2,4,8 also times whole weight downloads in each serving round, alternating the serving port and nginx
# (the same file) per client count, DOWNLOAD_SECONDS (6) each; ratios by download_ratios.py.
# Before the rounds, WARM_ROUNDS (1) unrecorded rounds against the serving port (files under OUT/warm-up): a server
# that has just started compiles its lookup and download paths in its first 10-20 s of traffic, and the first
# measured round after a start was the worst of a run (docs/bench/serving.md, twelfth stop). WARM_ROUNDS=0 measures
# the cold server in round 1. The client's JVM: CLIENT_JAVA (beside-nginx.sh).
#
#   docs/bench/lookup-beside-nginx.sh target/prenas.jar out 3
#   DOWNLOADS=1,2,4,8 docs/bench/lookup-beside-nginx.sh target/prenas.jar out 5; python3 docs/bench/download_ratios.py out
set -euo pipefail
. "$(dirname "$0")/nginx-conf.sh"
. "$(dirname "$0")/bench-server.sh"
. "$(dirname "$0")/beside-nginx.sh"
JAR=$(realpath "${1:-target/prenas.jar}"); OUTDIR=$(realpath -m "${2:-target/bench/lookup}"); R=${3:-3}
RATE=${RATE:-1000}; DURATION=${DURATION:-30}; WARMUP=${WARMUP:-10}
PORT=${PORT:-18090}; SERVING_PORT=${SERVING_PORT:-18093}; NGINX_PORT=${NGINX_PORT:-18091}
find_nginx
mkdir -p "$OUTDIR"
WORK=$(mktemp -d /tmp/prenas-lookup.XXXXXX)
trap stop_beside_nginx EXIT
beside_nginx
# round R TARGET DIR: one `bench load` against TARGET (serving or nginx), its files under DIR
round() {
  local r=$1 target=$2 dir=$3 port=$SERVING_PORT
  [ "$target" = nginx ] && port=$NGINX_PORT
  local downloads=(--concurrency 1 --download-seconds 1)
  if [ -n "${DOWNLOADS:-}" ] && [ "$target" = serving ]; then
    downloads=(--concurrency "$DOWNLOADS" --download-seconds "${DOWNLOAD_SECONDS:-6}"
      --compare-url "http://127.0.0.1:$NGINX_PORT$WEIGHTS")
  fi
  echo "$(date -u +%T) round $r $target load $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUTDIR/log"
  # shellcheck disable=SC2086 # CLIENT_JAVA is a command line
  $CLIENT_JAVA -jar "$JAR" bench load --url "http://127.0.0.1:$port" --space demo-fmnist --rate "$RATE" \
    --duration "$DURATION" --warmup "$WARMUP" "${downloads[@]}" --lookup-concurrency 1 \
    --lookup-requests 100 --soak-requests 10 --latencies "$dir/lat-$target-$r.tsv" \
    --out "$dir/ab-$target-$r.json" 2>&1 | grep -E "req/s for|error" | tee -a "$OUTDIR/log"
}
[ "${WARM_ROUNDS:-1}" -gt 0 ] && mkdir -p "$OUTDIR/warm-up"
for w in $(seq 1 "${WARM_ROUNDS:-1}"); do
  round "warm-up-$w" serving "$OUTDIR/warm-up"
done
for r in $(seq 1 "$R"); do
  for target in serving nginx; do
    round "$r" "$target" "$OUTDIR"
  done
done
# Tails: python3 docs/bench/lookup_tails.py $OUTDIR; with DOWNLOADS: python3 docs/bench/download_ratios.py $OUTDIR
