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
import argparse, json, shlex, sys, time
from dataclasses import asdict, replace
from pathlib import Path
import numpy as np
import torch
from icde_nb.density.dataset import GENERAL
from icde_nb.density.training import PRESETS, fit
from icde_nb.tabular.tables import TABLES, heldout_loglik as heldout
from icde_nb.tabular.estimators import InContextDensity
from icde_nb.density.model import load_pretrained
from icde_nb.scoring.baselines import fit_em_bic

VARIANTS = dict(control=GENERAL, warp=replace(GENERAL, warp_prob=0.3), discrete=replace(GENERAL, round_prob=0.2, clip_prob=0.2),
                tabular=PRESETS['tabular'][1].prior)

def ours(model):
    def make(tr, s):
        est = InContextDensity(model, random_state=s).fit(tr)
        return lambda te: est.score(te)
    return make

def gmm_bic(tr, s):
    q = fit_em_bic(tr, seed=s, covariance_type='full')
    return lambda te: q.log_prob(torch.tensor(te, dtype=torch.float32)).mean().item()

def kde_cv(tr, s):
    from sklearn.model_selection import GridSearchCV
    from sklearn.neighbors import KernelDensity
    kde = GridSearchCV(KernelDensity(), {'bandwidth': np.logspace(-1.5, 0.5, 16)}, cv=5).fit(tr).best_estimator_
    return lambda te: float(kde.score_samples(te).mean())

def bayes_gmm(tr, s):
    from sklearn.mixture import BayesianGaussianMixture
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        g = BayesianGaussianMixture(n_components=8, covariance_type='full', max_iter=500, random_state=s).fit(tr)
    return lambda te: float(g.score_samples(te).mean())

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--train', action='store_true'); ap.add_argument('--variants', default=','.join(VARIANTS))
    ap.add_argument('--steps', type=int, default=3000); ap.add_argument('--out', default='runs/ablation'); ap.add_argument('--json', default=None)
    ap.add_argument('--only', default=None, help="rescore only these columns (comma-separated, e.g. 'tabular (shipped)') into the existing --json file")
    a = ap.parse_args()
    torch.set_num_threads(1)
    variants = a.variants.split(',')
    if a.train:
        mc, tc = PRESETS['tabular']
        for v in variants:
            t = time.time()
            _, hist = fit(mc, replace(tc, prior=VARIANTS[v], steps=a.steps, max_minutes=None, val_every=a.steps // 2), out=f'{a.out}/{v}.pt', progress=False)
            ck = torch.load(f'{a.out}/{v}.pt', weights_only=True)                 # the shipped models' refinement, as for tabular.pt
            ck['refinement'] = asdict(load_pretrained('general').refinement); torch.save(ck, f'{a.out}/{v}.pt')
            print(f'{v}: {a.steps} steps in {(time.time() - t) / 60:.1f} min; validation gap (mean over D x Nc) '
                  f'{np.mean(list(hist["val"][-1].values())):.3f}', flush=True)
        raise SystemExit
    rows = {}
    models = {f'fine-tuned {a.steps} steps on {v}': f'{a.out}/{v}.pt' for v in variants if Path(f'{a.out}/{v}.pt').exists()}
    models = {'general (shipped)': 'general', **models}
    if (Path(__file__).parents[1] / 'icde_nb/weights/tabular.pt').exists(): models['tabular (shipped)'] = 'tabular'
    if a.only:                                                                    # some of our columns again, the rest kept
        only = a.only.split(',')
        old = json.loads(Path(a.json).read_text())
        for name in TABLES:
            old['scores'][name].update({k: heldout(name, ours(models[k])) for k in only})
            print(name, {k: round(old['scores'][name][k], 3) for k in only}, flush=True)
        old['command'] += ' && ' + shlex.join(['python', *sys.argv])
        Path(a.json).write_text(json.dumps(old, indent=1)); raise SystemExit
    for name in TABLES:
        rows[name] = ({k: heldout(name, ours(m)) for k, m in models.items()} | {'GaussianMixture (K by BIC)': heldout(name, gmm_bic),
                      'KernelDensity (CV bandwidth)': heldout(name, kde_cv), 'BayesianGaussianMixture (8, full)': heldout(name, bayes_gmm)})
        print(name, {k: round(v, 3) for k, v in rows[name].items()}, flush=True)
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
        Path(a.json).write_text(json.dumps(dict(command=' '.join(['python', *sys.argv]), scores=rows), indent=1))
