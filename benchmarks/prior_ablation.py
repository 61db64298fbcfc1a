"""What each real-table addition to the training prior buys (issue #11): the general model fine-tuned for the same number of steps
on GENERAL (the control: more training, no column shaping), on GENERAL + warps, on GENERAL + rounding and clipping, and on the full
TABULAR prior; each scored by held-out log-likelihood on the offline real tables and by its validation gap on the synthetic family.

Run: python benchmarks/prior_ablation.py --train [--steps 3000] [--out runs/ablation]   # fine-tune the four variants (one thread each);
                                                                       # each gets the shipped models' refinement (5 steps, 16, from 256)
     python benchmarks/prior_ablation.py [--out runs/ablation] [--json nbs/results/prior_ablation.json]   # score them
     python benchmarks/prior_ablation.py --only 'tabular (shipped)' --json nbs/results/prior_ablation.json   # rescore one column
Scoring: each table's first 8 numeric columns, split at random into halves (3 seeds), standardised on the first half; the estimator
reads the first half (InContextDensity, default settings) and scores the second (mean log density per row). The shipped `general`
and `tabular` checkpoints, GaussianMixture (full, K by BIC over 1..6), KernelDensity (bandwidth by 5-fold
cross-validation) and BayesianGaussianMixture (8 full components, Dirichlet-process weights) are scored beside them.
"""
import json as jsonlib, shlex, sys, time
from dataclasses import asdict, replace
from pathlib import Path
from typing import Annotated
import numpy as np
import torch
from fastcore.script import call_parse
from icde_nb.core import UsageError, comma_list, write_json
from icde_nb.density.dataset import GENERAL
from icde_nb.density.training import PRESETS, fit
from icde_nb.tabular.tables import (TABLES, heldout_loglik as heldout, incontext_fit as ours, gmm_bic_fit as gmm_bic,
                                    kde_cv_fit as kde_cv, bayes_gmm_fit as bayes_gmm)
from icde_nb.density.pretrained import resolve_model

VARIANTS = dict(control=GENERAL, warp=replace(GENERAL, warp_prob=0.3), discrete=replace(GENERAL, round_prob=0.2, clip_prob=0.2),
                tabular=PRESETS['tabular'][1].prior)

# fastcore's call_parse runs main when this file is run (python benchmarks/prior_ablation.py ...), not when it is imported
@call_parse
def main(train:bool=False,   # fine-tune the variants (one thread each) instead of scoring them
         variants:Annotated[str, f"comma-separated, any of {list(VARIANTS)}"]=','.join(VARIANTS),
         steps:int=3000,     # fine-tuning steps of each variant (and the STEPS of their columns' names)
         out:str='runs/ablation', # folder of the fine-tuned checkpoints, VARIANT.pt
         json:str=None,      # write the scores to this file
         only:str=None,      # rescore only these columns (comma-separated, e.g. 'tabular (shipped)', 'general (shipped)' or 'fine-tuned 3000 steps on warp') into the existing --json file
        ):
    "What each real-table addition to the training prior buys: the general model fine-tuned on each prior variant, scored on real tables."
    variants = comma_list(variants, 'variants', choices=VARIANTS)
    if only and not (json and Path(json).is_file()): raise UsageError('--only rescores columns of an existing --json file: give it')
    torch.set_num_threads(1)
    if train:
        mc, tc = PRESETS['tabular']
        for v in variants:
            t = time.time()
            _, hist = fit(mc, replace(tc, prior=VARIANTS[v], steps=steps, max_minutes=None, val_every=steps // 2), out=f'{out}/{v}.pt', progress=False)
            ck = torch.load(f'{out}/{v}.pt', weights_only=True)                 # the shipped models' refinement, as for tabular.pt
            ck['refinement'] = asdict(resolve_model('general').refinement); torch.save(ck, f'{out}/{v}.pt')
            print(f'{v}: {steps} steps in {(time.time() - t) / 60:.1f} min; validation gap (mean over D x Nc) '
                  f'{np.mean(list(hist["val"][-1].values())):.3f}', flush=True)
        return
    rows = {}
    models = {f'fine-tuned {steps} steps on {v}': f'{out}/{v}.pt' for v in variants if Path(f'{out}/{v}.pt').exists()}
    models = {'general (shipped)': 'general', **models}
    if (Path(__file__).parents[1] / 'icde_nb/weights/tabular.pt').exists(): models['tabular (shipped)'] = 'tabular'
    if only:                                                                      # some of our columns again, the rest kept
        only = comma_list(only, 'only', choices=models)
        old = jsonlib.loads(Path(json).read_text())
        for name in TABLES:
            old['scores'][name].update({k: heldout(name, ours(models[k])) for k in only})
            print(name, {k: round(old['scores'][name][k], 3) for k in only}, flush=True)
        write_json(json, old, old['command'] + ' && ' + shlex.join(['python', *sys.argv])); return
    for name in TABLES:
        rows[name] = ({k: heldout(name, ours(m)) for k, m in models.items()} | {'GaussianMixture (K by BIC)': heldout(name, gmm_bic),
                      'KernelDensity (CV bandwidth)': heldout(name, kde_cv), 'BayesianGaussianMixture (8, full)': heldout(name, bayes_gmm)})
        print(name, {k: round(v, 3) for k, v in rows[name].items()}, flush=True)
    if json: write_json(json, dict(scores=rows))
