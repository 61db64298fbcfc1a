"""Quality and speed of the Transformer-MDN against classical density estimators fitted on the same context.

Run: python benchmarks/quality.py [--checkpoint PATH] [--episodes 500] [--workers 2] [--symmetries 8]
Prints, on held-out test episodes of the default prior at Nc = 16, 64, 256 (512 queries each), the mean NLL gap
mean_j[log p_true(x_j) - log q(x_j)] (an unbiased estimate of KL(true || q), nats) of every method, and the time per
episode of batched `predict` + `log_prob` against an EM-BIC fit at Nc = 128, both on one CPU thread. --symmetries n adds the network
alone and the model averaged over n signed permutations of the axes (`SymmetryAverage`, scoring/03_bayes).
"""
import copy, time, math
from pathlib import Path
import numpy as np, torch
from fastcore.script import call_parse
from icde_nb.core import UsageError, comma_list
from icde_nb.density.dataset import EpisodicGMM, GMMPrior
from icde_nb.density.pretrained import resolve_model
from icde_nb.scoring.evaluation import by_context_size
from icde_nb.scoring.baselines import baselines, fit_em_bic, LABELS

# fastcore's call_parse runs main when this file is run (python benchmarks/quality.py ...), not when it is imported
@call_parse
def main(checkpoint:str=None,     # a checkpoint (.pt) to score in place of the shipped default model
         episodes:int=500,        # test episodes per context size (seed 0 of the test split), 512 queries each
         workers:int=2,           # worker processes for the scoring and the classical fits
         sizes:str='16,64,256',   # context sizes Nc, comma-separated
         symmetries:int=0,        # also the network alone and the model averaged over this many signed permutations of the axes (0: neither)
        ):
    "Mean NLL gap by context size and time per episode of the Transformer-MDN against classical density estimators."
    sizes = comma_list(sizes, 'sizes', int)
    if not sizes: raise UsageError('--sizes: give at least one context size, e.g. 16,64,256')
    if checkpoint and not Path(checkpoint).is_file(): raise UsageError(f'--checkpoint: no checkpoint at {checkpoint}')
    model = resolve_model(checkpoint or 'default')
    torch.set_num_threads(1)
    steps = model.refinement.steps
    frm = model.refinement.steps_from
    ours = (f'model (+{steps} EM steps' + (f' from {frm} points)' if frm else ')')) if steps else 'model (no refinement)'
    estimators = ({'model (no refinement)': model.estimator(refine=0)} if steps else {}) | {ours: model} | baselines(workers)
    if symmetries:
        from icde_nb.scoring.bayes import SymmetryAverage
        estimators |= {f'network alone, {symmetries} symmetries': SymmetryAverage(model.estimator(refine=0), symmetries),
                       f'model, {symmetries} symmetries': SymmetryAverage(model, symmetries)}
    evs = by_context_size(estimators, sizes, episodes, 512, workers=workers, progress=False)   # test episodes of GMMPrior(), seed 0
    rows = {nc: {LABELS.get(m, m): ev.scores[m]['nll_gap'] for m in ev.methods} for nc, ev in evs.items()}
    methods = list(rows[sizes[0]])
    print(f"\nMean NLL gap (nats; KL(true || q) estimate) on {episodes} test episodes, 512 queries each (+- standard error)")
    print('| method | ' + ' | '.join(f'Nc = {nc}' for nc in sizes) + ' |')
    print('|---|' + '---|' * len(sizes))
    for mth in methods:
        print(f'| {mth} | ' + ' | '.join(f'{rows[nc][mth].mean():.3f} ± {rows[nc][mth].std() / math.sqrt(len(rows[nc][mth])):.3f}' for nc in sizes) + ' |')
    best_classical = {nc: min(('EM-BIC', 'DP-GMM'), key=lambda n: rows[nc][n].mean()) for nc in sizes}
    for nc in sizes:
        b = best_classical[nc]; d = rows[nc][ours] - rows[nc][b]
        print(f"Nc = {nc}: {ours} {rows[nc][ours].mean():.3f} vs best classical ({b}) {rows[nc][b].mean():.3f}: "
              f"difference {d.mean():+.4f} ± {d.std() / math.sqrt(len(d)):.4f} (paired, {d.mean() / (d.std() / math.sqrt(len(d))):+.1f} s.e.) -> {'model better' if d.mean() < 0 else 'classical better'}")
    for m in [m for m in methods if m == 'model (no refinement)' or 'symmetries' in m]:      # against EM-BIC, paired
        for nc in sizes:
            d = rows[nc][m] - rows[nc]['EM-BIC']
            print(f"Nc = {nc}: {m} {rows[nc][m].mean():.4f} vs EM-BIC {rows[nc]['EM-BIC'].mean():.4f}: "
                  f"difference {d.mean():+.4f} ± {d.std() / math.sqrt(len(d)):.4f} (paired)")

    # speed at Nc = 128, one thread for torch and for scikit-learn's BLAS/OpenMP, measured side by side, 5 interleaved rounds
    from threadpoolctl import threadpool_limits
    ep = EpisodicGMM(GMMPrior(), 256, 128, 512, split='test', seed=1).episodes()
    x = ep.query.transpose(0, 1)                                                  # (Nq, B, D): torch's layout
    t_model, t_net, t_em, t_one = [], [], [], []
    one_pass = copy.copy(model); one_pass.cpu_tokens = 10 ** 9                 # the same network in one pass, no CPU chunking
    with threadpool_limits(1), torch.no_grad():
        model.predict(ep.context).log_prob(x)                                    # warm-up
        for _ in range(5):
            t = time.perf_counter(); model.predict(ep.context).log_prob(x); t_model.append((time.perf_counter() - t) / len(ep.context))
            t = time.perf_counter(); model.predict(ep.context, refine=0); t_net.append((time.perf_counter() - t) / len(ep.context))
            t = time.perf_counter(); one_pass.predict(ep.context, refine=0); t_one.append((time.perf_counter() - t) / len(ep.context))
            t = time.perf_counter()
            for i in range(16): fit_em_bic(ep.context[i])
            t_em.append((time.perf_counter() - t) / 16)
    t_model, t_net, t_em, t_one = (float(np.median(a)) for a in (t_model, t_net, t_em, t_one))
    c = model.config; N, d, L, D = 128 + 1, c.d_model, c.n_layers, c.dim
    full = L if c.readout else L - 1                                             # with the readout the last block runs over every token
    flops = (2 * N * 4 * D * d                                                   # token embedding
             + full * (2 * N * (4 * d * d + 2 * d * c.d_ff) + 4 * N * N * d)      # full blocks: qkv + proj, MLP, attention
             + (0 if c.readout else 2 * N * 3 * d * d + 2 * (d * d + 2 * d * c.d_ff) + 4 * N * d)   # last block: keys/values of all, the rest for the query only
             + (2 * d * c.n_components * d + 2 * N * d * d + 4 * c.n_components * N * d + 6 * c.n_components * N * D if c.readout else 0)  # readout: queries, keys, scores, moments
             + 2 * d * c.n_components * (1 + 2 * D))                              # MDN head
    print("\nSpeed at Nc = 128, one CPU thread, per episode (batch of 256 episodes, 512 query densities each; median of 5 rounds):")
    print(f"  model predict + log_prob: {t_model * 1e3:.3f} ms (network only: {t_net * 1e3:.3f} ms; "
          f"in one pass without cache-sized chunks: {t_one * 1e3:.3f} ms, {t_one / t_net:.2f}x slower)")
    print(f"  EM-BIC fit (K = 1..6):    {t_em * 1e3:.3f} ms   -> model is {t_em / t_model:.1f}x faster")
    print(f"  network forward: {flops / 1e6:.1f} MFLOP per episode -> {flops / t_net / 1e9:.1f} GFLOP/s achieved by the network alone")
