"""``assess gate MODEL_URI``: a deployment gate on the model version's latest review."""

from __future__ import annotations


def register(subparsers) -> None:
    parser = subparsers.add_parser("gate", help="exit non-zero when a model version's latest review failed or is overdue")
    parser.add_argument("model_uri", help="models:/NAME/VERSION, models:/NAME/latest or models:/NAME@ALIAS")
    parser.add_argument("--tracking-uri", help="MLflow tracking URI (default: $MLFLOW_TRACKING_URI or ./mlruns)")
    parser.set_defaults(func=handle)


def handle(args) -> int:
    from pathlib import Path

    from assess import tracking
    from assess.gate import decide

    client = tracking.existing_store_client(args.tracking_uri, Path.cwd())
    decision = decide(client, args.model_uri)
    print(decision.message)
    return decision.code
