"""Ratios of a side-by-side-select.sh run: per round, the gradient pass and the wall time of ours (fp32, bf16) over
the reference's from the same round, and the peak RSS of each.

    python3 docs/bench/select_ratios.py OUTDIR THREADS
"""
import glob
import json
import os
import re
import statistics
import sys

out, threads = sys.argv[1], sys.argv[2]
rounds = sorted(int(re.search(r'-(\d+)\.out$', f).group(1)) for f in glob.glob(f'{out}/ref-{threads}-*.out'))
print('| round | reference: gradient pass s / wall s / peak RSS | ours fp32: gradient pass s / wall s / peak RSS '
      '| ours bf16: gradient pass s / wall s / peak RSS | gradient pass / reference, fp32 | bf16 '
      '| wall / reference, fp32 | bf16 |')
print('|---|---|---|---|---:|---:|---:|---:|')
ratios = {}
for r in rounds:
    ref = open(f'{out}/ref-{threads}-{r}.out').read()
    grad = float(re.search(r'"gradient_s": ([0-9.]+)', ref).group(1))
    wall, kib = open(f'{out}/ref-{threads}-{r}.time').read().split()[0::2][:2]
    wall = float(wall)
    row = [f'{r}', f'{grad:.1f} / {wall:.1f} / {int(kib) / 2**20:.2f} GiB']
    marks = []
    for p in ('fp32', 'bf16'):
        f = f'{out}/ours-{p}-{threads}-{r}.json'
        if not os.path.exists(f):
            row.append('-'); marks += ['-', '-']
            continue
        o = json.load(open(f))
        g = o['phases_s']['gradient_pass']
        w = float(open(f'{out}/ours-{p}-{threads}-{r}.time').read().split()[0])
        row.append(f'{g:.1f} / {w:.1f} / {o["peak_rss_bytes"] / 1e9:.2f} GB')
        ratios.setdefault(('gradient pass', p), []).append(g / grad)
        ratios.setdefault(('wall', p), []).append(w / wall)
        marks += [f'{g / grad:.2f}', f'{w / wall:.2f}']
    row += [marks[0], marks[2], marks[1], marks[3]]
    print('| ' + ' | '.join(row) + ' |')
print()
for (what, p), v in sorted(ratios.items()):
    print(f'{what} {p}: {min(v):.2f}-{max(v):.2f}x, median {statistics.median(v):.2f} over {len(v)} rounds')
