#!/usr/bin/env bash
# Alternates `prenas bench data` (opencv, imageio) and the reference's loader (docs/bench/ref_data.py: Pillow
# decode + our transform in torch ops, + the reference's training transform, + decode only) on the same files,
# one worker each, ROUNDS rounds; each run's JSON and the load average before it go to OUT.
# Usage: PRENAS="java -jar target/prenas.jar" REF_PYTHON=/usr/bin/python3 docs/bench/data_rounds.sh DIR OUT [ROUNDS] [IMAGES]
set -euo pipefail
DIR=$1 OUT=$2 ROUNDS=${3:-3} IMAGES=${4:-500}
PRENAS=${PRENAS:-java -jar target/prenas.jar}
REF_PYTHON=${REF_PYTHON:-/usr/bin/python3}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT"
for r in $(seq 1 "$ROUNDS"); do
  for side in opencv imageio ref-ours ref-ref ref-none; do
    echo "round $r $side load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/load.txt"
    case $side in
      opencv|imageio) $PRENAS bench data --data "$DIR" --decoder "$side" --workers 1 --images "$IMAGES" --warmup 300 \
        --out "$OUT/$side-$r.json" ;;
      ref-*) "$REF_PYTHON" "$HERE/ref_data.py" --data "$DIR" --transform "${side#ref-}" --workers 1 \
        --images "$IMAGES" --warmup 300 --out "$OUT/$side-$r.json" ;;
    esac
  done
done
