#!/usr/bin/env bash
# cpu-per-lookup.sh JAR OUT [ROUNDS] (thirteenth stop): CPU per lookup (utime+stime over 15 s) and syscalls per lookup (strace -c, separate rounds)
set -euo pipefail
B=docs/bench   # run from the repository root
. $B/nginx-conf.sh; . $B/bench-server.sh; . $B/beside-nginx.sh
JAR=$(realpath "$1"); OUT=$(realpath -m "$2"); R=${3:-2}
PORT=18090; SERVING_PORT=18093; NGINX_PORT=18091
find_nginx; mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/prenas-prof.XXXXXX)
trap stop_beside_nginx EXIT
beside_nginx
tick=$(getconf CLK_TCK)
cpu() { local s=0; for p in "$@"; do s=$((s + $(awk '{print $14+$15}' /proc/$p/stat))); done; echo $s; }
load() { # port seconds tag
  $CLIENT_JAVA -jar "$JAR" bench load --url "http://127.0.0.1:$1" --space demo-fmnist --rate 1000 --duration "$2" \
    --warmup 5 --concurrency 1 --download-seconds 1 --lookup-concurrency 1 --lookup-requests 100 --soak-requests 10 \
    --out "$OUT/$3.json" > "$OUT/$3.log" 2>&1
}
load $SERVING_PORT 40 warm
NGPIDS=$(pgrep -P "$(cat $WORK/nginx.pid)" | tr '\n' ' ')
for r in $(seq 1 $R); do
  for t in serving nginx; do
    if [ $t = serving ]; then port=$SERVING_PORT; pids=$SERVER_PID; else port=$NGINX_PORT; pids=$NGPIDS; fi
    load $port 25 cpu-$t-$r & L=$!
    sleep 10; a=$(cpu $pids); sleep 15; b=$(cpu $pids)
    echo "$t round $r: $(( (b-a)*1000000/tick/15000 )) us/lookup" | tee -a "$OUT/summary"
    wait $L
    load $port 25 strace-$t-$r & L=$!
    sleep 10
    args=(); for p in $pids; do args+=(-p $p); done
    timeout -s INT 10 strace -f -c -o "$OUT/strace-$t-$r.txt" "${args[@]}" || true
    wait $L
    grep -E "req/s for" "$OUT/strace-$t-$r.log" | head -2 >> "$OUT/summary" || true
  done
done
