"""How each assessment works, in a few sentences, in Chinese and English: the report's "method" line.

One entry per assessment name. An assessment without an entry is reported with its title and a
pointer to its auditor report, so a new assessment adds its entry here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Method:
    """The method of one assessment, in each language of the report."""

    zh: str
    en: str

    def text(self, lang: str) -> str:
        """The method in ``lang`` ("zh" or "en")."""
        return self.zh if lang == "zh" else self.en


METHODS: dict[str, Method] = {
    "pii_training_data": Method(
        zh="对训练数据全文逐块扫描个人信息：中国及国际证件号码（含校验位验证）、手机号、电子邮箱、银行卡号、姓名、地址及"
           "PIPL 规定的敏感个人信息类别；发现项以掩码形式留存并按带密钥的哈希计数不同个人；核对每类信息是否已声明同意或其他合法性基础。",
        en="Every record of the training data is scanned in chunks for personal information: Chinese and international "
           "identifiers validated by their checksums, phone numbers, e-mail addresses, bank cards, names, addresses and "
           "the sensitive categories of PIPL; findings are kept masked and distinct people are counted by keyed hash; "
           "each type is checked for a declared consent or other legal basis."),
    "model_leakage": Method(
        zh="评估已训练模型泄露训练数据的程度：对分类模型进行成员推断攻击（损失攻击、参考模型攻击），对语言模型进行损失、zlib、"
           "Min-K%、参考模型比值等攻击并给出自助法置信区间；测量植入金丝雀的暴露度、生成内容对训练数据中个人信息的复现率及困惑度差距。",
        en="Measures what the trained models reveal about their training data: membership inference on classifiers "
           "(loss and reference-model attacks) and on language models (loss, zlib, Min-K%, reference-model ratio, with "
           "bootstrap intervals), exposure of planted canaries, regurgitation of training-data personal information "
           "and the perplexity gap between members and non-members."),
    "data_quality": Method(
        zh="以 Great Expectations 数据契约校验训练与评估数据：重复记录、训练集与验证/测试集重叠、标签取值、类别均衡、乱码文本，"
           "以及与上次评估相比的分布漂移；校验结果（掩码后）以 Data Docs 形式留存。",
        en="Validates the training and evaluation data against data contracts as Great Expectations suites: "
           "duplicates, overlap between splits, label sets, class balance, garbled text and drift since the last "
           "review; the masked results are kept as Data Docs."),
    "label_robustness": Method(
        zh="用交叉验证得到的样本外概率（cleanlab）查找可能错误的训练标签，绘制标签噪声敏感性曲线，测量扰动下的预测稳定性，"
           "并对人工标注进行抽样验收（精确置信区间）。",
        en="Finds likely wrong training labels from out-of-fold probabilities (cleanlab), draws the label-noise "
           "sensitivity curve, measures prediction stability under perturbation and accepts the annotation by "
           "sampling with exact confidence intervals."),
    "content_labels": Method(
        zh="检查生成文件（图片、音频、文本）是否按 GB 45438 带有隐式标识（元数据）和显式标识，检查数字水印，"
           "并测量标识在常见编辑（压缩、裁剪、转码）后的留存情况。",
        en="Checks generated files (images, audio, text) for the implicit (metadata) and explicit labels of "
           "GB 45438 and for a watermark, and measures how the labels survive common edits (compression, "
           "cropping, re-encoding)."),
    "generated_content_safety": Method(
        zh="审核关键词库和测试题库的规模、风险覆盖与更新时间；按 TC260-003 / GB/T 45654 附录 A 的风险类别从生成内容测试题库、"
           "应拒答和非拒答题库中分层抽样（随机种子可复现），由被评估模型作答，以关键词库和中英文拒答规则（可加本地分类模型）判定，"
           "并交由人员复核；给出合格率、拒答率和误拒率及精确（Clopper-Pearson）置信区间。对训练语料按随机种子和数据哈希流式抽取人工"
           "抽检样本和不少于一定比例的技术抽检样本，并按来源统计违规比例。",
        en="Audits the keyword library and the test banks (size, coverage of the risks, age); draws questions from the "
           "generated-content, should-refuse and should-answer banks, stratified by the risks of Appendix A of "
           "TC260-003 / GB/T 45654 (seeded, reproducible), has the reviewed model answer them, scores the answers with "
           "the keyword library and Chinese and English refusal rules (optionally a local classifier), and has people "
           "review them; reports pass, refusal and over-refusal rates with exact (Clopper-Pearson) intervals. Draws a "
           "manual and a technical sample of the training corpus, streamed and reproducible from the seed and the "
           "data's hash, and rates each source."),
}


def method_of(name: str, title: str) -> Method:
    """The method of assessment ``name``; a pointer to its auditor report when none is registered."""
    return METHODS.get(name) or Method(
        zh=f"{title}：本评估项未登记方法说明，详见其审计报告（auditor view）。",
        en=f"{title}: no method description is registered for this assessment; see its auditor report.")
