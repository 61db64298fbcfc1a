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
import json as jsonlib, shlex, sys, time
from pathlib import Path
from typing import Annotated
import numpy as np, torch
from fastcore.script import call_parse
from icde_nb.core import UsageError, comma_list, write_json
from icde_nb.density.dataset import EpisodicGMM, GMMPrior
from icde_nb.density.refinement import parse_refinement
from icde_nb.density.pretrained import resolve_model
from icde_nb.scoring.evaluation import evaluate
from icde_nb.scoring.baselines import Baseline, fit_em_bic
from icde_nb.scoring.bayes import bayes_estimator, GibbsEstimator, oracle_plugin, SymmetryAverage
from icde_nb.scoring.metrics import nll_gap

class Keep:
    "An estimator that keeps its last prediction (for p(K | C))."
    def __init__(self, est): self.est = est
    def __call__(self, context, context_mask=None):
        self.q = self.est(context, context_mask); self.last_seconds = getattr(self.est, 'last_seconds', None); return self.q

NAMES = {'bayes': 'bayes', 'model': 'model', 'network': 'model (no refinement)', 'gibbs': 'model + Gibbs', 'em_bic': 'em_bic',
         'sym_network': 'model (no refinement, 8 symmetries)', 'sym_model': 'model (8 symmetries)'}   # --methods: their rows' keys
ORACLES = {'oracle MLE': dict(prior=None), 'oracle MAP': dict(), 'oracle MAP, widened': dict(widen=True), 'oracle MAP, t tails': dict(tails=0.5)}

# fastcore's call_parse runs main when this file is run (python benchmarks/bayes_floor.py ...), not when it is imported
@call_parse
def main(sizes:str='16,32,64,128,256', # context sizes Nc, comma-separated
         episodes:int=200,     # test episodes per size (seed 0 of the test split), 512 queries each
         particles:int=1000,   # particles of the sequential Monte Carlo behind the exact Bayes predictive
         workers:int=2,        # worker processes
         methods:Annotated[str, f"comma-separated, any of {[*NAMES, 'oracle']} ('': none, e.g. with --gibbs-sweeps); "
                                "the other methods' entries already in --json are kept"]='bayes,model,network,gibbs,em_bic',
         json:str=None,        # write the scores to this file, merged into what it holds
         checkpoint:str=None,  # another model's checkpoint for model/network/gibbs (its keys get ' [TAG]'; goes with --tag)
         tag:str=None,         # the label of --checkpoint's rows
         gibbs_sweeps:str=None, # S1,S2,...: also the chains with S sweeps (burn-in S/6, every S/60-th kept: about 50 draws), rows 'model + Gibbs (S sweeps)'
         refine:str=None,      # STEPS,STRENGTH[,FROM]: the EM refinement of 'model' for --checkpoint, in place of its stored one (chosen on validation episodes); FROM: only contexts of at least FROM points
        ):
    "The Bayes floor: the exact posterior predictive against the model, its network, Gibbs chains and EM-BIC, by context size."
    sizes, SWEEPS = comma_list(sizes, 'sizes', int), comma_list(gibbs_sweeps, 'gibbs_sweeps', int)
    methods = comma_list(methods, 'methods', choices=[*NAMES, 'oracle'])
    if (checkpoint is None) != (tag is None): raise UsageError('--checkpoint and --tag go together')
    if checkpoint and not Path(checkpoint).is_file(): raise UsageError(f'--checkpoint: no checkpoint at {checkpoint}')
    if refine and not checkpoint: raise UsageError('--refine goes with --checkpoint (the shipped model keeps its own refinement)')
    if refine: parse_refinement(refine)                                           # a bad --refine stops the command before any work
    out = jsonlib.loads(Path(json).read_text()) if json and Path(json).exists() else dict(sizes={})
    for nc in sizes:
        old = out['sizes'].get(str(nc), {})
        if old and old['episodes'] != episodes: raise UsageError(f"--episodes: {json} has {old['episodes']} episodes at Nc = {nc}, this run {episodes}")
    torch.set_num_threads(1)
    model = resolve_model(checkpoint or 'default')
    if refine:
        model = model.with_refinement(parse_refinement(refine, model.refinement))
    cmd = shlex.join(['python', *sys.argv])
    out.update(particles=particles)
    if not checkpoint: out.update(refinement_steps=model.refinement.steps, refinement_from=model.refinement.steps_from)
    out.setdefault('commands', []).append(cmd)
    oracle = 'oracle' in methods
    todo = [NAMES[m] for m in methods if m != 'oracle']
    todo += [f'model + Gibbs ({S} sweeps)' for S in SWEEPS]
    for nc in sizes:
        t0 = time.perf_counter()
        ep = EpisodicGMM(GMMPrior(), episodes, nc, 512, split='test', seed=0).episodes()
        bayes = Keep(bayes_estimator(particles=particles, workers=workers))
        gibbs = Keep(GibbsEstimator(model.estimator(refine=0)))
        ests = {'bayes': bayes, 'model': model, 'model (no refinement)': model.estimator(refine=0), 'model + Gibbs': gibbs,
                'em_bic': Baseline(fit_em_bic, workers),
                'model (no refinement, 8 symmetries)': SymmetryAverage(model.estimator(refine=0)), 'model (8 symmetries)': SymmetryAverage(model)}
        ests |= {f'model + Gibbs ({S} sweeps)': GibbsEstimator(model.estimator(refine=0), sweeps=S, burn=S // 6, thin=max(1, S // 60)) for S in SWEEPS}
        key = lambda m: f'{m} [{tag}]' if tag and m not in ('bayes', 'em_bic') else m
        ev = evaluate({key(m): ests[m] for m in todo}, ep, metrics=('nll_gap',), references=(), workers=workers, progress=False) if todo else None
        orc = {}
        for m, kw in (ORACLES.items() if oracle else ()):                          # the truth's own fits: timed like the batched model
            t1 = time.perf_counter(); g = nll_gap(ep.mixture, oracle_plugin(ep.mixture, ep.context, **kw), ep.query)
            orc[m] = (g.tolist(), (time.perf_counter() - t1) / episodes)
        true_k = (ep.mixture.mixture_distribution.probs > 0).sum(-1)
        old = out['sizes'].get(str(nc), {})
        s = out['sizes'][str(nc)] = dict(old, episodes=episodes, true_k=true_k.tolist())
        s.setdefault('nll_gap', {}).update({m: ev.scores[m]['nll_gap'].tolist() for m in ev.methods} if ev else {})
        s.setdefault('seconds', {}).update(ev.seconds if ev else {})
        s['nll_gap'].update({m: g for m, (g, _) in orc.items()}); s['seconds'].update({m: t for m, (_, t) in orc.items()})
        s.setdefault('minutes', {}).update({','.join([*map(key, todo), *orc]): (time.perf_counter() - t0) / 60})
        if 'bayes' in todo: s['post_k'] = [list(p.post_k.values()) for p in bayes.q.parts]
        if 'model + Gibbs' in todo: s[key('post_k_gibbs')] = gibbs.q.post_k.tolist()
        s = out['sizes'][str(nc)]
        print(f"Nc = {nc}: " + ', '.join(f"{m} {np.mean(v):.3f} ± {np.std(v) / np.sqrt(len(v)):.3f}" for m, v in s['nll_gap'].items())
              + f"; {(time.perf_counter() - t0) / 60:.1f} min", flush=True)
        if json: write_json(json, out, cmd)
