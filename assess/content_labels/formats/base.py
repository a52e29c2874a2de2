"""What every container format offers: sniffing, reading, writing and stripping AIGC labels."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LabelBlock:
    """One metadata block that carries an AIGC label.

    Attributes
    ----------
    location : str
        Where it sits, e.g. ``iTXt:AIGC``, ``APP1/XMP TC260:AIGC``, ``RIFF chunk AIGC``.
    raw : str or None
        The stored value (the Annex E JSON); None when the block exists but cannot be decoded.
    """

    location: str
    raw: str | None


class LabelFormat:
    """One container format. Subclasses set the class attributes and implement the methods.

    Methods raise :class:`assess.errors.InputError` for a damaged container (bad signature,
    truncated segment, wrong checksum), naming what is broken.
    """

    #: short name shown in reports, e.g. "png"
    name = ""
    #: "image", "audio" or "text"
    media = ""
    #: lower-case extensions that announce this format (used only to explain a mismatch)
    extensions: tuple[str, ...] = ()

    def sniff(self, data: bytes) -> bool:
        """True when the magic bytes say the data is this format."""
        raise NotImplementedError

    def read_blocks(self, data: bytes) -> list[LabelBlock]:
        """Every AIGC label block in the file, in file order (GB 45438 §6.1 c) allows one)."""
        raise NotImplementedError

    def write_label(self, data: bytes, label_json: str) -> bytes:
        """The file with every existing AIGC block removed and one block holding ``label_json``."""
        raise NotImplementedError

    def strip_labels(self, data: bytes) -> bytes:
        """The file with every AIGC block removed (used to test that stripping is detected)."""
        raise NotImplementedError
