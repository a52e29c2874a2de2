"""The models whose out-of-fold probabilities the label audit uses.

The default is an ensemble of diverse models whose probabilities are averaged: models that err in
different ways disagree on clean records and agree on truly mislabelled ones, and an average of
reasonably calibrated members is better calibrated than any one of them. Which members suit the
data depends on its kind, so each kind is one small class in :data:`FEATURE_KINDS`:

- ``dense`` (numeric columns): standardised logistic regression (C=0.1), distance-weighted
  15-nearest neighbours and an RBF support-vector machine (swapped for histogram gradient
  boosting above 20,000 rows, where an SVM gets slow).
- ``text`` and ``sparse`` (TF-IDF): logistic regression (C=10), complement naive Bayes, a
  linear SVM and cosine 15-nearest neighbours.

Members without ``predict_proba`` (the SVMs) give margins; their out-of-fold margins are calibrated
afterwards (:func:`assess.labels.probabilities.calibrate_margins`), one fit per fold instead of the
four or more an inner calibration cross-validation would cost.

These choices were measured with ``benchmarks/label_issues.py`` (digits, breast_cancer) and on the
demo texts with injected noise; run the benchmark for the figures.
"""

from __future__ import annotations

import unicodedata

import numpy as np

from assess.errors import InputError

#: Above this many rows the RBF SVM (quadratic in rows) gives way to gradient boosting.
SVM_MAX_ROWS = 20_000
#: Nearest neighbours of the kNN members.
NEIGHBOURS = 15


def normalise_text(text: str) -> str:
    """NFKC and lower case: full-width forms, compatibility ideographs and case fold together."""
    return unicodedata.normalize("NFKC", text).lower()


def text_vectorizer():
    """The default vectoriser for mixed Chinese and English text.

    Character n-grams (1-3) inside word boundaries need no word segmenter, so Chinese and English
    are treated alike; sub-linear TF and NFKC normalisation keep repeated characters and
    full-width forms from dominating.

    Returns
    -------
    sklearn.feature_extraction.text.TfidfVectorizer
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, min_df=2,
                           preprocessor=normalise_text, dtype=np.float32)


class FeatureKind:
    """How the default ensemble is built for one kind of features."""

    name = ""

    def members(self, n_rows: int, seed: int) -> list[tuple[str, object]]:
        """``(name, unfitted estimator)`` pairs of the default ensemble."""
        raise NotImplementedError

    def single(self, seed: int):
        """One default model, for re-training many times (noise sensitivity)."""
        raise NotImplementedError


class DenseKind(FeatureKind):
    name = "dense"

    def members(self, n_rows, seed):
        from sklearn.ensemble import HistGradientBoostingClassifier
        from sklearn.linear_model import LogisticRegression
        from sklearn.neighbors import KNeighborsClassifier
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        from sklearn.svm import SVC

        members = [
            ("logistic_regression", make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=2000))),
            ("nearest_neighbours", make_pipeline(StandardScaler(), KNeighborsClassifier(
                n_neighbors=_neighbours(n_rows), weights="distance"))),
        ]
        if n_rows <= SVM_MAX_ROWS:
            members.append(("rbf_svm", make_pipeline(StandardScaler(), SVC(random_state=seed))))
        else:
            members.append(("gradient_boosting", HistGradientBoostingClassifier(random_state=seed)))
        return members

    def single(self, seed):
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))


class SparseKind(FeatureKind):
    name = "sparse"

    def members(self, n_rows, seed):
        from sklearn.linear_model import LogisticRegression
        from sklearn.naive_bayes import ComplementNB
        from sklearn.neighbors import KNeighborsClassifier
        from sklearn.svm import LinearSVC

        return [
            ("logistic_regression", LogisticRegression(C=10.0, solver="newton-cg", max_iter=1000)),
            ("complement_naive_bayes", ComplementNB(alpha=0.3)),
            ("nearest_neighbours", KNeighborsClassifier(n_neighbors=_neighbours(n_rows), weights="distance",
                                                        metric="cosine")),
            ("linear_svm", LinearSVC(C=0.5)),
        ]

    def single(self, seed):
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=10.0, solver="newton-cg", max_iter=1000)


class TextKind(SparseKind):
    name = "text"

    def single(self, seed):
        from sklearn.pipeline import make_pipeline

        return make_pipeline(text_vectorizer(), super().single(seed))


class FrameKind(FeatureKind):
    """Mixed columns (text, categories, numbers): only the subject's own model knows how to encode
    them, so there is no default ensemble."""

    name = "frame"

    def members(self, n_rows, seed):
        raise self._no_default()

    def single(self, seed):
        raise self._no_default()

    @staticmethod
    def _no_default() -> InputError:
        return InputError(
            "features: several columns, not all numeric, and no model to take them: name the model role "
            "(whose pipeline encodes the columns, e.g. a ColumnTransformer), or declare one text_column"
        )


#: Default-ensemble recipes by feature kind (see :func:`assess.labels.inputs.feature_kind`).
FEATURE_KINDS: dict[str, FeatureKind] = {kind.name: kind for kind in (DenseKind(), SparseKind(), TextKind(), FrameKind())}


def _neighbours(n_rows: int) -> int:
    return max(1, min(NEIGHBOURS, n_rows // 3))


def default_members(kind: str, n_rows: int, seed: int = 0) -> list[tuple[str, object]]:
    """The default ensemble for features of ``kind`` (see :data:`FEATURE_KINDS`)."""
    return FEATURE_KINDS[kind].members(n_rows, seed)


def default_single_model(kind: str, seed: int = 0):
    """One default classifier for features of ``kind``; text models include the vectoriser."""
    return FEATURE_KINDS[kind].single(seed)


def model_name(model) -> str:
    """A short readable name of an estimator: the class name of a pipeline's last step."""
    steps = getattr(model, "steps", None)
    if steps:
        return " + ".join(type(step).__name__ for _, step in steps)
    return type(model).__name__


def as_members(model) -> list[tuple[str, object]]:
    """``model`` (an estimator, or a list of estimators or ``(name, estimator)`` pairs) as members."""
    items = model if isinstance(model, (list, tuple)) else [model]
    members = []
    for index, item in enumerate(items):
        name, estimator = item if isinstance(item, tuple) else (f"{model_name(item)}", item)
        if not hasattr(estimator, "fit") or not (hasattr(estimator, "predict_proba") or hasattr(estimator, "decision_function")):
            raise InputError(
                f"model {name} has neither predict_proba nor decision_function: pass a scikit-learn classifier"
            )
        if any(existing == name for existing, _ in members):
            name = f"{name}_{index}"
        members.append((name, estimator))
    if not members:
        raise InputError("model: an empty list: pass an estimator, a list of estimators, or None for the default")
    return members
