"""Chinese labels in figures: drawn with a font that has the glyphs, and a warning where none does."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from assess.fonts import CJK_FONTS, cjk_font, missing_glyphs, text_fonts, use_cjk_font

LABEL = "退款申请 (refund)"


def _figure():
    figure, axis = plt.subplots()
    axis.bar(["退款", "物流"], [3, 5])
    axis.set_title(LABEL)
    return figure


@pytest.fixture
def restore_rc():
    with matplotlib.rc_context():
        yield


def test_chinese_labels_render_with_a_font_that_has_their_glyphs(restore_rc, tmp_path):
    font = use_cjk_font()
    assert font in CJK_FONTS, "scripts/setup installs fonts-wqy-microhei: no CJK font was found"
    figure = _figure()
    title = figure.axes[0].title
    from matplotlib.ft2font import FT2Font

    first = text_fonts(title)[0]
    assert FT2Font(first).family_name == font
    assert all(ord(c) in FT2Font(first).get_charmap() for c in "退款申请")
    assert missing_glyphs(figure) == ""
    figure.savefig(tmp_path / "zh.png")  # draws without a missing-glyph warning
    plt.close(figure)


def test_a_font_list_without_cjk_is_reported_with_the_missing_characters(restore_rc):
    matplotlib.rcParams["font.family"] = ["sans-serif"]
    matplotlib.rcParams["font.sans-serif"] = ["DejaVu Sans"]
    figure = _figure()
    missing = missing_glyphs(figure)
    assert sorted(missing) == sorted("退款申请物流") and len(missing) == 6
    plt.close(figure)


FIGURE_BODY = """import matplotlib
import matplotlib.pyplot as plt
assert matplotlib.rcParams["font.sans-serif"][0] == {font!r}  # opening the assessment chose the CJK font
for name, families in (("drawn", None), ("boxes", ["DejaVu Sans"])):
    if families:
        matplotlib.rcParams["font.sans-serif"] = families
    figure, axis = plt.subplots()
    axis.bar(["退款", "物流"], [3, 5])
    axis.set_title("退款申请")
    ctx.log_figure(name, figure)
ctx.check("rows", 3, 2, ">=")"""


def test_the_report_warns_when_a_logged_figure_cannot_draw_its_text(tiny_project, monkeypatch):
    """A real review of a notebook that logs two figures: the one without a CJK font is flagged in its report."""
    import nbformat

    from assess.cli import main

    notebook = tiny_project / "notebooks" / "row_count.ipynb"
    document = nbformat.read(str(notebook), as_version=4)
    document.cells[3].source = FIGURE_BODY.format(font=cjk_font())
    nbformat.write(document, str(notebook))
    monkeypatch.chdir(tiny_project)
    assert main(["run", "review.yaml", "--only", "row_count"]) == 0
    page = next((tiny_project / "reports" / "s").glob("*/row_count.auditor.html")).read_text(encoding="utf-8")
    assert page.count("has characters no installed font can draw") == 1
    assert "figure <code>boxes</code> has characters no installed font can draw (6, e.g." in page
    assert "fonts-wqy-microhei" in page
    assert page.count("<img") >= 2
