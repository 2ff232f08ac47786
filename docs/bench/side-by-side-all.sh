#!/usr/bin/env bash
# Every side-by-side measurement of issue 15 in one run on this machine, each against its baseline from the same run
# (the reference PreNAS for compute, nginx for serving), in the configuration the README, Dockerfile and chart
# recommend, then one summary of the ratios (OUT/summary.md):
#   1-2. train step, Tiny max subnet, batch 8: the reference fp32 against ours fp32 and bf16, R rounds at 1 and at 2
#        threads (side-by-side-train-step.sh, train_step_ratios.py)
#   3.   zero-cost selection, Tiny, batch 64: wall, gradient pass, peak RSS, R rounds at 1 and at 2 threads
#        (side-by-side-select.sh, select_ratios.py)
#   4.   JPEG decode + training transform at 224, one worker: ours against the reference's loader, R rounds on 2,000
#        generated JPEGs (data_rounds.sh, data_ratios.py)
#   5.   models/best open loop at 1,000/s beside nginx answering the same JSON, and weight downloads at 1/2/4/8
#        clients alternating with nginx on the same file, R rounds (lookup-beside-nginx.sh with DOWNLOADS,
#        lookup_tails.py, download_ratios.py), then one load.sh run
# The reference is set up outside the repository by ../shared/peer/setup.sh into $PEER; nginx from nginx-light.
# About 12 minutes per round on a 2-core machine, plus 10 for the serving part.
#
#   PEER=/scratch/peer PEER_SCRIPTS=../shared/peer docs/bench/side-by-side-all.sh target/prenas.jar out 3
set -u
JAR=$(realpath "$1"); OUT=$(realpath -m "$2"); R=${3:-3}
: "${PEER:?PEER must name the folder setup.sh prepared}" "${PEER_SCRIPTS:?PEER_SCRIPTS must name ../shared/peer}"
export PEER PEER_SCRIPTS
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT"
log() { echo "$(date -u +%T) $* (load $(cut -d' ' -f1 /proc/loadavg))" | tee -a "$OUT/log"; }

for t in 1 2; do
  log "train step, $t thread(s)"; "$HERE/side-by-side-train-step.sh" "$JAR" "$OUT/train-step" $t "$R"
  log "selection, $t thread(s)"; "$HERE/side-by-side-select.sh" "$JAR" "$OUT/select" $t "$R"
done
log "data loading"
[ -d "$OUT/images" ] || java -jar "$JAR" bench data --data "$OUT/images" --make-images 2000 --images 10 \
  > "$OUT/make-images.log" 2>&1
PRENAS="java -jar $JAR" "$HERE/data_rounds.sh" "$OUT/images" "$OUT/data" "$R" 600 > "$OUT/data-rounds.log" 2>&1
log "lookups and downloads beside nginx"; DOWNLOADS=1,2,4,8 "$HERE/lookup-beside-nginx.sh" "$JAR" "$OUT/lookups" "$R" > "$OUT/lookups.log" 2>&1
log "load.sh"; JAR="$JAR" RATE=1000 DURATION=30 SPACE=demo-fmnist "$HERE/load.sh" "$OUT/load.json" \
  > "$OUT/load.log" 2>&1
log "end"

{
  echo "# Side by side, $(date -u +%F), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"
  for t in 1 2; do
    echo; echo "## Train step, $t thread(s)"; echo; python3 "$HERE/train_step_ratios.py" "$OUT/train-step" $t
    echo; echo "## Selection, $t thread(s)"; echo; python3 "$HERE/select_ratios.py" "$OUT/select" $t
  done
  echo; echo "## Data loading"; echo; python3 "$HERE/data_ratios.py" "$OUT/data"
  echo; echo "## models/best at 1,000/s beside nginx"; echo; echo '```'; python3 "$HERE/lookup_tails.py" "$OUT/lookups"
  echo '```'; echo; echo "## Weight downloads beside nginx, same file, MB/s server / nginx"; echo
  python3 "$HERE/download_ratios.py" "$OUT/lookups"
  echo; echo "## load.sh: the lookup, and downloads against nginx on the same file"; echo
  python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print("lookup p99 %.2f ms at %.0f/s" % (d["best"]["p99Ms"], d["best"]["targetPerSecond"]))' "$OUT/load.json"
  echo; python3 "$HERE/download_ratios.py" "$OUT/load.json"
} > "$OUT/summary.md" 2>&1
cat "$OUT/summary.md"
