"""`make lab` starts JupyterLab on notebooks/ with the project's kernel, root or not.

The server is started through Make as a user would (in a scratch project, the data
marked up to date so nothing is built), on a free port with a token, then asked
through its REST API for its kernels and notebooks; a kernel is started and listed,
and the server is shut down, killed if it will not stop.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
import scratch

from analysis.reports import KERNEL

pytestmark = pytest.mark.integration

NOTEBOOKS = sorted(p.name for p in (scratch.REPO / "notebooks").glob("*.ipynb"))
READY_SECONDS = 90


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    def __init__(self, port: int, token: str, process: subprocess.Popen, log):
        self.base, self.token = f"http://127.0.0.1:{port}", token
        self.process, self.log = process, log

    def call(self, path: str, method: str = "GET", body: dict | None = None):
        request = urllib.request.Request(
            self.base + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode()
        return json.loads(text) if text else None

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + READY_SECONDS
        while True:
            if self.process.poll() is not None:
                pytest.fail(f"`make lab` stopped ({self.process.returncode}):\n{self.output()}")
            try:
                self.call("/api/status")
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab not ready in {READY_SECONDS} s:\n{self.output()}")
                time.sleep(0.5)

    def stop(self) -> None:
        """Shut the server down through its API; kill make's session if it will not stop."""
        try:
            self.call("/api/shutdown", method="POST")
            self.process.wait(timeout=30)
        except (OSError, urllib.error.URLError, subprocess.TimeoutExpired):
            pass
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def output(self) -> str:
        self.log.flush()
        return open(self.log.name, errors="replace").read()[-4000:]


@pytest.fixture()
def lab(tmp_path):
    root = scratch.project(tmp_path / "project")
    data = scratch.make(root, "-s", "print-DATA").stdout.split()
    port, token = free_port(), secrets.token_hex(16)
    env = scratch.user_env(ANALYSIS_ROOT=str(root), JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"))
    command = [
        "make",
        "-C",
        str(root),
        f"PYTHON={sys.executable}",
        # JupyterLab is what is tested: the data are taken as built.
        *(f"--old-file={product}" for product in data),
        "lab",
        f"LAB_ARGS=--no-browser --port={port} --ServerApp.port_retries=0 "
        f"--IdentityProvider.token={token}",
    ]
    with open(tmp_path / "lab.log", "w") as log:
        # Its own session, so the server (make's grandchild) can be stopped with make.
        process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        server = Lab(port, token, process, log)
        try:
            server.wait_until_ready()
            yield server
        finally:
            server.stop()


def test_make_lab_serves_the_notebooks_with_the_projects_kernel(lab):
    specs = lab.call("/api/kernelspecs")
    assert KERNEL in specs["kernelspecs"] and specs["default"] == KERNEL
    listing = lab.call("/api/contents")
    assert len(NOTEBOOKS) == 9  # 01-09: the glob found them all, not a stray subset
    assert sorted(i["name"] for i in listing["content"] if i["type"] == "notebook") == NOTEBOOKS

    kernel = lab.call("/api/kernels", method="POST", body={"name": KERNEL})
    assert kernel["name"] == KERNEL
    assert kernel["id"] in [k["id"] for k in lab.call("/api/kernels")]
    lab.call(f"/api/kernels/{kernel['id']}", method="DELETE")
    assert kernel["id"] not in [k["id"] for k in lab.call("/api/kernels")]
    # As root (a container, CI) the server above started only because of --allow-root.
