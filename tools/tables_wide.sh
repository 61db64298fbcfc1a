#!/usr/bin/env bash
# #33 goal 4, the classical part: every column of the sixteen tables (tabular/01_tables TABLES + WIDE_TABLES), MCAR / MAR / MNAR at 30%,
# 10 seeds, in chunks of 5 seeds per table, one JSON file per chunk under nbs/results/tables_wide/ (a chunk already there is skipped, so the
# run stops and goes on across sessions). The wide model is added afterwards, chunk by chunk, with --merge (see nbs/tabular/02_imputation).
# 'GMM, EM (K by BIC)' is left out: full covariances per pattern of missing entries cost O(D^3) per row and component (54 s per
# 500 x 30 table against 2 s for the MFA, which is the mixture route for wide tables). Run from the repository root:
#   bash tools/tables_wide.sh [workers]
set -euo pipefail
workers=${1:-1}
methods="Gaussian, EM;gcimpute;IterativeImputer;MissForest;miceforest;KNNImputer;mean;Gaussian, shrunk (EM);MFA, EM (K, rank by BIC)"
mkdir -p nbs/results/tables_wide
# cheapest first
for t in iris auto_mpg spam7 diamonds concrete ais wine diabetes ca_schools white_wine boston college crime occupations fatalities breast_cancer; do
  for first in 0 5; do
    f=nbs/results/tables_wide/${t}_s${first}.json
    [ -f "$f" ] && continue
    s=$(date +%s)
    OMP_NUM_THREADS=1 python benchmarks/tables.py --tables "$t" --max-columns 0 --methods "$methods" --seeds 5 --first-seed "$first" \
      --workers "$workers" --json "$f" > /dev/null
    echo "$t seeds $first-$((first + 4)): $(( $(date +%s) - s )) s"
  done
done
# Unmasking Trees (its own venv: bash tools/utrees_venv.sh) on seeds 0-1 only: about 24 minutes per seed and mechanism over the sixteen
# tables on one core (34 s on ais, 202 x 11), 12 hours for ten seeds. Its comparisons use the instances it ran.
for t in iris auto_mpg spam7 diamonds concrete ais wine diabetes ca_schools white_wine boston college crime occupations fatalities breast_cancer; do
  f=nbs/results/tables_wide/utrees_${t}.json
  [ -f "$f" ] && continue
  s=$(date +%s)
  OMP_NUM_THREADS=1 python benchmarks/tables.py --tables "$t" --max-columns 0 --methods "Unmasking Trees" --seeds 2 \
    --workers "$workers" --json "$f" > /dev/null
  echo "$t Unmasking Trees seeds 0-1: $(( $(date +%s) - s )) s"
done
