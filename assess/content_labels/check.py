"""Check files for labels: implicit (metadata), explicit (visible/audible) and the watermark.

One :class:`FileReport` per file. A file passes when it has exactly one metadata label that
conforms to GB 45438 Annex E and whose ReservedCode1 (if ours and a key is configured) verifies;
with ``require_explicit`` it must also carry a conforming explicit label.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from assess.content_labels import integrity
from assess.content_labels.formats import FORMATS, detect_format, naming
from assess.content_labels.label import parse_label
from assess.errors import InputError


@dataclass
class FileReport:
    """Labels found in one file and whether they conform."""

    file: str
    format: str = ""
    media: str = ""
    implicit_blocks: int = 0
    implicit_valid: bool = False
    label: str = ""
    producer: str = ""
    produce_id: str = ""
    integrity: str = ""
    explicit_found: bool | None = None  # None: not checked for this format
    explicit_conforms: bool | None = None
    explicit_detail: str = ""
    watermark_detected: bool | None = None
    watermark_matches_label: bool | None = None
    require_explicit: bool = False
    problems: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def passed(self) -> bool:
        """The file meets the checks asked for."""
        if self.error or not self.implicit_valid:
            return False
        return not self.require_explicit or bool(self.explicit_conforms)

    def as_row(self) -> dict:
        """A flat dict for tables (problems joined)."""
        row = asdict(self)
        row["problems"] = "; ".join(self.problems)
        row["passed"] = self.passed
        return row


def _check_implicit(report: FileReport, fmt, data: bytes, key: bytes | None) -> None:
    blocks = fmt.read_blocks(data)
    report.implicit_blocks = len(blocks)
    if not blocks:
        report.problems.append("no AIGC metadata label (Measures Art. 5, GB 45438 §6.1)")
        return
    if len(blocks) > 1:
        where = ", ".join(block.location for block in blocks)
        report.problems.append(f"{len(blocks)} AIGC metadata labels ({where}); GB 45438 §6.1 c) allows one")
    valid = len(blocks) == 1
    for block in blocks:
        if block.raw is None:
            report.problems.append(f"{block.location}: label cannot be decoded")
            valid = False
            continue
        label, problems = parse_label(block.raw)
        report.problems.extend(f"{block.location}: {p}" for p in problems)
        valid = valid and not problems
        if label is not None and not report.label:
            report.label, report.producer, report.produce_id = label.label, label.content_producer, label.produce_id
            report.integrity = integrity.verify(label, key)
            if report.integrity == integrity.MISMATCH:
                report.problems.append(f"{block.location}: ReservedCode1 does not verify (label altered or another key)")
                valid = False
    report.implicit_valid = valid


def _check_explicit_and_watermark(report: FileReport, fmt, data: bytes, name: str, watermark: bool) -> None:
    if fmt.media == "text":
        from assess.content_labels.formats.text import decode_text
        from assess.content_labels.text_notice import find_text_notice

        match = find_text_notice(decode_text(data))
        report.explicit_found = report.explicit_conforms = match.found
        report.explicit_detail = f"notice at {match.position}" if match.found else "no AI+生成/合成 notice at start or end"
    elif fmt.media == "audio":
        from assess.content_labels.audio_cue import find_audio_cue

        try:
            match = find_audio_cue(data)
        except InputError as exc:
            report.explicit_detail = f"not checked: {exc}"
            return
        report.explicit_found = report.explicit_conforms = match.found
        report.explicit_detail = f"短长短短 cue at {match.position}" if match.found else "no 短长短短 cue at start or end"
    else:
        from assess.content_labels.image_notice import find_image_notice
        from assess.content_labels.images import load_image

        image = load_image(data, name)
        match = find_image_notice(image)
        report.explicit_found, report.explicit_conforms = match.found, match.conforms
        report.explicit_detail = (
            f"notice {match.corner}, glyph {match.glyph_height_px}px = {match.glyph_height_ratio:.1%} of shortest side"
            if match.found else match.problem
        )
        if match.found and not match.conforms:
            report.problems.append(match.problem)
        if watermark and min(image.size) >= 64:
            from assess.content_labels.watermark import id_hash_for, read_watermark

            reading = read_watermark(image)
            report.watermark_detected = reading.detected
            if reading.detected and report.produce_id:
                report.watermark_matches_label = reading.id_hash == id_hash_for(report.produce_id)


def check_bytes(data: bytes, name: str = "input", *, key: bytes | None = None, require_explicit: bool = False,
                watermark: bool = True) -> FileReport:
    """Check one file's contents.

    Parameters
    ----------
    data : bytes
    name : str
        File name (for the report and for explaining format mismatches).
    key : bytes, optional
        ReservedCode1 key; None reads ``ASSESS_LABEL_KEY``.
    require_explicit : bool
        Fail files without a conforming explicit label.
    watermark : bool
        Also decode the image watermark.

    Returns
    -------
    FileReport

    Raises
    ------
    InputError
        The file is not a supported format or is damaged.
    """
    with naming(name):
        fmt = detect_format(data, name)
        report = FileReport(file=name, format=fmt.name, media=fmt.media, require_explicit=require_explicit)
        key = key if key is not None else integrity.label_key()
        _check_implicit(report, fmt, data, key)
        _check_explicit_and_watermark(report, fmt, data, name, watermark)
    if require_explicit and not report.explicit_conforms:
        report.problems.append(f"explicit label missing or not conforming ({report.explicit_detail})")
    return report


def _candidate(path: Path) -> bool:
    """Worth checking in a folder: known extension, or magic bytes of a supported format."""
    if path.suffix.lower() in {ext for fmt in FORMATS for ext in fmt.extensions}:
        return True
    with path.open("rb") as handle:
        head = handle.read(16)
    return any(fmt.sniff(head) for fmt in FORMATS if fmt.media != "text")


def check_path(path, **options) -> list[FileReport]:
    """Check a file, or every supported file under a folder (recursively, hidden files skipped).

    In a folder, a damaged file becomes a failing report with ``error`` set instead of stopping
    the run; files of other types (by extension and magic bytes) are skipped. A single file that
    is damaged or unsupported raises :class:`InputError`.

    Parameters
    ----------
    path : path-like
    **options
        Passed to :func:`check_bytes`.

    Returns
    -------
    list of FileReport
    """
    root = Path(path)
    if root.is_file():
        return [check_bytes(root.read_bytes(), root.name, **options)]
    if not root.is_dir():
        raise InputError(f"{root}: no such file or folder; check the path")
    reports = []
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = file.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or not _candidate(file):
            continue
        try:
            reports.append(check_bytes(file.read_bytes(), str(relative), **options))
        except InputError as exc:
            reports.append(FileReport(file=str(relative), error=str(exc), problems=[str(exc)]))
    if not reports:
        raise InputError(f"{root}: no PNG, JPEG, WAV or text files found; check the folder")
    return reports


def reports_table(reports: list[FileReport]):
    """One row per file for display: labels present and valid, and the result."""
    import pandas as pd

    def mark(flag):
        return "—" if flag is None else ("yes" if flag else "no")

    rows = []
    for r in reports:
        if r.error:
            implicit = "error"
        elif r.implicit_blocks == 0:
            implicit = "missing"
        elif r.implicit_valid:
            implicit = "valid"
        else:
            implicit = "invalid" + (f" ({r.implicit_blocks} labels)" if r.implicit_blocks > 1 else "")
        watermark = mark(r.watermark_detected)
        if r.watermark_detected and r.watermark_matches_label is not None:
            watermark += " (matches ProduceID)" if r.watermark_matches_label else " (other ProduceID)"
        rows.append({
            "file": r.file,
            "format": r.format or "?",
            "metadata label": implicit,
            "Label": r.label,
            "integrity": r.integrity or "—",
            "explicit label": mark(r.explicit_conforms),
            "watermark": watermark,
            "result": "PASS" if r.passed else "FAIL",
            "problems": "; ".join(r.problems),
        })
    return pd.DataFrame(rows)
