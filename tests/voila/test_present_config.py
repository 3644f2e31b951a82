"""`ilcs present`'s settings: the committed voila.json and the command line it adds."""

from __future__ import annotations

import json
import socket

import pytest

from ilcs.apps import APPS
from ilcs.cli import main
from ilcs.paths import voila_config_dir
from ilcs.present import (
    TEMPLATE_ROOT,
    app_url,
    is_loopback,
    open_notebooks,
    voila_command,
    voila_environment,
)
from ilcs.voila import DEFAULT_MAX_KERNELS_PER_APP, KERNEL_MIB, TOKEN_ENV, class_memory_mib

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
    assert config["Voila"]["ip"] == "127.0.0.1"


def test_a_kernel_whose_page_has_gone_is_culled_within_a_minute() -> None:
    culling = json.loads(VOILA_CONFIG.read_text(encoding="utf-8"))["MappingKernelManager"]
    assert culling["cull_connected"] is False  # a page still open keeps its kernel
    assert culling["cull_busy"] is False
    assert 0 < culling["cull_interval"] < culling["cull_idle_timeout"]
    # Worst case: idle for the whole timeout, noticed at the next round.
    assert culling["cull_idle_timeout"] + culling["cull_interval"] <= 60
    # Room for a slow page to load its scripts and connect: at least 20 s.
    assert culling["cull_idle_timeout"] - culling["cull_interval"] >= 20


def test_the_offline_template_has_no_internet_address() -> None:
    template = TEMPLATE_ROOT / "voila" / "templates" / "ilcs" / "index.html.j2"
    text = template.read_text(encoding="utf-8")
    assert "{%- extends 'lab/index.html.j2' -%}" in text
    # The only http(s) addresses are the two CDN links it removes.
    links = [line for line in text.splitlines() if "https://" in line]
    assert len(links) == 2 and all("set fontawesome" in line for line in links)


def test_command_line_adds_the_pools_of_the_registry() -> None:
    cmd = voila_command(8899)
    assert cmd[1:3] == ["-m", "ilcs.voila.server"]
    assert f"--ClassroomKernelManager.max_kernels_per_app={DEFAULT_MAX_KERNELS_PER_APP}" in cmd
    assert not any("open_notebooks" in a for a in cmd)  # by default nothing is open to all
    assert not any("cull" in a for a in cmd)  # voila.json's culling unless told otherwise
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


def test_command_line_carries_the_cap_the_open_apps_and_a_shorter_cull() -> None:
    cmd = voila_command(8899, max_kernels=7, open_to_all=open_notebooks("127.0.0.1"),
                        cull_idle_timeout=3, cull_interval=1, host="::1")
    assert "--ClassroomKernelManager.max_kernels_per_app=7" in cmd
    assert "--MappingKernelManager.cull_idle_timeout=3" in cmd
    assert "--MappingKernelManager.cull_interval=1" in cmd
    assert "--Voila.ip=::1" in cmd
    opened = [a.split("=", 1)[1] for a in cmd if a.startswith("--ClassroomIdentityProvider.")]
    assert opened == [a.notebook for a in APPS if a.audience != "assessor"]
    assert "review.ipynb" not in opened and "gallery.ipynb" in opened
    assert not any("token" in a.lower() for a in cmd)  # never visible in the process list


def test_only_loopback_serves_class_apps_without_the_token() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.20")
    assert not is_loopback("classroom-pc")
    assert open_notebooks("0.0.0.0") == () and open_notebooks("10.0.0.5") == ()
    assert "review.ipynb" not in open_notebooks("127.0.0.1")


def test_the_token_goes_in_the_environment_and_in_the_printed_address() -> None:
    assert voila_environment({}, token="s3cret")[TOKEN_ENV] == "s3cret"
    assert TOKEN_ENV not in voila_environment({TOKEN_ENV: "stale"})
    assert app_url(8866, token="a b") == (
        "http://127.0.0.1:8866/voila/render/gallery.ipynb?token=a%20b")
    assert app_url(8866, "review.ipynb", host="::1") == "http://[::1]:8866/voila/render/review.ipynb"


def test_help_documents_the_memory_a_class_needs(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["present", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--max-kernels" in text and "--ip" in text
    assert f"about {KERNEL_MIB} MB" in text
    assert f"{class_memory_mib(30) / 1024:.1f} GB" in text
    warm = sum(1 for a in APPS if a.preheat)
    assert class_memory_mib(30) == 150 + KERNEL_MIB * (30 + warm)


def test_a_cap_below_one_is_a_clear_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["present", "--no-browser", "--max-kernels=0"]) == 2
    err = capsys.readouterr().err
    assert "--max-kernels must be 1 or more" in err and "Traceback" not in err
