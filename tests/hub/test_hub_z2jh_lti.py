"""The guide's Zero to JupyterHub values and Moodle (LTI) hook do what the guide says.

Read from docs/deploy-jupyterhub.md itself, so the guide cannot drift from what is tested:

- the `values.yaml` block parses, and its `extraConfig` Python, run as Z2JH runs it (after
  the chart has put `hub.services` into `c.JupyterHub.services`), gives every kind of user the
  same server environment, and the review service the same environment, as the tested
  one-server `jupyterhub_config.py`;
- the LTI `post_auth_hook` puts Moodle instructors in `assessors`, everyone else in
  `trainees`, with the lower-case names ilcs needs.

Not tested here: a real Kubernetes cluster or a real Moodle (see the guide).
"""

from __future__ import annotations

import re
import runpy
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jupyterhub  # noqa: F401 - in the test extra: a missing hub fails, never skips
import pytest
import yaml
from traitlets.config import Config

from ilcs.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "deploy-jupyterhub.md"
ONE_SERVER = ROOT / "docs" / "jupyterhub_config.py"
SECRET = "s" * 40
ENV = {"ILCS_DATABASE_URL": "postgresql+psycopg://ilcs_admin:pw@db.example:5432/ilcs",
       "ILCS_STAFF_DATABASE_URL": "postgresql+psycopg://ilcs_staff:st@db.example:5432/ilcs",
       "ILCS_HUB_DB_SECRET": SECRET, "ILCS_HUB_ASSESSORS_GROUP": "assessor-team"}


def guide_block(language: str, starts_with: str) -> str:
    """The fenced `language` block of the guide whose first line starts with `starts_with`."""
    for block in re.findall(rf"```{language}\n(.*?)```", GUIDE.read_text(encoding="utf-8"),
                            flags=re.S):
        if block.startswith(starts_with):
            return str(block)
    raise AssertionError(f"no ```{language} block starting {starts_with!r} in {GUIDE.name}")


@pytest.fixture()
def values() -> dict[str, Any]:
    return dict(yaml.safe_load(guide_block("yaml", "hub:")))


@pytest.fixture()
def env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)
    return ENV


def z2jh_config(values: dict[str, Any]) -> Config:
    """A Config as Z2JH's hub builds it from the values, then its extraConfig run on it."""
    c = Config()
    c.JupyterHub.services = [{"name": name, **service}
                             for name, service in values["hub"]["services"].items()]
    for code in values["hub"]["extraConfig"].values():
        exec(compile(code, "values.yaml:hub.extraConfig", "exec"), {"c": c})
    return c


def one_server_config() -> Config:
    c = Config()
    runpy.run_path(str(ONE_SERVER), init_globals={"get_config": lambda: c})
    return c


def spawned_environment(c: Config, name: str, *groups: str) -> dict[str, str]:
    user = SimpleNamespace(name=name, groups=[SimpleNamespace(name=g) for g in groups])
    spawner = SimpleNamespace(user=user, environment={})
    c.Spawner.pre_spawn_hook(spawner)
    return dict(spawner.environment)


def test_the_values_name_the_chart_keys_the_guide_relies_on(values: dict[str, Any]) -> None:
    hub, single = values["hub"], values["singleuser"]
    assert hub["services"]["ilcs-review"]["command"] == ["python", "-m",
                                                         "ilcs.voila.hub_service"]
    assert "access:services!service=ilcs-review" in hub["loadRoles"]["user"]["scopes"]
    assert set(hub["extraEnv"]) == {"ILCS_DATABASE_URL", "ILCS_STAFF_DATABASE_URL",
                                    "ILCS_HUB_DB_SECRET"}
    assert "ilcs init" in " ".join(single["lifecycleHooks"]["postStart"]["exec"]["command"])
    assert values["cull"]["enabled"] is True


@pytest.mark.parametrize("groups", [("trainees",), ("assessor-team",), ("iqa",),
                                    ("trainees", "iqa")])
def test_z2jh_gives_each_server_what_the_one_server_file_gives(
        values: dict[str, Any], env: dict[str, str], groups: tuple[str, ...]) -> None:
    k8s = spawned_environment(z2jh_config(values), "asha", *groups)
    one = spawned_environment(one_server_config(), "asha", *groups)
    assert k8s == one
    assert k8s["ILCS_HUB_ASSESSORS_GROUP"] == "assessor-team"  # a renamed group reaches the server
    if groups == ("trainees",):
        assert k8s["ILCS_DATABASE_URL"].startswith("postgresql+psycopg://ilcs_t_asha:")
    else:
        assert k8s["ILCS_DATABASE_URL"] == env["ILCS_STAFF_DATABASE_URL"]


def test_z2jh_gives_the_review_service_the_staff_login(
        values: dict[str, Any], env: dict[str, str]) -> None:
    k8s = {s["name"]: s for s in z2jh_config(values).JupyterHub.services}["ilcs-review"]
    one = {s["name"]: s for s in one_server_config().JupyterHub.services}["ilcs-review"]
    assert k8s["environment"]["ILCS_DATABASE_URL"] == env["ILCS_STAFF_DATABASE_URL"]
    for key, value in one["environment"].items():
        assert k8s["environment"][key] == value
    assert set(z2jh_config(values).JupyterHub.load_groups) == {"trainees", "assessor-team", "iqa"}


def test_z2jh_refuses_a_server_to_someone_in_no_group(values: dict[str, Any],
                                                      env: dict[str, str]) -> None:
    with pytest.raises(ConfigError, match="in none of the groups"):
        spawned_environment(z2jh_config(values), "visitor")


LTI_ROLES = "https://purl.imsglobal.org/spec/lti/claim/roles"
MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#"


def lti_hook() -> Any:
    c = Config()
    exec(compile(guide_block("python", 'c.JupyterHub.authenticator_class = "ltiauthenticator'),
                 "deploy-jupyterhub.md:LTI", "exec"), {"c": c})
    assert c.Authenticator.manage_groups is True and c.Authenticator.enable_auth_state is True
    return c.Authenticator.post_auth_hook


@pytest.mark.parametrize(("roles", "group"), [
    ([MEMBERSHIP + "Instructor"], "assessors"),
    ([MEMBERSHIP + "Learner"], "trainees"),
    ([MEMBERSHIP + "Learner", MEMBERSHIP + "Instructor"], "assessors"),
    ([], "trainees"),
])
def test_the_moodle_hook_puts_launches_in_ilcs_groups(roles: list[str], group: str) -> None:
    # ltiauthenticator's LTI13Authenticator returns the id_token's claims as auth_state
    model = {"name": "A.Khan@College.ac.uk", "auth_state": {LTI_ROLES: roles}}
    out = lti_hook()(None, None, model)
    assert out["groups"] == [group]
    assert out["name"] == "a.khan@college.ac.uk"
