"""The steps of the ``label_robustness`` notebook, so that the notebook only tells the story.

Each function takes the notebook's :class:`assess.notebook.AssessmentContext` (or plain data) and
returns tables that are safe to show: ids, labels and numbers; texts only masked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
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
        Columns of ``train`` (and ``holdout``) the plan declares; ``text_column`` is None for numeric
        features.
    key_column : str
        The column that keys each record in the results: ``id_column`` when its ids are unique in
        both frames, else :data:`ROW_COLUMN`, the row number in the file (1 = first record).
    repeated_ids : dict
        Per dataset role, how many rows carry an id that another row of the file also carries (0
        when the ids are unique).
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
    key_column: str = ""
    repeated_ids: dict = field(default_factory=dict)
    feature_columns: list | None = None
    features_named_in: str = ""
    #: How the audited records were drawn (engine: spark), or None: every record is audited.
    sample: object = None

    def __post_init__(self):
        self.key_column = self.key_column or self.id_column

    @property
    def perturbed_columns(self) -> list | None:
        """Feature columns the stability test edits: the declared text column when the model takes
        several columns (a typo in a category would make a different category, not a small edit)."""
        if self.feature_columns and self.text_column in self.feature_columns:
            return [self.text_column]
        return None

    @property
    def keyed_by_row(self) -> bool:
        """True when records are keyed by their row number because the id column repeats."""
        return self.key_column != self.id_column

    def features(self, frame: pd.DataFrame):
        """The model's feature columns (a DataFrame), else texts (a Series) or numeric columns of ``frame``."""
        if self.feature_columns:
            from assess.features import select_features

            return select_features(frame, self.feature_columns, role=self.dataset_role, where=self.features_named_in)
        if self.text_column:
            return frame[self.text_column].astype(str)
        columns = [c for c in frame.columns if c not in (self.id_column, self.label_column, self.key_column)]
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
        if self.feature_columns:
            features = f"feature columns {', '.join(f'`{c}`' for c in self.feature_columns)} ({self.features_named_in})"
        else:
            features = f"text column `{self.text_column}`" if self.text_column else "numeric columns"
        keys = (f"ids `{self.id_column}` repeat ({self.repeated_ids.get(self.dataset_role, 0)} rows): records are "
                f"keyed by row number (`{ROW_COLUMN}`, 1 = first record of the file)" if self.keyed_by_row
                else f"ids `{self.id_column}`")
        return pd.DataFrame([
            {"input": "audited dataset", "role": self.dataset_role, "records": len(self.train),
             "classes": int(self.train[self.label_column].nunique()),
             "detail": f"{features}, labels `{self.label_column}`, {keys}"},
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

        kind = "text" if self.text_column and not self.feature_columns else "dense"
        with native_threads(1):
            return fit_quietly(default_single_model(kind), self.features(self.train), self.train[self.label_column].astype(str))


#: The record key when the id column repeats: the row number in the file, 1 for the first record.
ROW_COLUMN = "row_number"


def repeated_id_rows(ids) -> int:
    """Rows whose id another row also carries (every copy counts: ids a, a, b give 2)."""
    return int(pd.Series(list(ids), dtype=object).duplicated(keep=False).sum())


def key_by_row(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with :data:`ROW_COLUMN`, the row number (as text, 1-based), as its first column."""
    if ROW_COLUMN in frame.columns:
        raise InputError(f"the dataset has a column {ROW_COLUMN!r}, the key used for repeated ids: rename that column")
    keyed = frame.copy()
    keyed.insert(0, ROW_COLUMN, np.arange(1, len(frame) + 1).astype(str))
    return keyed


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
    sample = None
    if spec.engine == "spark":  # a seeded stratified sample, drawn on the cluster (assess.labels.spark_sample)
        train, sample = _spark_sample(ctx, dataset_role, spec.label_column, params)
    else:
        train = ctx.load_dataset(dataset_role)
    if ctx.dataset_spec(holdout_role).engine == "spark":
        holdout, _ = _spark_sample(ctx, holdout_role, spec.label_column, params)
    else:
        holdout = ctx.load_dataset(holdout_role)
    check_labels(train, dataset_role, spec.label_column, cv=int(params.get("cv", 2)))
    for column in spec.columns():
        if column not in holdout.columns:
            raise InputError(f"dataset {holdout_role!r} lacks column {column!r} of {dataset_role!r}: the holdout needs the same columns")
    check_labels(holdout, holdout_role, spec.label_column, cv=1)
    model = model_type = columns = None
    named_in = ""
    if model_role:
        from assess.features import feature_columns, select_features, where_named

        model = ctx.load_model(model_role, "classifier")
        model_spec = ctx.model_spec(model_role)
        columns, named_in = feature_columns(model_spec, model), where_named(model_spec)
        if columns:
            for role, frame in ((dataset_role, train), (holdout_role, holdout)):
                select_features(frame, columns, role=role, where=named_in, file_name=ctx.dataset_spec(role).path.name)
        try:
            model_type = clone(model)
        except Exception as exc:  # noqa: BLE001 - any model clone() cannot copy
            raise InputError(
                f"model {model_role!r} ({type(model).__name__}) cannot be re-fitted via sklearn clone ({exc}): "
                "set model: null to audit with the default models"
            ) from None
    # Repeated ids are a data-quality defect (data_quality reports it), not a reason to audit a
    # different file than the one the model was trained on: the rows are keyed by position instead.
    repeated = {dataset_role: repeated_id_rows(train[spec.id_column]),
                holdout_role: repeated_id_rows(holdout[spec.id_column])}
    key_column = spec.id_column
    if any(repeated.values()):
        train, holdout, key_column = key_by_row(train), key_by_row(holdout), ROW_COLUMN
    return LabelInputs(dataset_role, holdout_role, model_role, train, holdout, spec.id_column, spec.text_column,
                       spec.label_column, model, model_type, key_column, repeated, columns, named_in, sample)


def _spark_sample(ctx, role: str, label_column: str, params: dict):
    """The seeded stratified sample of dataset ``role`` (engine: spark) and how it was drawn."""
    from assess.datasets import check_columns
    from assess.labels.spark_sample import DEFAULT_AUDIT_SAMPLE, stratified_sample
    from assess.spark_session import read_dataset, session_for

    spec = ctx.dataset_spec(role)
    frame = read_dataset(session_for(ctx), spec)
    check_columns(frame.columns, [label_column], role=role, file_name=spec.path.name)
    return stratified_sample(frame, label_column, int(params.get("audit_sample") or DEFAULT_AUDIT_SAMPLE),
                             int(params.get("seed", 0)))


def audit_sample_note(ctx, inputs: LabelInputs, suspects: int, confidence: float = 0.95) -> str:
    """With engine: spark, the sentence stating the audited sample's size and the confidence interval
    of the suspect share (its figures logged as metrics); "" when every record was audited."""
    from assess.labels.spark_sample import sample_statement

    text, metrics = sample_statement(inputs.sample, suspects, confidence)
    if metrics:
        ctx.log_metrics(metrics)
    return text


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
    if inputs.keyed_by_row:
        table = table.rename(columns={"id": ROW_COLUMN})
        ids = inputs.train.set_index(inputs.key_column)[inputs.id_column]
        table.insert(2, inputs.id_column, [ids.get(i, "") for i in table[ROW_COLUMN]])
        keys = table[ROW_COLUMN]
    else:
        keys = table["id"]
    if inputs.text_column:
        texts = inputs.train.set_index(inputs.key_column)[inputs.text_column]
        table["text (masked)"] = [mask(texts.get(i, "")) for i in keys]
    table["self_confidence"] = table["self_confidence"].round(4)
    return table


def repeated_ids_note(inputs: LabelInputs) -> str:
    """One sentence on how records are keyed, for the report."""
    count = inputs.repeated_ids.get(inputs.dataset_role, 0)
    if not inputs.keyed_by_row:
        return f"Every record of `{inputs.dataset_role}` has its own id (`{inputs.id_column}`); results are keyed by it."
    return (f"**{count}** rows of `{inputs.dataset_role}` share their `{inputs.id_column}` with another row "
            f"(holdout `{inputs.holdout_role}`: {inputs.repeated_ids.get(inputs.holdout_role, 0)}), a data-quality defect "
            f"that the data_quality assessment reports. The file is audited as it is, every row: records are keyed "
            f"by their **row number** (`{ROW_COLUMN}`, 1 = the first record of the file) in every table and in the "
            f"re-annotation sheet, and `{inputs.id_column}` is shown beside it.")


def noise_matrix_table(audit) -> pd.DataFrame:
    """The estimated noise matrix as a table with the given label as a column (for CSV evidence)."""
    return audit.noise_matrix.round(4).reset_index()


def sampling_sheet(inputs: LabelInputs, size: int, seed: int, mask=None) -> pd.DataFrame:
    """Draw the stratified sample of ``size`` records and build its (masked) re-annotation sheet."""
    from assess.labels.sampling import draw_sample, review_sheet

    train = inputs.train
    sample = draw_sample(train[inputs.key_column], train[inputs.label_column], size, seed)
    texts = train[inputs.text_column] if inputs.text_column else [""] * len(train)
    return review_sheet(train[inputs.key_column], texts, train[inputs.label_column], sample, mask=mask)
