"""Timings of the network layers and the realised statistics of the peer graph.

    .venv/bin/python benchmarks/bench_network.py

Prints the median wall time of: peer_graph for 20k, 100k and 1M firms; distance_path over 44
quarters (from the inputs and from a prebuilt road graph); the location-layer metrics, the
peer-layer metrics, sync_agreements and peer_share per call; then the realised peer-graph
statistics for 20,000 firms over five seeds.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from simulation.data import load_inputs
from simulation.model.network import (
    LocationMetrics,
    RoadGraph,
    build_graph,
    distance_path,
    peer_graph,
    peer_rows,
    peer_share,
    peer_stats,
    province_matrix,
    sync_agreements,
)
from simulation.timeline import parse_quarter

DEFAULTS = {"mean_degree": 8.0, "tail_exponent": 1.25, "homophily": 0.3}


def timed(fn, repeat: int) -> float:
    """Median seconds of ``repeat`` calls (after one warm-up call)."""
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def sectors(inputs, n: int, rng: np.random.Generator) -> np.ndarray:
    share = inputs.sectors["opportunity_share"].to_numpy()
    return rng.choice(len(share), size=n, p=share / share.sum())


def main() -> None:
    inputs = load_inputs()
    rng = np.random.default_rng(0)
    print("peer_graph (defaults: mean degree 8, tail 1.25, same-sector share 0.3)")
    for n, repeat in ((20_000, 20), (100_000, 10), (1_000_000, 5)):
        s = sectors(inputs, n, rng)
        sec = timed(lambda s=s: peer_graph(s, **DEFAULTS, rng=np.random.default_rng(1)), repeat)
        print(f"  {n:>9,} firms  {sec * 1e3:8.1f} ms")
    q = np.arange(parse_quarter("2020Q1"), parse_quarter("2020Q1") + 44)
    road = RoadGraph.from_inputs(inputs)
    print(f"distance_path, 44 quarters: {timed(lambda: distance_path(inputs, q), 50) * 1e3:.2f}"
          f" ms from the inputs, {timed(lambda: distance_path(road, q, inputs.expressway), 50)
                                   * 1e3:.2f} ms with a prebuilt road graph")
    codes, fields = inputs.location_codes, inputs.field_codes
    A = province_matrix(inputs.adjacency, codes, 1.0, 0.5)
    lm = LocationMetrics(road)
    strength = rng.random(len(codes))
    print(f"location metrics per call: {timed(lambda: lm(8092, strength, A, road.km), 500)
                                        * 1e3:.2f} ms")
    g = build_graph(inputs, fields, A)
    W = rng.random((len(codes), len(fields)))
    levels = rng.integers(0, 4, W.shape)
    print(f"sync_agreements per call: "
          f"{timed(lambda: sync_agreements(g, codes, fields, W, levels), 500) * 1e3:.3f} ms")
    s = sectors(inputs, 20_000, rng)
    adj = peer_graph(s, **DEFAULTS, rng=np.random.default_rng(1))
    presence = rng.random((20_000, len(codes))) < 0.02
    rows = rng.choice(20_000, 500, replace=False)
    print(f"peer_share, 500 firms × {len(codes)} locations: "
          f"{timed(lambda: peer_share(adj, rows, presence), 200) * 1e3:.3f} ms")
    print(f"peer metrics per call (20,000 firms): "
          f"{timed(lambda: peer_rows(8092, adj, presence, codes), 20) * 1e3:.1f} ms")
    print("realised peer graph, 20,000 firms, five seeds:")
    for seed in range(5):
        st = peer_stats(peer_graph(s, **DEFAULTS, rng=np.random.default_rng(seed)), s)
        print("  " + ", ".join(f"{k} {v:.4g}" for k, v in st.items()))


if __name__ == "__main__":
    main()
