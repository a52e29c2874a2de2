"""A team's own canary file: JSON Lines, one canary a line (format: ``docs/canaries.md``).

Each line is an object with ``text`` (the sentence planted in the training data) and either

- ``secret``: the random part of ``text`` (ASCII digits and letters), or
- ``id`` only: then the secret is the last run of 4 or more ASCII digits and letters in ``text``;

and, once the canary is planted, ``repetitions`` (how often the training data holds it; 0 for a
control canary that is never inserted). ``id`` is optional (default ``line<N>``). Each character of
the secret is one random slot of the canary's format (a digit ``{d}``, a lower-case ``{l}`` or an
upper-case letter ``{u}``); the text around it is literal. Exposure ranks a canary among all
fillings of its format, so every canary of a file shares one format (same literal text, same
length and kinds of secret) and its secret should have been drawn uniformly at random.

``assess canaries make`` writes such a file and ``assess canaries insert`` plants it and records
the repetitions; the CanarySet JSON record of :mod:`assess.leakage.canaries` is read as before.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from assess.errors import InputError
from assess.leakage.canaries import ALPHABETS, Canary, CanaryFormat, CanarySet

#: The secret when a record names none: the last run of this many or more ASCII digits and letters.
_SECRET = re.compile(r"[0-9A-Za-z]{4,}")
_SLOT_OF = {**{c: "d" for c in ALPHABETS["d"]}, **{c: "l" for c in ALPHABETS["l"]}, **{c: "u" for c in ALPHABETS["u"]}}
#: Canary formats of ``assess canaries make`` by language.
MAKE_FORMATS = {"zh": "我的验证码是{d}{d}{d}{d}{d}{d}", "en": "my verification code is {d}{d}{d}{d}{d}{d}"}


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def canary_of(record: dict, where: str, default_id: str = "") -> tuple[str, Canary, str]:
    """``(template, canary, secret)`` of one record; the canary's repetitions are -1 when the
    record has none. Messages name the record, never its text (a canary text is a secret)."""
    if not isinstance(record, dict):
        raise InputError(f"{where} is not a JSON object: write one object per line with text and secret or id")
    text = record.get("text")
    if not isinstance(text, str) or not text:
        raise InputError(f"{where} has no 'text': give each canary its sentence as text")
    secret = record.get("secret")
    if secret is None:
        found = list(_SECRET.finditer(text))
        if not found:
            raise InputError(f"{where} names no secret and its text has no run of 4 or more ASCII digits/letters: "
                             "add 'secret' (the random part of text)")
        start, end = found[-1].span()
    else:
        if not isinstance(secret, str) or not secret:
            raise InputError(f"{where}: 'secret' must be a non-empty string (the random part of text)")
        start = text.rfind(secret)
        if start < 0:
            raise InputError(f"{where}: its secret does not occur in its text: secret is the random part of text")
        end = start + len(secret)
    secret = text[start:end]
    bad = [c for c in secret if c not in _SLOT_OF]
    if bad:
        raise InputError(f"{where}: its secret holds characters other than ASCII digits and letters: "
                         "use digits and letters only (each is one random slot)")
    template = _escape(text[:start]) + "".join("{" + _SLOT_OF[c] + "}" for c in secret) + _escape(text[end:])
    fmt = CanaryFormat.parse(template)
    index = 0
    for alphabet, character in zip(fmt.slots, secret):
        index = index * len(alphabet) + alphabet.index(character)
    repetitions = record.get("repetitions")
    if repetitions is not None and (not isinstance(repetitions, int) or isinstance(repetitions, bool) or repetitions < 0):
        raise InputError(f"{where}: 'repetitions' must be a whole number >= 0 (0: a control, never inserted)")
    canary_id = str(record.get("id") or default_id)
    return template, Canary(canary_id, text, index, repetitions if repetitions is not None else -1), secret


def read_records(path: Path) -> dict | list[tuple[int, object]]:
    """``(line number, object)`` of each canary of a JSON Lines file (blank lines skipped) or of a
    JSON list; or the dict of a CanarySet record (an object with ``format`` and ``canaries``)."""
    try:
        content = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"canary file {path} does not exist: make one with assess canaries make") from None
    except UnicodeDecodeError:
        raise InputError(f"canary file {path} is not UTF-8: save it as UTF-8") from None
    try:
        whole = json.loads(content)
    except json.JSONDecodeError:
        whole = None  # JSON Lines (or broken JSON: the lines say where)
    if isinstance(whole, dict) and "format" in whole and "canaries" in whole:
        return whole
    if isinstance(whole, list):
        return list(enumerate(whole, start=1))
    records = []
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise InputError(f"canary file {path.name} line {number} is not valid JSON ({exc.msg}): fix that line") from None
    return records


def read_canary_file(path, *, require_repetitions: bool = True) -> CanarySet:
    """Read a team canary file (or a CanarySet JSON record) as a :class:`CanarySet`.

    Parameters
    ----------
    path : path-like
        JSON Lines of ``{id, text}`` / ``{text, secret}`` objects (optionally ``repetitions``), a JSON
        list of them, or the JSON record :meth:`CanarySet.save` writes.
    require_repetitions : bool
        Every canary must say how often it was inserted (true for exposure; ``canaries insert``
        reads canaries that are not planted yet).

    Returns
    -------
    CanarySet
        ``seed`` is None for a team's canaries; a canary without repetitions has -1.

    Raises
    ------
    InputError
        The file is missing or malformed, a canary has no secret, repetitions are missing, ids
        repeat, or the canaries do not share one format. Messages never quote a canary's text.
    """
    path = Path(path)
    records = read_records(path)
    if isinstance(records, dict):
        return CanarySet.from_dict(records)
    if not records:
        raise InputError(f"canary file {path} holds no canaries: write one JSON object per line")
    templates, canaries = [], []
    for number, record in records:
        where = f"canary file {path.name} line {number}"
        template, canary, _ = canary_of(record, where, default_id=f"line{number}")
        if require_repetitions and canary.repetitions < 0:
            raise InputError(f"{where} has no 'repetitions': record how often the training data holds it "
                             "(0 for a control), e.g. with assess canaries insert")
        templates.append((number, template))
        canaries.append(canary)
    first_line, first = templates[0]
    for number, template in templates[1:]:
        if template != first:
            raise InputError(
                f"canary file {path.name}: the canaries of lines {first_line} and {number} differ in format (literal "
                "text, or length and kind of secret): a file holds canaries of one format; put the others in their own file"
            )
    ids = [c.canary_id for c in canaries]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise InputError(f"canary file {path.name}: ids {', '.join(repeated[:5])} repeat: give each canary its own id")
    indices = [c.index for c in canaries]
    if len(set(indices)) != len(indices):
        raise InputError(f"canary file {path.name}: two canaries have the same secret: draw a new secret for one")
    counts = tuple(sorted({c.repetitions for c in canaries}))
    return CanarySet(first, None, counts, 0, canaries)


def write_canary_file(canary_set: CanarySet, path) -> Path:
    """Write ``canary_set`` as a team canary file: ``{id, text, secret[, repetitions]}`` per line."""
    path = Path(path)
    fmt = canary_set.format
    lines = []
    for canary in canary_set.canaries:
        record = {"id": canary.canary_id, "text": canary.text, "secret": _secret(fmt, canary.index)}
        if canary.repetitions >= 0:
            record["repetitions"] = canary.repetitions
        lines.append(json.dumps(record, ensure_ascii=False))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _secret(fmt: CanaryFormat, index: int) -> str:
    characters = []
    for alphabet in reversed(fmt.slots):
        index, rest = divmod(int(index), len(alphabet))
        characters.append(alphabet[rest])
    return "".join(reversed(characters))


def with_repetitions(canary_set: CanarySet, counts) -> CanarySet:
    """The canaries with repetition counts assigned in turn: control (0), then each of ``counts``.

    Parameters
    ----------
    canary_set : CanarySet
    counts : sequence of int
        How often the inserted canaries are repeated, e.g. ``(1, 5, 20)``; 0 (the control group,
        never inserted) is always added, so exposure has a baseline.
    """
    cycle = [0, *sorted({int(c) for c in counts if int(c) != 0})]
    if any(c < 0 for c in cycle):
        raise InputError(f"repeats {list(counts)}: use counts >= 1, e.g. 1,5,20")
    if len(canary_set.canaries) < len(cycle):
        raise InputError(f"{len(canary_set.canaries)} canaries for {len(cycle)} groups (control and {', '.join(map(str, cycle[1:]))}): "
                         f"make at least {len(cycle)} canaries")
    canaries = [Canary(c.canary_id, c.text, c.index, cycle[i % len(cycle)]) for i, c in enumerate(canary_set.canaries)]
    return CanarySet(canary_set.template, canary_set.seed, tuple(cycle), 0, canaries)
