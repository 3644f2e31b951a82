"""The guide's jupyterhub_config.py loads, and gives each server the right store login."""

from __future__ import annotations

import hashlib
import hmac
import runpy
import sys
from pathlib import Path
from types import SimpleNamespace

import jupyterhub  # noqa: E402, F401 - in the test extra: a missing hub fails, never skips
import pytest
from traitlets.config import Config  # noqa: E402

from ilcs.errors import ConfigError

CONFIG = Path(__file__).resolve().parents[2] / "docs" / "jupyterhub_config.py"
SECRET = "k" * 40
ENV = {"ILCS_DATABASE_URL": "postgresql+psycopg://ilcs_admin:pw@127.0.0.1:5432/ilcs",
       "ILCS_STAFF_DATABASE_URL": "postgresql+psycopg://ilcs_staff:st@127.0.0.1:5432/ilcs",
       "ILCS_HUB_DB_SECRET": SECRET, "ILCS_HUB_IDLE_MINUTES": "45"}


@pytest.fixture()
def config(monkeypatch: pytest.MonkeyPatch) -> Config:
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)
    c = Config()
    runpy.run_path(str(CONFIG), init_globals={"get_config": lambda: c})
    return c


def spawner(name: str, *groups: str) -> SimpleNamespace:
    user = SimpleNamespace(name=name, groups=[SimpleNamespace(name=g) for g in groups])
    return SimpleNamespace(user=user, environment={})


def test_the_config_loads_with_services_roles_and_culling(config: Config) -> None:
    services = {s["name"]: s for s in config.JupyterHub.services}
    assert services["ilcs-review"]["command"] == [sys.executable, "-m",
                                                  "ilcs.voila.hub_service"]
    assert services["ilcs-review"]["environment"]["ILCS_DATABASE_URL"] == \
        ENV["ILCS_STAFF_DATABASE_URL"]
    assert "--timeout=2700" in services["idle-culler"]["command"]
    assert "read:users:groups!user" in config.Spawner.server_token_scopes
    roles = {r["name"]: r for r in config.JupyterHub.load_roles}
    assert "access:services!service=ilcs-review" in roles["user"]["scopes"]
    assert roles["ilcs-idle-culler"]["services"] == ["idle-culler"]
    assert set(config.JupyterHub.load_groups) == {"trainees", "assessors", "iqa"}
    assert "ilcs init" in config.Spawner.cmd[2] and "--update" in config.Spawner.cmd[2]


def test_a_trainee_server_gets_their_own_database_login(config: Config) -> None:
    s = spawner("asha", "trainees")
    config.Spawner.pre_spawn_hook(s)
    password = hmac.new(SECRET.encode(), b"asha", hashlib.sha256).hexdigest()
    assert s.environment["ILCS_DATABASE_URL"] == (
        f"postgresql+psycopg://ilcs_t_asha:{password}@127.0.0.1:5432/ilcs")
    assert "ILCS_REVIEW_ROLE" not in s.environment


def test_staff_servers_get_the_staff_login_and_their_role(config: Config) -> None:
    s = spawner("quinn", "assessors", "iqa")
    config.Spawner.pre_spawn_hook(s)
    assert s.environment["ILCS_DATABASE_URL"] == ENV["ILCS_STAFF_DATABASE_URL"]
    assert s.environment["ILCS_REVIEW_ROLE"] == "iqa"
    assert s.environment["ILCS_HUB_TRAINEES_GROUP"] == "trainees"


def test_a_user_in_no_group_gets_no_server(config: Config) -> None:
    with pytest.raises(ConfigError, match="in none of the groups"):
        config.Spawner.pre_spawn_hook(spawner("visitor"))
