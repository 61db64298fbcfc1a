"""The amortized-posterior study (issue #12; `icde_nb.posterior.model`; its notebook, posterior/05_study, reads the JSON this writes): every claim of the second seed
checked on several seeds, with encoders of matched parameter count, KL in both directions with medians, calibration (SBC) for
every estimator, and the wall time of every run.

Run: python benchmarks/posterior.py --part all --config cpu [--json nbs/results/posterior_study_cpu.json]   # 2 cores: about 76 minutes (target 90)
     python benchmarks/posterior.py --part all --config full --workers 16 [--json nbs/results/posterior_study.json]   # a many-core machine
     (--config cpu: every part but the two high-dimensional ones (highdim, multimodal) and the five tasks without a reference (noref, mlp), 128 evaluation data sets a run; --config full:
     every part, 256 evaluation data sets; both 3 seeds of 500 steps. With 'all' every run of the configuration (comparisons, misspec and variable)
     shares one pool of worker processes, one CPU thread each, the costliest first, and the JSON records the configuration and its minutes)
     python benchmarks/posterior.py --part core|full|highdim|pe|noref|misspec|variable|multimodal|mlp ...   # one part (merged into --json)
Parts (every run: --steps steps of 64 data sets of 64 points, encoders at the transformer's parameter count):
  core     the first comparison: gaussian-2d, gaussian-16d, linreg-4, mixture-means x transformer / DeepSets / GRU
           x Gaussian / flow head x forward / reverse KL
  full     the full-covariance head on the correlated regression posteriors (linreg-4, linreg-4-bias), with the diagonal
           head on linreg-4-bias beside it
  highdim  the 100-dimensional Gaussian mean, transformer, diagonal / full Gaussian head, forward / reverse KL
  highdim_flow  the same with a flow head: 30 minutes a 1500-step run on one CPU thread under reverse KL, so not in 'all'
  pe       the positional-encoding ablation: transformer with sinusoidal positions on gaussian-16d and linreg-4
  noref    tasks without a reference posterior (logistic-2, mlp-reg-tanh, mixture-means-2d): calibration and predictive LL only
  mlp      the paper's other two networks, without a reference posterior (mlp-reg-relu, mlp-class-tanh): as noref
  misspec  a line assumed (linreg-1-bias), data from a tanh network (mlp-reg-tanh): forward KL and reverse KL on the line's
           simulations, reverse KL on the network's data, each scored by held-out MSE on both processes
  variable one transformer (full head) per objective on linreg-var-8 with data sets of 8 to 128 points, scored at N = 8, 32, 128
           and at F = 1, 2, 4, 8 features
  multimodal the seed's next check 1: the two means of a mixture in 64-D (P = 128, two mirror modes, exact reference),
           transformer x Gaussian / flow head x forward / reverse KL, scored on 128 data sets with 200 draws (the flow's draws in
           128-D are slow), with the share of q's draws in each mode
Prints each part's table (mean +- s.e. over seeds); the JSON holds every run's scores (the notebook reads it).
"""
import json as jsonlib, shlex, sys, time
from pathlib import Path
from typing import Annotated
from fastcore.script import call_parse
from icde_nb.core import parallel_map, check_choice, write_json
from icde_nb.posterior.model import PosteriorConfig, fit_posterior, OBJECTIVES
from icde_nb.posterior.study import compare, CORE_TASKS, run_longest_first, run_cost, comparison_run, comparison_runs, compare_table
from icde_nb.posterior.evaluation import misspecification, evaluate_grid
from icde_nb.posterior.registry import load_task

def misspec_job(job):
    seed, steps = job
    r = misspecification(load_task('linreg-1-bias'), load_task('mlp-reg-tanh'), config=PosteriorConfig(steps=steps), seed=seed)
    return [dict(seed=seed, training=k, test=t, **v) for k, tests in r.items() for t, v in tests.items()]

def variable_job(job):
    seed, steps, objective = job
    t0 = time.perf_counter()
    m, _ = fit_posterior(load_task('linreg-var-8'), 'transformer', 'full', objective, PosteriorConfig(steps=steps, n_context=(8, 128), seed=seed), progress=False)
    g = evaluate_grid(m, sizes=(8, 32, 128)) | evaluate_grid(m, sizes=(64,), counts=(1, 2, 4, 8))
    return [dict(seed=seed, objective=objective, at=k, seconds=time.perf_counter() - t0, **{m_: v for m_, v in r.items() if not m_.endswith('_per_set')})
            for k, r in g.items()]

PARTS = dict(
    core=dict(tasks=CORE_TASKS, encoders=('transformer', 'deepsets', 'gru'), heads=('gaussian', 'flow')),
    full=dict(tasks=('linreg-4', 'linreg-4-bias'), encoders=('transformer',), heads=('full',)),
    full_diag=dict(tasks=('linreg-4-bias',), encoders=('transformer',), heads=('gaussian',)),
    highdim=dict(tasks=('gaussian-100d',), encoders=('transformer',), heads=('gaussian', 'full')),   # a flow: --highdim-flow (GPU)
    highdim_flow=dict(tasks=('gaussian-100d',), encoders=('transformer',), heads=('flow',)),
    pe=dict(tasks=('gaussian-16d', 'linreg-4'), encoders=('transformer-pe',), heads=('gaussian',), objectives=('forward',)),
    noref=dict(tasks=('logistic-2', 'mlp-reg-tanh', 'mixture-means-2d'), encoders=('transformer',), heads=('gaussian', 'flow')),
    noref_mlp=dict(tasks=('mlp-reg-relu', 'mlp-class-tanh'), encoders=('transformer',), heads=('gaussian', 'flow')),
    multimodal=dict(tasks=('mixture-means-64d',), encoders=('transformer',), heads=('gaussian', 'flow'), n_eval=128, n_samples=200),
)
GROUPS = dict(core=('core',), full=('full', 'full_diag'), highdim=('highdim',), pe=('pe',), noref=('noref',), misspec=(), variable=(),
              multimodal=('multimodal',), mlp=('noref_mlp',), highdim_flow=('highdim_flow',))

CONFIGS = dict(   # the parts of --part all, and evaluation data sets per run (the parts' own n_eval, e.g. multimodal's, stays)
    full=dict(groups=('core', 'full', 'highdim', 'pe', 'noref', 'misspec', 'variable', 'multimodal', 'mlp'), n_eval=256),
    cpu=dict(groups=('core', 'full', 'pe', 'misspec', 'variable'), n_eval=128),   # highdim, multimodal, noref and mlp: --config full
)

def study_job(job):
    "One job of the pooled study: ('comparison', run), ('misspec', job) or ('variable', job)."
    kind, j = job
    return comparison_run(j) if kind == 'comparison' else misspec_job(j) if kind == 'misspec' else variable_job(j)

def study_cost(job)->float:
    "Relative cost of a pooled job: a comparison run's `run_cost`; misspec trains three estimators, variable one over 8 widths."
    kind, j = job
    return run_cost(j) if kind == 'comparison' else 3.5 if kind == 'misspec' else 2.

def study_jobs(groups, config, n_eval:int, seeds:int, steps:int)->list:
    "Every job of --part all for these groups: (part, (kind, job)) pairs."
    jobs = []
    for group in groups:
        if group == 'misspec': jobs += [('misspec', ('misspec', (sd, steps))) for sd in range(seeds)]
        elif group == 'variable': jobs += [('variable', ('variable', (sd, steps, o))) for sd in range(seeds) for o in ('forward', 'reverse')]
        else:
            for part in GROUPS[group]:
                P = dict(n_eval=n_eval, objectives=OBJECTIVES, n_samples=1000) | PARTS[part]
                jobs += [(part, ('comparison', r)) for r in comparison_runs(P['tasks'], P['encoders'], P['heads'], P['objectives'], config,
                                                                          P['n_eval'], P['n_samples'], seeds, True)]
    return jobs

# fastcore's call_parse runs main when this file is run (python benchmarks/posterior.py ...), not when it is imported
@call_parse
def main(part:Annotated[str, f"'all' (every part of --config in one pool of workers) or one part, merged into --json: one of {list(GROUPS)}"]='all',
         config:Annotated[str, f"with --part all, which parts and how many evaluation data sets: one of {list(CONFIGS)}"]='full',
         seeds:int=3,       # runs per combination, seeds 0 .. seeds - 1
         steps:int=500,     # training steps of every run
         n_eval:int=None,   # evaluation data sets per run (default: the configuration's; 256 for one part)
         workers:int=2,     # worker processes, one run each at a time
         json:str=None,     # write (or, for one part, merge into) this file
        ):
    "The amortized-posterior study: every estimator, task and objective over seeds, scored by KL both ways, calibration and wall time."
    check_choice('part', part, [*GROUPS, 'all'])
    check_choice('config', config, CONFIGS)
    cmd = shlex.join(['python', *sys.argv])
    cfg = PosteriorConfig(steps=steps)
    if part == 'all':                                                            # every job in one pool, costliest first:
        n_eval, t0 = n_eval or CONFIGS[config]['n_eval'], time.perf_counter()    # no part waits for another's last long run
        jobs = study_jobs(CONFIGS[config]['groups'], cfg, n_eval, seeds, steps)
        res = run_longest_first(study_job, [j for _, j in jobs], study_cost, workers, 'study', False)
        out = dict(commands=[cmd], config=config, n_eval=n_eval, workers=workers, results=[], misspec=[], variable=[])
        for (p, _), r in zip(jobs, res):
            if p in ('misspec', 'variable'): out[p] += r
            else: out['results'].append(dict({k: v for k, v in r.items() if not k.endswith('_per_set')}, part=p))
        for p in dict.fromkeys(p for p, _ in jobs if p not in ('misspec', 'variable')):
            print(compare_table([r for r in out['results'] if r['part'] == p], p).markdown(), '\n', flush=True)
        for p in ('misspec', 'variable'): print(jsonlib.dumps(out[p][:4], indent=1)[:1500], '...\n', flush=True)
        out['minutes'] = dict(all=(time.perf_counter() - t0) / 60)
        print(f"--config {config}: {len(res)} jobs in {out['minutes']['all']:.1f} min on {workers} workers", flush=True)
        if json: write_json(json, out, cmd)
        return
    out = jsonlib.loads(Path(json).read_text()) if json and Path(json).exists() else dict(commands=[], minutes={}, results=[])
    group, t0, results = part, time.perf_counter(), []
    if group in ('misspec', 'variable'):                                         # their own runs, kept apart from the comparison's
        jobs = [j for _, j in study_jobs((group,), cfg, n_eval or 256, seeds, steps)]
        out[group] = [r for rs in parallel_map(study_job, jobs, workers, group, False) for r in rs]
        print(jsonlib.dumps(out[group][:4], indent=1)[:1500], '...\n', flush=True)
    for p in GROUPS[group]:
        table, res = compare(**(dict(n_eval=n_eval or 256) | PARTS[p]), config=cfg, seeds=seeds, matched=True, workers=workers, progress=False)
        print(table.markdown(), '\n', flush=True)
        results += [dict({k: v for k, v in r.items() if not k.endswith('_per_set')}, part=p) for r in res]
    out['results'] = [r for r in out['results'] if r.get('part') not in GROUPS[group]] + results
    out['minutes'][group] = (time.perf_counter() - t0) / 60
    print(f'{group}: {len(results) or len(out.get(group, []))} results in {out["minutes"][group]:.1f} min\n', flush=True)
    if json: out['commands'].append(cmd); write_json(json, out, cmd)
