#!/usr/bin/env bash
# trend.sh JAR OUT R (fourteenth stop; run from the repository root): one fresh server, started as
# lookup-beside-nginx.sh starts it but with -XX:+PrintCompilation, and no unrecorded round; R rounds of 30 s at
# 1,000 lookups/s alternating the serving port and nginx; the server's CPU time per thread at each round's start
# (OUT/threads.tsv); its log copied to OUT.
set -euo pipefail
B=docs/bench
. $B/nginx-conf.sh; . $B/bench-server.sh; . $B/beside-nginx.sh
JAR=$(realpath "$1"); OUT=$(realpath -m "$2"); R=${3:-6}
PORT=18090; SERVING_PORT=18093; NGINX_PORT=18091
find_nginx; mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/prenas-trend.XXXXXX)
trap 'cp $WORK/server.log $OUT/ 2>/dev/null; stop_beside_nginx' EXIT
SERVER_OPTS="${SERVER_OPTS:-} -XX:+PrintCompilation" beside_nginx
threads() { # tag
  for t in /proc/$SERVER_PID/task/*; do
    printf '%s\t%s\t%s\n' "$1" "$(tr ' ' '_' < $t/comm)" "$(awk '{print $14+$15}' $t/stat)"
  done >> "$OUT/threads.tsv"
}
echo "ready $(date -u +%T) uptime-ms $(( ($(date +%s%N) - $(stat -c %Y /proc/$SERVER_PID)000000000) / 1000000 ))" >> "$OUT/log"
for r in $(seq 1 "$R"); do
  for target in serving nginx; do
    port=$SERVING_PORT; [ $target = nginx ] && port=$NGINX_PORT
    threads "before-$target-$r"
    echo "$(date -u +%T) round $r $target load $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/log"
    $CLIENT_JAVA -jar "$JAR" bench load --url "http://127.0.0.1:$port" --space demo-fmnist --rate 1000 \
      --duration 30 --warmup 10 --concurrency 1 --download-seconds 1 --lookup-concurrency 1 \
      --lookup-requests 100 --soak-requests 10 --latencies "$OUT/lat-$target-$r.tsv" \
      --out "$OUT/ab-$target-$r.json" 2>&1 | grep -E "req/s for|error" | tee -a "$OUT/log"
  done
done
threads end
