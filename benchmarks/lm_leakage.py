"""Membership inference, canary exposure and extraction on a fine-tuned language model, every attack side by side.

The setting a provider is in: a public base model (here a tiny GPT-2 trained from scratch on public
dialogues) is fine-tuned on private records (the *members*, holding personal data) with canaries
inserted 0, 1, 5 and 20 times. The review then attacks the fine-tuned model with each LM attack of
`assess.leakage.lm_attacks`, the plain loss attack being the baseline, and with the base model as
the reference model (the offline LiRA / RMIA setting with one reference).

Run:  .venv/bin/python benchmarks/lm_leakage.py [--finetune-steps N] [--members N]

Prints, in one run: per attack TPR at 0.1% / 1% FPR and AUC with 95% bootstrap intervals, the best
attack's TPR@1%FPR over the loss attack's; canary exposure per repetition count; personal data the
fine-tuned model reproduces, net of what the base model reproduces; the blind distribution-shift
baseline; and seconds per 1,000 records for scoring and for the attacks.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd


def records(count: int, seed: int) -> pd.DataFrame:
    """Customer messages of widely varying difficulty: Zipf-distributed words, some with a phone number.

    Varying difficulty is what real corpora have and what separates the attacks: a record of common
    words is likely under any model, so the loss attack mistakes it for a member; calibrating by the
    reference model (or by the token distribution, Min-K%++) removes that.
    """
    rng = np.random.default_rng(seed)
    syllables = ["ka", "lo", "mi", "ren", "tu", "sa", "vo", "ni", "qua", "zhe", "po", "li", "dan", "fei", "wu", "xin"]
    vocabulary = ["".join(rng.choice(syllables, size=rng.integers(1, 4))) for _ in range(3000)]
    weights = 1.0 / np.arange(1, len(vocabulary) + 1) ** 1.1
    weights /= weights.sum()
    rows = []
    for i in range(count):
        words = rng.choice(vocabulary, size=int(rng.integers(4, 14)), p=weights)
        text = "Customer: " + " ".join(words) + "."
        if i % 4 == 0:
            text += f" Call me on 1{rng.integers(3, 9)}{rng.integers(0, 10**9):09d}."
        rows.append({"id": f"r{i:05d}", "text": text})
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=300, help="private records fine-tuned on (and as many non-members)")
    parser.add_argument("--pretrain-steps", type=int, default=500)
    parser.add_argument("--finetune-steps", type=int, default=400)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from assess.leakage import canary_exposures, exposure_by_repetition, insert_canaries, make_canaries
    from assess.leakage.canaries import DEFAULT_FORMAT
    from assess.leakage.lm_membership import run_lm_membership
    from assess.leakage.regurgitation import measure_regurgitation, net_of_reference, regurgitation_summary
    from assess.models.transformers_lm import TransformersTextModel
    from assess.pii import scan_frame
    from assess.textgen_hf import GPT2TrainConfig, char_tokenizer, train_gpt2

    pool = records(3 * args.members + 600, args.seed)
    n = args.members
    members, non_members, public = pool.iloc[:n].copy(), pool.iloc[n:2 * n].copy(), pool.iloc[2 * n:]
    # Regular customers: eight phone numbers that recur in the private records, members and
    # non-members alike (so the two sides stay alike), the personal data a fine-tuned model can learn.
    rng = np.random.default_rng(args.seed + 7)
    regulars = [f"13{rng.integers(0, 10**9):09d}" for _ in range(8)]
    for side in (members, non_members):
        with_phone = side["text"].str.contains("Call me on")
        side.loc[with_phone, "text"] = [text.rsplit(" Call me on ", 1)[0] + f" Call me on {regulars[i % 8]}."
                                        for i, text in enumerate(side.loc[with_phone, "text"])]
    pool = pd.concat([members, non_members, public])
    # Duplicated records, as real corpora have them: four customers' messages with their phone numbers,
    # each 12 times among the private records. These are what a fine-tuned model learns to say again.
    private_numbers = [f"15{rng.integers(0, 10**9):09d}" for _ in range(4)]
    duplicated = [f"Customer: this is {name}, call me on {private_numbers[i]} about the order."
                  for i, name in enumerate(["Wang Fang", "Li Na", "Zhang Wei", "Chen Jie"])]
    unique_members = members
    members = pd.concat([members, pd.DataFrame({"id": [f"dup{i:03d}" for i in range(48)],
                                                "text": [duplicated[i % 4] for i in range(48)]})], ignore_index=True)
    canaries = make_canaries(DEFAULT_FORMAT, seed=args.seed, repetitions=(0, 1, 5, 20), per_repetition=3)
    private = insert_canaries(members[["id", "text"]], canaries, seed=args.seed)
    print(f"records: {n} members (+ 4 duplicated records x 12), {n} non-members, {len(public)} public (base model); "
          f"{len(private) - n} canary insertions at repetitions {list(canaries.repetitions)}")

    # One vocabulary for both models: every character of every text the benchmark scores.
    tokenizer = char_tokenizer(pool["text"].tolist() + duplicated + [c.text for c in canaries.canaries])
    config = GPT2TrainConfig(n_embd=64, n_layer=2, n_head=2, n_positions=96, batch_size=24, threads=1)
    base, _, facts = train_gpt2(public["text"].tolist(), GPT2TrainConfig(**{**config.__dict__, "steps": args.pretrain_steps}),
                                seed=args.seed, tokenizer=tokenizer)
    print(f"base model: {facts['parameters']} parameters, {args.pretrain_steps} steps in {facts['seconds']:.0f} s")
    reference = TransformersTextModel(base, tokenizer, batch_size=32, threads=1)
    import copy

    target_model, _, facts = train_gpt2(private["text"].tolist(),
                                        GPT2TrainConfig(**{**config.__dict__, "steps": args.finetune_steps,
                                                           "learning_rate": 2e-3}),
                                        seed=args.seed + 1, tokenizer=tokenizer, model=copy.deepcopy(base))
    print(f"fine-tuned: {args.finetune_steps} steps in {facts['seconds']:.0f} s\n")
    target = TransformersTextModel(target_model, tokenizer, batch_size=32, threads=1)

    texts = pool["text"].iloc[:2 * n].tolist()
    started = time.perf_counter()
    target.token_scores(texts)
    scoring = time.perf_counter() - started
    started = time.perf_counter()
    result = run_lm_membership(target, unique_members["text"], non_members["text"], reference=reference, max_per_side=n,
                               n_bootstrap=200, seed=args.seed)
    attacks_total = time.perf_counter() - started
    table = result.table.set_index("attack")
    shown = table[["tpr_at_0_1pct_fpr", "tpr_at_1pct_fpr", "tpr_at_1pct_fpr_low", "tpr_at_1pct_fpr_high", "auc",
                   "auc_low", "auc_high"]]
    print("membership inference (higher = better attack; loss is the baseline):")
    print(shown.round(3).to_string())
    best = result.best()
    loss_tpr = float(table.loc["loss", "tpr_at_1pct_fpr"])
    ratio = best["tpr_at_1pct_fpr"] / loss_tpr if loss_tpr else float("inf")
    print(f"\nbest attack: {best['attack']}, TPR@1%FPR {best['tpr_at_1pct_fpr']:.3f} = {ratio:.1f}x the loss attack's "
          f"{loss_tpr:.3f}")
    print(f"blind distribution-shift baseline AUC: {result.shift['auc']:.3f} (above 0.6 would void the comparison)")

    exposure, _ = canary_exposures(target.log_likelihood, canaries, samples=5000, seed=args.seed)
    by_repetition = exposure_by_repetition(exposure)
    print(f"\ncanary exposure (|R| = 2^{canaries.format.space_bits:.1f}, so at most {canaries.format.space_bits:.1f} bits):")
    print(by_repetition.round(2).to_string(index=False))

    key = b"benchmark-key-not-a-secret"
    findings = scan_frame(members, ["text"], "id", key)
    reproduced = measure_regurgitation(target, members, findings, key=key, id_column="id", max_probes=300,
                                       seed=args.seed)
    by_reference = measure_regurgitation(reference, members, findings, key=key, id_column="id", max_probes=300,
                                         seed=args.seed)
    summary, net = regurgitation_summary(reproduced), net_of_reference(reproduced, by_reference)
    print(f"\nextraction: {summary['findings_probed']} personal-data findings of the members probed; the fine-tuned "
          f"model reproduces {summary['reproduced']}, the base model {net['reference_reproduced']}, net "
          f"{net['net_reproduced']} ({net['net_rate']:.1%})")

    per_thousand = 1000 / len(texts)
    print(f"\ntime per 1,000 records (1 CPU thread): token scoring {scoring * per_thousand:.1f} s; all attacks with "
          f"reference scoring, bootstrap and baseline {attacks_total * per_thousand:.1f} s")


if __name__ == "__main__":
    main()
