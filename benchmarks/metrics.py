"""Exact W1 by assignment (icde_nb.scoring.metrics.wasserstein) against scipy's linear program, side by side.

Run: python benchmarks/metrics.py
Prints the time of each at n = 64, 128, 256 points in 2-D, their ratio, and the largest difference of the results.
"""
import time, numpy as np
from fastcore.script import call_parse
from scipy.stats import wasserstein_distance_nd
from icde_nb.scoring.metrics import wasserstein

def timed(f, *a):
    t = time.perf_counter(); r = f(*a); return r, time.perf_counter() - t

# fastcore's call_parse runs main when this file is run (python benchmarks/metrics.py), not when it is imported
@call_parse
def main():
    "Exact W1 by assignment against scipy's linear program: times at n = 64, 128, 256 points in 2-D, their ratio, the largest difference."
    rng = np.random.default_rng(0)
    print('   n    assignment (ms)   scipy LP (ms)   ratio   max |difference|')
    for n in (64, 128, 256):
        ta, ts, diff = [], [], 0.0
        for _ in range(3):
            x, y = rng.normal(size=(n, 2)), rng.normal(size=(n, 2)) * 1.5 + 0.5
            a, t1 = timed(wasserstein, x, y); s, t2 = timed(wasserstein_distance_nd, x, y)
            ta.append(t1); ts.append(t2); diff = max(diff, abs(a - s))
        print(f'{n:4d}    {np.median(ta) * 1e3:12.2f}   {np.median(ts) * 1e3:12.1f}   {np.median(ts) / np.median(ta):6.0f}x   {diff:.1e}')
