"""The candidate's profile: who is answering (name, candidate number, centre, assessor).

Saved as `profile.json` in the user's data directory (so it survives kernel restarts and
re-runs) and in the answer store's candidates table. `candidate_id` is a random id made
once on this machine: answers are filed under it, so a trainee can start answering before
filling in the form and nothing is lost when they do.

On a JupyterHub (`JUPYTERHUB_USER` set) the candidate id is the logged-in hub user instead:
the hub, not a typed name, says who is answering, and the store's row-level security files
every answer under that user (see ilcs/hub.py and docs/deploy-jupyterhub.md).
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ilcs.errors import DataError, Problem, UsageError
from ilcs.paths import user_data_dir

if TYPE_CHECKING:
    from ilcs.assessment.store import AnswerStore

PROFILE_FILE = "profile.json"
PROFILE_VERSION = 1
_CANDIDATE_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 /\-]{0,31}$")


@dataclass(frozen=True)
class Profile:
    candidate_id: str
    name: str = ""
    candidate_number: str = ""
    centre: str = ""
    assessor: str | None = None

    @property
    def is_complete(self) -> bool:
        return bool(self.name and self.candidate_number and self.centre)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def profile_path() -> Path:
    return user_data_dir() / PROFILE_FILE


def new_candidate_id() -> str:
    return uuid.uuid4().hex


def validate(name: str, candidate_number: str, centre: str,
             assessor: str | None = None) -> list[Problem]:
    """Problems with the values typed into the profile form (empty list if fine)."""
    problems = []
    if not name.strip():
        problems.append(Problem("please enter your full name", column="name"))
    if not candidate_number.strip():
        problems.append(Problem("please enter your candidate number", column="candidate number"))
    elif not _CANDIDATE_NUMBER.match(candidate_number.strip()):
        problems.append(Problem(
            "a candidate number uses letters, digits, spaces, '/' or '-' (up to 32)",
            column="candidate number"))
    if not centre.strip():
        problems.append(Problem("please enter your centre (where you are registered)",
                                column="centre"))
    if assessor is not None and len(assessor) > 200:
        problems.append(Problem("the assessor's name is too long", column="assessor"))
    return problems


def load_profile(path: Path | None = None) -> Profile | None:
    """The saved profile, or None if there is none yet."""
    path = path or profile_path()
    if not path.is_file():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict) or not raw.get("candidate_id"):
            raise UsageError("no candidate_id")
        return Profile(
            candidate_id=str(raw["candidate_id"]),
            name=str(raw.get("name") or ""),
            candidate_number=str(raw.get("candidate_number") or ""),
            centre=str(raw.get("centre") or ""),
            assessor=(str(raw["assessor"]) if raw.get("assessor") else None),
        )
    except (ValueError, OSError) as exc:
        raise DataError(Problem(f"the profile cannot be read ({exc}); fill in the profile form "
                                "again to replace it", file=str(path))) from None


def _write(profile: Profile, path: Path) -> None:
    from ilcs.paths import write_json

    write_json(path, {"profile_version": PROFILE_VERSION, **profile.to_dict()})  # atomic


def current_profile(env: Mapping[str, str] | None = None) -> Profile:
    """The saved profile, or a new empty one (with its own candidate_id) saved now.

    On a hub the candidate id is always the hub user (a profile saved under another id, e.g.
    copied from a laptop, keeps its name, number and centre but is filed under the hub user).
    """
    from ilcs.hub import hub_user

    user = hub_user(os.environ if env is None else env)
    profile = load_profile()
    if profile is None:
        profile = Profile(candidate_id=user or new_candidate_id())
        _write(profile, profile_path())
    elif user is not None and profile.candidate_id != user:
        profile = replace(profile, candidate_id=user)
        _write(profile, profile_path())
    return profile


def resolve_candidate(candidate: str | Profile | None) -> tuple[str, Profile | None]:
    """The candidate id to file answers under, and the profile when known.

    A profile gives its own id; a string is taken as the id itself; nothing means the current
    profile (the hub user on a hub, else this computer's profile).
    """
    if isinstance(candidate, Profile):
        return candidate.candidate_id, candidate
    if isinstance(candidate, str):
        return candidate, None
    profile = current_profile()
    return profile.candidate_id, profile


def save_profile(name: str, candidate_number: str, centre: str,
                 assessor: str | None = None, *, store: AnswerStore | None = None,
                 env: Mapping[str, str] | None = None) -> Profile:
    """Validate and save the profile to profile.json and to the answer store."""
    assessor = (assessor or "").strip() or None
    problems = validate(name, candidate_number, centre, assessor)
    if problems:
        raise DataError(problems)
    profile = replace(current_profile(env), name=name.strip(),
                      candidate_number=candidate_number.strip(), centre=centre.strip(),
                      assessor=assessor)
    _write(profile, profile_path())
    if store is None:
        from ilcs.assessment.store import default_store

        store = default_store()
    store.save_candidate(profile.candidate_id, name=profile.name,
                         candidate_number=profile.candidate_number, centre=profile.centre,
                         assessor=profile.assessor)
    return profile
