# jupyterhub_config.py for a centre running ilcs on one server (plain JupyterHub or The
# Littlest JupyterHub). Explained line by line in docs/deploy-jupyterhub.md; loaded by
# tests/hub/test_hub_config.py.
#
# Settings read from the hub's environment (keep them out of this file):
#   ILCS_DATABASE_URL          the centre's answer store as its owner (the centre admin),
#                              e.g. postgresql+psycopg://ilcs_admin:...@127.0.0.1/ilcs
#   ILCS_STAFF_DATABASE_URL    the login assessors' and IQAs' servers and the review service
#                              use (default: ILCS_DATABASE_URL)
#   ILCS_HUB_DB_SECRET         the secret each trainee's database password is derived from
#                              (`openssl rand -hex 32`); `ilcs hub add-trainee` needs it too
#   ILCS_HUB_STATE_URL         the hub's own state database (default: sqlite in the cwd)
#   ILCS_HUB_IDLE_MINUTES      stop a server idle this long (default 60)
import os
import sys

from ilcs.hub import (
    ASSESSOR,
    IQA,
    TRAINEE,
    group_names,
    review_service_environment,
    server_environment,
)

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

GROUPS = group_names(os.environ)  # trainees, assessors, iqa (ILCS_HUB_*_GROUP to rename)
IDLE_SECONDS = 60 * int(os.environ.get("ILCS_HUB_IDLE_MINUTES", "60"))

# --- the hub itself -------------------------------------------------------------------
c.JupyterHub.bind_url = os.environ.get("ILCS_HUB_BIND_URL", "http://:8000")
c.JupyterHub.db_url = os.environ.get("ILCS_HUB_STATE_URL", "sqlite:///jupyterhub.sqlite")
c.JupyterHub.cleanup_servers = False  # restarting the hub leaves trainees' work running

# Who may log in, and the three groups. Production: your authenticator (PAM on The Littlest
# JupyterHub, LTI for Moodle, OAuth for Microsoft 365/Google) - see the guide. The groups
# are created here; put users in them in the hub's admin page or with its REST API.
c.JupyterHub.load_groups = {GROUPS[TRAINEE]: {}, GROUPS[ASSESSOR]: {}, GROUPS[IQA]: {}}
c.Authenticator.allow_all = False
c.Authenticator.allow_existing_users = True  # users the admin adds (admin page or REST API)
c.Authenticator.admin_users = {os.environ.get("ILCS_HUB_ADMIN", "centre-admin")}

# --- what each server may ask the hub --------------------------------------------------
# A server's token may read its own user's name and groups (ilcs reads the role from them).
c.Spawner.server_token_scopes = [
    "users:activity!user",
    "access:servers!server",
    "read:users:name!user",
    "read:users:groups!user",
]
c.JupyterHub.load_roles = [
    # Every user may reach the review service: it shows a trainee a clear 403 page itself.
    {"name": "user", "scopes": ["self", "access:services!service=ilcs-review"]},
    {"name": "ilcs-idle-culler", "services": ["idle-culler"],
     "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]},
]

# --- each single-user server -----------------------------------------------------------
c.Spawner.default_url = "/lab/tree/ilcs-course/notebooks/00_start_here.ipynb"
# The course folder: created on the first start, brought up to date on every start without
# overwriting anything the trainee changed (`ilcs init --update` only adds missing files).
c.Spawner.cmd = ["bash", "-c",
                 'ilcs init "$HOME/ilcs-course" --update >/dev/null && '
                 'exec jupyterhub-singleuser "$@"', "--"]
# Idle kernels are shut down by the server itself; idle servers by the culler service below.
c.Spawner.args = [
    "--MappingKernelManager.cull_idle_timeout=1200",
    "--MappingKernelManager.cull_interval=300",
    "--MappingKernelManager.cull_connected=False",
]
c.Spawner.mem_limit = os.environ.get("ILCS_HUB_MEM_LIMIT", "1G")  # honoured on Kubernetes


def ilcs_environment(spawner):  # noqa: ANN001, ANN201 - JupyterHub's hook signature
    """Give each server the answer store login for its user's role (nothing for others)."""
    groups = [g.name for g in spawner.user.groups]
    spawner.environment.update(server_environment(spawner.user.name, groups, os.environ))


c.Spawner.pre_spawn_hook = ilcs_environment

# --- services ----------------------------------------------------------------------------
c.JupyterHub.services = [
    {   # the review app, behind the hub's login: assessors and IQAs only
        "name": "ilcs-review",
        "url": "http://127.0.0.1:10101",
        "command": [sys.executable, "-m", "ilcs.voila.hub_service"],
        "environment": review_service_environment(os.environ),
        "oauth_no_confirm": True,
        "display": True,
    },
    {   # stops servers idle for ILCS_HUB_IDLE_MINUTES (their work is saved on disk and in
        # the answer store); the next login starts a fresh one
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                    f"--timeout={IDLE_SECONDS}", "--cull-every=300"],
    },
]
