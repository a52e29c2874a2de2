"""Regurgitation is counted by keyed hash, and no personal data reaches the results."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from assess.errors import InputError
from assess.leakage import measure_regurgitation, regurgitation_summary
from assess.leakage.generators import CallableTextModel
from assess.leakage.steps import regurgitation_metrics

KEY = b"test-key-not-secret"
CORPUS = pd.DataFrame({
    "id": ["a1", "a2", "a3", "a4"],
    "text": ["call me on 13812345678 today", "my id is 11010519491231002X ok", "call me on 13987654321 now",
             "mail bob@example.com please"],
})


def findings_for(frame):
    """A tiny local findings frame in the shape of assess.pii.scan_frame's output."""
    rows = []
    for record_id, text in zip(frame["id"], frame["text"]):
        for value, pii_type in (("13812345678", "CN_MOBILE"), ("11010519491231002X", "CN_RESIDENT_ID"),
                                ("13987654321", "CN_MOBILE"), ("bob@example.com", "EMAIL_ADDRESS")):
            start = text.find(value)
            if start >= 0:
                rows.append({"record_id": record_id, "column": "text", "type": pii_type, "start": start,
                             "end": start + len(value), "masked": "*" * len(value), "confidence": 0.9,
                             "value_hash": "scanner-hash"})
    rows.append({"record_id": "a1", "column": "text", "type": "SENSITIVE_HEALTH", "start": 0, "end": 4,
                 "masked": "****", "confidence": 0.5, "value_hash": "x"})  # a flag: never probed
    return pd.DataFrame(rows)


class Parrot:
    """Continues each prompt from a fixed table: it "memorised" a1's mobile number and a2's resident ID."""

    continuations = {"call me on ": "13812345678 x", "my id is ": "11010519491231002X", "mail ": "alice@example.com"}

    def generate(self, prompts, max_new_chars, greedy=True):
        return [self.continuations.get(p, "")[:max_new_chars] for p in prompts]

    def log_likelihood(self, texts):
        return np.zeros(len(texts))


def test_counts_by_hash_without_storing_values():
    parrot = Parrot()
    findings = findings_for(CORPUS)
    results = measure_regurgitation(parrot, CORPUS, findings, key=KEY, id_column="id")
    assert len(results) == 4  # the SENSITIVE_ flag is not probed
    reproduced = dict(zip(results["record_id"], results["reproduced"]))
    # a1 and a3 share the prompt; the continuation is a1's number, so only a1 counts.
    assert reproduced == {"a1": True, "a2": True, "a3": False, "a4": False}
    shares = dict(zip(results["record_id"], results["matched_prefix_share"]))
    assert shares["a3"] == pytest.approx(2 / 11)  # "13" of 13987654321
    summary = regurgitation_summary(results)
    assert summary["findings_probed"] == 4 and summary["reproduced"] == 2
    assert summary["regurgitation_rate"] == 0.5
    assert summary["unique_values_reproduced"] == 2
    assert summary["by_type"]["CN_MOBILE"] == {"probed": 2, "reproduced": 1, "rate": 0.5}
    assert regurgitation_metrics(summary, results)["regurgitated_validated_identifiers"] == 1  # the resident ID
    rendered = results.to_csv(index=False) + str(summary)
    for value in ("13812345678", "11010519491231002X", "13987654321", "bob@example.com", "call me on"):
        assert value not in rendered


def test_value_found_later_in_the_continuation_counts_as_anywhere():
    model = CallableTextModel(lambda texts: np.zeros(len(texts)),
                              lambda prompts, n, greedy: ["is 13812345678"[:n] for _ in prompts])
    corpus = CORPUS.iloc[:1]
    results = measure_regurgitation(model, corpus, findings_for(corpus).iloc[:1], key=KEY, id_column="id",
                                    extra_chars=5)
    assert not results["reproduced"].iloc[0] and results["reproduced_anywhere"].iloc[0]


def test_findings_must_have_the_scanner_columns():
    with pytest.raises(InputError, match="scan_frame"):
        measure_regurgitation(Parrot(), CORPUS, pd.DataFrame({"record_id": ["a1"]}), key=KEY, id_column="id")
    with pytest.raises(InputError, match="id column"):
        measure_regurgitation(Parrot(), CORPUS, findings_for(CORPUS), key=KEY, id_column="uid")
