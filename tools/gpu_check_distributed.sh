#!/usr/bin/env bash
# The distributed training path on a CUDA machine (issue #13): NCCL under torchrun against a process alone, bf16, throughput.
# Run: bash tools/gpu_check_distributed.sh OUTDIR [DEVICE=cuda] [GENERAL_STEPS=300] [THROUGHPUT_STEPS=60]   (icde_nb importable; one GPU is enough;
# DEVICE=cpu runs the same steps with Gloo, to test this script)
set -uo pipefail
OUT=$(realpath -m "${1:-gpu_distributed}"); DEV=${2:-cuda}; GSTEPS=${3:-300}; TSTEPS=${4:-60}; mkdir -p "$OUT"; cd "$(dirname "$0")/.."
printf 'from icde_nb.training import icde_train\nicde_train()\n' > "$OUT/launch.py"
run() { echo "== $*"; "$@" 2>&1 | grep -v '^\*\|OMP_NUM_THREADS' | tail -5; }
run python3 "$OUT/launch.py" --preset tiny --device $DEV --no-progress --out "$OUT/alone.pt"
run python3 -m torch.distributed.run --standalone --nproc_per_node=1 "$OUT/launch.py" --preset tiny --device $DEV --no-progress --out "$OUT/nccl.pt"
run python3 -m torch.distributed.run --standalone --nproc_per_node=1 "$OUT/launch.py" --preset tiny --device $DEV --no-progress --out "$OUT/cut.pt" --until 20
run python3 -m torch.distributed.run --standalone --nproc_per_node=1 "$OUT/launch.py" --preset tiny --device $DEV --no-progress --out "$OUT/cut.pt" --resume "$OUT/cut.last.pt"
run python3 -m torch.distributed.run --standalone --nproc_per_node=1 "$OUT/launch.py" --preset general --steps $GSTEPS --device $DEV --bf16 --no-progress --out "$OUT/general_bf16.pt"
python3 - "$OUT" <<'PY'
import sys, json, torch
from icde_nb.core import load_checkpoint
d = sys.argv[1]; st = {k: load_checkpoint(f'{d}/{k}.last.pt', 'train-state') for k in ('alone', 'nccl', 'cut', 'general_bf16')}
a, n, c = (st[k]['history']['train_loss'] for k in ('alone', 'nccl', 'cut'))
res = dict(world_size=st['nccl']['world_size'], alone_vs_nccl_max_gap=max(abs(x - y) for x, y in zip(a, n)),
           resumed_equals_uninterrupted=c == n, bf16_general_losses=[round(x, 3) for x in st['general_bf16']['history']['train_loss'][::50]],
           bf16_general_val=st['general_bf16']['history']['val'][-1] if st['general_bf16']['history']['val'] else None)
print(json.dumps(res, indent=1)); json.dump(res, open(f'{d}/distributed_check.json', 'w'), indent=1)
PY
python3 benchmarks/training_throughput.py --preset general --steps $TSTEPS --batch-size 128 --device $DEV --procs 1 --json "$OUT/training_throughput_gpu.json"
