"""`callkit workshop` without a browser: notebook, template, port, culling, environment, CLI errors."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from callkit.cli import main
from callkit.exceptions import WorkshopError
from callkit.workshop import (
    CULL_IDLE_SECONDS, TEMPLATE_NAME, WORKSPACE_ENV, check_port, coaching_notebook, page_url, server_environment,
    template_root, voila_config,
)

ROOT = Path(__file__).resolve().parent.parent


def test_the_notebook_is_found_and_is_thin_and_clean():
    path = coaching_notebook()
    assert path.resolve() == (ROOT / "callkit" / "notebooks" / "coaching_session.ipynb").resolve()
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert len(code) <= 3
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    params = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(params) == 1
    source = "".join(params[0]["source"])
    for name in ("workspace_path = None", "rep_id = None", "deal_id = None"):
        assert name in source
    assert nb["metadata"]["title"] == "Coaching session"


def test_the_template_loads_nothing_from_the_internet():
    folder = template_root() / "voila" / "templates" / TEMPLATE_NAME
    files = sorted(folder.iterdir())
    assert {f.name for f in files} >= {"conf.json", "index.html.j2", "page.html"}
    for f in files:
        assert "://" not in f.read_text(encoding="utf-8"), f.name


def test_a_port_in_use_is_one_sentence():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        with pytest.raises(WorkshopError, match=f"Port {port} is already in use"):
            check_port("127.0.0.1", port)
    with pytest.raises(WorkshopError, match="not a valid port"):
        check_port("127.0.0.1", 70000)


def test_voila_config_culls_idle_kernels_and_hides_code():
    c = voila_config("127.0.0.1", 8866, open_browser=False)
    assert c.MappingKernelManager.cull_idle_timeout == CULL_IDLE_SECONDS > 0
    assert 0 < c.MappingKernelManager.cull_interval < CULL_IDLE_SECONDS
    assert c.MappingKernelManager.cull_connected is False
    assert c.VoilaConfiguration.strip_sources is True
    assert c.VoilaConfiguration.show_tracebacks is False
    assert c.VoilaConfiguration.template == TEMPLATE_NAME
    assert c.Voila.ip == "127.0.0.1" and c.Voila.port == 8866 and c.Voila.port_retries == 0


def test_server_environment_passes_the_workspace_to_kernels(tmp_path):
    env = server_environment(tmp_path, {"JUPYTER_PATH": "/x", "HOME": "/h"})
    assert env[WORKSPACE_ENV] == str(tmp_path)
    assert env["JUPYTER_PATH"].split(os.pathsep) == [str(template_root()), "/x"]
    assert env["HOME"] == "/h"


def test_page_url():
    assert page_url("127.0.0.1", 8866) == "http://127.0.0.1:8866/"
    assert page_url("0.0.0.0", 9000) == "http://127.0.0.1:9000/"


def test_cli_on_a_folder_that_is_not_a_workspace(tmp_path, capsys):
    assert main(["workshop", str(tmp_path), "--no-browser"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not a callkit workspace" in err


def test_packaged_coaching_notebook_is_the_repository_notebook() -> None:
    repo = ROOT / "notebooks" / "coaching_session.ipynb"
    assert coaching_notebook().read_bytes() == repo.read_bytes(), (
        "copy notebooks/coaching_session.ipynb to callkit/notebooks/ (the package ships that copy)")

