#!/usr/bin/env python3
"""Ratios of docs/bench/data_rounds.sh's output: images/s per worker of each side per round, the medians, and ours
(opencv) over the reference's loader (ref-ref: Pillow + its training transform) and like for like (ref-ours).

    python3 docs/bench/data_ratios.py OUTDIR
"""
import glob
import json
import statistics
import sys

outdir = sys.argv[1]
sides = ('opencv', 'imageio', 'ref-ours', 'ref-ref', 'ref-none')
rates = {}
for side in sides:
    for f in sorted(glob.glob(f'{outdir}/{side}-*.json'), key=lambda p: int(p.rsplit('-', 1)[1].split('.')[0])):
        try:
            rates.setdefault(side, []).append(json.load(open(f))['imagesPerSecondPerWorker'])
        except (OSError, ValueError, KeyError):
            continue  # a run that failed
print('| run | images/s per worker, by round | median |')
print('|---|---|---:|')
for side, r in rates.items():
    print(f"| `{side}` | {' / '.join(f'{v:.1f}' for v in r)} | {statistics.median(r):.1f} |")
print()
if 'opencv' in rates:
    for base, what in (('ref-ref', "the reference's loader"), ('ref-ours', 'like for like')):
        if base in rates:
            print(f"ours (opencv) / {what} ({base}): {statistics.median(rates['opencv']) / statistics.median(rates[base]):.2f}x")
