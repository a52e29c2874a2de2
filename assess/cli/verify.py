"""``assess verify RUN_ID`` / ``--chain SUBJECT [--log evidence.log]`` / ``--bundle ZIP [--key PUB]``: check evidence."""

from __future__ import annotations

from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser("verify", help="check that stored evidence is unaltered and complete")
    parser.add_argument("run_id", nargs="?", help="an assessment run id, or a review (parent) run id to verify all of it")
    parser.add_argument("--chain", metavar="SUBJECT", help="verify every review of SUBJECT and the links between them")
    parser.add_argument("--log", type=Path, metavar="EVIDENCE_LOG",
                        help="with --chain: check each review against this evidence.log (the copy CI kept)")
    parser.add_argument("--reports", type=Path, default=Path("reports"),
                        help="folder of the rendered reports to re-hash (default: ./reports)")
    parser.add_argument("--bundle", type=Path, help="verify a bundle `assess export` wrote, with no store")
    parser.add_argument("--key", type=Path, metavar="PUBLIC_PEM",
                        help="Ed25519 public key: every review must carry a valid signature (as ASSESS_VERIFY_KEY_FILE)")
    parser.add_argument("--tracking-uri", help="MLflow tracking URI (default: $MLFLOW_TRACKING_URI or ./mlruns)")
    parser.set_defaults(func=handle)


def print_report(report) -> int:
    """Print each problem and note, one line each, then the outcome; return the exit code."""
    for line in report.problems:
        print(line)
    for line in report.notes:
        print(f"note: {line}")
    print(f"{'FAILED' if report.problems else 'OK'}: {report.checked} run(s) checked, {len(report.problems)} problem(s)")
    return 1 if report.problems else 0


def handle(args) -> int:
    import os

    from assess.errors import InputError

    if args.key is None:
        return _verify(args)
    if not args.key.is_file():
        raise InputError(f"--key {args.key} does not exist: pass the public key (`openssl pkey -in signing.pem -pubout`)")
    # The key is read where every verification reads it, the environment, for this command only: a
    # caller in the same process (a test, a notebook) must not inherit it.
    saved = {name: os.environ.get(name) for name in ("ASSESS_VERIFY_KEY_FILE", "ASSESS_VERIFY_KEY")}
    os.environ["ASSESS_VERIFY_KEY_FILE"] = str(args.key)
    os.environ.pop("ASSESS_VERIFY_KEY", None)
    try:
        return _verify(args)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _verify(args) -> int:
    from assess import tracking
    from assess.errors import InputError
    from assess.sources import StoreEvidence
    from assess.verify import signatures_required, verify_any, verify_chain

    if args.bundle is not None:
        if args.run_id or args.chain:
            raise InputError("--bundle verifies the bundle alone: give no RUN_ID or --chain with it")
        if not args.bundle.is_file():
            raise InputError(f"bundle {args.bundle} does not exist: pass the zip `assess export` wrote")
        from assess.bundle import verify_bundle

        signatures_required()
        return print_report(verify_bundle(args.bundle))
    if bool(args.run_id) == bool(args.chain):
        raise InputError("give either a RUN_ID, --chain SUBJECT or --bundle ZIP: e.g. `assess verify --chain demo-assistant`")
    if args.log is not None and not args.chain:
        raise InputError("--log checks a chain: use it with --chain SUBJECT")
    if args.log is not None and not args.log.is_file():
        raise InputError(f"evidence log {args.log} does not exist: pass the evidence.log the reviews appended to")
    signatures_required()  # an unreadable verify key is exit 2 before anything is checked
    client = tracking.existing_store_client(args.tracking_uri, Path.cwd())
    source = StoreEvidence(client, args.reports, str(args.reports))
    if args.chain:
        from assess.reports import review_runs

        if not review_runs(client, args.chain):  # unknown is not tampered: exit 2, not 1
            raise InputError(f"subject {args.chain} has no review in {client.tracking_uri}: check the subject's name, "
                             "or pass the --tracking-uri of the store that holds its reviews")
        from assess.runner import close_abandoned_reviews

        experiment = client.get_experiment_by_name(tracking.experiment_name(args.chain))
        for closed in close_abandoned_reviews(client, experiment.experiment_id):
            print(f"closed review {closed} as FAILED: its process ended without closing it")
        report = verify_chain(source, args.chain, log=args.log)
    else:
        try:
            client.get_run(args.run_id)
        except Exception:  # noqa: BLE001 - MlflowException for an unknown id
            raise InputError(f"run {args.run_id} is not in {client.tracking_uri}: check the id, or pass --tracking-uri") from None
        report = verify_any(source, args.run_id)
    return print_report(report)
