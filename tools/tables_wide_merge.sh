#!/usr/bin/env bash
# #33 goal 4, ours: merge 'in-context (ours)' (what InContextImputer() runs) and 'in-context, wide' into every chunk that
# tools/tables_wide.sh has written under nbs/results/tables_wide/ and that lacks them; run beside it, it checks every minute and stops
# when tables_wide.sh has stopped. Run from the repository root:
#   nohup bash tools/tables_wide_merge.sh > logs/tables_wide_merge.log 2>&1 &
set -uo pipefail
export OMP_NUM_THREADS=1
has() { python -c "import json,sys; r=json.load(open('$1'))['results']; sys.exit(0 if all('$2' in x['scores'] for x in r) else 1)"; }
while true; do
  for f in nbs/results/tables_wide/*_s[05].json; do
    [ -f "$f" ] || continue
    b=$(basename "$f" .json); t=${b%_s*}; first=${b##*_s}
    m=""
    has "$f" 'in-context (ours)' || m="in-context (ours)"
    has "$f" 'in-context, wide' || m="${m:+$m;}in-context, wide"
    [ -z "$m" ] && continue
    s=$(date +%s)
    python benchmarks/tables.py --tables "$t" --max-columns 0 --wide wide --methods "$m" --seeds 5 --first-seed "$first" --workers 1 \
      --merge --json "$f" > /dev/null
    echo "$f merged $m ($(( $(date +%s) - s )) s)"
  done
  pgrep -f tables_wide.sh > /dev/null || break
  sleep 60
done
