#!/usr/bin/env bash
# #34 goal 1, ours: merge 'in-context (ours)' into every chunk of nbs/results/mixed/ (tools/mixed_peers.sh) that lacks it; run it again
# after a change to ours with --again to re-run ours into every chunk. Run from the repository root:
#   bash tools/mixed_merge.sh [--again]
set -uo pipefail
export OMP_NUM_THREADS=1
again=${1:-}
for f in nbs/results/mixed/*_s[05].json; do
  [ -f "$f" ] || continue
  b=$(basename "$f" .json); t=${b%_s*}; first=${b##*_s}
  if [ -z "$again" ] && python -c "import json,sys; r=json.load(open('$f'))['results']; sys.exit(0 if all('in-context (ours)' in x['scores'] for x in r) else 1)"; then continue; fi
  s=$(date +%s)
  python benchmarks/mixed.py --tables "$t" --methods 'in-context (ours)' --seeds 5 --first-seed "$first" --workers 1 --json "$f" --merge > /dev/null 2>&1
  echo "$f merged ours ($(( $(date +%s) - s )) s)"
done
