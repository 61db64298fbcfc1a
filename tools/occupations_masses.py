"""#33, a lever measured on occupations (tabular/02_imputation, "All the columns"): does reading the zeros as point masses (the DataFrame
path of 04_columns) improve the imputations of InContextImputer over the array path? MCAR 30%, seeds 0 and 1, the table standardised as a
whole, RMSE over the hidden entries. Run from the repository root:  OMP_NUM_THREADS=1 python tools/occupations_masses.py"""
import warnings
import numpy as np
import pandas as pd
from icde_nb.tabular.tables import load_table
from icde_nb.tabular.estimators import InContextImputer

warnings.filterwarnings('ignore')
X = load_table('occupations').to_numpy().astype(float)
X = (X - X.mean(0)) / X.std(0)
for seed in (0, 1):
    hid = np.random.RandomState(seed).rand(*X.shape) < 0.3
    Xm = np.where(hid, np.nan, X)
    as_array = InContextImputer(random_state=seed).fit_transform(Xm)
    df = pd.DataFrame(Xm, columns=[f'c{j}' for j in range(X.shape[1])])
    imp = InContextImputer(random_state=seed).fit(df)
    as_frame = imp.transform(df).to_numpy(dtype=float)
    rmse = lambda Z: np.sqrt(((Z - X)[hid] ** 2).mean())
    masses = sum(len(c.masses) > 0 for c in imp.schema_.columns)
    print(f"seed {seed}: RMSE as an array {rmse(as_array):.3f}, as a DataFrame {rmse(as_frame):.3f} "
          f"({masses} of {X.shape[1]} columns with a point mass), mean imputation {rmse(np.where(hid, 0., X)):.3f}")
