#!/usr/bin/env bash
# bf16 against fp32 on Fashion-MNIST (docs/bench/bf16.md, issue 15 point 2): the preferred / balanced arm of the
# results experiment (docs/experiments/fashion-mnist.sh's select --rank-by score, train and eval), trained once in
# fp32 and once in bf16 side by side (one compute thread each), each evaluated in fp32 and in bf16, in the
# recommended allocator configuration. Top-1 tables in OUT/{fp32,bf16}.eval-{fp32,bf16}.txt, times in OUT/log.
#
#   docs/bench/bf16-accuracy.sh target/prenas.jar out
set -u
JAR=$(realpath "$1"); OUT=$(realpath -m "$2")
cd "$(dirname "$0")/../.."
mkdir -p "$OUT"
source docs/experiments/fmnist-recipe.sh   # the experiment's select, train and eval, in the recommended allocator setting
echo "$(date +%T) select" >> "$OUT/log"
select_bins "$OUT/picks-score.json" --top 1 --rank-by score > "$OUT/select.log" 2>&1
train_and_eval() { # name precision
  train_picks "$1" score balanced --precision "$2"
  echo "$(date +%T) $1 trained" >> "$OUT/log"
  for ep in fp32 bf16; do
    eval_picks "$1" score "-$ep" --precision $ep
  done
  echo "$(date +%T) $1 evaluated" >> "$OUT/log"
}
echo "$(date +%T) train" >> "$OUT/log"
train_and_eval fp32 fp32 &
train_and_eval bf16 bf16 &
wait
echo "$(date +%T) end" >> "$OUT/log"
