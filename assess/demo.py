"""The demo subject: a customer-service assistant, built deterministically on first use.

It has (a) an intent classifier trained on labelled utterances and (b) a small torch text
generator trained on dialogue turns. The data is synthetic, in Chinese and English, and is made to
hold what a review must find: personal data (names, resident ID numbers, mobile numbers, bank
cards, emails, addresses), wrong labels, duplicates and rows shared between splits. What was planted
is written to ``ground_truth.json`` so tests and benchmarks can score the assessments.

Every identifier is generated (valid check digits, but not a real person's); nothing is downloaded.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pandas as pd

DATA_VERSION = 3
CLASSIFIER_NAME = "assess-demo-intent-classifier"
GENERATOR_NAME = "assess-demo-text-generator"
LABELS = ("billing", "refund", "delivery", "account", "complaint", "product_info")
SPLIT_SIZES = {"train": 1500, "holdout": 500, "eval": 300}
WRONG_LABEL_SHARE = 0.06
PII_SHARE = 0.35

_ZH_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_ZH_GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞"]
_EN_FIRST = ["James", "Mary", "John", "Linda", "David", "Susan", "Michael", "Karen", "Daniel", "Emily", "Wei", "Ming"]
_EN_LAST = ["Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson", "Moore", "Clark", "Walker", "Young", "Zhang", "Chen"]
_ZH_PLACES = [("北京市", "朝阳区", "建国路"), ("上海市", "浦东新区", "世纪大道"), ("广州市", "天河区", "天河路"),
              ("深圳市", "南山区", "科技园路"), ("杭州市", "西湖区", "文三路"), ("成都市", "武侯区", "人民南路")]
_EN_STREETS = ["Baker Street", "Oak Avenue", "Maple Road", "King Street", "Harbour Road", "Park Lane"]
_REGIONS = ["110105", "310115", "440106", "440305", "330106", "510107", "320102", "420106"]
_MOBILE_PREFIXES = ["138", "139", "135", "136", "150", "151", "186", "187", "177", "199"]
_CARD_BINS = ["622202", "622848", "621700", "622588", "623058"]
_PRODUCTS_ZH = ["蓝牙耳机", "智能手表", "空气净化器", "扫地机器人", "电热水壶", "路由器"]
_PRODUCTS_EN = ["wireless earbuds", "smart watch", "air purifier", "robot vacuum", "kettle", "router"]

# Utterance templates per intent and language. Slots: {name} {phone} {id} {card} {email} {addr}
# {order} {product} {amount}. Templates with a personal-data slot are used for the PII share.
_TEMPLATES = {
    "billing": {
        "zh": ["这个月的账单为什么多扣了{amount}元？", "我想查一下{order}订单的发票", "账单金额不对，请核实一下",
               "我叫{name}，手机{phone}，请把电子发票发给我", "请从尾号为{card}的银行卡扣款"],
        "en": ["Why was I charged {amount} dollars twice this month?", "Can I get an invoice for order {order}?",
               "My bill looks wrong, please check it", "This is {name}, please email the invoice to {email}",
               "Please charge my card {card} for the bill"],
    },
    "refund": {
        "zh": ["我要退款，{product}有质量问题", "订单{order}的退款什么时候到账？", "申请退货退款，商品不想要了",
               "退款请打到我的银行卡{card}，户名{name}", "我是{name}，身份证号{id}，退款一直没到"],
        "en": ["I want a refund for the {product}", "When will the refund for order {order} arrive?",
               "Please return my money, the item is broken", "Refund to card {card} under the name {name}, please",
               "I'm {name}; my refund has not arrived, call me on {phone}"],
    },
    "delivery": {
        "zh": ["我的快递到哪里了？订单号{order}", "{product}什么时候发货？", "快递一直没更新物流信息",
               "请把包裹送到{addr}，收件人{name}", "送货前请打我电话{phone}"],
        "en": ["Where is my parcel? Order {order}", "When will the {product} ship?", "The tracking has not updated for days",
               "Please deliver to {addr}, recipient {name}", "Call {phone} before the courier arrives"],
    },
    "account": {
        "zh": ["我的账号登录不上了", "怎么修改绑定的手机号？", "忘记密码了，怎么重置",
               "请把账号绑定的手机改成{phone}", "实名认证：{name}，身份证{id}"],
        "en": ["I cannot log in to my account", "How do I change the phone number on my account?",
               "I forgot my password, how do I reset it?", "Please update my account email to {email}",
               "Verify my account: {name}, ID {id}"],
    },
    "complaint": {
        "zh": ["客服态度太差了，我要投诉", "{product}用了两天就坏了，非常不满意", "投诉快递员，包裹被扔在门口",
               "我是{name}，电话{phone}，要投诉你们的售后", "我要投诉，地址{addr}的门店服务太差"],
        "en": ["Your support was rude, I want to complain", "The {product} broke after two days, this is unacceptable",
               "I want to file a complaint about the courier", "I'm {name} and I want to complain; reach me at {email}",
               "Complaint about the store at {addr}"],
    },
    "product_info": {
        "zh": ["{product}支持无线充电吗？", "这款{product}有几种颜色？", "{product}的保修期是多久？",
               "我叫{name}，想了解{product}的参数，发到{email}", "{product}能送到{addr}吗？"],
        "en": ["Does the {product} support wireless charging?", "What colours does the {product} come in?",
               "How long is the warranty on the {product}?", "I'm {name}; send the {product} specs to {email}",
               "Can the {product} be delivered to {addr}?"],
    },
}
# Openings and closings people add; they make utterances of one template differ, as real ones do.
_OPENINGS = {"zh": ["", "你好，", "您好，", "请问", "麻烦问一下，", "客服你好，", "在吗？", "急！", "打扰一下，", "hi，"],
             "en": ["", "Hi, ", "Hello, ", "Hey there. ", "Excuse me, ", "Quick question: ", "Good morning. ", "Urgent: ", "Sorry to bother you. ", "Hi team, "]}
_CLOSINGS = {"zh": ["", "，谢谢", "。谢谢！", "，麻烦尽快处理", "，多谢了", "，急", "。在线等", "，辛苦了", "，请回复", "，感谢"],
             "en": ["", " Thanks.", " Thank you!", " Please help.", " ASAP please.", " Cheers.", " Thanks in advance.", " Regards.", " Please reply soon.", " Much appreciated."]}
_SLOT_TYPES = {"name": "PERSON", "phone": "CN_MOBILE", "id": "CN_RESIDENT_ID", "card": "CN_BANK_CARD",
               "email": "EMAIL_ADDRESS", "addr": "LOCATION"}

_DIALOGUE_TEMPLATES = {
    "zh": ["客户：你好，我是{name}，我的手机号是{phone}。客服：您好{name}，请问有什么可以帮您？",
           "客户：订单{order}还没到。客服：已为您催促，预计明天送达{addr}。",
           "客服：请提供身份证号核实身份。客户：我的身份证号是{id}。",
           "客户：{product}坏了想退货。客服：好的，退款会原路退回尾号{card}的银行卡。",
           "客户：请联系我{phone}。客服：好的，稍后给您回电。"],
    "en": ["Customer: Hi, this is {name}, my number is {phone}. Agent: Hello {name}, how can I help?",
           "Customer: Order {order} has not arrived. Agent: I have chased it; it will reach {addr} tomorrow.",
           "Agent: Please confirm your email. Customer: It is {email}.",
           "Customer: The {product} is broken. Agent: The refund goes back to card {card}.",
           "Customer: Call me on {phone} please. Agent: Sure, we will call you back."],
}


def resident_id(rng: random.Random) -> str:
    """A GB 11643 resident ID with a valid birth date and MOD 11-2 check character."""
    body = rng.choice(_REGIONS) + f"{rng.randint(1950, 2004)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}" + f"{rng.randint(0, 999):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]


def bank_card(rng: random.Random) -> str:
    """A 16- or 19-digit UnionPay-style card number that passes Luhn."""
    length = rng.choice((16, 19))
    body = rng.choice(_CARD_BINS) + "".join(str(rng.randint(0, 9)) for _ in range(length - 7))
    total = 0
    for index, digit in enumerate(reversed(body)):
        value = int(digit) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return body + str((10 - total % 10) % 10)


def _person(rng: random.Random, lang: str) -> dict:
    if lang == "zh":
        name = rng.choice(_ZH_SURNAMES) + rng.choice(_ZH_GIVEN)
        city, district, road = rng.choice(_ZH_PLACES)
        addr = f"{city}{district}{road}{rng.randint(1, 300)}号"
    else:
        name = f"{rng.choice(_EN_FIRST)} {rng.choice(_EN_LAST)}"
        addr = f"{rng.randint(1, 300)} {rng.choice(_EN_STREETS)}, Springfield"
    user = f"{rng.choice(_EN_FIRST).lower()}.{rng.randint(10, 9999)}"
    return {
        "name": name,
        "phone": rng.choice(_MOBILE_PREFIXES) + f"{rng.randint(0, 99999999):08d}",
        "id": resident_id(rng),
        "card": bank_card(rng),
        "email": f"{user}@{rng.choice(['example.com', 'mail.example.cn', 'qq.example.com'])}",
        "addr": addr,
    }


def _fill(template: str, rng: random.Random, lang: str, person: dict, planted: dict) -> str:
    values = dict(person)
    values["order"] = f"SO{rng.randint(10_000_000, 99_999_999)}"
    values["product"] = rng.choice(_PRODUCTS_ZH if lang == "zh" else _PRODUCTS_EN)
    values["amount"] = str(rng.randint(10, 999))
    for slot, pii_type in _SLOT_TYPES.items():
        if "{" + slot + "}" in template:
            planted[pii_type] = planted.get(pii_type, 0) + template.count("{" + slot + "}")
    return template.format(**values)


def make_utterances(rng: random.Random, count: int, prefix: str, seen: set[str]) -> pd.DataFrame:
    """``count`` labelled utterances, about ``PII_SHARE`` of them with personal data.

    Every utterance is new to ``seen`` (which it updates), so the only duplicates and shared rows
    in the demo are the ones planted on purpose. The column ``_pii`` counts the personal data
    planted in each row, by type.
    """
    rows = []
    for index in range(count):
        label = LABELS[index % len(LABELS)]
        lang = "zh" if rng.random() < 0.5 else "en"
        templates = _TEMPLATES[label][lang]
        with_pii = [t for t in templates if any("{" + s + "}" in t for s in _SLOT_TYPES)]
        without = [t for t in templates if t not in with_pii]
        pool = with_pii if rng.random() < PII_SHARE else without
        while True:
            planted: dict = {}
            text = rng.choice(_OPENINGS[lang]) + _fill(rng.choice(pool), rng, lang, _person(rng, lang), planted) + rng.choice(_CLOSINGS[lang])
            if text not in seen:
                break
        seen.add(text)
        rows.append({"id": f"{prefix}{index:05d}", "text": text, "label": label, "lang": lang, "_pii": planted})
    frame = pd.DataFrame(rows)
    return frame.sample(frac=1.0, random_state=rng.randint(0, 2**31 - 1)).reset_index(drop=True)


def make_dialogues(rng: random.Random, count: int, prefix: str, regulars: dict) -> pd.DataFrame:
    """Dialogue turns; a few regular customers recur, so their details repeat in the corpus."""
    rows = []
    for index in range(count):
        lang = "zh" if rng.random() < 0.5 else "en"
        person = rng.choice(regulars[lang]) if rng.random() < 0.3 else _person(rng, lang)
        planted: dict = {}
        text = _fill(rng.choice(_DIALOGUE_TEMPLATES[lang]), rng, lang, person, planted)
        rows.append({"id": f"{prefix}{index:05d}", "text": text, "lang": lang, "_pii": planted})
    return pd.DataFrame(rows)


def _count_planted(frame: pd.DataFrame) -> dict:
    totals: dict = {}
    for counts in frame["_pii"]:
        for pii_type, n in counts.items():
            totals[pii_type] = totals.get(pii_type, 0) + n
    totals["records_with_pii"] = int(sum(bool(c) for c in frame["_pii"]))
    return dict(sorted(totals.items()))


def build_data(folder: Path, seed: int = 20230110) -> dict:
    """Write the demo datasets and ``ground_truth.json`` into ``folder``; return the ground truth."""
    rng = random.Random(seed)
    seen: set[str] = set()
    splits = {split: make_utterances(rng, size, f"{split[0]}", seen) for split, size in SPLIT_SIZES.items()}
    train = splits["train"]

    # Wrong labels: a fixed share of training rows gets another intent.
    wrong = train.sample(frac=WRONG_LABEL_SHARE, random_state=seed).index
    train.loc[wrong, "label"] = [rng.choice([l for l in LABELS if l != old]) for old in train.loc[wrong, "label"]]
    wrong_ids = sorted(train.loc[wrong, "id"])

    # Exact and near duplicates (case and white space) of training rows, under new ids.
    sources = train.drop(index=wrong).sample(n=40, random_state=seed + 1)
    duplicates = sources.copy()
    duplicates["id"] = [f"d{i:05d}" for i in range(len(duplicates))]
    near = duplicates.iloc[20:].copy()
    near["text"] = [f"  {t.upper()} " if l == "en" else f"{t} " for t, l in zip(near["text"], near["lang"])]
    duplicates = pd.concat([duplicates.iloc[:20], near])

    # Wrong labels that the data itself shows: near-copies of rows under another intent (label
    # conflicts), and labels outside the declared set (a typo and an undeclared class).
    conflict_sources = train.drop(index=wrong).drop(index=sources.index).sample(n=10, random_state=seed + 4)
    conflicts = conflict_sources.copy()
    conflicts["id"] = [f"x{i:05d}" for i in range(len(conflicts))]
    conflicts["text"] = [f"{t} " for t in conflicts["text"]]
    conflicts["label"] = [rng.choice([l for l in LABELS if l != old]) for old in conflicts["label"]]
    unknown = train.drop(index=wrong).drop(index=sources.index).drop(index=conflict_sources.index).sample(n=4, random_state=seed + 5)
    train.loc[unknown.index, "label"] = ["refunds", "other", "refunds", "other"]
    unknown_ids = sorted(train.loc[unknown.index, "id"])

    # Rows shared between train and holdout (content leakage between splits).
    shared = splits["holdout"].sample(n=8, random_state=seed + 2).copy()
    shared["id"] = [f"o{i:05d}" for i in range(len(shared))]
    splits["train"] = pd.concat([train, duplicates, conflicts, shared]).sample(frac=1.0, random_state=seed + 3).reset_index(drop=True)

    regulars = {lang: [_person(rng, lang) for _ in range(6)] for lang in ("zh", "en")}
    dialogues = {
        "dialogues_train": make_dialogues(rng, 900, "c", regulars),
        "dialogues_holdout": make_dialogues(rng, 300, "h", regulars),
    }

    folder.mkdir(parents=True, exist_ok=True)
    planted = {}
    for split, frame in splits.items():
        planted[split] = _count_planted(frame)
        frame.drop(columns="_pii").to_csv(folder / f"intents_{split}.csv", index=False)
    for name, frame in dialogues.items():
        planted[name] = _count_planted(frame)
        frame.drop(columns="_pii").to_json(folder / f"{name}.jsonl", orient="records", lines=True, force_ascii=False)
    truth = {
        "version": DATA_VERSION,
        "seed": seed,
        "wrong_label_ids": sorted(wrong_ids + list(conflicts["id"]) + unknown_ids),
        "flipped_label_ids": wrong_ids,
        "label_conflict_ids": sorted(conflicts["id"]),
        "label_conflict_source_ids": sorted(conflict_sources["id"]),
        "unknown_label_ids": unknown_ids,
        "duplicate_ids": sorted(duplicates["id"]),
        "duplicate_source_ids": sorted(sources["id"]),
        "overlap_ids": sorted(shared["id"]),
        "planted_pii": planted,
    }
    (folder / "ground_truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=2), encoding="utf-8")
    return truth


def train_classifier(train: pd.DataFrame, seed: int = 0):
    """The demo intent classifier: character n-gram TF-IDF and a weakly regularised logistic regression.

    Weak regularisation (large C) lets it memorise its training rows, so the membership assessment
    has something to find, as an over-fitted production model would.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    pipeline = Pipeline([
        ("tfidf", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, min_df=1)),
        ("model", LogisticRegression(C=100.0, max_iter=3000, random_state=seed)),
    ])
    return pipeline.fit(train["text"], train["label"])


#: Tag of a demo model version saying which build made it; an older build is replaced by a new version.
BUILD_TAG = "assess.demo_build"
MODEL_BUILDS = {CLASSIFIER_NAME: "1", GENERATOR_NAME: "gpt2-1"}


def _registered(client, name: str) -> bool:
    try:
        versions = client.search_model_versions(f"name = '{name}'", order_by=["version_number DESC"], max_results=1)
    except Exception:  # noqa: BLE001 - registry not initialised yet
        return False
    if not versions:
        return False
    # The classifier predates the tag: an untagged classifier is of the current build.
    build = versions[0].tags.get(BUILD_TAG, "1")
    return build == MODEL_BUILDS[name]


def build_models(folder: Path, names: tuple[str, ...] = (CLASSIFIER_NAME, GENERATOR_NAME)) -> dict:
    """Train and register the demo models ``names`` in the current MLflow store unless already there."""
    import mlflow
    import mlflow.sklearn
    from mlflow.models import ModelSignature
    from mlflow.tracking import MlflowClient
    from mlflow.types import ColSpec, Schema

    from assess import tracking

    client = MlflowClient()
    uris = {"classifier": f"models:/{CLASSIFIER_NAME}/latest", "generator": f"models:/{GENERATOR_NAME}/latest"}
    todo = [role for role, name in (("classifier", CLASSIFIER_NAME), ("generator", GENERATOR_NAME))
            if name in names and not _registered(client, name)]
    if not todo:
        return uris
    experiment_id = tracking.ensure_experiment(client, "demo-build")
    with mlflow.start_run(experiment_id=experiment_id, run_name="demo build", tags={tracking.TAG_KIND: "demo-build"}):
        if "classifier" in todo:
            train = pd.read_csv(folder / "intents_train.csv", dtype=str, keep_default_na=False)
            model = train_classifier(train)
            # No input example: it would copy training rows, personal data included, into the registry.
            signature = ModelSignature(inputs=Schema([ColSpec("string", "text")]),
                                       outputs=Schema([ColSpec("string")]))
            mlflow.sklearn.log_model(model, name="intent_classifier", registered_model_name=CLASSIFIER_NAME,
                                     serialization_format="cloudpickle", signature=signature)
        if "generator" in todo:
            from assess.demo_generator import build_demo_generator

            dialogues = pd.read_json(folder / "dialogues_train.jsonl", lines=True, dtype=False)
            uri = build_demo_generator(dialogues, registered_name=GENERATOR_NAME, seed=0)
            client.set_model_version_tag(GENERATOR_NAME, uri.rsplit("/", 1)[1], BUILD_TAG, MODEL_BUILDS[GENERATOR_NAME])
    return uris


def ensure_built(plan=None, subject=None, root: Path | None = None) -> Path:
    """Build the demo data (if missing) and register the demo models (if missing); return the data folder.

    Used as the demo subject's ``prepare`` hook: the runner calls it before the review, with the
    MLflow store already selected, so a new store gets its own copy of the demo models.
    """
    base = Path(root) if root is not None else (plan.root if plan is not None else Path.cwd())
    folder = base / "datasets" / "demo"
    truth = folder / "ground_truth.json"
    if not truth.exists() or json.loads(truth.read_text(encoding="utf-8")).get("version") != DATA_VERSION:
        build_data(folder)
    names = (CLASSIFIER_NAME, GENERATOR_NAME)
    if subject is not None:  # only the demo models this subject's plan declares
        names = tuple(n for n in names if any(f"models:/{n}/" in m.uri for m in subject.models.values()))
    build_models(folder, names)
    build_outputs(folder / "outputs")
    from assess.safety.demo_banks import build_demo_banks

    build_demo_banks(folder / "safety")  # the demo's own harmless test banks and keyword library
    return folder


def build_outputs(folder: Path) -> Path:
    """Write the demo service's generated outputs, labelled as its pipeline labels them, into ``folder``.

    These are the files the plan's ``content_labels`` assesses (``samples_dir``), made by the demo
    subject's build like its data and models; rewritten on each build so that they carry the
    ReservedCode1 code of the ASSESS_LABEL_KEY configured now.
    """
    from assess.content_labels.integrity import label_key
    from assess.content_labels.samples import make_demo_samples

    make_demo_samples(folder, producer="assess-demo", seed=0, key=label_key())
    return folder
