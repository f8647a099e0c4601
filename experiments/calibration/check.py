"""Check the baseline against the calibration targets of MODEL_SPEC §11.

Usage: .venv/bin/python experiments/calibration/check.py [R] [overrides...]
Prints the targets next to the model's pooled moments over R seeds and writes
experiments/calibration/targets.md.
"""

import sys
import time
from pathlib import Path

import simulation
from simulation.analysis.moments import check
from simulation.data import load_inputs

R = int(sys.argv[1]) if len(sys.argv) > 1 else 10
overrides = sys.argv[2:]
inputs = load_inputs()
t0 = time.perf_counter()
runs = [simulation.run(overrides + [f"seed={s}", "output.events=true"], inputs=inputs)
        for s in range(R)]
table = check(runs)
cols = ["moment", "target", "band_low", "band_high", "model", "runs_p05", "runs_p95", "in_band"]
text = table[cols].to_markdown(index=False, floatfmt=".3g")
print(text)
print(f"\n{R} baseline runs in {time.perf_counter() - t0:.1f} s; overrides: {overrides or 'none'}")
out = Path(__file__).with_name("targets.md")
out.write_text(f"Baseline, {R} seeds (0..{R - 1}), default config.\n\n{text}\n", encoding="utf-8")
