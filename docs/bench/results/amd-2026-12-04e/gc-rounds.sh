#!/usr/bin/env bash
# gc-rounds.sh JAR OUT MODE R (thirteenth stop, from the repository root): the server started as beside-nginx.sh
# starts it, with its GC log (-Xlog:gc*,safepoint, uptime and CLOCK_MONOTONIC stamps) in OUT/gc.log; MODE gcrun asks
# it for one full collection (jcmd GC.run) once the demo's models are up, plain does not. Then WARM (1) unrecorded
# rounds against the serving port and R rounds alternating the serving port and nginx (bench load, 1,000 lookups/s,
# 30 s after 10 s), their p99 in OUT/log. EXTRA_OPTS: more server JVM options
# (-Dprenas.heap-collection.enabled=false for the runs without the new collections).
set -euo pipefail
B=docs/bench   # run from the repository root
. $B/nginx-conf.sh; . $B/bench-server.sh; . $B/beside-nginx.sh
JAR=$(realpath "$1"); OUT=$(realpath -m "$2"); MODE=$3; R=${4:-3}
PORT=18090; SERVING_PORT=18093; NGINX_PORT=18091
find_nginx; mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/prenas-gc.XXXXXX)
trap stop_beside_nginx EXIT
SERVER_OPTS="-Xlog:gc*,safepoint:file=$OUT/gc.log:uptime,timenanos ${EXTRA_OPTS:-}" beside_nginx
if [ "$MODE" = gcrun ]; then sleep 5; jcmd $SERVER_PID GC.run > /dev/null; fi
round() {
  local r=$1 target=$2 port=$SERVING_PORT
  [ "$target" = nginx ] && port=$NGINX_PORT
  echo "$(date -u +%T) round $r $target" >> "$OUT/log"
  $CLIENT_JAVA -jar "$JAR" bench load --url "http://127.0.0.1:$port" --space demo-fmnist --rate 1000 \
    --duration 30 --warmup 10 --concurrency 1 --download-seconds 1 --lookup-concurrency 1 \
    --lookup-requests 100 --soak-requests 10 --out "$OUT/ab-$target-$r.json" 2>&1 | grep -E "req/s for" | head -1 | sed "s/^/$r $target: /" | tee -a "$OUT/log"
}
for w in $(seq 1 ${WARM:-1}); do round w$w serving; done
for r in $(seq 1 $R); do round $r serving; round $r nginx; done
