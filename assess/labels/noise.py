"""Label noise injected on purpose: to measure how a model degrades, and to score the audit.

Each kind of noise is one small class in :data:`NOISE_KINDS`. Both flip an exact number of labels
(``round(rate * n)``, per class for class-conditional noise), so the realised rate is the nominal
one and repeats differ only in *which* labels flip.
"""

from __future__ import annotations

import numpy as np

from assess.errors import InputError


class NoiseKind:
    """How wrong labels are drawn."""

    name = ""
    description = ""

    def flip(self, codes: np.ndarray, n_classes: int, rate: float, rng: np.random.Generator) -> np.ndarray:
        """A copy of ``codes`` with about ``rate`` of them changed to another class."""
        raise NotImplementedError


class SymmetricNoise(NoiseKind):
    """``round(rate * n)`` records, chosen uniformly, get a uniformly chosen *other* class."""

    name = "symmetric"
    description = "a random share of labels replaced by a uniformly chosen other class"

    def flip(self, codes, n_classes, rate, rng):
        noisy = codes.copy()
        chosen = rng.choice(len(codes), size=int(round(rate * len(codes))), replace=False)
        offsets = rng.integers(1, n_classes, size=len(chosen))  # never 0: the class always changes
        noisy[chosen] = (codes[chosen] + offsets) % n_classes
        return noisy


class ClassConditionalNoise(NoiseKind):
    """Per class, ``round(rate * n_class)`` records move to one or two confusable classes.

    Which classes a class is confused with, and in what proportion, is drawn once per call (a
    random noise matrix with at most two non-zero off-diagonal entries per column), the way
    annotators confuse specific pairs rather than everything with everything.
    """

    name = "class_conditional"
    description = "per class, a share of labels moved to one or two fixed confusable classes"

    def matrix(self, n_classes: int, rate: float, rng: np.random.Generator) -> np.ndarray:
        """Noise matrix ``P(noisy = row | true = column)`` with ``1 - rate`` on the diagonal."""
        matrix = np.eye(n_classes) * (1.0 - rate)
        for true in range(n_classes):
            others = [c for c in range(n_classes) if c != true]
            targets = rng.choice(others, size=min(2, len(others)), replace=False)
            matrix[targets, true] += rate * rng.dirichlet(np.ones(len(targets)))
        return matrix

    def flip(self, codes, n_classes, rate, rng):
        matrix = self.matrix(n_classes, rate, rng)
        noisy = codes.copy()
        for true in range(n_classes):
            members = np.flatnonzero(codes == true)
            chosen = rng.choice(members, size=int(round(rate * len(members))), replace=False)
            weights = matrix[:, true].copy()
            weights[true] = 0.0
            if len(chosen) and weights.sum() > 0:
                noisy[chosen] = rng.choice(n_classes, size=len(chosen), p=weights / weights.sum())
        return noisy


#: Kinds of injected noise by name.
NOISE_KINDS: dict[str, NoiseKind] = {kind.name: kind for kind in (SymmetricNoise(), ClassConditionalNoise())}


def check_rate(rate: float) -> float:
    """``rate`` if it is a share in [0, 1), else an :class:`InputError`."""
    if not isinstance(rate, (int, float)) or isinstance(rate, bool) or not 0 <= rate < 1:
        raise InputError(f"noise rate {rate!r}: use a share between 0 and 1 (e.g. 0.1 for 10%)")
    return float(rate)


def noise_kind(name: str) -> NoiseKind:
    """The :class:`NoiseKind` called ``name``."""
    try:
        return NOISE_KINDS[name]
    except KeyError:
        raise InputError(f"noise kind {name!r} is not known: use one of {', '.join(NOISE_KINDS)}") from None


def inject_noise(labels, rate: float, kind: str = "symmetric", seed: int = 0) -> np.ndarray:
    """``labels`` with a share ``rate`` replaced by other classes.

    Parameters
    ----------
    labels : sequence
        Given labels (any values); the classes are the distinct values present.
    rate : float
        Share of labels to change, in [0, 1).
    kind : {"symmetric", "class_conditional"}
        See :data:`NOISE_KINDS`.
    seed : int
        Seed of the draw.

    Returns
    -------
    numpy.ndarray
        Noisy labels, same values as ``labels``; exactly ``round(rate * n)`` differ for symmetric
        noise, and ``round(rate * n_c)`` per class ``c`` for class-conditional noise.
    """
    rate = check_rate(rate)
    values = np.asarray(labels)
    classes, codes = np.unique(values, return_inverse=True)
    if len(classes) < 2:
        raise InputError("labels: only one class: noise needs two or more classes to flip between")
    noisy = noise_kind(kind).flip(codes.astype(np.int64), len(classes), rate, np.random.default_rng(seed))
    return classes[noisy]
