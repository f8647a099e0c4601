"""Regenerate the golden tables (only for an intentional change of results, in its own commit).

Usage: python tests/golden/make_golden.py
"""

from pathlib import Path

import simulation

GOLDEN_OVERRIDES = ["seed=7", "params.firms.n_agents=3000", "time.spinup_quarters=8",
                    "time.end=2025Q4", "output.events=true"]  # through the 2025 reform

if __name__ == "__main__":
    res = simulation.run(GOLDEN_OVERRIDES)
    here = Path(__file__).parent
    for name, df in res.tables().items():
        df.to_parquet(here / f"{name}.parquet", index=False)
        print(name, len(df))
