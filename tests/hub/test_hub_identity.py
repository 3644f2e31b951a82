"""Roles from the hub: the logged-in user, their groups, the ilcs role; a fake hub API."""

from __future__ import annotations

import pytest

from ilcs import hub
from ilcs.errors import ConfigError, UsageError

ON_HUB = {
    "JUPYTERHUB_USER": "akhan",
    "JUPYTERHUB_API_URL": "http://127.0.0.1:8081/hub/api/",
    "JUPYTERHUB_API_TOKEN": "server-token",
}


class FakeHub:
    """Answers GET {api}/user like the hub does; records what it was asked."""

    def __init__(self, model: dict[str, object]) -> None:
        self.model = model
        self.calls: list[tuple[str, str]] = []

    def __call__(self, url: str, token: str) -> dict[str, object]:
        self.calls.append((url, token))
        return self.model


def test_not_on_a_hub_there_is_no_identity_and_the_hub_is_not_asked() -> None:
    fake = FakeHub({"name": "x", "groups": []})
    assert hub.identity({}, fake) is None
    assert hub.identity({"JUPYTERHUB_USER": "  "}, fake) is None
    assert fake.calls == []


@pytest.mark.parametrize(("groups", "role"), [
    (["trainees"], "trainee"),
    (["assessors"], "assessor"),
    (["iqa"], "iqa"),
    (["trainees", "assessors"], "assessor"),
    (["assessors", "iqa", "trainees"], "iqa"),
    (["staff"], None),
    ([], None),
])
def test_groups_map_to_the_strongest_role(groups: list[str], role: str | None) -> None:
    fake = FakeHub({"name": "akhan", "groups": groups})
    who = hub.identity(ON_HUB, fake)
    assert who is not None
    assert (who.user, who.role, who.groups) == ("akhan", role, tuple(sorted(groups)))
    assert who.is_staff == (role in ("assessor", "iqa"))
    assert who.is_trainee == (role == "trainee")
    assert fake.calls == [("http://127.0.0.1:8081/hub/api/user", "server-token")]


def test_group_names_come_from_the_environment() -> None:
    env = {**ON_HUB, "ILCS_HUB_TRAINEES_GROUP": "learners-2026",
           "ILCS_HUB_ASSESSORS_GROUP": "markers", "ILCS_HUB_IQA_GROUP": "quality"}
    assert hub.identity(env, FakeHub({"name": "akhan", "groups": ["learners-2026"]})
                        ).role == "trainee"
    assert hub.identity(env, FakeHub({"name": "akhan", "groups": ["quality"]})).role == "iqa"
    # the default names mean nothing once renamed
    assert hub.identity(env, FakeHub({"name": "akhan", "groups": ["trainees"]})).role is None


def test_two_roles_cannot_share_one_group() -> None:
    env = {**ON_HUB, "ILCS_HUB_ASSESSORS_GROUP": "iqa"}
    with pytest.raises(ConfigError, match="three different hub groups"):
        hub.identity(env, FakeHub({"name": "akhan", "groups": ["iqa"]}))


def test_a_token_of_another_user_is_refused() -> None:
    with pytest.raises(ConfigError, match="belongs to 'bsmith', not to 'akhan'"):
        hub.identity(ON_HUB, FakeHub({"name": "bsmith", "groups": ["iqa"]}))


def test_missing_api_settings_or_groups_scope_are_explained() -> None:
    with pytest.raises(ConfigError, match="JUPYTERHUB_API_URL or JUPYTERHUB_API_TOKEN"):
        hub.identity({"JUPYTERHUB_USER": "akhan"}, FakeHub({}))
    with pytest.raises(ConfigError, match="read:users:groups!user"):
        hub.identity(ON_HUB, FakeHub({"name": "akhan"}))
    with pytest.raises(ConfigError, match="not a list of names"):
        hub.identity(ON_HUB, FakeHub({"name": "akhan", "groups": "trainees"}))


def test_an_unreachable_hub_is_a_clear_error() -> None:
    env = {**ON_HUB, "JUPYTERHUB_API_URL": "http://127.0.0.1:9/hub/api"}
    with pytest.raises(ConfigError, match="could not be asked who is logged in"):
        hub.identity(env)


def test_on_a_hub_the_login_is_recorded_whatever_is_typed() -> None:
    assert hub.actor_name("Someone Else", ON_HUB) == "akhan"
    assert hub.actor_name(None, ON_HUB) == "akhan"
    assert hub.actor_name("  Pat Lee ", {}) == "Pat Lee"
    assert hub.actor_name("  ", {}) is None


def test_trainee_database_login_is_derived_from_the_user_and_the_secret() -> None:
    import hashlib
    import hmac

    secret = "s" * 32
    assert hub.trainee_db_role("akhan") == "ilcs_t_akhan"
    expected = hmac.new(secret.encode(), b"akhan", hashlib.sha256).hexdigest()
    assert hub.trainee_password(secret, "akhan") == expected
    assert hub.trainee_password(secret, "akhan") != hub.trainee_password(secret, "bsmith")
    assert hub.trainee_password("t" * 32, "akhan") != expected
    url = hub.trainee_database_url("postgresql+psycopg://ilcs_admin:pw@db:5432/ilcs", "akhan",
                                   secret)
    assert url == f"postgresql+psycopg://ilcs_t_akhan:{expected}@db:5432/ilcs"


@pytest.mark.parametrize("bad", ["", "Akhan", "a khan", "a;drop", "-x", "a" * 57, 'a"b'])
def test_user_names_that_cannot_be_a_database_role_are_refused(bad: str) -> None:
    with pytest.raises(UsageError, match="cannot be given a database role"):
        hub.trainee_db_role(bad)


def test_weak_secret_and_non_postgres_store_are_refused() -> None:
    with pytest.raises(ConfigError, match="at least 16 characters"):
        hub.trainee_password("short", "akhan")
    with pytest.raises(ConfigError, match="PostgreSQL"):
        hub.trainee_database_url("sqlite:///answers.sqlite", "akhan", "s" * 32)


def test_assessor_commands_record_the_login_on_a_hub(monkeypatch: pytest.MonkeyPatch) -> None:
    from ilcs.commands.assessor import _who

    monkeypatch.setenv("JUPYTERHUB_USER", "pat.assessor")
    assert _who("Typed Name", "ILCS_ASSESSOR", "--assessor") == "pat.assessor"
    monkeypatch.delenv("JUPYTERHUB_USER")
    assert _who("Typed Name", "ILCS_ASSESSOR", "--assessor") == "Typed Name"


def test_whoami_off_the_hub(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from ilcs.cli import main

    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    assert main(["hub", "whoami"]) == 0
    assert "Not on a JupyterHub server" in capsys.readouterr().out
