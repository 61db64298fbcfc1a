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
import argparse
from dataclasses import asdict
import torch
from icde_nb.density.model import Refinement

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('checkpoint'); ap.add_argument('--steps', type=int, required=True); ap.add_argument('--strength', type=float, required=True)
    ap.add_argument('--select-from', type=int, default=0); ap.add_argument('--select-steps', type=int, default=10)
    ap.add_argument('--select-classical', type=int, default=0)
    ap.add_argument('--predictive', action='store_true', help='scale refined covariances to their posterior predictive (Refinement.predictive)')
    ap.add_argument('--steps-from', type=int, default=0, help='the EM steps only for contexts of at least this many rows (Refinement.steps_from)')
    a = ap.parse_args()
    ck = torch.load(a.checkpoint, weights_only=True)
    ck['refinement'] = asdict(Refinement(a.steps, a.strength, a.select_from, a.select_steps, a.select_classical, a.predictive, a.steps_from))
    torch.save(ck, a.checkpoint)
    print(f"{a.checkpoint}: refinement = {ck['refinement']}")
