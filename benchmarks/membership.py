"""Membership inference: assess's attacks beside IBM ART's MembershipInferenceBlackBox, one target.

Target: an MLP (scikit-learn) trained on half of scikit-learn's bundled digits data set with 10%
of its labels replaced at random (a small, over-fitted model, as many production models are);
the other half is the holdout. Nothing is downloaded.

ART's black-box attack learns a classifier over the target's outputs and needs known members and
non-members to train on, so half of each side is given to it for training; **every attack is
scored on the other half** (the same records), so the figures compare like with like. assess's
reference attacks use the holdout (and, online, the pooled data) only to train reference models,
as documented in assess.leakage.membership.

Run: .venv/bin/python benchmarks/membership.py [--reference-models 16] [--seed 0]
Prints: attack | AUC | TPR@0.1%FPR | TPR@1%FPR | seconds, and whether the goals hold:
the reference attack reaches >= 2x the loss attack's TPR at 1% FPR and beats ART there.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np


def make_target(seed: int):
    """Members, non-members and the fitted over-fitted target."""
    from sklearn.datasets import load_digits
    from sklearn.neural_network import MLPClassifier

    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(y))
    X, y = X[order], y[order].copy()
    noisy = rng.random(len(y)) < 0.10
    y[noisy] = rng.integers(0, 10, int(noisy.sum()))
    ids = np.asarray([f"d{i:04d}" for i in range(len(y))])
    half = len(y) // 2
    members, non_members = (X[:half], y[:half], ids[:half]), (X[half:], y[half:], ids[half:])
    target = MLPClassifier(hidden_layer_sizes=(128,), alpha=1e-5, max_iter=300, random_state=seed)
    target.fit(members[0], members[1])
    return target, members, non_members


def art_scores(target, members, non_members, attack_ids: set, eval_ids: np.ndarray, model_type: str, seed: int):
    """ART black-box membership probabilities for ``eval_ids`` (trained on ``attack_ids``)."""
    from art.attacks.inference.membership_inference import MembershipInferenceBlackBox
    from art.estimators.classification import SklearnClassifier

    np.random.seed(seed)
    X = np.concatenate([members[0], non_members[0]]).astype(np.float32)
    y = np.concatenate([members[1], non_members[1]])
    ids = np.concatenate([members[2], non_members[2]])
    is_member = np.concatenate([np.ones(len(members[1]), bool), np.zeros(len(non_members[1]), bool)])
    train = np.asarray([i in attack_ids for i in ids])
    classifier = SklearnClassifier(model=target, clip_values=(0.0, 1.0))
    attack = MembershipInferenceBlackBox(classifier, attack_model_type=model_type)
    attack.fit(X[train & is_member], y[train & is_member], X[train & ~is_member], y[train & ~is_member])
    position = {record_id: i for i, record_id in enumerate(ids)}
    rows = np.asarray([position[i] for i in eval_ids])
    return np.asarray(attack.infer(X[rows], y[rows], probabilities=True), dtype=np.float64).reshape(-1)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference-models", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")

    from assess.leakage import attack_metrics, make_retrainer, run_membership_attacks

    started = time.perf_counter()
    target, members, non_members = make_target(args.seed)
    fit_seconds = time.perf_counter() - started
    print(f"target: MLP(128) on {len(members[1])} digits (10% random labels); train accuracy "
          f"{target.score(members[0], members[1]):.3f}, holdout accuracy {target.score(non_members[0], non_members[1]):.3f}; "
          f"fit {fit_seconds:.1f} s; K = {args.reference_models} reference models")

    # Half of each side trains ART's attack model; all attacks are scored on the other half.
    rng = np.random.default_rng(args.seed + 100)
    attack_ids = set(rng.choice(members[2], len(members[2]) // 2, replace=False)) | \
        set(rng.choice(non_members[2], len(non_members[2]) // 2, replace=False))

    result = run_membership_attacks(target, members, non_members, retrainer=make_retrainer("clone", target),
                                    reference_models=args.reference_models, seed=args.seed)
    evaluated = result.scores[~result.scores["record_id"].isin(attack_ids)].reset_index(drop=True)
    is_member = evaluated["is_member"].to_numpy()
    rows = []
    for attack in result.metrics:
        rows.append((f"assess {attack}", attack_metrics(evaluated[attack].to_numpy(), is_member), result.seconds[attack]))
    for model_type in ("rf", "gb", "nn"):
        begun = time.perf_counter()
        scores = art_scores(target, members, non_members, attack_ids, evaluated["record_id"].to_numpy(), model_type, args.seed)
        rows.append((f"ART black-box ({model_type})", attack_metrics(scores, is_member), time.perf_counter() - begun))

    print(f"evaluated: {int(is_member.sum())} members + {int((~is_member).sum())} non-members not used to train ART")
    header = f"{'attack':<26} {'AUC':>6} {'TPR@0.1%':>9} {'TPR@1%':>7} {'seconds':>8}"
    print(header)
    print("-" * len(header))
    for name, metrics, seconds in rows:
        print(f"{name:<26} {metrics['auc']:>6.3f} {metrics['tpr_at_0_1pct_fpr']:>9.3f} {metrics['tpr_at_1pct_fpr']:>7.3f} {seconds:>8.1f}")

    by_name = {name: metrics for name, metrics, _ in rows}
    loss = by_name["assess loss"]["tpr_at_1pct_fpr"]
    best_reference = max(by_name[n]["tpr_at_1pct_fpr"] for n in by_name if n.startswith("assess lira"))
    best_art = max(by_name[n]["tpr_at_1pct_fpr"] for n in by_name if n.startswith("ART"))
    print()
    print(f"goal 1: reference attack TPR@1% >= 2x loss attack: {best_reference:.3f} vs {loss:.3f} -> "
          f"{'met' if best_reference >= 2 * loss else 'NOT met'}")
    print(f"goal 2: reference attack beats ART black-box at 1% FPR: {best_reference:.3f} vs {best_art:.3f} -> "
          f"{'met' if best_reference > best_art else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
