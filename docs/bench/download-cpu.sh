#!/usr/bin/env bash
# CPU per download, ours against nginx (docs/bench/results/amd-2026-12-04/README.md): one server and nginx on the same
# weights file, set up as lookup-beside-nginx.sh sets them up (beside-nginx.sh), then N times: C clients download
# from the serving port, then from nginx. Over an 8-s window of each it prints downloads/s and the CPU per download of
# the server (or nginx's workers), of the client JVM and of the whole machine, from /proc; downloads are counted as
# the target's openat(2) calls (perf, as root), with the machine's context switches and local timer interrupts per
# download (/proc/stat, /proc/interrupts).
#
# TCP_CC="bbr cubic" runs each pair once per TCP congestion control listed (net.ipv4.tcp_congestion_control, as root; new
# connections on both ends take it, the serving and nginx listeners too since neither sets one; the machine's own
# setting comes back at exit). Unset: the machine's setting only.
#
#   docs/bench/download-cpu.sh target/prenas.jar 5 8 [LABEL] > out.txt
#   TCP_CC="bbr cubic" docs/bench/download-cpu.sh target/prenas.jar 5 8 pacing > out.txt
set -euo pipefail
. "$(dirname "$0")/nginx-conf.sh"
. "$(dirname "$0")/bench-server.sh"
. "$(dirname "$0")/beside-nginx.sh"
JAR=$(realpath "$1"); N=$2; C=$3; L=${4:-run}
PORT=${PORT:-18090}; SERVING_PORT=${SERVING_PORT:-18093}; NGINX_PORT=${NGINX_PORT:-18091}
find_nginx
WORK=$(mktemp -d /tmp/prenas-cpu.XXXXXX)
CC_SYSCTL=/proc/sys/net/ipv4/tcp_congestion_control
CC_MACHINE=$(cat "$CC_SYSCTL")
CCS=${TCP_CC:-$CC_MACHINE}
use_cc() { [ "$(cat "$CC_SYSCTL")" = "$1" ] || echo "$1" > "$CC_SYSCTL"; }
trap 'use_cc "$CC_MACHINE"; stop_beside_nginx' EXIT
for cc in $CCS; do
  grep -qw "$cc" /proc/sys/net/ipv4/tcp_available_congestion_control || { echo "no congestion control $cc here" >&2; exit 1; }
done
beside_nginx
NP=$(pgrep -P "$(cat "$WORK/nginx.pid")" | paste -sd,)  # nginx's workers
HZ=$(getconf CLK_TCK)
ticks() { local s=0; for p in ${1//,/ }; do read -r -a f < /proc/$p/stat; s=$((s + f[13] + f[14])); done; echo $s; }
busy() { read -r _ u n s i io irq sirq st _ < /proc/stat; echo "$((u+n+s+irq+sirq+st)) $((u+n+s+i+io+irq+sirq+st))"; }
# context switches, and local timer interrupts over all CPUs (x86's LOC line; 0 where there is none)
switches() { awk '$1 == "ctxt" {print $2}' /proc/stat; }
timers() { awk '$1 == "LOC:" {for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i} END {print s + 0}' /proc/interrupts; }
# C clients downloading from PORT for SECONDS (after the client's own unrecorded round of as long)
downloads() {
  # shellcheck disable=SC2086 # CLIENT_JAVA is a command line (beside-nginx.sh)
  $CLIENT_JAVA -jar "$JAR" bench load --url "http://127.0.0.1:$1" --space demo-fmnist --rate 200 --duration 1 \
    --warmup 0 --concurrency "$C" --download-seconds "$2" --lookup-concurrency 1 --lookup-requests 10 \
    --soak-requests 0 --out "$WORK/q.json" > /dev/null 2>&1
}
one() {
  local port=$1 tp=$2 name=$3
  downloads "$port" 6 &
  local bp=$!
  sleep 3  # the client's start and lookups; its downloads run 12 s (an unrecorded round, then the measured one)
  local cp; cp=$(pgrep -f "bench load --url http://127.0.0.1:$port" | head -1)
  perf stat -x, -e syscalls:sys_enter_openat -p "$tp" -o "$WORK/open.csv" sleep 8 &
  local pp=$!
  local t0 c0 m0 n0 x0 l0; t0=$(ticks "$tp"); c0=$(ticks "$cp"); m0=($(busy)); n0=$(date +%s%N)
  x0=$(switches); l0=$(timers)
  wait $pp
  local t1 c1 m1 n1 x1 l1; t1=$(ticks "$tp"); c1=$(ticks "$cp"); m1=($(busy)); n1=$(date +%s%N)
  x1=$(switches); l1=$(timers)
  wait $bp
  local d; d=$(grep openat "$WORK/open.csv" | cut -d, -f1)
  python3 -c "
d=$d; s=($n1-$n0)/1e9; hz=$HZ
print('%s %s %s c=%d  %.0f dl/s  target %.0f us  client %.0f us  machine %.0f us  (busy %.0f%%)'
  '  switches %.1f  timer irqs %.1f' % ('$L', '$cc', '$name', $C,
  d/s, ($t1-$t0)/hz*1e6/d, ($c1-$c0)/hz*1e6/d, (${m1[0]}-${m0[0]})/hz*1e6/d,
  100*(${m1[0]}-${m0[0]})/(${m1[1]}-${m0[1]}), ($x1-$x0)/d, ($l1-$l0)/d))"
}
# A fresh server compiles its download path during its first rounds (its C2 compiler took 12 % of the machine in the
# first measured window): one unrecorded round on each before the pairs.
downloads "$SERVING_PORT" 10; downloads "$NGINX_PORT" 10
for i in $(seq 1 "$N"); do
  for cc in $CCS; do
    use_cc "$cc"
    one "$SERVING_PORT" "$SERVER_PID" ours; one "$NGINX_PORT" "$NP" nginx
  done
done | tee "$WORK/lines"
# per congestion control: downloads/s and machine CPU per download of each pair, ours / nginx
python3 - "$WORK/lines" <<'SUMMARY'
import re, statistics, sys
pairs = {}
for line in open(sys.argv[1]):
    f = line.split()
    rate, machine = float(f[4]), float(re.search(r'machine (\d+) us', line).group(1))
    pairs.setdefault(f[1], {}).setdefault(f[2], []).append((rate, machine))
for cc, by in pairs.items():
    r = [o[0] / n[0] for o, n in zip(by['ours'], by['nginx'])]
    m = [o[1] / n[1] for o, n in zip(by['ours'], by['nginx'])]
    print(f'# {cc}: downloads/s ours / nginx {min(r):.2f}-{max(r):.2f}, median {statistics.median(r):.2f}; '
          f'machine CPU per download {min(m):.2f}-{max(m):.2f}, median {statistics.median(m):.2f} ({len(r)} pairs)')
SUMMARY
