"""Who is logged in on a JupyterHub, and in which ilcs role (pure: no widgets, no hub import).

A single-user server started by JupyterHub has these in its environment:

- `JUPYTERHUB_USER`: the logged-in hub user (the trainee's candidate identity);
- `JUPYTERHUB_API_URL` and `JUPYTERHUB_API_TOKEN`: the hub's REST API and this server's
  token, with which `GET {api}/user` returns the user's model, including `groups`.

Hub groups map to ilcs roles: `trainees` -> trainee, `assessors` -> assessor, `iqa` -> iqa.
The group names can be changed with `ILCS_HUB_TRAINEES_GROUP`, `ILCS_HUB_ASSESSORS_GROUP`
and `ILCS_HUB_IQA_GROUP`. A user in several groups gets the strongest role
(iqa > assessor > trainee); a user in none has no ilcs role.

On a hub, each trainee's database login is derived from the hub user and a secret only the
hub and the centre admin hold (`ILCS_HUB_DB_SECRET`): see `trainee_db_role` and
`trainee_password`, used by `ilcs hub add-trainee` and by the hub's `jupyterhub_config.py`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ilcs.errors import ConfigError, UsageError

USER_ENV = "JUPYTERHUB_USER"
API_URL_ENV = "JUPYTERHUB_API_URL"
API_TOKEN_ENV = "JUPYTERHUB_API_TOKEN"
DB_SECRET_ENV = "ILCS_HUB_DB_SECRET"
# The review service (ilcs/voila/hub_service.py) runs its Voila with SERVICE_ENV=1 and passes
# the visitor's hub login and role to each kernel in these request headers (which Voila hands
# to the kernel as HTTP_X_ILCS_HUB_USER and HTTP_X_ILCS_HUB_ROLE).
SERVICE_ENV = "ILCS_REVIEW_SERVICE"
SERVICE_USER_HEADER = "X-Ilcs-Hub-User"
SERVICE_ROLE_HEADER = "X-Ilcs-Hub-Role"
_SERVICE_USER_VAR = "HTTP_X_ILCS_HUB_USER"
_SERVICE_ROLE_VAR = "HTTP_X_ILCS_HUB_ROLE"
REVIEW_ROLE_ENV = "ILCS_REVIEW_ROLE"

TRAINEE = "trainee"
ASSESSOR = "assessor"
IQA = "iqa"
ROLES = (TRAINEE, ASSESSOR, IQA)  # weakest first

GROUP_ENV = {
    TRAINEE: "ILCS_HUB_TRAINEES_GROUP",
    ASSESSOR: "ILCS_HUB_ASSESSORS_GROUP",
    IQA: "ILCS_HUB_IQA_GROUP",
}
DEFAULT_GROUPS = {TRAINEE: "trainees", ASSESSOR: "assessors", IQA: "iqa"}

# A database role for each trainee: a fixed prefix, then the hub user name. JupyterHub
# normalises names to lower case; this is the set of characters ilcs accepts in them.
TRAINEE_ROLE_PREFIX = "ilcs_t_"
_HUB_USER = re.compile(r"^[a-z0-9][a-z0-9._@+-]{0,55}$")

Fetch = Callable[[str, str], Mapping[str, object]]


@dataclass(frozen=True)
class HubIdentity:
    """The logged-in hub user, their hub groups and the ilcs role those give."""

    user: str
    groups: tuple[str, ...]
    role: str | None

    @property
    def is_trainee(self) -> bool:
        return self.role == TRAINEE

    @property
    def is_staff(self) -> bool:
        """An assessor or an IQA (may open the review app)."""
        return self.role in (ASSESSOR, IQA)


def group_names(env: Mapping[str, str]) -> dict[str, str]:
    """ilcs role -> hub group name, from the environment (defaults: trainees, assessors, iqa)."""
    names = {}
    for role, var in GROUP_ENV.items():
        value = env.get(var, "").strip()
        names[role] = value or DEFAULT_GROUPS[role]
    if len(set(names.values())) != len(names):
        raise ConfigError(
            f"{', '.join(GROUP_ENV.values())} must name three different hub groups, "
            f"found {names}")
    return names


def role_for_groups(groups: tuple[str, ...] | list[str], env: Mapping[str, str]) -> str | None:
    """The strongest ilcs role the hub groups give (iqa > assessor > trainee), else None."""
    names = group_names(env)
    found = None
    for role in ROLES:  # weakest first: a later match is stronger
        if names[role] in groups:
            found = role
    return found


def hub_user(env: Mapping[str, str]) -> str | None:
    """The logged-in hub user, or None when not on a hub.

    In a single-user server: `JUPYTERHUB_USER`. In a kernel of the review service: the
    visitor's login, which the service (behind the hub's OAuth) always sets itself.
    """
    if env.get(SERVICE_ENV) == "1":
        user = env.get(_SERVICE_USER_VAR, "").strip()
    else:
        user = env.get(USER_ENV, "").strip()
    return user or None


def review_role(env: Mapping[str, str]) -> str:
    """The review app's role: from the hub in the review service, else ILCS_REVIEW_ROLE."""
    if env.get(SERVICE_ENV) == "1":
        role = env.get(_SERVICE_ROLE_VAR, "").strip()
        if role not in (ASSESSOR, IQA):
            raise ConfigError("the review service did not say whether you are an assessor "
                              "or an IQA: open the review app through the hub")
        return role
    return env.get(REVIEW_ROLE_ENV, ASSESSOR).strip() or ASSESSOR


def fetch_json(url: str, token: str) -> Mapping[str, object]:
    """GET a hub API URL with a token (the default `fetch` of `identity`)."""
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - hub URL
            body = json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise ConfigError(f"the hub at {url} could not be asked who is logged in ({exc})"
                          ) from None
    if not isinstance(body, dict):
        raise ConfigError(f"the hub at {url} answered with something that is not a user")
    return body


def identity(env: Mapping[str, str], fetch: Fetch = fetch_json) -> HubIdentity | None:
    """Who is logged in on this hub server and in which role; None when not on a hub.

    The groups come from the hub's API (`GET {JUPYTERHUB_API_URL}/user` with this server's
    token). The API must name the same user as `JUPYTERHUB_USER`.
    """
    user = hub_user(env)
    if user is None:
        return None
    api = env.get(API_URL_ENV, "").strip().rstrip("/")
    token = env.get(API_TOKEN_ENV, "").strip()
    if not api or not token:
        raise ConfigError(f"{USER_ENV} is set but {API_URL_ENV} or {API_TOKEN_ENV} is not: "
                          "start this server from the hub")
    model = fetch(f"{api}/user", token)
    name = model.get("name")
    if name != user:
        raise ConfigError(f"the hub says this token belongs to {name!r}, not to {user!r} "
                          f"({USER_ENV})")
    raw_groups = model.get("groups")
    if raw_groups is None:
        raise ConfigError("the hub did not say which groups you are in: give single-user "
                          "servers the scope read:users:groups!user (see "
                          "docs/deploy-jupyterhub.md)")
    if not isinstance(raw_groups, list) or not all(isinstance(g, str) for g in raw_groups):
        raise ConfigError(f"the hub's groups for {user!r} are not a list of names")
    groups = tuple(sorted(raw_groups))
    return HubIdentity(user=user, groups=groups, role=role_for_groups(groups, env))


def actor_name(typed: str | None, env: Mapping[str, str]) -> str | None:
    """The name recorded on a mark, decision, sign-off or verdict.

    On a hub it is always the logged-in hub user (what was typed is ignored); elsewhere it
    is the typed name (stripped), or None when nothing was typed.
    """
    user = hub_user(env)
    if user is not None:
        return user
    typed = (typed or "").strip()
    return typed or None


def check_hub_user(user: str) -> str:
    """The hub user name if ilcs can give it a database role, else UsageError."""
    if not _HUB_USER.match(user):
        raise UsageError(
            f"hub user {user!r} cannot be given a database role: use lower-case letters, "
            "digits and . _ @ + - (up to 56 characters, starting with a letter or digit)")
    return user


def trainee_db_role(user: str) -> str:
    """The PostgreSQL login role of a trainee (e.g. 'ilcs_t_akhan')."""
    return TRAINEE_ROLE_PREFIX + check_hub_user(user)


def trainee_password(secret: str, user: str) -> str:
    """The trainee's database password: HMAC-SHA256 of the hub user under the centre secret.

    The hub computes it for each server it starts; `ilcs hub add-trainee` sets it on the
    role. A trainee learns only their own password, never the secret.
    """
    if len(secret) < 16:
        raise ConfigError(f"{DB_SECRET_ENV} must be at least 16 characters "
                          "(e.g. the output of `openssl rand -hex 32`)")
    return hmac.new(secret.encode("utf-8"), check_hub_user(user).encode("utf-8"),
                    hashlib.sha256).hexdigest()


def trainee_database_url(base_url: str, user: str, secret: str) -> str:
    """`base_url` (the centre's database) with the trainee's own login and password.

    What the hub puts in `ILCS_DATABASE_URL` for a trainee's server.
    """
    from ilcs.assessment.store import url_with_login
    from ilcs.errors import StoreError

    try:
        return url_with_login(base_url, trainee_db_role(user), trainee_password(secret, user))
    except StoreError as exc:
        raise ConfigError(str(exc)) from None


def server_environment(user: str, groups: tuple[str, ...] | list[str],
                       env: Mapping[str, str]) -> dict[str, str]:
    """What the hub adds to a user's single-user server environment (the spawn hook's body).

    A trainee gets their own database login (row-level security shows them only their own
    rows); an assessor or IQA gets the staff login and their review role. Every server gets
    the centre's group names, so a renamed group means the same inside the server. A user in
    none of the groups gets no server (ConfigError). Used by the one-server
    `jupyterhub_config.py` and by the Zero to JupyterHub `values.yaml`, so both say the same.
    """
    names = group_names(env)
    role = role_for_groups(groups, env)
    if role is None:
        raise ConfigError(f"{user} is in none of the groups {sorted(names.values())}: "
                          "add them to one before they start a server")
    store_url = env.get("ILCS_DATABASE_URL", "")
    staff_url = env.get("ILCS_STAFF_DATABASE_URL", "") or store_url
    added: dict[str, str] = {}
    if role == TRAINEE:
        added["ILCS_DATABASE_URL"] = trainee_database_url(store_url, user,
                                                          env.get(DB_SECRET_ENV, ""))
    else:
        added["ILCS_DATABASE_URL"] = staff_url
        added[REVIEW_ROLE_ENV] = role
    for role_name, group in names.items():
        added[GROUP_ENV[role_name]] = group
    return added


def review_service_environment(env: Mapping[str, str]) -> dict[str, str]:
    """The review service's environment: the staff database login and the group names."""
    staff_url = env.get("ILCS_STAFF_DATABASE_URL", "") or env.get("ILCS_DATABASE_URL", "")
    return {"ILCS_DATABASE_URL": staff_url,
            **{GROUP_ENV[role]: group for role, group in group_names(env).items()}}
