#!/usr/bin/env bash
# #34 goal 1, the peers: every method of MIXED_METHODS but ours on the sixteen mixed tables (tabular/05_mixed_tables), MCAR / MAR / MNAR
# at 30%, 10 seeds, in chunks of 5 seeds per table, one JSON file per chunk under nbs/results/mixed/ (a chunk already there is skipped, so
# the run stops and goes on across sessions). Ours is merged into each chunk afterwards (seconds per chunk):
#   python benchmarks/mixed.py --tables T --methods 'in-context (ours)' --seeds 5 --first-seed S --workers 1 --json nbs/results/mixed/T_sS.json --merge
# Unmasking Trees (its own venv: bash tools/utrees_venv.sh) runs on seeds 0-1 only, as in #33 (40 s an instance). Run from the repository root:
#   bash tools/mixed_peers.sh [workers]
set -euo pipefail
workers=${1:-1}
export ICDE_UTREES_PYTHON=${ICDE_UTREES_PYTHON:-$PWD/.utrees-venv/bin/python}
methods="mixed mixture, EM (K by BIC);miceforest;MissForest (one-hot);gcimpute;MICE, most frequent level;KNN (one-hot);mean / mode"
tables=$(python -c "from icde_nb.tabular.mixed_tables import MIXED_TABLES; print(' '.join(MIXED_TABLES))")
mkdir -p nbs/results/mixed
for t in $tables; do
  for first in 0 5; do
    f=nbs/results/mixed/${t}_s${first}.json
    [ -f "$f" ] && continue
    s=$(date +%s)
    OMP_NUM_THREADS=1 python benchmarks/mixed.py --tables "$t" --methods "$methods" --seeds 5 --first-seed "$first" --workers "$workers" \
      --json "$f" > /dev/null 2>&1
    echo "$t seeds $first-$((first + 4)): $(( $(date +%s) - s )) s"
  done
done
for t in $tables; do
  f=nbs/results/mixed/utrees_${t}.json
  [ -f "$f" ] && continue
  s=$(date +%s)
  OMP_NUM_THREADS=1 python benchmarks/mixed.py --tables "$t" --methods "Unmasking Trees" --seeds 2 --workers "$workers" --json "$f" > /dev/null 2>&1
  echo "$t Unmasking Trees seeds 0-1: $(( $(date +%s) - s )) s"
done
