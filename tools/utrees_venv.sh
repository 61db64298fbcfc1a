#!/usr/bin/env bash
# Unmasking Trees (utrees 0.3) needs scikit-learn < 1.6 and kditransform < 1.2, which the library's environment does not have:
# it runs in its own virtual environment, called by icde_nb.tabular.imputation.impute_utrees (benchmarks/tables.py --wide ...).
# Run from the repository root: bash tools/utrees_venv.sh   (then .utrees-venv/bin/python runs it; ICDE_UTREES_PYTHON overrides the path)
set -euo pipefail
python3 -m venv .utrees-venv
.utrees-venv/bin/pip install -q "utrees==0.3" "scikit-learn<1.6" "kditransform<1.2"
.utrees-venv/bin/python -c "import utrees, sklearn; print('utrees ready; scikit-learn', sklearn.__version__)"
