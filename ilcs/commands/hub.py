"""`ilcs hub ...`: a centre on JupyterHub (trainee database logins, who am I).

    ilcs hub add-trainee USER... [--database URL]     # centre admin, ILCS_HUB_DB_SECRET set
    ilcs hub remove-trainee USER... [--database URL]
    ilcs hub trainees [--database URL]
    ilcs hub whoami                                    # on a hub server: login, groups, role
"""

from __future__ import annotations

import argparse
import getpass
import os


def register(subparsers: argparse._SubParsersAction) -> None:
    hub = subparsers.add_parser("hub", help="a centre on JupyterHub: trainee database logins")
    sub = hub.add_subparsers(dest="hub_command", metavar="ACTION", required=True)

    add = sub.add_parser("add-trainee", help="centre admin: give hub users their own "
                                             "database login (they see only their own rows)")
    add.add_argument("users", nargs="+", metavar="USER", help="hub user names")
    add.add_argument("--database", metavar="URL", help="the centre's PostgreSQL store, as its "
                     "owner (default: ILCS_DATABASE_URL)")
    add.set_defaults(func=_add)

    rm = sub.add_parser("remove-trainee", help="centre admin: drop trainees' database logins "
                                               "(their answers stay)")
    rm.add_argument("users", nargs="+", metavar="USER")
    rm.add_argument("--database", metavar="URL")
    rm.set_defaults(func=_remove)

    ls = sub.add_parser("trainees", help="list the hub users with a trainee database login")
    ls.add_argument("--database", metavar="URL")
    ls.set_defaults(func=_list)

    who = sub.add_parser("whoami", help="on a hub server: your login, hub groups and ilcs role")
    who.set_defaults(func=_whoami)


def _admin() -> str:
    from ilcs.hub import actor_name

    try:
        login = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on this system
        login = "centre admin"
    return actor_name(login, os.environ) or "centre admin"


def _add(args: argparse.Namespace) -> int:
    from ilcs.assessment.store import AnswerStore, add_trainee_login
    from ilcs.errors import ConfigError
    from ilcs.hub import DB_SECRET_ENV, check_hub_user, trainee_db_role, trainee_password

    secret = os.environ.get(DB_SECRET_ENV, "")
    if not secret:
        raise ConfigError(f"set {DB_SECRET_ENV} to the secret the hub uses (its "
                          "jupyterhub_config.py derives each trainee's password from it)")
    for user in args.users:  # every name checked before anything is created
        check_hub_user(user)
    with AnswerStore.open(args.database) as store:
        for user in args.users:
            login = add_trainee_login(store, user, trainee_db_role(user),
                                      trainee_password(secret, user), by=_admin())
            print(f"{user}: database login {login.db_role} "
                  f"{'created' if login.created else 'renewed'}.")
    return 0


def _remove(args: argparse.Namespace) -> int:
    from ilcs.assessment.store import AnswerStore, remove_trainee_login
    from ilcs.hub import trainee_db_role

    with AnswerStore.open(args.database) as store:
        for user in args.users:
            done = remove_trainee_login(store, user, trainee_db_role(user), by=_admin())
            print(f"{user}: {'login removed (answers kept)' if done else 'no such login'}.")
    return 0


def _list(args: argparse.Namespace) -> int:
    from ilcs.assessment.store import AnswerStore, trainee_logins

    with AnswerStore.open(args.database) as store:
        users = trainee_logins(store)
    for user in users:
        print(user)
    print(f"{len(users)} trainee login{'' if len(users) == 1 else 's'}.")
    return 0


def _whoami(_args: argparse.Namespace) -> int:
    from ilcs.hub import identity

    who = identity(os.environ)
    if who is None:
        print("Not on a JupyterHub server (JUPYTERHUB_USER is not set).")
        return 0
    print(f"{who.user}: groups {', '.join(who.groups) or '(none)'}; "
          f"ilcs role {who.role or '(none: ask the centre to add you to a group)'}.")
    return 0
