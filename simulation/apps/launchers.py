"""Before a sweep starts on a cluster launcher: is the cluster there? A bounded wait, one line.

Without these checks ``hydra/launcher=ray_cluster`` waited forever when Ray's record of the
last cluster on this machine (``<ray temp dir>/ray_current_cluster``, left by an earlier local
Ray run) named a head that has stopped, and ``hydra/launcher=slurm`` off a SLURM cluster ended
in submitit's 29-line traceback. Each check waits at most a few seconds and returns the reason
in one line, or None when the launcher may start.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

RAY_CLUSTER, SLURM = "ray_cluster", "slurm"
RAY_WAIT_S = 5.0  # seconds for the Ray head to accept a connection
SLURM_WAIT_S = 20.0  # seconds for the SLURM controller to answer sinfo
HELP_RAY = ("start the cluster (`ray start --head` on its head node) or name its head with "
            "hydra.launcher.ray.init.address=HOST:PORT")


def _value(overrides: list[str], key: str) -> str | None:
    for ov in overrides:
        k, sep, v = ov.partition("=")
        if sep and k.lstrip("+~") == key:
            return v
    return None


def launcher_error(hydra_overrides: list[str]) -> str | None:
    """Why the launcher chosen by ``hydra/launcher=...`` cannot start here, or None."""
    launcher = _value(hydra_overrides, "hydra/launcher")
    if launcher == RAY_CLUSTER:
        address = _value(hydra_overrides, "hydra.launcher.ray.init.address")
        return ray_cluster_error(None if address in (None, "auto") else address)
    if launcher == SLURM:
        return slurm_error(_value(hydra_overrides, "hydra.launcher.partition"))
    return None


def ray_cluster_error(address: str | None) -> str | None:
    """Why no Ray cluster answers at ``address`` (None: the one Ray's ``auto`` would use)."""
    where = "hydra/launcher=ray_cluster"
    try:
        from ray._common.utils import get_ray_address_file
        from ray._private.services import get_ray_address_from_environment
    except ImportError:
        return f"{where} needs the sweep extra: .venv/bin/python -m pip install -e '.[sweep]'"
    if address is not None:
        source = "hydra.launcher.ray.init.address"
    else:
        try:  # Ray's own lookup (pinned ray 2.60): RAY_ADDRESS, a running head, its record
            address = get_ray_address_from_environment("auto", None)
        except ConnectionError:
            return f"{where}: no running Ray cluster found on this machine; {HELP_RAY}"
        record = Path(get_ray_address_file(None))
        if os.environ.get("RAY_ADDRESS"):
            source = "RAY_ADDRESS"
        elif record.is_file() and record.read_text().strip() == address:
            source = f"the last cluster recorded in {record}"
        else:
            source = "a Ray process running on this machine"
    host, _, port = address.split("://", 1)[-1].rpartition(":")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port)), timeout=RAY_WAIT_S):
            return None
    except (OSError, ValueError) as exc:
        reason = (f"no answer within {RAY_WAIT_S:g} s" if isinstance(exc, TimeoutError)
                  else getattr(exc, "strerror", None) or str(exc))
        return f"{where}: no Ray cluster answers at {address} ({source}): {reason}; {HELP_RAY}"


def slurm_error(partition: str | None) -> str | None:
    """Why SLURM jobs cannot be submitted from here, or None."""
    where = "hydra/launcher=slurm"
    missing = [tool for tool in ("sbatch", "srun", "sinfo") if shutil.which(tool) is None]
    if missing:
        return (f"{where}: SLURM's {', '.join(missing)} not found on PATH: submit the sweep "
                "from the cluster's login node (to try it on this machine: "
                "hydra/launcher=parallel)")
    try:
        out = subprocess.run(["sinfo", "--noheader", "--format=%R"], capture_output=True,
                             text=True, timeout=SLURM_WAIT_S)
    except subprocess.TimeoutExpired:
        return f"{where}: the SLURM controller did not answer sinfo within {SLURM_WAIT_S:g} s"
    if out.returncode != 0:
        first = (out.stderr.strip().splitlines() or ["no message"])[0]
        return f"{where}: sinfo failed ({first}); is the SLURM controller up?"
    partitions = sorted(set(out.stdout.split()))
    if partition not in (None, "null") and partition not in partitions:
        return (f"hydra.launcher.partition={partition} is not a partition of this cluster; "
                f"allowed: {', '.join(partitions)}")
    return None
