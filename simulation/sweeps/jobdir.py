"""Deterministic job directory names: one folder per set of overrides, stable across re-runs.

Hydra names a sweep job's folder with ``hydra.sweep.subdir``. The project sets it to
``${sweep_subdir:${hydra.job.override_dirname}}``: the job's overrides, sorted and joined
(``seed=1,params.utility.theta_info=0.3``), made safe as one folder name. The same overrides
always give the same folder, whatever the order or number of jobs in the sweep, which is what
lets a re-run find the jobs already done and lets a sweep be extended with new values.
"""

from __future__ import annotations

import hashlib
import re

from omegaconf import OmegaConf

RESOLVER = "sweep_subdir"
MAX_NAME = 120  # characters kept from the overrides; longer names are cut and hashed
_UNSAFE = re.compile(r"[^\w.,=+~\-\[\]]")


def subdir_name(override_dirname: str) -> str:
    """A safe, unique folder name for a job from its ``hydra.job.override_dirname``.

    Characters outside letters, digits and ``. , = + ~ - [ ]`` become ``_``; names that had
    to be changed or are longer than ``MAX_NAME`` get a short hash of the original appended,
    so two different override sets never share a folder.
    """
    text = str(override_dirname)
    if not text:
        return "no_overrides"
    safe = _UNSAFE.sub("_", text)
    if safe == text and len(safe) <= MAX_NAME:
        return safe
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    return f"{safe[:MAX_NAME]}-{digest}"


def register_resolvers() -> None:
    """Register the ``sweep_subdir`` resolver (idempotent)."""
    if not OmegaConf.has_resolver(RESOLVER):
        OmegaConf.register_new_resolver(RESOLVER, subdir_name)
