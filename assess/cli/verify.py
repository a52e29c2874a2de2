"""``assess verify RUN_ID`` / ``assess verify --chain SUBJECT``: re-hash stored evidence."""

from __future__ import annotations


def register(subparsers) -> None:
    parser = subparsers.add_parser("verify", help="check that stored evidence is unaltered and complete")
    parser.add_argument("run_id", nargs="?", help="an assessment run id, or a review (parent) run id to verify all of it")
    parser.add_argument("--chain", metavar="SUBJECT", help="verify every review of SUBJECT and the links between them")
    parser.add_argument("--tracking-uri", help="MLflow tracking URI (default: $MLFLOW_TRACKING_URI or ./mlruns)")
    parser.set_defaults(func=handle)


def handle(args) -> int:
    from pathlib import Path

    from assess import tracking
    from assess.errors import InputError
    from assess.verify import signatures_required, verify_any, verify_chain

    if bool(args.run_id) == bool(args.chain):
        raise InputError("give either a RUN_ID or --chain SUBJECT: e.g. `assess verify --chain demo-assistant`")
    signatures_required()  # an unreadable verify key is exit 2 before anything is checked
    client, uri = tracking.read_only_client(args.tracking_uri, Path.cwd())
    if client is None:
        raise InputError(tracking.no_store_message(uri))
    if args.chain:
        from assess.reports import review_runs

        if not review_runs(client, args.chain):  # unknown is not tampered: exit 2, not 1
            raise InputError(f"subject {args.chain} has no review in {client.tracking_uri}: check the subject's name, "
                             "or pass the --tracking-uri of the store that holds its reviews")
        from assess.runner import close_abandoned_reviews

        experiment = client.get_experiment_by_name(tracking.experiment_name(args.chain))
        for closed in close_abandoned_reviews(client, experiment.experiment_id):
            print(f"closed review {closed} as FAILED: its process ended without closing it")
        problems, checked = verify_chain(client, args.chain)
    else:
        try:
            client.get_run(args.run_id)
        except Exception:  # noqa: BLE001 - MlflowException for an unknown id
            raise InputError(f"run {args.run_id} is not in {client.tracking_uri}: check the id, or pass --tracking-uri") from None
        problems, checked = verify_any(client, args.run_id)
    for line in problems:
        print(line)
    print(f"{'FAILED' if problems else 'OK'}: {checked} run(s) checked, {len(problems)} problem(s)")
    return 1 if problems else 0
