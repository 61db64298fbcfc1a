"""Tables beyond one machine (#35 goal 3; notebook tabular/09_cluster): a generated Parquet dataset (default 10^7 rows x 20 columns, 30% of
the entries missing, written in partitions of 10^6 rows) imputed by `impute_partitions` on a dask.distributed LocalCluster of 1 and then
2 workers (one thread each), the result written back as Parquet. Prints the rows per second of each, their ratio, and each worker's peak
memory. The imputer is fitted once, on a sample of 10,000 rows (`fit_sample`).

Run: OMP_NUM_THREADS=1 python benchmarks/dask_scaling.py [--rows 10000000] [--columns 20] [--folder /tmp/icde_dask] [--json nbs/results/dask_scaling.json]
"""
import os, resource, shutil, time
import numpy as np
from fastcore.script import call_parse
from icde_nb.core import UsageError, write_json


def write_dataset(folder:str, rows:int, columns:int, part:int=1_000_000, seed:int=0)->None:
    "A generated table (four correlated clusters, 30% missing) written as Parquet files of `part` rows, one part in memory at a time."
    import pandas as pd
    rng = np.random.RandomState(seed)
    means, loadings = 2 * rng.randn(4, columns), rng.randn(4, columns, 3) / np.sqrt(3)
    os.makedirs(folder, exist_ok=True)
    for i, start in enumerate(range(0, rows, part)):
        n = min(part, rows - start)
        z = rng.randint(4, size=n)
        X = means[z] + np.einsum('ndr,nr->nd', loadings[z], rng.randn(n, 3)) + 0.3 * rng.randn(n, columns)
        X[rng.rand(n, columns) < 0.3] = np.nan
        pd.DataFrame(X, columns=[f'x{j}' for j in range(columns)]).to_parquet(f'{folder}/part.{i:05d}.parquet', index=False)


def peak_mb()->float: return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@call_parse
def main(rows:int=10_000_000,  # rows of the generated dataset
         columns:int=20,       # its columns
         part:int=1_000_000,   # rows per Parquet file (a partition)
         folder:str='/tmp/icde_dask', # where the dataset and the outputs are written (removed at the end)
         json:str=None,        # write the results to this file
        ):
    "Throughput of impute_partitions on 1 and 2 LocalCluster workers, one thread each."
    import dask.dataframe as dd
    from distributed import Client, LocalCluster
    from icde_nb.tabular.estimators import InContextImputer
    from icde_nb.tabular.cluster import fit_sample, impute_partitions
    if rows < 10_000 or columns < 1: raise UsageError(f"need --rows >= 10000 and --columns >= 1, got {rows}, {columns}")
    data = f'{folder}/table'
    t = time.perf_counter(); write_dataset(data, rows, columns, part); written = time.perf_counter() - t
    print(f"{rows:,} x {columns} written as Parquet in {written:.0f} s", flush=True)
    out = dict(rows=rows, columns=columns, runs=[])
    try:
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None, memory_limit='6GB',
                              env={'OMP_NUM_THREADS': '1'}) as cluster, Client(cluster) as client:
                ddf = dd.read_parquet(data)
                imp = fit_sample(ddf, InContextImputer(random_state=0, progress=False), rows=10_000)
                t = time.perf_counter()
                impute_partitions(ddf, imp).to_parquet(f'{folder}/out{workers}', write_index=False)
                s = time.perf_counter() - t
                mem = client.run(peak_mb)
            r = dict(workers=workers, seconds=s, rows_per_s=rows / s, peak_mb_per_worker=max(mem.values()))
            out['runs'].append(r)
            print(f"{workers} worker(s): {s:.1f} s, {rows / s:,.0f} rows/s, peak {r['peak_mb_per_worker']:,.0f} MB per worker", flush=True)
        out['ratio'] = out['runs'][1]['rows_per_s'] / out['runs'][0]['rows_per_s']
        print(f"throughput, 2 workers over 1: {out['ratio']:.2f}x")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if json: write_json(json, out)
