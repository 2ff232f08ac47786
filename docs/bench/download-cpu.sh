#!/usr/bin/env bash
# CPU per download, ours against nginx (docs/bench/results/amd-2026-12-04/README.md): one server and nginx on the same
# weights file, set up as lookup-beside-nginx.sh sets them up (beside-nginx.sh), then N times: C clients download
# from the serving port, then from nginx. Over an 8-s window of each it prints downloads/s and the CPU per download of
# the server (or nginx's workers), of the client JVM and of the whole machine, from /proc; downloads are counted as
# the target's openat(2) calls (perf, as root).
#
#   docs/bench/download-cpu.sh target/prenas.jar 5 8 [LABEL] > out.txt
set -euo pipefail
. "$(dirname "$0")/nginx-conf.sh"
. "$(dirname "$0")/bench-server.sh"
. "$(dirname "$0")/beside-nginx.sh"
JAR=$(realpath "$1"); N=$2; C=$3; L=${4:-run}
PORT=${PORT:-18090}; SERVING_PORT=${SERVING_PORT:-18093}; NGINX_PORT=${NGINX_PORT:-18091}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "nginx not found: apt-get install nginx-light" >&2; exit 1; }
WORK=$(mktemp -d /tmp/prenas-cpu.XXXXXX)
trap stop_beside_nginx EXIT
beside_nginx
NP=$(pgrep -P "$(cat "$WORK/nginx.pid")" | paste -sd,)  # nginx's workers
HZ=$(getconf CLK_TCK)
ticks() { local s=0; for p in ${1//,/ }; do read -r -a f < /proc/$p/stat; s=$((s + f[13] + f[14])); done; echo $s; }
busy() { read -r _ u n s i io irq sirq st _ < /proc/stat; echo "$((u+n+s+irq+sirq+st)) $((u+n+s+i+io+irq+sirq+st))"; }
one() {
  local port=$1 tp=$2 name=$3
  java -Xmx2g -jar "$JAR" bench load --url "http://127.0.0.1:$port" --space demo-fmnist --rate 200 --duration 1 \
    --warmup 0 --concurrency "$C" --download-seconds 6 --lookup-concurrency 1 --lookup-requests 10 \
    --soak-requests 0 --out "$WORK/q.json" > /dev/null 2>&1 &
  local bp=$!
  sleep 3  # the client's start and lookups; its downloads run 12 s (an unrecorded round, then the measured one)
  local cp; cp=$(pgrep -f "bench load --url http://127.0.0.1:$port" | head -1)
  perf stat -x, -e syscalls:sys_enter_openat -p "$tp" -o "$WORK/open.csv" sleep 8 &
  local pp=$!
  local t0 c0 m0 n0; t0=$(ticks "$tp"); c0=$(ticks "$cp"); m0=($(busy)); n0=$(date +%s%N)
  wait $pp
  local t1 c1 m1 n1; t1=$(ticks "$tp"); c1=$(ticks "$cp"); m1=($(busy)); n1=$(date +%s%N)
  wait $bp
  local d; d=$(grep openat "$WORK/open.csv" | cut -d, -f1)
  python3 -c "
d=$d; s=($n1-$n0)/1e9; hz=$HZ
print('%s %s c=%d  %.0f dl/s  target %.0f us  client %.0f us  machine %.0f us  (busy %.0f%%)' % ('$L', '$name', $C,
  d/s, ($t1-$t0)/hz*1e6/d, ($c1-$c0)/hz*1e6/d, (${m1[0]}-${m0[0]})/hz*1e6/d,
  100*(${m1[0]}-${m0[0]})/(${m1[1]}-${m0[1]})))"
}
for i in $(seq 1 "$N"); do one "$SERVING_PORT" "$SERVER_PID" ours; one "$NGINX_PORT" "$NP" nginx; done
