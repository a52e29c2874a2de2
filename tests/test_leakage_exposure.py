"""Canaries and the exposure formula, on toy scorers whose ranks are known."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from assess.errors import InputError
from assess.leakage import (CanaryFormat, CanarySet, canary_exposures, exposure_from_rank, exposure_table,
                            extrapolated_rank, insert_canaries, make_canaries, sampled_rank)


def rank_scorer(texts):
    """Log-likelihood = -(the number in the text): candidate 0 is the most likely, rank = number + 1."""
    return np.asarray([-float("".join(c for c in t if c.isdigit())) for t in texts])


def test_exposure_formula():
    assert exposure_from_rank(1, 1024) == 10.0
    assert exposure_from_rank(1024, 1024) == 0.0
    assert exposure_from_rank(4, 1024) == 8.0
    with pytest.raises(InputError):
        exposure_from_rank(0, 1024)


def test_exact_exposure_on_a_toy_scorer_with_known_ranks():
    canaries = make_canaries("pin {d}{d}{d}", seed=5, repetitions=(0, 3), per_repetition=2)
    table, reference = canary_exposures(rank_scorer, canaries)
    assert set(table["method"]) == {"exact"}
    assert len(reference) == 1000 - 4  # all candidates but the canaries
    for canary, row in zip(canaries.canaries, table.itertuples()):
        assert row.rank == canary.index + 1
        assert row.exposure_bits == pytest.approx(math.log2(1000) - math.log2(canary.index + 1))
    assert "text" not in table.columns  # canary texts stay out of the evidence table


def test_sampled_and_extrapolated_ranks_approach_the_truth():
    rng = np.random.default_rng(0)
    space = 10**6
    sample = rng.integers(0, space, 20000).astype(float)  # NLL = candidate number: uniform
    assert sampled_rank(250_000.0, sample, space) == pytest.approx(250_001, rel=0.03)
    # Gaussian NLLs: the extrapolated rank of a canary 4 sd below the mean is |R| * Phi(-4).
    normal = rng.normal(50.0, 5.0, 20000)
    rank = extrapolated_rank(30.0, normal, space, "gaussian")
    assert rank == pytest.approx(1 + (space - 1) * 3.167e-5, rel=0.1)
    table = exposure_table([30.0, 50.0, 1.0], normal, space)
    assert list(table["method"]) == ["extrapolated", "sampled", "extrapolated"]
    assert table["exposure_bits"].iloc[2] == pytest.approx(math.log2(space), abs=1e-6)  # far below: rank ~1
    assert 0.5 < table["exposure_bits"].iloc[1] < 1.5  # at the median: ~1 bit


def test_canary_format_parsing_and_space():
    fmt = CanaryFormat.parse("code {d}{d}-{l} {{x}}")
    assert fmt.space_size == 10 * 10 * 26
    assert fmt.render(0) == "code 00-a {x}"
    assert fmt.render(fmt.space_size - 1) == "code 99-z {x}"
    for bad in ("no slots", "bad {q}", "open { brace"):
        with pytest.raises(InputError):
            CanaryFormat.parse(bad)


def test_canaries_are_deterministic_distinct_and_verified_on_load(tmp_path):
    first = make_canaries(seed=7)
    again = make_canaries(seed=7)
    assert [c.text for c in first.canaries] == [c.text for c in again.canaries]
    assert len({c.index for c in first.canaries}) == len(first.canaries) == 12
    assert [c.repetitions for c in first.canaries] == [0] * 3 + [1] * 3 + [5] * 3 + [20] * 3
    assert make_canaries(seed=8).canaries[0].text != first.canaries[0].text
    path = first.save(tmp_path / "canaries.json")
    assert [c.text for c in CanarySet.load(path).canaries] == [c.text for c in first.canaries]
    record = first.to_dict()
    record["canaries"][0]["sha256"] = "0" * 64
    with pytest.raises(InputError, match="edited"):
        CanarySet.from_dict(record)
    with pytest.raises(InputError):
        CanarySet.load(tmp_path / "missing.json")


def test_insert_canaries_adds_each_canary_its_repetition_count():
    canaries = make_canaries(seed=1)
    frame = pd.DataFrame({"id": [f"x{i}" for i in range(50)], "text": ["hello"] * 50})
    combined = insert_canaries(frame, canaries, seed=0)
    assert len(combined) == 50 + 3 * (0 + 1 + 5 + 20)
    for canary in canaries.canaries:
        assert (combined["text"] == canary.text).sum() == canary.repetitions
    assert combined["id"].is_unique
    with pytest.raises(InputError):
        insert_canaries(frame, canaries, text_column="body")
