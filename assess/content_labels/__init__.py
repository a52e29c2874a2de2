"""Labels on AI-generated content (Labeling Measures; GB 45438-2025).

- :mod:`~assess.content_labels.label`: the Annex E metadata label (fields, charset, validation);
- :mod:`~assess.content_labels.formats`: PNG, JPEG, WAV and text containers, chosen by magic bytes;
- :mod:`~assess.content_labels.integrity`: ReservedCode1 as HMAC-SHA256 (key ``ASSESS_LABEL_KEY``);
- :mod:`~assess.content_labels.image_notice`, :mod:`~assess.content_labels.text_notice`,
  :mod:`~assess.content_labels.audio_cue`: explicit labels, drawn and found;
- :mod:`~assess.content_labels.watermark`: invisible DWT-DCT watermark with bit accuracy;
- :mod:`~assess.content_labels.mark` / :mod:`~assess.content_labels.check`: mark and check files;
- :mod:`~assess.content_labels.edits` / :mod:`~assess.content_labels.survival`: label survival;
- :mod:`~assess.content_labels.samples`: labelled demo samples.

See ``docs/content_labels.md``.
"""

from assess.content_labels.check import FileReport, check_bytes, check_path, reports_table
from assess.content_labels.label import AigcLabel, new_label, parse_label
from assess.content_labels.mark import MarkResult, mark_bytes, mark_file
from assess.content_labels.samples import make_demo_samples

__all__ = [
    "AigcLabel", "FileReport", "MarkResult", "check_bytes", "check_path", "make_demo_samples", "mark_bytes",
    "mark_file", "new_label", "parse_label", "reports_table",
]
