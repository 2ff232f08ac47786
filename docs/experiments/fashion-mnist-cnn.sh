#!/usr/bin/env bash
# The PreNAS experiment on Fashion-MNIST with a CNN space (docs/results.md, "CNN"): selector picks trained with the
# balanced sampler, against the same picks trained with the redundant (whole-space) sampler, and against the largest
# (most FLOPs) and random architecture per FLOPs bin. Same seed, steps and recipe everywhere. Two runs at a time with
# one compute thread each.
#
#   apt-get install dataset-fashion-mnist libjemalloc2 && ./mvnw -q package -DskipTests
#   docs/experiments/fashion-mnist-cnn.sh [out-dir] [epochs]
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-target/fmnist-cnn}
EPOCHS=${2:-5}
DATA=/usr/share/datasets/fashion-mnist
SPACE=docs/spaces/fmnist-cnn.yaml
JAR=$OUT/prenas.jar
mkdir -p "$OUT"
cp target/prenas.jar "$JAR"   # a copy, so a rebuild cannot pull the jar from under a running job
export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
export MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1,lg_extent_max_active_fit:10   # jemalloc page decay off (README, "jemalloc")
run() { java -Xmx2g -jar "$JAR" "$@"; }

# One data-free gradient pass per resolution (summed cross-entropy, spec cnn-space §8), then per FLOPs bin the exact
# best architecture by score, by FLOPs, or drawn uniformly from the bin.
for rank in score flops random; do
  run select --space $SPACE --data-free --batch-size 64 --seed 0 --bin-by flops \
    --min 1M --max 4.6M --interval 0.9M --top 1 --rank-by $rank --out "$OUT/picks-$rank.json"
done

train_eval() { # name picks sampler
  run train --space $SPACE --preferred "$OUT/picks-$2.json" --data $DATA --epochs "$EPOCHS" --batch 128 \
    --sampler "$3" --seed 0 --lr 2e-3 --warmup-epochs 0.5 --threads 1 --checkpoint-every 1000 \
    --out "$OUT/$1" > "$OUT/$1.train.log" 2>&1
  # every architecture's BatchNorm statistics are recalibrated on 8 x 64 training images before it is measured
  run eval --space $SPACE --weights "$OUT/$1/supernet.safetensors" --preferred "$OUT/picks-$2.json" \
    --data $DATA --batch 256 --threads 1 --out "$OUT/$1/results.json" > "$OUT/$1.eval.txt" 2>"$OUT/$1.eval.log"
}

train_eval preferred-balanced score balanced &
train_eval preferred-redundant score redundant &
wait
train_eval largest-balanced flops balanced &
train_eval random-balanced random balanced &
wait
for r in preferred-balanced preferred-redundant largest-balanced random-balanced; do
  echo "== $r"; cat "$OUT/$r.eval.txt"
done
