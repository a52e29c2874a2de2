"""Content labels: Annex E label rules, containers, mark/check round trips, damaged input."""

from __future__ import annotations

import io
import json
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from assess.content_labels import integrity
from assess.content_labels.audio_cue import write_pcm16
from assess.content_labels.check import check_bytes, check_path
from assess.content_labels.formats import detect_format, format_named
from assess.content_labels.label import AigcLabel, charset_violations, new_label, parse_label
from assess.content_labels.mark import mark_bytes, mark_file
from assess.errors import InputError

KEY = b"test-label-key"


@pytest.fixture(autouse=True)
def _no_configured_key(monkeypatch):
    """A developer's ASSESS_LABEL_KEY must not change what these tests see."""
    monkeypatch.delenv("ASSESS_LABEL_KEY", raising=False)
    monkeypatch.delenv("ASSESS_LABEL_KEY_FILE", raising=False)


def picture(width=160, height=120, seed=0) -> Image.Image:
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    base = np.stack([x * 255 / width, y * 255 / height, np.full_like(x, 128.0)], axis=-1)
    return Image.fromarray(np.clip(base + rng.normal(0, 8, base.shape), 0, 255).astype(np.uint8))


def encoded(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, quality=90)
    return buffer.getvalue()


def png_bytes() -> bytes:
    return encoded(picture(), "PNG")


def jpeg_bytes() -> bytes:
    return encoded(picture(), "JPEG")


def wav_bytes() -> bytes:
    t = np.arange(8000) / 8000
    return write_pcm16(np.round(np.sin(2 * np.pi * 330 * t) * 8000).astype(np.int16), 8000)


TEXT = "您好，您的订单已发货。\nThanks for waiting.\n".encode("utf-8")
SAMPLES = {"a.png": png_bytes, "a.jpg": jpeg_bytes, "a.wav": wav_bytes, "a.txt": lambda: TEXT}


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def insert_after_ihdr(png: bytes, chunk: bytes) -> bytes:
    ihdr_end = 8 + 12 + struct.unpack(">I", png[8:12])[0]
    return png[:ihdr_end] + chunk + png[ihdr_end:]


# -- the label itself ------------------------------------------------------------------------

def test_label_json_follows_annex_e_and_parses_back():
    label = new_label("acme-ai", "id-001")
    raw = label.to_json()
    assert raw.startswith('{"AIGC":{"Label":"1","ContentProducer":"acme-ai","ProduceID":"id-001","ReservedCode1":""')
    assert list(json.loads(raw)["AIGC"]) == [
        "Label", "ContentProducer", "ProduceID", "ReservedCode1", "ContentPropagator", "PropagateID", "ReservedCode2"]
    parsed, problems = parse_label(raw)
    assert parsed == label and problems == []


@pytest.mark.parametrize("value, bad", [
    ("acme-ai", []), ('say"hi"', []), ("a b", [(1, " ")]), ("a\\b", [(1, "\\")]), ("生成", [(0, "生"), (1, "成")]),
])
def test_charset_rule(value, bad):
    assert charset_violations(value) == bad


def test_label_problems_are_reported():
    values = {"Label": "4", "ContentProducer": "", "ProduceID": "x y", "ReservedCode1": "", "ContentPropagator": "",
              "PropagateID": 7}
    _, problems = parse_label(json.dumps({"AIGC": values}))
    text = " | ".join(problems)
    assert "missing key(s) ReservedCode2" in text
    assert "Label is '4'" in text
    assert "ContentProducer is empty" in text
    assert "ProduceID has 1 character(s) outside the Annex E charset (first U+0020" in text
    assert "PropagateID must be a JSON string" in text
    assert parse_label("not json")[1] == ["value is not JSON (JSONDecodeError)"]


def test_bad_producer_is_refused_when_marking():
    with pytest.raises(InputError, match="ContentProducer has 1 character"):
        new_label("acme ai", "id")
    with pytest.raises(InputError, match='Label is'):
        new_label("acme", "id", label="0")


def test_integrity_code_verifies_and_detects_tampering():
    signed = integrity.sign(new_label("acme", "id-1"), KEY)
    assert signed.reserved_code1.startswith("HMAC-SHA256:") and not charset_violations(signed.reserved_code1)
    assert integrity.verify(signed, KEY) == integrity.VERIFIED
    assert integrity.verify(signed.replace(produce_id="id-2"), KEY) == integrity.MISMATCH
    assert integrity.verify(signed, b"another key") == integrity.MISMATCH
    assert integrity.verify(signed, None) == integrity.NO_KEY
    assert integrity.verify(integrity.sign(signed, None), KEY) == integrity.ABSENT
    # A platform adding propagation fields does not break the producer's code (Measures Art. 6).
    propagated = signed.replace(content_propagator="platform-x", propagate_id="p-9")
    assert integrity.verify(propagated, KEY) == integrity.VERIFIED


# -- mark and check round trips ----------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_mark_then_check_round_trips(name):
    original = SAMPLES[name]()
    assert not check_bytes(original, name, key=KEY, watermark=False).passed
    marked, result = mark_bytes(original, producer="acme-ai", produce_id="id-42", name=name, key=KEY)
    report = check_bytes(marked, name, key=KEY, watermark=False)
    assert report.passed, report.problems
    assert (report.implicit_blocks, report.label, report.producer, report.produce_id) == (1, "1", "acme-ai", "id-42")
    assert report.integrity == "verified" and result.integrity_code
    # Marking again replaces the label instead of adding a second one.
    remarked, _ = mark_bytes(marked, producer="acme-ai", produce_id="id-43", name=name, key=KEY)
    again = check_bytes(remarked, name, key=KEY, watermark=False)
    assert again.passed and again.implicit_blocks == 1 and again.produce_id == "id-43"


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_stripped_label_is_flagged(name):
    marked, _ = mark_bytes(SAMPLES[name](), producer="acme-ai", produce_id="id-1", name=name, key=KEY)
    fmt = detect_format(marked, name)
    report = check_bytes(fmt.strip_labels(marked), name, key=KEY, watermark=False)
    assert not report.passed and report.implicit_blocks == 0
    assert "no AIGC metadata label" in report.problems[0]


def test_label_does_not_change_the_pixels():
    original = jpeg_bytes()
    marked, _ = mark_bytes(original, producer="acme", produce_id="i", name="a.jpg")
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(original))), np.asarray(Image.open(io.BytesIO(marked))))


def test_without_key_no_integrity_code_is_written():
    marked, result = mark_bytes(png_bytes(), producer="acme", produce_id="i", name="a.png")
    report = check_bytes(marked, "a.png", watermark=False)
    assert not result.integrity_code and report.integrity == "absent" and report.passed


def test_tampered_label_fails_the_integrity_check():
    marked, _ = mark_bytes(TEXT, producer="acme", produce_id="id-1", name="a.txt", key=KEY)
    forged = marked.replace(b'"ProduceID":"id-1"', b'"ProduceID":"id-2"')
    report = check_bytes(forged, "a.txt", key=KEY)
    assert report.integrity == "mismatch" and not report.passed


def test_format_is_sniffed_not_taken_from_the_extension():
    marked, result = mark_bytes(png_bytes(), producer="acme", produce_id="i", name="looks-like.jpg")
    assert result.format == "png"
    assert check_bytes(marked, "looks-like.jpg", watermark=False).format == "png"


# -- exactly one label (GB 45438 §6.1 c) -------------------------------------------------------

def test_two_label_blocks_in_a_png_are_invalid():
    marked, _ = mark_bytes(png_bytes(), producer="acme", produce_id="id-1", name="a.png")
    second = new_label("acme", "id-2").to_json().encode()
    doubled = insert_after_ihdr(marked, png_chunk(b"tEXt", b"AIGC\x00" + second))
    report = check_bytes(doubled, "a.png", watermark=False)
    assert report.implicit_blocks == 2 and not report.implicit_valid and not report.passed
    assert any("allows one" in p for p in report.problems)


def test_png_xmp_label_counts_as_a_label():
    from assess.content_labels import xmp

    packet = xmp.build_packet(new_label("acme", "id-x").to_json())
    xmp_chunk = png_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + packet.encode())
    only_xmp = insert_after_ihdr(png_bytes(), xmp_chunk)
    report = check_bytes(only_xmp, "a.png", watermark=False)
    assert report.passed and report.produce_id == "id-x"
    both = format_named("png").read_blocks(insert_after_ihdr(mark_bytes(png_bytes(), producer="a", produce_id="b")[0], xmp_chunk))
    assert len(both) == 2


def test_two_label_blocks_in_a_jpeg_or_text_are_invalid():
    marked, _ = mark_bytes(jpeg_bytes(), producer="acme", produce_id="id-1", name="a.jpg")
    comment = new_label("acme", "id-2").to_json().encode()
    com = b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment
    doubled = marked[:2] + com + marked[2:]
    report = check_bytes(doubled, "a.jpg", watermark=False)
    assert report.implicit_blocks == 2 and not report.passed
    text, _ = mark_bytes(TEXT, producer="acme", produce_id="id-1", name="a.txt")
    pasted = new_label("acme", "id-2").to_json().encode() + b"\n" + text
    assert check_bytes(pasted, "a.txt").implicit_blocks == 2
    assert not check_bytes(pasted, "a.txt").passed


def test_charset_rule_is_enforced_on_read():
    bad = AigcLabel("1", "acme ai", "生成-01").to_json()  # written around new_label's check
    png = insert_after_ihdr(png_bytes(), png_chunk(b"iTXt", b"AIGC\x00\x00\x00\x00\x00" + bad.encode()))
    report = check_bytes(png, "a.png", watermark=False)
    assert not report.passed
    assert any("ContentProducer has 1 character(s) outside the Annex E charset" in p for p in report.problems)
    assert any("ProduceID has 2 character(s) outside the Annex E charset" in p for p in report.problems)


# -- damaged and unsupported input ------------------------------------------------------------

def test_damaged_png_header_is_a_clear_input_error():
    data = bytearray(png_bytes())
    data[20] ^= 0xFF  # inside IHDR: its CRC no longer matches
    with pytest.raises(InputError, match=r"broken.png: damaged PNG: CRC mismatch in chunk 'IHDR'"):
        check_bytes(bytes(data), "broken.png")
    with pytest.raises(InputError, match="runs past the end"):
        check_bytes(png_bytes()[:60], "short.png")


def test_not_an_image_is_a_clear_input_error():
    with pytest.raises(InputError, match="the name says PNG but the content does not start with a PNG signature"):
        mark_bytes(b"hello, I am text", producer="acme", name="photo.png")
    with pytest.raises(InputError, match="not a supported file"):
        check_bytes(bytes(range(256)), "blob.bin")
    with pytest.raises(InputError, match="damaged JPEG"):
        check_bytes(b"\xff\xd8\xff\xe0\x00\x10JF", "cut.jpg")
    with pytest.raises(InputError, match="file is empty"):
        check_bytes(b"", "empty.txt")


def test_truncated_image_data_is_a_clear_input_error():
    data = jpeg_bytes()
    with pytest.raises(InputError, match="cut.jpg: the image data cannot be decoded"):
        check_bytes(data[: len(data) // 2], "cut.jpg")


def test_folder_check_reports_damaged_files_and_skips_others(tmp_path):
    good = tmp_path / "good.txt"
    good.write_bytes(TEXT)
    mark_file(good, producer="acme", produce_id="id-1")
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "notes.bin").write_bytes(bytes(range(256)))
    (tmp_path / ".hidden.txt").write_bytes(TEXT)
    reports = {r.file: r for r in check_path(tmp_path, watermark=False)}
    assert set(reports) == {"good.txt", "broken.png"}
    assert reports["good.txt"].passed
    assert not reports["broken.png"].passed and "damaged PNG" in reports["broken.png"].error


def test_mark_file_writes_out_or_in_place(tmp_path):
    source = tmp_path / "a.txt"
    source.write_bytes(TEXT)
    out = tmp_path / "b.txt"
    mark_file(source, out=out, producer="acme", produce_id="id-1")
    assert source.read_bytes() == TEXT
    assert check_path(out)[0].passed
    with pytest.raises(InputError, match="no such file"):
        mark_file(tmp_path / "missing.txt", producer="acme")
