"""Front-end assets of the dashboard, installed so the page never needs the internet.

Solara's page loads its JavaScript, CSS and fonts through the server's ``/_solara/cdn/`` path.
The server answers from a cache folder (Solara's ``assets.proxy_cache_dir``, in the virtual
environment) and fetches a missing file from a public CDN, which fails at a venue without
internet and leaves a blank page. This module fills the cache at install time with the exact
npm packages the installed Solara (vuetify-2 front end, ``ipyvuetify<3``) asks for, fetched
with the ordinary ``npm`` client from the npm registry and unpacked the way the CDN lays them
out (``<name>@<version>/<file>``).

Run ``python -m simulation.apps.dashboard.assets`` (``make dashboard`` does) to install them;
``--check`` only reports what is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

# The npm packages the installed Solara front end requests, with the files it loads from each
# (a test checks this list against the installed Solara's templates, so an upgrade that needs
# other versions fails loudly instead of going online at a venue).
PACKAGES: dict[str, tuple[str, ...]] = {
    # the page: Vue 2 + Vuetify 2 app, its CSS and fonts (ipywidgets 8 build)
    "@widgetti/solara-vuetify-app@10.1.1": ("dist/solara-vuetify-app8.min.js",
                                             "dist/main8.css", "dist/fonts.css"),
    # the module loader the page and the widgets use
    "requirejs@2.3.6": ("require.js",),
    # icon font referenced by the page template
    "font-awesome@4.5.0": ("css/font-awesome.min.css",),
    # the draggable component grid of SolaraViz (solara.GridDraggable)
    "@widgetti/vue-grid-layout@2.3.13-alpha.2": ("dist/vue-grid-layout.umd.js",),
}
MARKER = ".hcmc-installed.json"  # written last into each package folder: it is complete


class AssetError(RuntimeError):
    """The assets cannot be installed or are missing; the message says what to do."""


def cache_dir() -> Path:
    """Solara's asset cache folder (``SOLARA_ASSETS_PROXY_CACHE_DIR`` or its default)."""
    from solara.server import settings

    return Path(settings.assets.proxy_cache_dir)


def missing(root: Path | None = None) -> list[str]:
    """The packages (``name@version``) whose files are not all in the cache."""
    root = cache_dir() if root is None else root
    out = []
    for spec, files in PACKAGES.items():
        folder = root / spec
        if not (folder / MARKER).is_file() or not all((folder / f).is_file() for f in files):
            out.append(spec)
    return out


def _npm() -> str:
    npm = shutil.which("npm")
    if npm is None:
        raise AssetError("npm not found; install Node.js and npm (e.g. `apt-get install npm`) "
                         "and run again")
    return npm


def _pack(spec: str, dest: Path) -> tuple[Path, str]:
    """``npm pack`` one package into ``dest``; return the tarball and its integrity hash."""
    proc = subprocess.run([_npm(), "pack", spec, "--json", "--pack-destination", str(dest)],
                          capture_output=True, text=True, cwd=dest)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise AssetError(f"npm pack {spec} failed: {last}")
    info = json.loads(proc.stdout)[0]
    return dest / info["filename"], info["integrity"]


def _unpack(tarball: Path, target: Path) -> None:
    """Extract an npm tarball's ``package/`` folder into ``target`` (atomically)."""
    tmp = Path(tempfile.mkdtemp(prefix=".unpack-", dir=target.parent))
    try:
        with tarfile.open(tarball, "r:gz") as tar:
            tar.extractall(tmp, filter="data")
        roots = [p for p in tmp.iterdir() if p.is_dir()]
        if len(roots) != 1:
            raise AssetError(f"{tarball.name}: expected one top folder, found {len(roots)}")
        if target.exists():
            shutil.rmtree(target)
        os.replace(roots[0], target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def install(root: Path | None = None, log=print) -> list[str]:
    """Fetch and unpack every missing package; return the ones installed.

    Raises:
        AssetError: npm is missing, a package cannot be fetched, or a file is not in it.
    """
    root = cache_dir() if root is None else root
    todo = missing(root)
    if not todo:
        return []
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hcmc-npm-") as work:
        for spec in todo:
            log(f"fetching {spec}")
            tarball, integrity = _pack(spec, Path(work))
            target = root / spec
            target.parent.mkdir(parents=True, exist_ok=True)
            _unpack(tarball, target)
            absent = [f for f in PACKAGES[spec] if not (target / f).is_file()]
            if absent:
                raise AssetError(f"{spec} has no {', '.join(absent)}")
            (target / MARKER).write_text(json.dumps({"spec": spec, "integrity": integrity}))
    return todo


def referenced_packages(text: str) -> set[str]:
    """``name@version`` of every CDN path with an exact version in a template or Vue file."""
    pattern = r"(?:\{\{\s*cdn\s*\}\}|getCdn\(\)\}|cdn\}\})/((?:@[\w.-]+/)?[\w.-]+@\d[\w.+-]*)/"
    return set(re.findall(pattern, text))


def main(argv: list[str] | None = None) -> int:
    """Install (or with ``--check`` only report) the dashboard's front-end assets."""
    ap = argparse.ArgumentParser(prog="python -m simulation.apps.dashboard.assets",
                                 description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only report missing packages")
    args = ap.parse_args(argv)
    root = cache_dir()
    if args.check:
        todo = missing(root)
        print("dashboard assets complete in " + str(root) if not todo
              else "missing dashboard assets: " + ", ".join(todo))
        return 1 if todo else 0
    try:
        done = install(root)
    except AssetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"dashboard assets {'installed' if done else 'already complete'} in {root}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
