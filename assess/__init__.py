"""assess: periodic algorithm assessments for generative-AI providers.

Parameterised notebooks, executed by papermill, review a model and its training data; every
result is logged to MLflow as evidence. The logic lives in this package; notebooks call it.
"""

__version__ = "0.1.0"

import os as _os

# Offline by default: no telemetry from the libraries we drive. A user may still opt in by
# setting these variables before importing assess.
for _name, _value in (
    ("MLFLOW_DISABLE_TELEMETRY", "true"),
    ("DO_NOT_TRACK", "true"),
    ("GX_ANALYTICS_ENABLED", "False"),
    # Progress bars would be written into executed notebooks, which are evidence.
    ("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false"),
):
    _os.environ.setdefault(_name, _value)
