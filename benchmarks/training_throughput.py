"""Training throughput on this machine: episodes per second for one process and for two processes under torchrun (Gloo on the
CPU, NCCL on GPUs), measured side by side in one run (issue #13; the training notebook's 'Training on several processes').

Run: python benchmarks/training_throughput.py [--preset general] [--steps 40] [--batch-size 32] [--device cpu] [--json nbs/results/training_throughput.json]
Each configuration trains the preset's model for --steps steps on fresh episodes (no validation) and reports the loop's wall time:
  alone, 1 thread        one process, torch.set_num_threads(1)
  alone, all threads     one process, PyTorch's default threads
  torchrun x1            one process under torchrun (DDP of world size 1: the launcher's and DDP's overhead)
  torchrun x2            two processes, one thread each, batch --batch-size each (twice the episodes per step)
"""
import argparse, json as jsonlib, os, subprocess, sys
from typing import Annotated
from fastcore.script import call_parse
from icde_nb.core import check_choice, comma_list, resolve_device, write_json
from icde_nb.density.training import PRESETS

def worker_run(preset:str, steps:int, batch_size:int, device:str, threads:int|None):
    "Train `steps` steps and print one JSON line (rank 0) with the loop's wall time."
    import torch
    from dataclasses import replace
    from icde_nb.density.training import fit
    from icde_nb.loop import setup_distributed
    if threads: torch.set_num_threads(threads)
    rk, dev = setup_distributed(device)
    mc, tc = PRESETS[preset]
    tc = replace(tc, batch_size=batch_size, val_every=10 ** 9, max_minutes=None, tune_refine=False)
    fit(mc, tc, until=3, device=dev, progress=False)                            # warm-up: allocator, kernels
    _, hist = fit(mc, tc, until=steps, device=dev, progress=False)
    if rk.main:
        print(jsonlib.dumps(dict(seconds=hist['seconds'], steps=len(hist['train_loss']), world=rk.world_size,
                                 episodes=len(hist['train_loss']) * batch_size * rk.world_size, threads=torch.get_num_threads())))
    if rk.distributed: torch.distributed.destroy_process_group()

# fastcore's call_parse runs main when this file is run (python benchmarks/training_throughput.py ...), not when it is imported
@call_parse
def main(preset:Annotated[str, f"the training preset, one of {list(PRESETS)}"]='general',
         steps:int=40,       # training steps of each configuration
         batch_size:int=32,  # episodes per step of each process
         device:str='cpu',   # where each process trains: 'cpu', 'cuda' (NCCL under torchrun) or 'auto'
         threads:int=None,   # torch threads of each process (default: PyTorch's)
         json:str=None,      # write the configurations' throughputs to this file
         procs:str='1,2',    # process counts under torchrun, comma-separated (one GPU each on CUDA: 1 on a one-GPU machine)
         worker:Annotated[bool, {'help': argparse.SUPPRESS}]=False,   # internal: train one configuration (what the configurations run)
        ):
    "Training throughput on this machine: episodes per second for one process and for several under torchrun, side by side."
    check_choice('preset', preset, PRESETS)
    resolve_device(device)                                                        # a device this machine lacks: a UsageError now
    procs = comma_list(procs, 'procs', int)
    if worker: worker_run(preset, steps, batch_size, device, threads); return
    base = [__file__, '--worker', '--preset', preset, '--steps', str(steps), '--batch-size', str(batch_size), '--device', device]
    torchrun = lambda n: [sys.executable, '-m', 'torch.distributed.run', '--standalone', f'--nproc_per_node={n}']
    configs = {'alone, 1 thread': [sys.executable, *base, '--threads', '1'], 'alone, all threads': [sys.executable, *base],
               **{f'torchrun x{n}': [*torchrun(n), *base, '--threads', '1'] for n in procs}}
    rows = {}
    for name, cmd in configs.items():
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode: raise SystemExit(f'{name} failed:\n{r.stderr[-3000:]}')
        rows[name] = jsonlib.loads([l for l in r.stdout.splitlines() if l.startswith('{')][-1])
        rows[name]['episodes_per_s'] = rows[name]['episodes'] / rows[name]['seconds']
    ref = rows['alone, 1 thread']['episodes_per_s']
    print(f"{preset} preset, {steps} steps of {batch_size} episodes per process, device {device}, {os.cpu_count()} CPU cores")
    for name, r in rows.items():
        print(f"  {name:20s} {r['world']} process(es) x {r['threads']} thread(s): {r['episodes_per_s']:7.1f} episodes/s   {r['episodes_per_s'] / ref:4.2f}x")
    if json: write_json(json, dict(preset=preset, steps=steps, batch_size=batch_size, device=device, cpu_count=os.cpu_count(), rows=rows))
