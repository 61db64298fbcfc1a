#!/usr/bin/env bash
# #34 goal 2: Unmasking Trees merged into nbs/results/masses.json one table at a time (its score_samples on 32 draws per held-out row is
# slow), so that a stopped run keeps the tables it finished; a table already holding its scores is skipped. Run from the repository root:
#   nohup bash tools/masses_utrees.sh > logs/masses_utrees.log 2>&1 &
set -uo pipefail
export OMP_NUM_THREADS=1 ICDE_UTREES_PYTHON=${ICDE_UTREES_PYTHON:-$PWD/.utrees-venv/bin/python}
for t in iris wine auto_mpg diabetes concrete college breast_cancer white_wine spam7 diamonds; do
  python -c "import json,sys; r=[x for x in json.load(open('nbs/results/masses.json'))['results'] if x['table']=='$t']; sys.exit(0 if all('Unmasking Trees' in x['scores'] for x in r) else 1)" && continue
  s=$(date +%s)
  python benchmarks/masses.py --tables "$t" --methods 'Unmasking Trees' --json nbs/results/masses.json --merge > /dev/null 2>&1
  echo "$t: $(( $(date +%s) - s )) s"
done
