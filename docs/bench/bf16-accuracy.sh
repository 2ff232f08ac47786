#!/usr/bin/env bash
# bf16 against fp32 on Fashion-MNIST (docs/bench/bf16.md, issue 15 point 2): the preferred / balanced arm of the
# results experiment (docs/experiments/fashion-mnist.sh's select --rank-by score, train and eval), trained once in
# fp32 and once in bf16 side by side (one compute thread each), each evaluated in fp32 and in bf16, in the
# recommended allocator configuration. Top-1 tables in OUT/{fp32,bf16}.eval-{fp32,bf16}.txt, times in OUT/log.
#
#   docs/bench/bf16-accuracy.sh target/prenas.jar out
set -u
JAR=$(realpath "$1"); OUT=$(realpath -m "$2")
DATA=${DATA:-/usr/share/datasets/fashion-mnist}
cd "$(dirname "$0")/../.."
SPACE=docs/spaces/fmnist-vit.yaml
mkdir -p "$OUT"
export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 \
  MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1,lg_extent_max_active_fit:10
run() { java -Xmx2g -jar "$JAR" "$@"; }
echo "$(date +%T) select" >> "$OUT/log"
run select --space $SPACE --data-free --batch-size 64 --micro-batch 64 --seed 0 --bin-by params \
  --min 0.1 --max 0.7 --interval 0.15 --top 1 --rank-by score --out "$OUT/picks-score.json" > "$OUT/select.log" 2>&1
train_and_eval() { # name precision
  run train --space $SPACE --preferred "$OUT/picks-score.json" --data "$DATA" --epochs 5 --batch 128 \
    --sampler balanced --seed 0 --lr 2e-3 --warmup-epochs 0.5 --threads 1 --checkpoint-every 1000 --precision "$2" \
    --out "$OUT/$1" > "$OUT/$1.train.log" 2>&1
  echo "$(date +%T) $1 trained" >> "$OUT/log"
  for ep in fp32 bf16; do
    run eval --space $SPACE --weights "$OUT/$1/supernet.safetensors" --preferred "$OUT/picks-score.json" \
      --data "$DATA" --batch 256 --threads 1 --precision $ep --out "$OUT/$1/results-$ep.json" \
      > "$OUT/$1.eval-$ep.txt" 2> "$OUT/$1.eval-$ep.log"
  done
  echo "$(date +%T) $1 evaluated" >> "$OUT/log"
}
echo "$(date +%T) train" >> "$OUT/log"
train_and_eval fp32 fp32 &
train_and_eval bf16 bf16 &
wait
echo "$(date +%T) end" >> "$OUT/log"
