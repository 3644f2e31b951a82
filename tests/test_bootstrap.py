"""bootstrap.py's start command: options, root, the one address and JupyterLab's settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import bootstrap


def test_port_and_ip_are_taken_out_and_the_rest_goes_to_jupyterlab() -> None:
    assert bootstrap.split_start_options(
        ["--port", "8890", "--ServerApp.ip=0.0.0.0", "--no-browser", "--ServerApp.x=1"]) == (
        8890, "0.0.0.0", ["--no-browser", "--ServerApp.x=1"])
    assert bootstrap.split_start_options(["--port=9000"]) == (9000, "127.0.0.1", [])
    assert bootstrap.split_start_options([]) == (None, "127.0.0.1", [])


@pytest.mark.parametrize("options, message", [
    (["--port", "eighty"], "--port must be a port number such as 8890, not 'eighty'"),
    (["--port"], "--port needs a value, e.g. --port=8890"),
])
def test_bad_port(options: list[str], message: str) -> None:
    with pytest.raises(SystemExit) as info:
        bootstrap.split_start_options(options)
    assert str(info.value) == message


def test_one_address_opens_the_start_notebook() -> None:
    assert bootstrap.start_url("0.0.0.0", 8890, "abc") == (
        "http://127.0.0.1:8890/lab/tree/00_start_here.ipynb?token=abc")


def test_as_root_jupyterlab_gets_allow_root_with_a_note(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    monkeypatch.setattr(bootstrap.os, "geteuid", lambda: 0, raising=False)
    command = bootstrap.lab_command(8890, "127.0.0.1", ["--ServerApp.x=1"], False,
                                    tmp_path / "c.json")
    assert "--allow-root" in command
    assert command[-2:] == ["--ServerApp.x=1", str(bootstrap.NOTEBOOKS / "00_start_here.ipynb")]
    assert capsys.readouterr().out.strip() == (
        "Note: running as root (as in many containers and classroom machines), so JupyterLab "
        "is started with --allow-root.")
    monkeypatch.setattr(bootstrap.os, "geteuid", lambda: 1000, raising=False)
    assert "--allow-root" not in bootstrap.lab_command(8890, "127.0.0.1", [], False,
                                                       tmp_path / "c.json")


def test_news_question_is_switched_off_in_the_settings_overrides(tmp_path: Path) -> None:
    path = tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}))
    assert bootstrap.write_lab_settings(tmp_path) == path
    assert json.loads(path.read_text()) == {  # a centre's own overrides are kept
        "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
        "@jupyterlab/apputils-extension:notification": {"fetchNews": "false",
                                                        "checkForUpdates": False},
    }


def test_token_file_is_private(tmp_path: Path) -> None:
    config = bootstrap.token_config("secret")
    try:
        assert json.loads(config.read_text()) == {"IdentityProvider": {"token": "secret"}}
        assert config.parent.stat().st_mode & 0o077 == 0
    finally:
        config.unlink()
        config.parent.rmdir()
