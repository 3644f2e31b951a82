"""`ilcs present`'s settings: the committed voila.json and the command line it adds."""

from __future__ import annotations

import json
import socket

import pytest

from ilcs.apps import APPS
from ilcs.cli import main
from ilcs.paths import voila_config_dir
from ilcs.present import TEMPLATE_ROOT, voila_command, voila_environment

VOILA_CONFIG = voila_config_dir() / "voila.json"


def test_voila_json_has_the_safe_settings() -> None:
    config = json.loads(VOILA_CONFIG.read_text(encoding="utf-8"))
    voila = config["VoilaConfiguration"]
    assert voila["template"] == "ilcs"
    assert voila["allow_template_override"] == "NO"
    assert voila["allow_theme_override"] == "NO"
    assert voila["show_tracebacks"] is False
    assert voila["strip_sources"] is True
    assert voila["preheat_kernel"] is True and voila["default_pool_size"] == 0
    assert voila["multi_kernel_manager_class"] == "ilcs.voila.kernels.ClassroomKernelManager"
    assert any("ipynb" in pattern for pattern in voila["file_denylist"])
    assert config["VoilaExecutor"]["timeout"] > 0
    assert config["MappingKernelManager"]["cull_idle_timeout"] > 0
    assert config["Voila"]["ip"] == "127.0.0.1"


def test_the_offline_template_has_no_internet_address() -> None:
    template = TEMPLATE_ROOT / "voila" / "templates" / "ilcs" / "index.html.j2"
    text = template.read_text(encoding="utf-8")
    assert "{%- extends 'lab/index.html.j2' -%}" in text
    # The only http(s) addresses are the two CDN links it removes.
    links = [line for line in text.splitlines() if "https://" in line]
    assert len(links) == 2 and all("set fontawesome" in line for line in links)


def test_command_line_adds_the_pools_of_the_registry() -> None:
    cmd = voila_command(8899)
    assert cmd[1:3] == ["-m", "voila"]
    assert "--port=8899" in cmd and "--Voila.port_retries=0" in cmd
    pools_arg = next(a for a in cmd if a.startswith("--VoilaKernelManager.kernel_pools_config="))
    pools = json.loads(pools_arg.split("=", 1)[1])
    for app in APPS:
        assert pools[app.notebook]["pool_size"] == (1 if app.preheat else 0)
    cold = voila_command(8899, preheat=False)
    cold_arg = next(a for a in cold if a.startswith("--VoilaKernelManager.kernel_pools_config="))
    assert all(p["pool_size"] == 0 for p in json.loads(cold_arg.split("=", 1)[1]).values())


def test_environment_puts_our_template_first() -> None:
    env = voila_environment({"JUPYTER_PATH": "/somewhere/else"})
    assert env["JUPYTER_PATH"].split(":") == [str(TEMPLATE_ROOT), "/somewhere/else"]
    assert voila_environment({})["JUPYTER_PATH"] == str(TEMPLATE_ROOT)


def test_a_busy_port_is_a_clear_message(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code = main(["present", "--no-browser", f"--port={port}"])
    assert code == 2
    err = capsys.readouterr().err
    assert f"Port {port} is already in use" in err and "Traceback" not in err
