"""Names typed as identities (assessor, IQA), compared the one way ilcs compares them.

A name is typed by hand each time ("A. Khan", "a khan", "A Khan"), so two spellings of one
person must not count as two people: otherwise an IQA could quality-assure their own
decisions under a variant spelling. `person_key` folds case, accents, spaces and
punctuation away ("a. khan", "A Khan" and "A.Khan" all give "akhan"); `same_person`
compares two names by it. Every comparison of such names goes through these two
functions (sampling, IQA verdicts and queues, filters, assessor profiles).

Real identities (log-ins) come with a multi-user deployment; until then this is the rule.
"""

from __future__ import annotations

import unicodedata


def person_key(name: str | None) -> str:
    """The form a typed name is compared in: letters and digits only, case-folded, without
    accents ("Ó. Brien-Khan" -> "obrienkhan"); "" for no name."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return "".join(c for c in text.casefold() if c.isalnum())


def same_person(a: str | None, b: str | None) -> bool:
    """True when two typed names are the same person's (never for an empty name)."""
    key = person_key(a)
    return bool(key) and key == person_key(b)
