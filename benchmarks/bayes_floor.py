"""The Bayes floor (issue #14; `icde_nb.scoring.bayes`, notebook scoring/03_bayes reads the JSON this writes): the exact posterior predictive of
the dissertation's prior against the shipped model (with and without its EM refinement), the model followed by Gibbs chains
(`GibbsEstimator`) and EM-BIC, on the same test episodes of the default prior, by context size; KL(true || q) estimated by the
NLL gap on 512 queries per episode.

Run: python benchmarks/bayes_floor.py [--sizes 16,32,64,128,256] [--episodes 200] [--particles 1000] [--workers 2]
                                      [--methods bayes,model,network,gibbs,em_bic] [--json nbs/results/bayes_floor.json]
With --methods a subset, the other methods' entries already in the JSON are kept (e.g. --methods gibbs adds the chains' scores
to a finished floor run). Also records p(K | C) of every episode (its mean over episodes must be the prior over K) and the
seconds per episode (one thread). --checkpoint runs/default_long.pt --tag 'longer training' --methods model,network,gibbs scores another
checkpoint of the default architecture on the same episodes; --methods oracle adds `oracle_plugin`'s rows (EM at the true K from the true
parameters: 'oracle MLE', 'oracle MAP', 'oracle MAP, widened', 'oracle MAP, t tails'; they read the truth, so they are references, not estimators); --methods sym_network,sym_model: the network and the model
averaged over the 8 signed permutations of the axes (`SymmetryAverage`); --methods '' --gibbs-sweeps 60,150,300 adds chains of other lengths (the cost-accuracy trade); --refine 2,32 gives its 'model' 2 EM steps of strength 32 (--refine 2,32,128: only on contexts of 128 points or more).
"""
import argparse, json, sys, time
from dataclasses import replace
from pathlib import Path
import numpy as np, torch
from icde_nb.density.dataset import EpisodicGMM, GMMPrior
from icde_nb.density.model import load_pretrained, load_model
from icde_nb.scoring.evaluation import evaluate
from icde_nb.scoring.baselines import Baseline, fit_em_bic
from icde_nb.scoring.bayes import bayes_estimator, GibbsEstimator, oracle_plugin, SymmetryAverage
from icde_nb.scoring.metrics import nll_gap

class Keep:
    "An estimator that keeps its last prediction (for p(K | C))."
    def __init__(self, est): self.est = est
    def __call__(self, context, context_mask=None):
        self.q = self.est(context, context_mask); self.last_seconds = getattr(self.est, 'last_seconds', None); return self.q

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--sizes', default='16,32,64,128,256'); ap.add_argument('--episodes', type=int, default=200)
    ap.add_argument('--particles', type=int, default=1000); ap.add_argument('--workers', type=int, default=2)
    ap.add_argument('--methods', default='bayes,model,network,gibbs,em_bic'); ap.add_argument('--json', default=None)
    ap.add_argument('--checkpoint', default=None, help="another model's checkpoint for model/network/gibbs (its keys get ' [TAG]')")
    ap.add_argument('--tag', default=None)
    ap.add_argument('--gibbs-sweeps', default=None, help="S1,S2,...: also the chains with S sweeps (burn-in S/6, every S/60-th kept: about 50 draws), rows 'model + Gibbs (S sweeps)'")
    ap.add_argument('--refine', default=None, help="STEPS,STRENGTH[,FROM]: the EM refinement of 'model' for --checkpoint, in place of its stored one (chosen on validation episodes); FROM: only contexts of at least FROM points")
    a = ap.parse_args()
    torch.set_num_threads(1)
    if (a.checkpoint is None) != (a.tag is None): raise SystemExit('--checkpoint and --tag go together')
    model = load_model(a.checkpoint) if a.checkpoint else load_pretrained()
    if a.refine:
        if not a.checkpoint: raise SystemExit('--refine goes with --checkpoint (the shipped model keeps its own refinement)')
        n, tau, *frm = a.refine.split(','); model.refinement = replace(model.refinement, steps=int(n), strength=float(tau), steps_from=int(frm[0]) if frm else 0)
    out = json.loads(Path(a.json).read_text()) if a.json and Path(a.json).exists() else dict(sizes={})
    out.update(particles=a.particles)
    if not a.checkpoint: out.update(refinement_steps=model.refinement.steps, refinement_from=model.refinement.steps_from)
    out.setdefault('commands', []).append(' '.join(['python', *sys.argv]))
    NAMES = {'bayes': 'bayes', 'model': 'model', 'network': 'model (no refinement)', 'gibbs': 'model + Gibbs', 'em_bic': 'em_bic',
             'sym_network': 'model (no refinement, 8 symmetries)', 'sym_model': 'model (8 symmetries)'}
    ORACLES = {'oracle MLE': dict(prior=None), 'oracle MAP': dict(), 'oracle MAP, widened': dict(widen=True), 'oracle MAP, t tails': dict(tails=0.5)}
    oracle = 'oracle' in a.methods.split(',')
    todo = [NAMES[m] for m in a.methods.split(',') if m and m != 'oracle']
    SWEEPS = [int(v) for v in a.gibbs_sweeps.split(',')] if a.gibbs_sweeps else []
    todo += [f'model + Gibbs ({S} sweeps)' for S in SWEEPS]
    for nc in [int(s) for s in a.sizes.split(',')]:
        t0 = time.perf_counter()
        ep = EpisodicGMM(GMMPrior(), a.episodes, nc, 512, split='test', seed=0).episodes()
        bayes = Keep(bayes_estimator(particles=a.particles, workers=a.workers))
        gibbs = Keep(GibbsEstimator(model.estimator(refine=0)))
        ests = {'bayes': bayes, 'model': model, 'model (no refinement)': model.estimator(refine=0), 'model + Gibbs': gibbs,
                'em_bic': Baseline(fit_em_bic, a.workers),
                'model (no refinement, 8 symmetries)': SymmetryAverage(model.estimator(refine=0)), 'model (8 symmetries)': SymmetryAverage(model)}
        ests |= {f'model + Gibbs ({S} sweeps)': GibbsEstimator(model.estimator(refine=0), sweeps=S, burn=S // 6, thin=max(1, S // 60)) for S in SWEEPS}
        key = lambda m: f'{m} [{a.tag}]' if a.tag and m not in ('bayes', 'em_bic') else m
        ev = evaluate({key(m): ests[m] for m in todo}, ep, metrics=('nll_gap',), references=(), workers=a.workers, progress=False) if todo else None
        orc = {}
        for m, kw in (ORACLES.items() if oracle else ()):                          # the truth's own fits: timed like the batched model
            t1 = time.perf_counter(); g = nll_gap(ep.mixture, oracle_plugin(ep.mixture, ep.context, **kw), ep.query)
            orc[m] = (g.tolist(), (time.perf_counter() - t1) / a.episodes)
        true_k = (ep.mixture.mixture_distribution.probs > 0).sum(-1)
        old = out['sizes'].get(str(nc), {})
        if old and old['episodes'] != a.episodes: raise SystemExit(f"Nc = {nc}: the JSON has {old['episodes']} episodes, this run {a.episodes}")
        s = out['sizes'][str(nc)] = dict(old, episodes=a.episodes, true_k=true_k.tolist())
        s.setdefault('nll_gap', {}).update({m: ev.scores[m]['nll_gap'].tolist() for m in ev.methods} if ev else {})
        s.setdefault('seconds', {}).update(ev.seconds if ev else {})
        s['nll_gap'].update({m: g for m, (g, _) in orc.items()}); s['seconds'].update({m: t for m, (_, t) in orc.items()})
        s.setdefault('minutes', {}).update({','.join([*map(key, todo), *orc]): (time.perf_counter() - t0) / 60})
        if 'bayes' in todo: s['post_k'] = [list(p.post_k.values()) for p in bayes.q.parts]
        if 'model + Gibbs' in todo: s[key('post_k_gibbs')] = gibbs.q.post_k.tolist()
        s = out['sizes'][str(nc)]
        print(f"Nc = {nc}: " + ', '.join(f"{m} {np.mean(v):.3f} ± {np.std(v) / np.sqrt(len(v)):.3f}" for m, v in s['nll_gap'].items())
              + f"; {(time.perf_counter() - t0) / 60:.1f} min", flush=True)
        if a.json: Path(a.json).write_text(json.dumps(out))
