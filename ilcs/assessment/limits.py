"""Limits a pack must keep to before ilcs trusts it.

An evidence pack comes from outside (a trainee's computer, an e-mail, a shared folder), so
it is bounded before it is parsed: a 200 MB pack, a pack with a million answers or a pack
nested ten thousand levels deep is refused with a clear message, and nothing is imported.

- file size: at most `ILCS_PACK_MAX_MB` megabytes (default 5; `ilcs import --max-pack-mb`
  overrides it for one run). A trainee's real pack is well under 1 MB.
- answers: at most 10,000 in one pack (the whole question bank answered and changed many
  times over is a few hundred).
- one answer: at most 20,000 characters (about 3,000 words; the longest written answers are
  a few hundred words, and every answer must fit in one spreadsheet cell of an export).
- one attachment: at most 400,000 characters. An attachment is a document the trainee
  attaches as evidence, carried as the answer to a fixed question id (`ATTACHMENT_QUESTIONS`):
  the improvement record for 6.3, with its notes and its charts as SVG (a chart is about
  10,000 characters). It is never exported to a spreadsheet cell.
- nesting: at most 16 levels of lists and mappings (a pack needs 5); checked on the text,
  without recursion, before the JSON is parsed.

See docs/safe-files.md for the memory an import needs.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ilcs.errors import ConfigError, PackError

MB = 1024 * 1024
DEFAULT_MAX_MB = 5.0
ENV_MAX_MB = "ILCS_PACK_MAX_MB"
MAX_ANSWERS = 10_000
MAX_ANSWER_CHARS = 20_000
MAX_ATTACHMENT_CHARS = 400_000
#: Question ids whose answer is an attached document, bounded by MAX_ATTACHMENT_CHARS.
IMPROVEMENT_RECORD_QUESTION = "q6.3-improvement-record"
#: The criterion each attachment is evidence for.
ATTACHMENT_CRITERIA = {IMPROVEMENT_RECORD_QUESTION: "6.3"}
ATTACHMENT_QUESTIONS = frozenset(ATTACHMENT_CRITERIA)
MAX_DEPTH = 16

_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')  # linear: no nested repetition
_BRACKET = re.compile(r"[\[\]{}]")
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class PackLimits:
    """The limits one import works to."""

    max_mb: float = DEFAULT_MAX_MB
    max_answers: int = MAX_ANSWERS
    max_answer_chars: int = MAX_ANSWER_CHARS
    max_attachment_chars: int = MAX_ATTACHMENT_CHARS
    max_depth: int = MAX_DEPTH

    @property
    def max_bytes(self) -> int:
        return int(self.max_mb * MB)

    @classmethod
    def configured(cls, max_mb: float | None = None) -> PackLimits:
        """The centre's limits: `max_mb` if given (the command's --max-pack-mb), else the
        ILCS_PACK_MAX_MB setting, else 5 MB."""
        if max_mb is not None:
            return cls(max_mb=_positive(max_mb, "--max-pack-mb"))
        setting = os.environ.get(ENV_MAX_MB, "").strip()
        if not setting:
            return cls()
        try:
            value = float(setting)
        except ValueError:
            value = float("nan")
        return cls(max_mb=_positive(value, ENV_MAX_MB, setting))


def _positive(value: float, where: str, shown: str | None = None) -> float:
    if not value > 0 or value == float("inf"):
        raise ConfigError(f"{where} must be a number of megabytes above 0 (e.g. 5), "
                          f"not '{shown if shown is not None else value}'")
    return float(value)


def read_bounded(path: Path, limits: PackLimits) -> bytes:
    """The bytes of a pack file, refusing one over the size limit before reading it all."""
    name = path.name
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise PackError(_too_big(name, size, limits))
        chunks: list[bytes] = []
        total = 0
        with path.open("rb") as handle:  # in pieces: a file that grew, or a device, stops here
            while chunk := handle.read(_CHUNK):
                total += len(chunk)
                if total > limits.max_bytes:
                    raise PackError(_too_big(name, None, limits))
                chunks.append(chunk)
    except FileNotFoundError:
        raise PackError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise PackError(f"{path}: is a folder, not a pack file") from None
    except OSError as exc:
        raise PackError(f"{path}: cannot be read ({exc.strerror})") from None
    return b"".join(chunks)


def _too_big(name: str, size: int | None, limits: PackLimits) -> str:
    shown = f"{size / MB:.1f} MB, more than" if size is not None else "larger than"
    return (f"{name}: the pack is {shown} the {limits.max_mb:g} MB allowed (a trainee's pack "
            f"is normally well under 1 MB); if it is genuine, raise the limit with "
            f"--max-pack-mb or {ENV_MAX_MB}")


def check_depth(text: str, name: str, limits: PackLimits) -> None:
    """Refuse JSON nested deeper than the limit, looking at the text only (no recursion,
    no parsing): brackets inside strings are left out, then the depth is counted."""
    depth = 0
    for bracket in _BRACKET.finditer(_JSON_STRING.sub("", text)):
        if bracket.group() in "[{":
            depth += 1
            if depth > limits.max_depth:
                raise PackError(too_deep(name, limits))
        else:
            depth -= 1


def too_deep(name: str, limits: PackLimits) -> str:
    return (f"{name}: the pack is nested more than {limits.max_depth} levels deep (lists "
            "within lists); no evidence pack is, so it was not read")
