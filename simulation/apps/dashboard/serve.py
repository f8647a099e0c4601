"""Start the dashboard: ``python -m simulation.dashboard [--port 8765]`` (``hcmc-dashboard``).

Serves the Solara page with uvicorn (Solara's documented self-hosted set-up) on localhost,
prints the address, and runs until Ctrl+C. Works without internet: the front-end assets come
from the local cache (``make dashboard`` installs them) and Solara's telemetry and version
check are off.
"""

from __future__ import annotations

import argparse
import os
import socket
import warnings

from simulation.apps.common import fail
from simulation.apps.dashboard import OFFLINE_ENV, SCENARIO_DIR_ENV, SEED_ENV
from simulation.apps.dashboard.levers import check_scenario_dir
from simulation.errors import ConfigError
from simulation.io import command_line


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    ap = argparse.ArgumentParser(prog=command_line("hcmc-dashboard"),
                                 description="Live dashboard of the cooperation model.")
    ap.add_argument("--host", default="127.0.0.1",
                    help="address to listen on (default 127.0.0.1: this machine only)")
    ap.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    ap.add_argument("--seed", type=int, default=None, help="master seed (default 2023)")
    ap.add_argument("--scenario-dir", default=None,
                    help="extra folder of scenario/<name>.yaml files to offer")
    ap.add_argument("--fd", type=int, default=None,
                    help="serve on an already listening socket with this file descriptor")
    return ap.parse_args(argv)


def _check_port(host: str, port: int) -> None:
    if not 0 < port < 65536:
        fail(f"--port={port} is out of range; allowed 1-65535")
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            fail(f"cannot listen on {host}:{port} ({exc.strerror}); choose another --port")


def main(argv: list[str] | None = None) -> None:
    """Check the set-up, then serve the page until interrupted."""
    args = parse(argv)
    os.environ.update(OFFLINE_ENV)  # before anything imports Solara, which reads it once
    os.environ["SOLARA_APP"] = "simulation.apps.dashboard.app"
    if args.scenario_dir:
        try:
            os.environ[SCENARIO_DIR_ENV] = check_scenario_dir(args.scenario_dir)
        except ConfigError as exc:
            fail(str(exc))
    if args.seed is not None:
        if args.seed < 0:
            fail(f"--seed={args.seed} is out of range; allowed 0 or more")
        os.environ[SEED_ENV] = str(args.seed)
    if args.fd is None:
        _check_port(args.host, args.port)
        port = args.port
    else:
        port = socket.socket(fileno=os.dup(args.fd)).getsockname()[1]
    from simulation.apps.dashboard import assets

    todo = assets.missing()
    if todo:
        fail("front-end assets missing (" + ", ".join(todo) + "); install them with "
             f"`make dashboard` or `{command_line('hcmc-dashboard-assets')}` (needs npm and "
             "the npm registry once)")
    import uvicorn
    from solara.server import settings

    # a local page reached by IP gets Solara's embedding advice about cookies: not relevant here
    warnings.filterwarnings("ignore", message="Cookies with samesite=none")

    settings.main.mode = "production"
    shown = "localhost" if args.host in ("127.0.0.1", "localhost", "::1") else args.host
    print(f"Dashboard: http://{shown}:{port}/  (Ctrl+C stops it)", flush=True)
    uvicorn.run("solara.server.starlette:app", host=args.host, port=port, fd=args.fd,
                log_level="warning")
