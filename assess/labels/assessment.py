"""The steps of the ``label_robustness`` notebook, so that the notebook only tells the story.

Each function takes the notebook's :class:`assess.notebook.AssessmentContext` (or plain data) and
returns tables that are safe to show: ids, labels and numbers; texts only masked.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from assess.errors import InputError


@dataclass
class LabelInputs:
    """What the label assessment works on.

    Attributes
    ----------
    train, holdout : pandas.DataFrame
        The audited dataset and the clean evaluation set.
    id_column, text_column, label_column : str
        Columns of ``train`` (and ``holdout``); ``text_column`` is None for numeric features.
    model : fitted classifier or None
        The subject's model as deployed (for prediction stability).
    model_type : unfitted classifier or None
        ``sklearn.base.clone`` of ``model``: re-fitted by the audit and the noise curve; None means
        the default models.
    """

    dataset_role: str
    holdout_role: str
    model_role: str | None
    train: pd.DataFrame
    holdout: pd.DataFrame
    id_column: str
    text_column: str | None
    label_column: str
    model: object = None
    model_type: object = None

    def features(self, frame: pd.DataFrame):
        """Texts (a Series) or numeric columns of ``frame``."""
        if self.text_column:
            return frame[self.text_column].astype(str)
        columns = [c for c in frame.columns if c not in (self.id_column, self.label_column)]
        try:
            return frame[columns].apply(pd.to_numeric)
        except (TypeError, ValueError):
            raise InputError(
                f"dataset {self.dataset_role!r} has no text_column and non-numeric columns: declare text_column "
                "in the plan, or keep only numeric feature columns"
            ) from None

    def describe(self) -> pd.DataFrame:
        """One row per input, for the notebook."""
        from assess.labels.models import model_name

        model = (f"{model_name(self.model)}: its type is re-fitted (sklearn clone); the fitted model is used for stability"
                 if self.model_role else "none: the default models of assess.labels.models")
        features = f"text column `{self.text_column}`" if self.text_column else "numeric columns"
        return pd.DataFrame([
            {"input": "audited dataset", "role": self.dataset_role, "records": len(self.train),
             "classes": int(self.train[self.label_column].nunique()),
             "detail": f"{features}, labels `{self.label_column}`, ids `{self.id_column}`"},
            {"input": "clean holdout", "role": self.holdout_role, "records": len(self.holdout),
             "classes": int(self.holdout[self.label_column].nunique()), "detail": "scores the re-trained models"},
            {"input": "model", "role": self.model_role or "-", "records": None, "classes": None, "detail": model},
        ]).astype({"records": "Int64", "classes": "Int64"})

    def stability_model(self):
        """The model whose predictions are perturbed: the subject's fitted model, else the default
        model fitted on the audited dataset."""
        if self.model is not None:
            return self.model
        from assess.labels.models import default_single_model
        from assess.labels.probabilities import fit_quietly, native_threads

        kind = "text" if self.text_column else "dense"
        with native_threads(1):
            return fit_quietly(default_single_model(kind), self.features(self.train), self.train[self.label_column].astype(str))


def load_inputs(ctx) -> LabelInputs:
    """Load the ``dataset`` and ``holdout`` roles and the optional ``model`` role named in ``ctx.params``."""
    from sklearn.base import clone

    params = ctx.params
    dataset_role, holdout_role, model_role = params["dataset"], params["holdout"], params.get("model")
    spec = ctx.dataset_spec(dataset_role)
    if not spec.label_column:
        raise InputError(f"dataset {dataset_role!r} declares no label_column: name it in the plan (datasets.{dataset_role}.label_column)")
    if not spec.id_column:
        raise InputError(f"dataset {dataset_role!r} declares no id_column: name it in the plan (datasets.{dataset_role}.id_column)")
    train = ctx.load_dataset(dataset_role)
    holdout = ctx.load_dataset(holdout_role)
    check_labels(train, dataset_role, spec.label_column, cv=int(params.get("cv", 2)))
    for column in spec.columns():
        if column not in holdout.columns:
            raise InputError(f"dataset {holdout_role!r} lacks column {column!r} of {dataset_role!r}: the holdout needs the same columns")
    check_labels(holdout, holdout_role, spec.label_column, cv=1)
    model = model_type = None
    if model_role:
        model = ctx.load_model(model_role, "classifier")
        try:
            model_type = clone(model)
        except Exception as exc:  # noqa: BLE001 - any model clone() cannot copy
            raise InputError(
                f"model {model_role!r} ({type(model).__name__}) cannot be re-fitted via sklearn clone ({exc}): "
                "set model: null to audit with the default models"
            ) from None
    return LabelInputs(dataset_role, holdout_role, model_role, train, holdout, spec.id_column, spec.text_column,
                       spec.label_column, model, model_type)


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or (isinstance(value, str) and not value.strip())


def check_labels(frame: pd.DataFrame, role: str, label_column: str, *, cv: int) -> None:
    """Raise when ``frame``'s labels cannot support a label audit with ``cv`` folds.

    An empty label column or a dataset of one record would otherwise end in a model error deep in
    the cross-validation, or worse in a verdict computed on nothing.

    Parameters
    ----------
    frame : pandas.DataFrame
        The dataset as loaded.
    role, label_column : str
        The dataset's role and label column, as the plan names them (for the message).
    cv : int
        Folds the audit uses: each class needs that many labelled records (1 for an evaluation set).

    Raises
    ------
    InputError
        One line naming the dataset, what is wrong and the fix.
    """
    where = f"dataset {role!r}"
    if label_column not in frame.columns:
        raise InputError(f"{where} has no column {label_column!r} (columns: {', '.join(map(str, frame.columns))}): "
                         f"fix datasets.{role}.label_column in the plan")
    labelled = int((~frame[label_column].map(_is_blank)).sum())
    if labelled == 0:
        raise InputError(f"{where}: label column {label_column!r} is empty in all {len(frame)} records: fill the labels, "
                         f"or point datasets.{role}.label_column at the column that holds them")
    needed = max(2, 2 * cv) if cv > 1 else 1
    if len(frame) < needed:
        raise InputError(f"{where} has {len(frame)} record{'s' if len(frame) != 1 else ''}: a label audit with cv={cv} "
                         f"needs at least {needed} labelled records (two classes of {cv} each); add records or lower cv")


def suspects_table(audit, inputs: LabelInputs, n: int = 20, mask=None) -> pd.DataFrame:
    """The ``n`` most suspicious records: rank, id, given and suggested label, self-confidence and,
    for text data, the text masked by ``mask`` (default :func:`assess.masking.mask_value`)."""
    if mask is None:
        from assess.masking import mask_value as mask
    table = audit.top(n)[["rank", "id", "given_label", "suggested_label", "self_confidence"]].copy()
    if inputs.text_column:
        texts = inputs.train.set_index(inputs.id_column)[inputs.text_column]
        table["text (masked)"] = [mask(texts.get(i, "")) for i in table["id"]]
    table["self_confidence"] = table["self_confidence"].round(4)
    return table


def noise_matrix_table(audit) -> pd.DataFrame:
    """The estimated noise matrix as a table with the given label as a column (for CSV evidence)."""
    return audit.noise_matrix.round(4).reset_index()


def sampling_sheet(inputs: LabelInputs, size: int, seed: int, mask=None) -> pd.DataFrame:
    """Draw the stratified sample of ``size`` records and build its (masked) re-annotation sheet."""
    from assess.labels.sampling import draw_sample, review_sheet

    train = inputs.train
    sample = draw_sample(train[inputs.id_column], train[inputs.label_column], size, seed)
    texts = train[inputs.text_column] if inputs.text_column else [""] * len(train)
    return review_sheet(train[inputs.id_column], texts, train[inputs.label_column], sample, mask=mask)
