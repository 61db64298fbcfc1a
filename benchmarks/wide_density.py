"""Density of complete rows on real tables with all their columns (issue #33, goal 5): the held-out log-likelihood per row of the
wide model against GaussianMixture (K by BIC), KernelDensity (CV bandwidth), a mixture of factor analysers (K, rank by BIC) and a
shrunk Gaussian, on the ten tables of tabular/01_tables uncut and the six WIDE_TABLES.

Run: python benchmarks/wide_density.py [--checkpoint checkpoints/wide.pt] [--tables all] [--seeds 3] [--json nbs/results/wide_density.json]
     python benchmarks/wide_density.py --checkpoint wide --steps 30 --strength 1 [--steps-from 0] --wide-only --json PATH
                                       # the wide model with another refinement (its selection settings kept), alone
Protocol (`heldout_loglik`, tabular/01_tables): each table's complete rows and all its numeric columns, split at random into halves
(seeds 0..seeds-1), standardised on the first half; each estimator reads the first half and scores the second (mean log density per row).
"""
import time
from dataclasses import replace, asdict
from typing import Annotated
from fastcore.script import call_parse
from icde_nb.core import Table, UsageError, comma_list, write_json
from icde_nb.density.pretrained import resolve_model
from icde_nb.tabular.tables import (TABLES, WIDE_TABLES, load_table, heldout_loglik, incontext_fit, gmm_bic_fit, kde_cv_fit, mfa_fit,
                                    shrunk_gaussian_fit)

ALL = list(TABLES) + list(WIDE_TABLES)

# fastcore's call_parse runs main when this file is run (python benchmarks/wide_density.py ...), not when it is imported
@call_parse
def main(checkpoint:str='checkpoints/wide.pt',  # the wide model: a shipped name or a checkpoint path
         tables:Annotated[str, f"comma-separated, any of {ALL}, or 'all'"]='all',
         seeds:int=3,       # random halves per table
         json:str=None,     # write the scores to this file
         steps:int=None,    # the wide model's EM steps instead of its refinement's (None: as shipped)
         strength:float=None, # their prior strength instead of the refinement's
         steps_from:int=None, # rows' worth from which the steps run, instead of the refinement's
         wide_only:bool=False, # score only the wide model
        ):
    "Held-out log-likelihood per row of the wide model and the classical density estimators on real tables with all their columns."
    names = ALL if tables == 'all' else comma_list(tables, 'tables', choices=ALL)
    if seeds < 1: raise UsageError(f"--seeds must be >= 1, got {seeds}")
    model = resolve_model(checkpoint, shared=False)
    model.refinement = replace(model.refinement, **{k: v for k, v in dict(steps=steps, strength=strength, steps_from=steps_from).items() if v is not None})
    fits = {'wide model': incontext_fit(model)}
    if not wide_only: fits |= {'GaussianMixture (K by BIC)': gmm_bic_fit, 'KernelDensity (CV bandwidth)': kde_cv_fit,
                               'MFA (K, rank by BIC)': mfa_fit, 'Gaussian, shrunk': shrunk_gaussian_fit}
    print(f'wide model refinement: {model.refinement}', flush=True)
    scores, t0 = {}, time.time()
    for name in names:
        D = load_table(name).shape[1]
        scores[name] = {'columns': D} | {m: heldout_loglik(name, f, seeds, max_columns=None) for m, f in fits.items()}
        print(f'{name} (D={D}): ' + ', '.join(f'{m} {v:.3f}' for m, v in scores[name].items() if m != 'columns'), flush=True)
    methods = list(fits)
    if wide_only:
        if json: write_json(json, dict(seeds=seeds, checkpoint=checkpoint, refinement=asdict(model.refinement), scores=scores))
        return
    best = {n: max(methods, key=lambda m: s[m]) for n, s in scores.items()}
    print(Table(['table', 'D', *methods], [[n, s['columns'], *[f"{s[m]:.3f}" for m in methods]] for n, s in scores.items()],
                f'held-out log-likelihood per row (nats, higher is better), {seeds} random halves').markdown())
    wins = {m: sum(b == m for b in best.values()) for m in methods}
    beats = sum(s['wide model'] > max(s['GaussianMixture (K by BIC)'], s['KernelDensity (CV bandwidth)']) for s in scores.values())
    print(f'best per table: {wins}; the wide model above both GaussianMixture-BIC and KernelDensity on {beats} of {len(scores)} tables '
          f'({(time.time() - t0) / 60:.1f} min)')
    if json: write_json(json, dict(seeds=seeds, checkpoint=checkpoint, refinement=asdict(model.refinement), scores=scores))
