#!/usr/bin/env bash
# Budget lookups beside nginx (docs/bench/serving.md): one server started as the Dockerfile runs it (embedded
# PostgreSQL, the demo's models), nginx on loopback answering GET /api/v1/models/best with the server's own answer as a
# static JSON file (and the model's weights file), then R rounds alternating `bench load` against the serving port
# and against nginx: open loop at RATE lookups/s for DURATION s after WARMUP s, latency from each request's planned
# send time. Both targets share the machine and the client, so the host's scheduling shows in both.
# DOWNLOADS=1,2,4,8 also times whole weight downloads in each serving round, alternating the serving port and nginx
# (the same file) per client count, DOWNLOAD_SECONDS (6) each; ratios by download_ratios.py.
#
#   docs/bench/lookup-beside-nginx.sh target/prenas.jar out 3
#   DOWNLOADS=1,2,4,8 docs/bench/lookup-beside-nginx.sh target/prenas.jar out 5; python3 docs/bench/download_ratios.py out
set -euo pipefail
. "$(dirname "$0")/nginx-conf.sh"
. "$(dirname "$0")/bench-server.sh"
JAR=$(realpath "${1:-target/prenas.jar}"); OUTDIR=$(realpath -m "${2:-target/bench/lookup}"); R=${3:-3}
RATE=${RATE:-1000}; DURATION=${DURATION:-30}; WARMUP=${WARMUP:-10}
PORT=${PORT:-18090}; SERVING_PORT=${SERVING_PORT:-18093}; NGINX_PORT=${NGINX_PORT:-18091}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "nginx not found: apt-get install nginx-light" >&2; exit 1; }
mkdir -p "$OUTDIR"
WORK=$(mktemp -d /tmp/prenas-lookup.XXXXXX)
start_server "$WORK" "$PORT" "$SERVING_PORT" 1 java -XX:MaxRAMPercentage=75 -XX:+UseTransparentHugePages -jar "$JAR"
cleanup() {
  [ -f "$WORK/nginx.pid" ] && "$NGINX" -p "$WORK" -c "$WORK/nginx.conf" -s quit 2>/dev/null || true
  kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
BEST="http://127.0.0.1:$SERVING_PORT/api/v1/models/best?space=demo-fmnist&maxParams=1e12"
until curl -sf "$BEST" > "$WORK/best.json"; do
  kill -0 "$SERVER_PID" || { echo "server died; see its log" >&2; tail -20 "$WORK/server.log" >&2; exit 1; }
  sleep 5
done
SHA=$(sed -n 's/.*"sha256":"\([0-9a-f]\{64\}\)".*/\1/p' "$WORK/best.json")
ID=$(sed -n 's/^{"id":\([0-9]*\),.*/\1/p' "$WORK/best.json")
write_nginx_conf "$WORK" "$NGINX_PORT" <<LOCATIONS
    location = /api/v1/models/best { default_type application/json; alias $WORK/best.json; }
    location = /api/v1/models/$ID/weights {
      default_type application/octet-stream; alias $WORK/artifacts/${SHA:0:2}/${SHA:2:2}/$SHA;
    }
LOCATIONS
"$NGINX" -p "$WORK" -c "$WORK/nginx.conf"
sleep 1
WEIGHTS=/api/v1/models/$ID/weights
for r in $(seq 1 "$R"); do
  for target in serving nginx; do
    port=$SERVING_PORT; [ $target = nginx ] && port=$NGINX_PORT
    downloads=(--concurrency 1 --download-seconds 1)
    if [ -n "${DOWNLOADS:-}" ] && [ $target = serving ]; then
      downloads=(--concurrency "$DOWNLOADS" --download-seconds "${DOWNLOAD_SECONDS:-6}"
        --compare-url "http://127.0.0.1:$NGINX_PORT$WEIGHTS")
    fi
    echo "$(date -u +%T) round $r $target load $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUTDIR/log"
    java -Xmx2g -jar "$JAR" bench load --url "http://127.0.0.1:$port" --space demo-fmnist --rate "$RATE" \
      --duration "$DURATION" --warmup "$WARMUP" "${downloads[@]}" --lookup-concurrency 1 \
      --lookup-requests 100 --soak-requests 10 --latencies "$OUTDIR/lat-$target-$r.tsv" \
      --out "$OUTDIR/ab-$target-$r.json" 2>&1 | grep -E "req/s for|error" | tee -a "$OUTDIR/log"
  done
done
# Tails: python3 docs/bench/lookup_tails.py $OUTDIR; with DOWNLOADS: python3 docs/bench/download_ratios.py $OUTDIR
