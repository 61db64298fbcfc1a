"""Set the inference-time refinement stored in a checkpoint (weights and every other entry unchanged).

Run: python tools/set_refinement.py icde_nb/weights/general.pt --steps 5 --strength 16 --select-from 256 --select-steps 20 --select-classical 6
(the shipped `general` checkpoint's setting: 5 MAP-EM steps of strength 16 chosen on its validation episodes by `tune_refinement`;
selection of components by BIC from 256 rows, chosen on episodes 0-39 of benchmarks/reconstruction.py's Nc = 128 and 512 cells;
20 EM steps per count in the selection, chosen on 120 validation episodes per cell at Nc = 512, D = 4 and 8, 0 and 30% missing,
by `python benchmarks/reconstruction.py --tune-select --episodes 120`: as good as 30 or 50 steps there, and cheaper;
the classical fits for K = 1..6 as extra candidates of the selection, chosen on the same episodes by
`python benchmarks/reconstruction.py --tune-classical --episodes 120`: lower gaps in all four cells.)

     python tools/set_refinement.py icde_nb/weights/tabular.pt --steps 5 --strength 16 --select-from 64 --predictive
(the shipped `tabular` checkpoint's setting: the same refinement without the last two options, and posterior-predictive
covariances (`predictive_inflation`, density/03_refinement), measured on real tables by benchmarks/tables.py (tabular/02_imputation).)
"""
from dataclasses import asdict
from pathlib import Path
from typing import Annotated
import torch
from fastcore.script import call_parse
from icde_nb.core import UsageError
from icde_nb.density.refinement import Refinement

# fastcore's call_parse runs main when this file is run (python tools/set_refinement.py ...), not when it is imported
@call_parse
def main(checkpoint:str,  # the checkpoint (.pt) to change in place
         steps:Annotated[int, 'MAP-EM steps after the network (Refinement.steps; 0: none)', {'opt': True, 'required': True}],
         strength:Annotated[float, "the weight in pseudo-points of the network's mixture as the prior of those steps (Refinement.strength)", {'opt': True, 'required': True}],
         select_from:int=0,       # selection of components by BIC from contexts of this many rows on (Refinement.select_from; 0: never)
         select_steps:int=10,     # EM steps after each drop of a component in the selection (Refinement.select_steps)
         select_classical:int=0,  # the selection also weighs the classical fits for K = 1..this (Refinement.select_classical; 0: none)
         predictive:bool=False,   # scale refined covariances to their posterior predictive (Refinement.predictive)
         steps_from:int=0,        # the EM steps only for contexts of at least this many rows (Refinement.steps_from)
        ):
    "Set the inference-time refinement stored in a checkpoint (weights and every other entry unchanged)."
    if not Path(checkpoint).is_file(): raise UsageError(f'checkpoint: no file {checkpoint}')
    try: refinement = Refinement(steps, strength, select_from, select_steps, select_classical, predictive, steps_from)
    except ValueError as e: raise UsageError(f'refinement: {e}') from None
    ck = torch.load(checkpoint, weights_only=True)
    ck['refinement'] = asdict(refinement)
    torch.save(ck, checkpoint)
    print(f"{checkpoint}: refinement = {ck['refinement']}")
