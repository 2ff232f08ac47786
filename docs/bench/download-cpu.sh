#!/usr/bin/env bash
# CPU per download, ours against nginx (docs/bench/results/amd-2026-12-04/README.md): on a server and an nginx already
# running on the same weights file (as lookup-beside-nginx.sh sets them up; nginx also answering /api/v1/models/best
# with the server's answer), N times: C clients download from the serving port, then from nginx. Over an 8-s window
# of each it prints downloads/s and the CPU per download of the server (or nginx's workers), of the client JVM and of
# the whole machine, from /proc; downloads are counted as the target's openat(2) calls (perf, as root).
#
#   docs/bench/download-cpu.sh JAR SERVER_PID SERVING_PORT NGINX_PORT N C LABEL
set -euo pipefail
JAR=$1; SP=$2; SPORT=$3; NPORT=$4; N=$5; C=$6; L=$7
NP=$(pgrep -f "nginx: worker" | paste -sd,)
HZ=$(getconf CLK_TCK); TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
ticks() { local s=0; for p in ${1//,/ }; do read -r -a f < /proc/$p/stat; s=$((s + f[13] + f[14])); done; echo $s; }
busy() { read -r _ u n s i io irq sirq st _ < /proc/stat; echo "$((u+n+s+irq+sirq+st)) $((u+n+s+i+io+irq+sirq+st))"; }
one() {
  local port=$1 tp=$2 name=$3
  java -Xmx2g -jar "$JAR" bench load --url "http://127.0.0.1:$port" --space demo-fmnist --rate 200 --duration 1 \
    --warmup 0 --concurrency "$C" --download-seconds 6 --lookup-concurrency 1 --lookup-requests 10 \
    --soak-requests 0 --out "$TMP/q.json" > /dev/null 2>&1 &
  local bp=$!
  sleep 3  # the client's start and lookups; its downloads run 12 s (an unrecorded round, then the measured one)
  local cp; cp=$(pgrep -f "bench load --url http://127.0.0.1:$port" | head -1)
  perf stat -x, -e syscalls:sys_enter_openat -p "$tp" -o "$TMP/open.csv" sleep 8 &
  local pp=$!
  local t0 c0 m0 n0; t0=$(ticks "$tp"); c0=$(ticks "$cp"); m0=($(busy)); n0=$(date +%s%N)
  wait $pp
  local t1 c1 m1 n1; t1=$(ticks "$tp"); c1=$(ticks "$cp"); m1=($(busy)); n1=$(date +%s%N)
  wait $bp
  local d; d=$(grep openat "$TMP/open.csv" | cut -d, -f1)
  python3 -c "
d=$d; s=($n1-$n0)/1e9; hz=$HZ
print('%s %s c=%d  %.0f dl/s  target %.0f us  client %.0f us  machine %.0f us  (busy %.0f%%)' % ('$L', '$name', $C,
  d/s, ($t1-$t0)/hz*1e6/d, ($c1-$c0)/hz*1e6/d, (${m1[0]}-${m0[0]})/hz*1e6/d,
  100*(${m1[0]}-${m0[0]})/(${m1[1]}-${m0[1]})))"
}
for i in $(seq 1 "$N"); do one "$SPORT" "$SP" ours; one "$NPORT" "$NP" nginx; done
