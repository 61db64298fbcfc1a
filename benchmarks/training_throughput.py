"""Training throughput on this machine: episodes per second for one process and for two processes under torchrun (Gloo on the
CPU, NCCL on GPUs), measured side by side in one run (issue #13; the training notebook's 'Training on several processes').

Run: python benchmarks/training_throughput.py [--preset general] [--steps 40] [--batch-size 32] [--device cpu] [--json nbs/results/training_throughput.json]
Each configuration trains the preset's model for --steps steps on fresh episodes (no validation) and reports the loop's wall time:
  alone, 1 thread        one process, torch.set_num_threads(1)
  alone, all threads     one process, PyTorch's default threads
  torchrun x1            one process under torchrun (DDP of world size 1: the launcher's and DDP's overhead)
  torchrun x2            two processes, one thread each, batch --batch-size each (twice the episodes per step)
"""
import argparse, json, os, subprocess, sys
from pathlib import Path

def worker(a):
    "Train --steps steps and print one JSON line (rank 0) with the loop's wall time."
    import torch
    from dataclasses import replace
    from icde_nb.density.training import PRESETS, fit
    from icde_nb.loop import setup_distributed
    if a.threads: torch.set_num_threads(a.threads)
    rk, dev = setup_distributed(a.device)
    mc, tc = PRESETS[a.preset]
    tc = replace(tc, batch_size=a.batch_size, val_every=10 ** 9, max_minutes=None, tune_refine=False)
    fit(mc, tc, until=3, device=dev, progress=False)                            # warm-up: allocator, kernels
    _, hist = fit(mc, tc, until=a.steps, device=dev, progress=False)
    if rk.main:
        print(json.dumps(dict(seconds=hist['seconds'], steps=len(hist['train_loss']), world=rk.world_size,
                              episodes=len(hist['train_loss']) * a.batch_size * rk.world_size, threads=torch.get_num_threads())))
    if rk.distributed: torch.distributed.destroy_process_group()

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--preset', default='general'); ap.add_argument('--steps', type=int, default=40)
    ap.add_argument('--batch-size', type=int, default=32); ap.add_argument('--device', default='cpu')
    ap.add_argument('--threads', type=int, default=None); ap.add_argument('--json', default=None)
    ap.add_argument('--procs', default='1,2', help='process counts under torchrun (one GPU each on CUDA: 1 on a one-GPU machine)')
    ap.add_argument('--worker', action='store_true', help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker: worker(a); raise SystemExit
    base = [__file__, '--worker', '--preset', a.preset, '--steps', str(a.steps), '--batch-size', str(a.batch_size), '--device', a.device]
    torchrun = lambda n: [sys.executable, '-m', 'torch.distributed.run', '--standalone', f'--nproc_per_node={n}']
    configs = {'alone, 1 thread': [sys.executable, *base, '--threads', '1'], 'alone, all threads': [sys.executable, *base],
               **{f'torchrun x{n}': [*torchrun(n), *base, '--threads', '1'] for n in map(int, a.procs.split(','))}}
    rows = {}
    for name, cmd in configs.items():
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode: raise SystemExit(f'{name} failed:\n{r.stderr[-3000:]}')
        rows[name] = json.loads([l for l in r.stdout.splitlines() if l.startswith('{')][-1])
        rows[name]['episodes_per_s'] = rows[name]['episodes'] / rows[name]['seconds']
    ref = rows['alone, 1 thread']['episodes_per_s']
    print(f"{a.preset} preset, {a.steps} steps of {a.batch_size} episodes per process, device {a.device}, {os.cpu_count()} CPU cores")
    for name, r in rows.items():
        print(f"  {name:20s} {r['world']} process(es) x {r['threads']} thread(s): {r['episodes_per_s']:7.1f} episodes/s   {r['episodes_per_s'] / ref:4.2f}x")
    if a.json:
        Path(a.json).write_text(json.dumps(dict(command=' '.join(['python', *sys.argv]), preset=a.preset, steps=a.steps,
                                                batch_size=a.batch_size, device=a.device, cpu_count=os.cpu_count(), rows=rows), indent=1))
