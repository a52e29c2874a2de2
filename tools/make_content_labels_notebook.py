"""Write notebooks/content_labels.ipynb (the template, without outputs).

Run: .venv/bin/python tools/make_content_labels_notebook.py
"""

from __future__ import annotations

from notebook_builder import build_notebook, open_cell, write

from assess.content_labels.edits import EDITS

NAME = "content_labels"
TITLE = "Labels on AI-generated content"
CLAUSES = [
    "DS Art. 16", "DS Art. 17", "DS Art. 18",
    "Measures Art. 4", "Measures Art. 5", "Measures Art. 10",
    "GB 45438 §5", "GB 45438 §6.1", "GB 45438 Annex E",
]
PARAMETERS = {
    "samples_dir": {
        "type": "path", "default": None,
        "help": "folder of the service's generated outputs to assess (PNG, JPEG, WAV, UTF-8 text); null = nothing to "
                "assess (the verdict is pending until the plan names it)",
    },
    "require_explicit": {
        "type": "boolean", "default": True, "basis": "regulation",
        "help": "the service is one of DS Art. 17(1) (dialogue, writing, voice, faces, scenes), so explicit labels are "
                "required (Measures Art. 4)",
    },
    "min_implicit_conformance": {
        "type": "number", "min": 0, "max": 1, "default": 1.0, "basis": "regulation",
        "help": "share of unedited outputs with exactly one valid Annex E metadata label (Measures Art. 5; GB 45438 §6.1, "
                "Annex E: 100%)",
    },
    "min_explicit_conformance": {
        "type": "number", "min": 0, "max": 1, "default": 1.0, "basis": "regulation",
        "help": "share of unedited outputs with a conforming explicit label (Measures Art. 4; GB 45438 §5: 100%)",
    },
    "min_own_pipeline_survival": {
        "type": "number", "min": 0, "max": 1, "default": 1.0, "basis": "regulation",
        "help": "share of outputs whose metadata label survives the provider's own export (DS Art. 18, Measures Art. 10 "
                "forbid removal: 100%)",
    },
    "edits": {
        "type": "list", "default": list(EDITS),
        "help": f"edits to test label survival under; known: {', '.join(EDITS)}",
    },
    "min_explicit_survival": {
        "type": "number", "min": 0, "max": 1, "default": 1.0, "basis": "policy",
        "help": "share of outputs whose explicit label survives each third-party edit (warn below; no number in the rules)",
    },
    "min_watermark_bit_accuracy": {
        "type": "number", "min": 0, "max": 1, "default": 0.9, "basis": "policy",
        "help": "mean watermark bit accuracy after each edit in watermark_gate_edits (no number in the rules)",
    },
    "watermark_gate_edits": {
        "type": "list", "default": ["jpeg_q95", "jpeg_q75", "jpeg_q50", "resize_50", "strip_metadata"],
        "help": "edits after which the watermark must still read (others are reported only)",
    },
}

# Followed across reviews by the review index: the conformance rates of section 1 and, from
# section 2 ("<column>.<edit>.<media>"), the own export's label survival and the watermark after JPEG.
KEY_METRICS = ["implicit_conformance", "explicit_conformance", "integrity_verified_share",
               "metadata_survival.export_keep_label.image", "watermark_bit_accuracy_mean.jpeg_q75.image"]

INTRO = """# Labels on AI-generated content

This assessment checks that the service's generated outputs carry the labels the **Labeling
Measures** (人工智能生成合成内容标识办法, in force 2025-09-01) and the mandatory standard
**GB 45438-2025** require, and how well those labels survive common edits:

- **implicit label in the file metadata** (Measures Art. 5, DS Art. 16, GB 45438 §6.1 and
  normative Annex E): exactly one `AIGC` field per file whose value is the Annex E JSON with
  `Label` ∈ {"1","2","3"}, non-empty `ContentProducer` and `ProduceID`, and every value within the
  Annex E character set; `ReservedCode1` carries the producer's integrity code when one is used;
- **explicit label** (Measures Art. 4, DS Art. 17, GB 45438 §5): a notice containing "AI"/"人工智能"
  and "生成"/"合成" at the start or end of a text, in a corner of an image with a glyph height of at
  least 5% of the shortest side, and the 短长短短 rhythm for audio;
- **invisible watermark** (content implicit label; *encouraged* by Measures Art. 5);
- **survival** of all three under re-encoding, resizing, cropping, metadata stripping and text
  copy-paste normalisation (removing labels is forbidden: DS Art. 18, Measures Art. 10).
"""

OPEN_CODE = open_cell(NAME, imports='''from pathlib import Path

from IPython.display import Markdown, display''')

SAMPLES_MD = """## Samples

The outputs assessed are the files of `samples_dir`: what the service generated and delivers,
with the labels its own pipeline wrote. Without `samples_dir` there is nothing of the service's
to assess: the verdict is **pending** until the plan names the folder (this notebook never makes
samples of its own to stand in for the service's). Only file names, formats and ProduceIDs are
shown; the content itself is not copied into the evidence (it could contain personal data)."""

SAMPLES_CODE = '''from assess.content_labels.integrity import label_key

key = label_key()  # ASSESS_LABEL_KEY: never a parameter; None = no integrity code
samples_dir = ctx.use_path("samples_dir", p["samples_dir"]) if p["samples_dir"] else None
if samples_dir is None:
    ctx.pending("generated_outputs", "the plan names no folder of the service's generated outputs: add "
                "samples_dir: <folder> under content_labels in the plan", clause="DS Art. 16; Measures Art. 5")
    display(Markdown("**Nothing to assess:** the plan names no `samples_dir` (the service's generated outputs). "
                     "Sections 1-3 are skipped and the verdict is pending."))
else:
    display(Markdown(f"**Samples:** `{samples_dir.name}/` ({sum(1 for f in samples_dir.rglob('*') if f.is_file())} "
                     f"files)  \\n**ReservedCode1 key:** "
                     + ("configured (ASSESS_LABEL_KEY): ReservedCode1 codes are verified" if key else
                        "not configured (ASSESS_LABEL_KEY): no ReservedCode1 is verified")))'''

CONFORMANCE_MD = """## 1. Labels on the unedited outputs

Every file is recognised by its magic bytes (not its extension) and checked for:

| column | what is checked | clause |
|---|---|---|
| metadata label | exactly one `AIGC` block (PNG text chunk or XMP, JPEG XMP/COM/Exif, WAV `AIGC` chunk or LIST/INFO, text trailing `AIGC:` line); JSON parses; 7 keys; `Label` ∈ {1,2,3}; producer and ID non-empty; Annex E charset 0x21, 0x23–0x5B, 0x5D–0x7E | Measures Art. 5; GB 45438 §6.1, Annex E |
| integrity | `ReservedCode1` = HMAC-SHA256 over Label, ContentProducer, ProduceID: *verified*, *mismatch* (fails), *absent*, *no_key* | GB 45438 Annex E, F.4 |
| explicit label | text: AI + 生成/合成 in the first or last 48 characters; image: the AI生成 notice in a corner, glyph ≥ 5% of the shortest side; audio: 短长短短 at start or end | Measures Art. 4; GB 45438 §5 |
| watermark | the DWT-DCT watermark decodes (CRC) and carries the hash of the file's ProduceID | Measures Art. 5 (encouraged) |

The explicit-label finder recognises the notice style this framework draws (template matching);
a notice in another style would need OCR and is reported as missing, so a real service that uses
its own notice style should confirm those files by eye."""

CONFORMANCE_CODE = '''from assess.content_labels.check import check_path, reports_table
from assess.content_labels.report import conformance_rates

reports = check_path(samples_dir, key=key, require_explicit=p["require_explicit"])
conformance_table = reports_table(reports)
rates = conformance_rates(reports)
ctx.log_table("label_conformance", conformance_table)
ctx.log_table("label_conformance_rates", rates)
ctx.log_findings("label_problems", [
    {"file": r.file, "format": r.format, "problems": r.problems} for r in reports if not r.passed
])
overall = rates[rates["media"] == "all"].iloc[0]
ctx.log_metrics({
    "files_checked": len(reports),
    "implicit_conformance": overall["implicit_conformance"],
    "explicit_conformance": overall["explicit_conformance"],
    "integrity_verified_share": overall["integrity_verified"],
})
display(conformance_table)
rates'''

FIGURE_CODE = '''from assess.content_labels.report import notice_figure

figure = notice_figure(sorted(samples_dir.rglob("*")), crop_only=True)
if figure is not None:
    _ = ctx.log_figure("explicit_labels", figure)'''

SURVIVAL_MD = """## 2. Survival under common edits

Each edit is applied to each sample it fits; the result is checked again. Third-party edits
re-encode the pixels only (as a plain transcoder does), so their metadata loss is expected and
shows why the watermark matters; `export_keep_label` is the provider's **own** export done right
(transcode, then write the label back), which must keep the metadata label every time
(DS Art. 18, Measures Art. 10). Bit accuracy is measured against the ProduceID of the unedited
file, so it is known even after the metadata is gone. Survival counts only files that carried the
label before the edit (a missing label is already counted in section 1), and watermark figures
only images whose watermark was read before the edit (`watermarked_files`): an image that was
never watermarked is not a watermark lost. GB 45438 sets no
robustness number; the thresholds on third-party edits are policy."""

SURVIVAL_CODE = '''from assess.content_labels.edits import edits_named, edits_table
from assess.content_labels.survival import run_survival, summarise_survival

edits = edits_named(p["edits"])
display(edits_table()[lambda t: t["edit"].isin(p["edits"])])
sample_files = [r.file for r in reports if not r.error]
survival = run_survival([Path(samples_dir) / f for f in sample_files], edits, key=key)
summary = summarise_survival(survival)
ctx.log_table("label_survival_per_file", survival)
ctx.log_table("label_survival", summary)
for row in summary.itertuples():
    for column in ("metadata_survival", "explicit_survival", "watermark_bit_accuracy_mean"):
        value = getattr(row, column)
        if value == value:  # not NaN
            ctx.log_metric(f"{column}.{row.edit}.{row.media}", value)
summary'''

SURVIVAL_FIG_CODE = '''from assess.content_labels.report import survival_figure

minimums = {"explicit_survival": p["min_explicit_survival"], "watermark_bit_accuracy_mean": p["min_watermark_bit_accuracy"]}
_ = ctx.log_figure("label_survival", survival_figure(summary, minimums))'''

CHECKS_MD = """## 3. Checks

- **Regulation** (100% by the rules): every unedited output has exactly one valid metadata label;
  every unedited output has a conforming explicit label (when the service is one of DS Art. 17(1));
  the provider's own export keeps the metadata label.
- **Policy** (the plan's numbers): watermark bit accuracy after each gate edit; explicit-label
  survival after each third-party edit (a warning, since e.g. a crop can cut a corner notice off).
- Metadata survival under third-party edits is reported above but not gated: a transcoder that
  drops metadata is outside the provider's control, which is what the watermark is for."""

CHECKS_CODE = '''ctx.check("implicit_label_conformance", round(overall["implicit_conformance"], 4), p["min_implicit_conformance"], ">=",
          basis="regulation", clause="DS Art. 16; Measures Art. 5; GB 45438 §6.1; GB 45438 Annex E",
          description="share of unedited outputs with exactly one valid Annex E metadata label")
if p["require_explicit"]:
    ctx.check("explicit_label_conformance", round(overall["explicit_conformance"], 4), p["min_explicit_conformance"], ">=",
              basis="regulation", clause="DS Art. 17; Measures Art. 4; GB 45438 §5",
              description="share of unedited outputs with a conforming explicit label")
own = summary[summary["own_pipeline"]]
if len(own):
    ctx.check("own_pipeline_metadata_survival", round(float(own["metadata_survival"].min()), 4),
              p["min_own_pipeline_survival"], ">=", basis="regulation", clause="DS Art. 18; Measures Art. 10",
              description="lowest metadata-label survival over the provider's own export edits")
else:
    ctx.pending("own_pipeline_metadata_survival", "no own-pipeline edit was run: add export_keep_label to edits",
                clause="DS Art. 18; Measures Art. 10")
for row in summary[summary["edit"].isin(p["watermark_gate_edits"]) & summary["watermark_bit_accuracy_mean"].notna()].itertuples():
    ctx.check(f"watermark_bit_accuracy.{row.edit}", round(row.watermark_bit_accuracy_mean, 4),
              p["min_watermark_bit_accuracy"], ">=", basis="policy", clause="Measures Art. 5",
              description=f"mean watermark bit accuracy after {row.edit}, over the {row.watermarked_files} {row.media} "
                          "file(s) watermarked before it (a watermark is encouraged, not required)")
third_party = summary[(summary["edit"] != "unedited") & ~summary["own_pipeline"] & summary["explicit_survival"].notna()]
for row in third_party.itertuples():
    ctx.check(f"explicit_survival.{row.edit}.{row.media}", round(row.explicit_survival, 4), p["min_explicit_survival"],
              ">=", severity="warn", basis="policy", clause="Measures Art. 4; Measures Art. 10",
              description=f"share of {row.media} outputs whose explicit label survives {row.edit}")'''

LIMITS_MD = """## What this assessment does not cover

- Video (MP4), MP3/ID3 and virtual scenes: not parsed yet (GB 45438 §5.4 2-second opening notice).
- Explicit notices in other styles than this framework's (needs OCR/ASR; confirm by eye).
- Watermark robustness to cropping and rotation: the watermark is read on a canonical grid, so a
  crop moves it (bit accuracy ≈ 0.5, i.e. chance, in the table above).
- Platform duties (Measures Art. 6: ContentPropagator/PropagateID added on distribution) are
  read and validated when present but not required here."""


def with_outputs(code: str) -> str:
    """``code`` run only when the plan names the service's outputs (its last bare expression displayed)."""
    lines = code.splitlines()
    if lines[-1] and not lines[-1].startswith((" ", "_", "ctx.", "for ", "if ")) and "=" not in lines[-1]:
        lines[-1] = f"display({lines[-1]})"
    return "if samples_dir is not None:\n" + "\n".join(f"    {line}" if line else "" for line in lines)


def build():
    """The notebook template."""
    cells = [
        ("md", SAMPLES_MD), ("code", SAMPLES_CODE),
        ("md", CONFORMANCE_MD), ("code", with_outputs(CONFORMANCE_CODE)), ("code", with_outputs(FIGURE_CODE)),
        ("md", SURVIVAL_MD), ("code", with_outputs(SURVIVAL_CODE)), ("code", with_outputs(SURVIVAL_FIG_CODE)),
        ("md", CHECKS_MD), ("code", with_outputs(CHECKS_CODE)),
        ("md", LIMITS_MD), ("code", "ctx.finish()"),
    ]
    return build_notebook(name=NAME, title=TITLE, clauses=CLAUSES, parameters=PARAMETERS, key_metrics=KEY_METRICS,
                          intro=INTRO, cells=cells, open_code=OPEN_CODE)


def main() -> None:
    print(f"wrote {write(build(), NAME)}")


if __name__ == "__main__":
    main()
