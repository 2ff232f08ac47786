"""Weight downloads, server / nginx on the same file in the same run, from `bench load` results that timed both
(lookup-beside-nginx.sh with DOWNLOADS, or load.sh): MB/s of each per client count, the ratio, and per client count
the range and median of the ratios over all files given.

    python3 docs/bench/download_ratios.py OUTDIR_OR_JSON [...]
"""
import glob
import json
import os
import re
import statistics
import sys


def result_files(args):
    for a in args:
        if os.path.isdir(a):
            yield from sorted(glob.glob(os.path.join(a, 'ab-serving-*.json')),
                              key=lambda f: int(re.search(r'-(\d+)\.json$', f).group(1)))
            yield from sorted(glob.glob(os.path.join(a, 'load*.json')))
        else:
            yield a


def clients(c):
    return f'{c} client{"s" if c > 1 else ""}'


ratios, table = {}, []
for path in result_files(sys.argv[1:]):
    rows = json.load(open(path)).get('downloads', [])
    mbs = {(r['target'], r['concurrency']): r['mbPerSecond'] for r in rows if r.get('errors', 0) == 0}
    cells = {}
    for c in {r['concurrency'] for r in rows}:
        server, nginx = mbs.get(('server', c)), mbs.get(('compare', c))
        if server is not None and nginx is not None:
            ratios.setdefault(c, []).append(server / nginx)
            cells[c] = f'{server:,.0f} / {nginx:,.0f} = {server / nginx:.2f}'
    if cells:
        table.append((os.path.basename(path), cells))
counts = sorted(ratios)
print('| run | ' + ' | '.join(clients(c) for c in counts) + ' |')
print('|---|' + '---|' * len(counts))
for name, cells in table:
    print(f'| {name} | ' + ' | '.join(cells.get(c, '-') for c in counts) + ' |')
print()
for c in counts:
    v = ratios[c]
    print(f'{clients(c)}: {min(v):.2f}-{max(v):.2f}x, median {statistics.median(v):.2f}, '
          f'at least 0.9x in {sum(x >= 0.9 for x in v)} of {len(v)}')
