"""What one quarter of the live dashboard costs on the server: model steps and figures.

Builds the dashboard's model (scenario with extra levers plus its paired baseline, spin-up
included), then steps through every recorded quarter, timing the paired step and the three
figures the page redraws after it (bars by province, time series, map). The browser adds the
transfer and display of three PNG images on top.

Usage: python benchmarks/bench_dashboard.py [n_agents]   (default 5000, the dashboard's)
"""

import statistics
import sys
import time

from harness import Measure, record, single, summary

from simulation.analysis.live import snapshot
from simulation.apps.dashboard.components import place_names as location_names
from simulation.apps.dashboard.live import DashboardModel
from simulation.figures import live as charts


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    t0 = time.perf_counter()
    m = DashboardModel(agreement_budget=4.0, incentive_regime="special", land_ha=50, n_agents=n)
    build = time.perf_counter() - t0
    names = location_names(m.inputs.locations, "en")
    steps, figs = [], {"bars": [], "series": [], "map": []}
    while m.running:
        t = time.perf_counter()
        m.step()
        steps.append(time.perf_counter() - t)
        snap = snapshot(m)
        for key, draw, args in (("bars", charts.province_bars, (snap, names, "en")),
                                ("series", charts.time_series, (snap, "en")),
                                ("map", charts.location_map, (snap, names, "en"))):
            t = time.perf_counter()
            draw(*args)
            figs[key].append(time.perf_counter() - t)
    med = {k: statistics.median(v) for k, v in figs.items()}
    print(f"firm agents: {n:,} (scenario and paired baseline)")
    print(f"build with {m.spinup_quarters} spin-up quarters: {build:.2f} s "
          "(Hydra compose cached after the first build)")
    print(f"recorded quarters: {len(steps)}; "
          f"paired step median {1000 * statistics.median(steps):.1f} ms")
    for k, v in med.items():
        print(f"figure {k:<6} median {1000 * v:.0f} ms")
    total = statistics.median(steps) + sum(med.values())
    print(f"server time per quarter: {1000 * total:.0f} ms "
          f"(about {1 / total:.1f} quarters per second when playing)")
    record(Measure("dashboard", "one quarter of the live dashboard on the server: the paired "
                   "scenario + baseline step and the three figures redrawn after it",
                   {"n_agents": n, "levers": "agreement 4 bn, special regime, 50 ha"},
                   [2023], len(steps)),
           {"build_s": single(build, "s"), "paired_step_s": summary(steps, "s"),
            **{f"figure_{k}_s": summary(v, "s") for k, v in figs.items()},
            "quarters_per_second": single(1 / total, "1/s", "higher")})


if __name__ == "__main__":
    main()
