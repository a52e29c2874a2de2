"""The file-metadata implicit label of GB 45438-2025 Annex E: fields, serialisation, validation.

Annex E (normative) fixes the value of the metadata field whose name contains ``AIGC`` as the
JSON string ``{"AIGC":{"Label":..,"ContentProducer":..,"ProduceID":..,"ReservedCode1":..,
"ContentPropagator":..,"PropagateID":..,"ReservedCode2":..}}``. Every value is a string made of
the GB 18030 code points 0x21, 0x23-0x5B, 0x5D-0x7E and the escaped quote ``\\"``: printable
ASCII without space, ``"`` (except escaped) and ``\\``. ``Label`` is "1" (AI-generated), "2"
(possibly) or "3" (suspected).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields

from assess.errors import InputError

#: Annex E key order; the JSON is written in this order.
FIELD_NAMES = (
    "Label",
    "ContentProducer",
    "ProduceID",
    "ReservedCode1",
    "ContentPropagator",
    "PropagateID",
    "ReservedCode2",
)
#: Label values: 1 = is AI-generated (属于), 2 = may be (可能), 3 = suspected (疑似).
LABEL_VALUES = {"1": "AI-generated", "2": "possibly AI-generated", "3": "suspected AI-generated"}
#: Fields a producer must fill (GB 45438 §6.1: label, producer, production ID).
REQUIRED_NON_EMPTY = ("Label", "ContentProducer", "ProduceID")


def charset_violations(value: str) -> list[tuple[int, str]]:
    """Positions and characters of ``value`` outside the Annex E character set.

    Allowed: 0x21, 0x23-0x5B, 0x5D-0x7E, and ``"`` (it is written escaped as ``\\"`` in the
    JSON). Not allowed: space, backslash, control characters and anything non-ASCII.

    Parameters
    ----------
    value : str
        A decoded field value.

    Returns
    -------
    list of (int, str)
        Zero-based position and offending character, in order.
    """
    bad = []
    for position, char in enumerate(value):
        code = ord(char)
        if code == 0x21 or code == 0x22 or 0x23 <= code <= 0x5B or 0x5D <= code <= 0x7E:
            continue
        bad.append((position, char))
    return bad


@dataclass(frozen=True)
class AigcLabel:
    """One Annex E label; attribute names are the snake_case of the Annex E keys."""

    label: str
    content_producer: str
    produce_id: str
    reserved_code1: str = ""
    content_propagator: str = ""
    propagate_id: str = ""
    reserved_code2: str = ""

    def as_fields(self) -> dict[str, str]:
        """The label as an Annex E key -> value dict, in Annex E order."""
        return {key: getattr(self, attr.name) for key, attr in zip(FIELD_NAMES, fields(self))}

    def to_json(self) -> str:
        """The Annex E JSON string, compact (no white space, which the charset also forbids)."""
        return json.dumps({"AIGC": self.as_fields()}, ensure_ascii=True, separators=(",", ":"))

    def replace(self, **changes) -> "AigcLabel":
        """A copy with some attributes changed."""
        values = {attr.name: getattr(self, attr.name) for attr in fields(self)}
        values.update(changes)
        return AigcLabel(**values)

    @classmethod
    def from_fields(cls, values: dict[str, str]) -> "AigcLabel":
        """Build from an Annex E key -> value dict (missing keys become empty strings)."""
        return cls(*(str(values.get(key, "")) for key in FIELD_NAMES))


def new_label(producer: str, produce_id: str, label: str = "1") -> AigcLabel:
    """A producer's label, checked so that a bad name fails at marking time, not at audit time.

    Parameters
    ----------
    producer : str
        ContentProducer: the provider's name or code (Annex E charset: ASCII, no space).
    produce_id : str
        ProduceID: the provider's unique ID of this content.
    label : {"1", "2", "3"}
        Label value; a producer marking its own output uses "1".

    Returns
    -------
    AigcLabel
    """
    candidate = AigcLabel(str(label), str(producer), str(produce_id))
    problems = validate_fields(candidate.as_fields())
    if problems:
        raise InputError(f"cannot write this label: {'; '.join(problems)}")
    return candidate


def validate_fields(values: dict) -> list[str]:
    """Problems with an Annex E field dict; empty when it conforms.

    Checks: all seven keys present and no others, every value a string, ``Label`` in
    {"1","2","3"}, ``ContentProducer`` and ``ProduceID`` non-empty, every value within the
    Annex E character set.

    Parameters
    ----------
    values : dict
        The object under the ``AIGC`` key.

    Returns
    -------
    list of str
        One short sentence per problem.
    """
    problems = []
    missing = [key for key in FIELD_NAMES if key not in values]
    if missing:
        problems.append(f"missing key(s) {', '.join(missing)}")
    unknown = [key for key in values if key not in FIELD_NAMES]
    if unknown:
        problems.append(f"unknown key(s) {', '.join(map(str, unknown))}")
    for key in FIELD_NAMES:
        if key not in values:
            continue
        value = values[key]
        if not isinstance(value, str):
            problems.append(f"{key} must be a JSON string, not {type(value).__name__}")
            continue
        bad = charset_violations(value)
        if bad:
            position, char = bad[0]
            problems.append(
                f"{key} has {len(bad)} character(s) outside the Annex E charset "
                f"(first U+{ord(char):04X} at position {position})"
            )
    if isinstance(values.get("Label"), str) and values["Label"] not in LABEL_VALUES:
        problems.append(f"Label is {values['Label']!r}; it must be \"1\", \"2\" or \"3\"")
    for key in REQUIRED_NON_EMPTY[1:]:
        if key in values and values[key] == "":
            problems.append(f"{key} is empty")
    return problems


def parse_label(raw: str) -> tuple[AigcLabel | None, list[str]]:
    """Parse an Annex E JSON string and validate it.

    Parameters
    ----------
    raw : str
        The metadata value as stored in the file.

    Returns
    -------
    (AigcLabel or None, list of str)
        The label (None when the JSON or its ``AIGC`` object is unusable) and the problems found.
    """
    try:
        document = json.loads(raw)
    except (TypeError, ValueError) as exc:
        return None, [f"value is not JSON ({exc.__class__.__name__})"]
    if not isinstance(document, dict) or not isinstance(document.get("AIGC"), dict):
        return None, ['JSON has no "AIGC" object']
    values = document["AIGC"]
    problems = validate_fields(values)
    if len(document) > 1:
        problems.append("JSON has keys besides \"AIGC\"")
    return AigcLabel.from_fields(values), problems


_EMBEDDED_START = re.compile(r'\{\s*"AIGC"\s*:')


def find_embedded_labels(text: str) -> list[tuple[int, int, str | None]]:
    """Every Annex E JSON object embedded in free text (text files, JPEG comments, Exif).

    Parameters
    ----------
    text : str
        Text that may contain ``{"AIGC":{...}}`` objects.

    Returns
    -------
    list of (int, int, str or None)
        Start and end offsets of each object and its JSON text (None when the object starts
        like a label but is not valid JSON; it then runs to the end of its line).
    """
    decoder = json.JSONDecoder()
    found = []
    for match in _EMBEDDED_START.finditer(text):
        start = match.start()
        if found and start < found[-1][1]:
            continue  # inside an object already found
        try:
            _, end = decoder.raw_decode(text, start)
            found.append((start, end, text[start:end]))
        except ValueError:
            line_end = text.find("\n", start)
            found.append((start, len(text) if line_end < 0 else line_end, None))
    return found
