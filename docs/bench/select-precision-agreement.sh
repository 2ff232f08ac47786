#!/usr/bin/env bash
# Does a bf16 gradient pass pick what an fp32 one picks? (docs/bench/selector.md) Runs the Tiny selection (data-free,
# batch 64, the reference's bins: 5-12 M params by 1 M) with --precision fp32 and bf16 for each seed, keeping every
# candidate of a bin ranked (--top 1000), then compares the two rankings bin by bin.
#
#   docs/bench/select-precision-agreement.sh target/prenas.jar out "0 1 2 3" [reference]
set -u
JAR=$1; OUTDIR=$2; SEEDS=${3:-0 1 2 3}; MODE=${4:-}
mkdir -p "$OUTDIR"
compat=; [ -n "$MODE" ] && compat="--score-compat $MODE"
pairs=
for s in $SEEDS; do
  for p in fp32 bf16; do
    LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1,lg_extent_max_active_fit:10 \
      java -Xmx2g -Dai.djl.pytorch.num_threads=1 -jar $JAR select --space autoformer-tiny --data-free \
      --batch-size 64 --seed $s --bin-by params --min 5 --max 12 --interval 1 --top 1000 $compat --precision $p \
      --threads 1 --out $OUTDIR/$p-seed$s${MODE:+-$MODE}.json > $OUTDIR/$p-seed$s${MODE:+-$MODE}.log 2>&1
  done
  pairs="$pairs $OUTDIR/fp32-seed$s${MODE:+-$MODE}.json $OUTDIR/bf16-seed$s${MODE:+-$MODE}.json"
done
python3 "$(dirname "$0")/compare_selections.py" $pairs | tee $OUTDIR/agreement${MODE:+-$MODE}.txt
