"""Episode sampling: vectorised `sample_episodes` against per-episode Python loops, side by side, one CPU thread.

Run: python benchmarks/sampling.py
Prints episodes per second for each method at Nc = Nq = 128, D = 2, and the speed-up ratios.
"""
import time, numpy as np, torch
from fastcore.script import call_parse
from icde_nb.density.dataset import GMMPrior, sample_episodes

torch.set_num_threads(1)
P, NC, NQ = GMMPrior(), 128, 128

def random_mixture(rng):
    "One mixture of the prior, drawn with numpy: K, weights, means, stds."
    K = rng.integers(P.k_min, P.k_max + 1)
    return K, rng.dirichlet(np.ones(K)), rng.normal(0, P.mean_scale, (K, P.dim)), rng.uniform(P.std_low, P.std_high, (K, P.dim))

def stack(pairs):
    "(context, query) arrays of each episode -> (B, Nc, D), (B, Nq, D) tensors."
    return tuple(torch.stack([torch.tensor(a, dtype=torch.float32) for a in side]) for side in zip(*pairs))

def loop_points(n, rng):
    "Per-episode loop drawing each point on its own (a literal `__getitem__` with a per-point `_sample_points`)."
    out = []
    for _ in range(n):
        K, pis, means, sigs = random_mixture(rng)
        draw = lambda m: np.stack([rng.normal(means[k], sigs[k]) for k in rng.choice(K, size=m, p=pis)])
        out.append((draw(NC), draw(NQ)))
    return stack(out)

def loop_episodes(n, rng):
    "Per-episode loop, points of an episode drawn in one numpy call (the strongest loop)."
    out = []
    for _ in range(n):
        K, pis, means, sigs = random_mixture(rng)
        k = rng.choice(K, size=NC + NQ, p=pis); x = means[k] + sigs[k] * rng.standard_normal((NC + NQ, P.dim))
        out.append((x[:NC], x[NC:]))
    return stack(out)

def rate(f, n, reps=3):
    "Best-of-`reps` episodes per second of `f(n)`."
    best = float('inf')
    for _ in range(reps):
        t = time.perf_counter(); f(n); best = min(best, time.perf_counter() - t)
    return n / best

# fastcore's call_parse runs main when this file is run (python benchmarks/sampling.py), not when it is imported
@call_parse
def main():
    "Episodes per second of vectorised `sample_episodes` against per-episode Python loops at Nc = Nq = 128, D = 2, one thread."
    g, rng = torch.Generator().manual_seed(0), np.random.default_rng(0)
    vec = rate(lambda n: sample_episodes(P, n, NC, NQ, g), 8192)
    per_ep = rate(lambda n: loop_episodes(n, rng), 2000)
    per_pt = rate(lambda n: loop_points(n, rng), 100, reps=1)
    print(f"episodes/s at Nc=Nq={NC}, D={P.dim}, 1 thread")
    print(f"  sample_episodes (vectorised)          {vec:12,.0f}")
    print(f"  per-episode loop, per-point draws     {per_pt:12,.0f}   ratio {vec / per_pt:8.0f}x")
    print(f"  per-episode loop, numpy within episode{per_ep:12,.0f}   ratio {vec / per_ep:8.1f}x")
