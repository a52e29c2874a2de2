"""Optional named-entity recognition for names and addresses, with a locally installed spaCy model.

The scanner's own PERSON / LOCATION recognizers are context heuristics. Where a spaCy pipeline
is installed (``pip install`` of a model package, e.g. ``zh_core_web_sm``), its entities are
added to the findings. Nothing is ever downloaded: a model that is not installed is an
:class:`~assess.errors.InputError`. NER is slow (a neural pipeline per record), so it is off
unless asked for.
"""

from __future__ import annotations

from collections.abc import Sequence

from assess.errors import InputError

#: spaCy / OntoNotes / WikiNER labels -> finding types.
LABELS = {"PERSON": "PERSON", "PER": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION", "FAC": "LOCATION"}
#: Confidence of an entity found by a model (below checksum-validated identifiers).
NER_CONFIDENCE = 0.7


def load_ner(model: str):
    """Load the locally installed spaCy pipeline ``model`` (never downloaded)."""
    try:
        import spacy
    except ImportError:
        raise InputError("NER needs spaCy: pip install spacy and a model package, or leave the NER model empty") from None
    if not spacy.util.is_package(model):
        raise InputError(
            f"NER model {model!r} is not installed (models are never downloaded at run time): "
            f"pip install the model package, or leave the NER model empty to use the context heuristics"
        )
    return spacy.load(model, exclude=["lemmatizer", "textcat", "parser"])


def ner_spans(nlp, texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
    """``(start, end, finding type)`` of the PERSON / LOCATION entities of each text."""
    out = []
    for doc in nlp.pipe(texts, batch_size=256):
        out.append([(ent.start_char, ent.end_char, LABELS[ent.label_]) for ent in doc.ents if ent.label_ in LABELS])
    return out
