"""Speed of models against one EM-BIC fit, side by side in one run (the speed goal: a model at least 10x faster than EM per thread).

Run: python benchmarks/speed.py [--models default,checkpoints/default_readout_12k.pt] [--sizes 16,64,256] [--refine 2,32[,128]] [--gibbs] [--rounds 5]
For each context size: test episodes of the default prior (256 episodes, 512 queries each), one CPU thread for torch and for
scikit-learn; each round times, one after another, every model's batched `predict` + `log_prob` (with its own refinement, and the
network alone) and 16 EM-BIC fits (K = 1..6). Prints the median over rounds of ms per episode and EM-BIC's time over each model's.
--refine STEPS,STRENGTH[,FROM] also times each model with that refinement in place of its own (FROM: only contexts of at least FROM points).
--gibbs also times each model's network followed by Gibbs chains (`GibbsEstimator`, its default settings: 600 sweeps, 100 of burn-in,
every tenth kept), the path to within 10% of the Bayes floor (scoring/03_bayes).
"""
import time
from dataclasses import replace
from pathlib import Path
from typing import Annotated
import numpy as np, torch
from threadpoolctl import threadpool_limits
from fastcore.script import call_parse
from icde_nb.core import UsageError, comma_list
from icde_nb.density.dataset import EpisodicGMM, GMMPrior
from icde_nb.density.refinement import parse_refinement
from icde_nb.density.pretrained import resolve_model, shipped_models
from icde_nb.scoring.baselines import fit_em_bic
from icde_nb.scoring.bayes import GibbsEstimator

def per_episode(f, n:int)->float:
    "Seconds per episode of one call of f over n episodes."
    t = time.perf_counter(); f(); return (time.perf_counter() - t) / n

# fastcore's call_parse runs main when this file is run (python benchmarks/speed.py ...), not when it is imported
@call_parse
def main(models:Annotated[str, f"comma-separated models: shipped names (any of {shipped_models()}) or .pt checkpoint paths"]='default,checkpoints/default_readout_12k.pt',
         sizes:str='16,64,256', # context sizes Nc, comma-separated
         rounds:int=5,          # timing rounds; the median is reported
         refine:str=None,       # STEPS,STRENGTH[,FROM]: also time each model with this refinement in place of its own (FROM: only contexts of at least FROM points)
         gibbs:bool=False,      # also time each model's network followed by Gibbs chains
        ):
    "Milliseconds per episode of each model's batched predict + log_prob against one EM-BIC fit, side by side on one CPU thread."
    sizes = comma_list(sizes, 'sizes', int)
    if refine: parse_refinement(refine)                                           # a bad --refine stops the command before any work
    names = comma_list(models, 'models')
    for m in names:
        if m.endswith('.pt') and not Path(m).is_file(): raise UsageError(f'--models: no checkpoint at {m}')
        if not m.endswith('.pt') and m not in shipped_models():
            raise UsageError(f"--models: {m!r} is neither a shipped model {shipped_models()} nor a .pt checkpoint path")
    torch.set_num_threads(1)
    models = {m: resolve_model(m) for m in names}
    runs = {}                                                                     # label: (model, the refinement it runs with)
    for name, model in models.items():
        own = model.refinement
        runs[f"{name} (+{own.steps} EM steps{f' from {own.steps_from} points' if own.steps_from else ''})"] = (model, own)
        runs[f'{name}, network alone'] = (model, replace(own, steps=0))
        if refine:
            r = parse_refinement(refine, own)
            runs[f"{name} (+{r.steps} EM steps, strength {r.strength:g}{f', from {r.steps_from} points' if r.steps_from else ''})"] = (model, r)
        if gibbs: runs[f'{name} + Gibbs'] = (GibbsEstimator(model.estimator(refine=0)), None)
    print(f"ms per episode, one CPU thread, median of {rounds} rounds (256 episodes of 512 query densities; 16 EM-BIC fits)")
    print('| Nc | ' + ' | '.join(runs) + ' | EM-BIC |\n|---|' + '---|' * (len(runs) + 1))
    ratios = {}
    for nc in sizes:
        ep = EpisodicGMM(GMMPrior(), 256, nc, 512, split='test', seed=1).episodes()
        x = ep.query.transpose(0, 1)                                              # (Nq, B, D): torch's layout
        t = {k: [] for k in [*runs, 'EM-BIC']}
        with threadpool_limits(1), torch.no_grad():
            for model in models.values(): model.predict(ep.context).log_prob(x)    # warm-up
            for _ in range(rounds):
                for k, (model, r) in runs.items():
                    if r is None: t[k].append(per_episode(lambda: model(ep.context).log_prob(x), len(ep.context))); continue   # an estimator
                    t[k].append(per_episode(lambda: model.predict(ep.context, refinement=r).log_prob(x), len(ep.context)))
                t['EM-BIC'].append(per_episode(lambda: [fit_em_bic(ep.context[i]) for i in range(16)], 16))
        med = {k: float(np.median(v)) for k, v in t.items()}
        ratios[nc] = {k: med['EM-BIC'] / med[k] for k in runs}
        print(f'| {nc} | ' + ' | '.join(f'{med[k] * 1e3:.2f}' for k in runs) + f" | {med['EM-BIC'] * 1e3:.2f} |", flush=True)
    print('\nEM-BIC time / model time (the goal: >= 10)')
    print('| Nc | ' + ' | '.join(runs) + ' |\n|---|' + '---|' * len(runs))
    for nc, r in ratios.items(): print(f'| {nc} | ' + ' | '.join(f'{v:.1f}x' for v in r.values()) + ' |')
