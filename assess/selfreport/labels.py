"""The report's fixed wording in Chinese and English, and how a heading is shown for ``--lang``."""

from __future__ import annotations

LANGS = ("both", "zh", "en")

#: key -> (Chinese, English)
TEXT: dict[str, tuple[str, str]] = {
    "title": ("算法安全自评估报告（草稿）", "Algorithm security self-assessment report (draft)"),
    "draft_note": ("本报告草稿仅由证据库中该次评估的证据生成，可随时重新生成并用 assess verify 核验。",
                   "This draft is assembled only from the evidence store's record of this review: it can be "
                   "regenerated at any time and checked with assess verify."),
    "subject": ("一、评估对象", "1. Subject"),
    "models": ("二、模型", "2. Models"),
    "datasets": ("三、数据集", "3. Datasets"),
    "assessments": ("四、评估项目、方法与结果", "4. Assessments, methods and results"),
    "findings": ("五、待处理问题", "5. Open findings"),
    "evidence": ("六、证据链", "6. Evidence chain"),
    "signoff": ("七、签署", "7. Sign-off"),
    "subject_name": ("评估对象", "Subject"),
    "method": ("方法", "Method"),
    "results": ("主要结果", "Key results"),
    "checks": ("检查项", "Checks"),
    "clauses": ("依据条款", "Clauses"),
    "verdict": ("结论", "Verdict"),
    "overall_verdict": ("总体结论", "Overall verdict"),
    "review_id": ("评估编号", "Review id"),
    "started": ("开始时间", "Started"),
    "ended": ("结束时间", "Ended"),
    "store": ("证据库", "Evidence store"),
    "plan": ("评估计划", "Review plan"),
    "run": ("MLflow 运行", "MLflow run"),
    "error": ("错误", "Error"),
    "role": ("角色", "Role"),
    "uri": ("位置", "URI"),
    "kind": ("类型", "Kind"),
    "version": ("版本", "Version"),
    "path": ("文件", "File"),
    "check": ("检查项", "Check"),
    "value": ("测量值", "Value"),
    "required": ("要求", "Required"),
    "basis": ("阈值依据", "Basis"),
    "clause": ("条款", "Clause"),
    "status": ("状态", "Status"),
    "assessment": ("评估项目", "Assessment"),
    "metric": ("指标", "Metric"),
    "open_checks": ("未通过、警告或待复核的检查项", "Checks failed, warned or pending"),
    "manifest_digest": ("评估清单摘要（SHA-256）", "Review manifest digest (SHA-256)"),
    "chain_position": ("在证据链中的位置", "Position in the evidence chain"),
    "previous_review": ("上一次评估", "Previous review"),
    "signature": ("签名", "Signature"),
    "verify_with": ("核验命令", "Verify with"),
    "verification": ("生成报告时的证据核验", "Evidence verified when this report was drawn"),
    "verified_ok": ("全部证据与评估清单一致，已核验的运行数", "every artifact matches its manifest; runs re-hashed"),
    "verified_problems": ("证据与评估清单不一致，问题数", "evidence differs from its manifests; problems"),
    "prepared_by": ("编制人", "Prepared by"),
    "reviewed_by": ("审核人", "Reviewed by"),
    "date": ("日期", "Date"),
    "none": ("无", "none"),
    "not_recorded": ("未记录", "not recorded"),
    "no_findings": ("无未通过、警告或待复核的检查项。", "No check failed, warned or waits for a person."),
    "by_person": ("待人工复核", "review by a person"),
    "first_review": ("无（本次为该对象的首次评估）", "none (the subject's first review)"),
    "of": ("共", "of"),
    "regulation": ("法规", "regulation"),
    "policy": ("内部策略", "policy"),
    "standard (unverified)": ("标准（数值未经核实）", "standard (unverified)"),
    "signed_valid": ("已签名，签名有效（Ed25519）", "signed, signature valid (Ed25519)"),
    "signed_invalid": ("已签名，但签名无效", "signed, but the signature does NOT verify"),
    "signed_unchecked": ("已签名（未配置核验公钥，未核验）", "signed (no verify key configured: not checked)"),
    "unsigned": ("未签名", "not signed"),
    "pass": ("通过", "PASS"),
    "warn": ("警告", "WARN"),
    "pending": ("待人工复核", "PENDING"),
    "fail": ("不通过", "FAIL"),
    "error_verdict": ("错误", "ERROR"),
}


def check_lang(lang: str) -> str:
    """``lang`` if it is one of :data:`LANGS`, else an :class:`~assess.errors.InputError`."""
    from assess.errors import InputError

    if lang not in LANGS:
        raise InputError(f"--lang {lang}: use zh, en, or leave it out for both (Chinese first)")
    return lang


def say(key: str, lang: str) -> str:
    """The text ``key`` in ``lang``: "中文 English" for both, else the one language."""
    zh, en = TEXT[key]
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    return f"{zh} {en}"


def verdict_word(verdict: str | None, lang: str) -> str:
    """A verdict (pass, warn, pending, fail, error) in words."""
    key = {"error": "error_verdict"}.get(verdict or "", verdict or "")
    return say(key, lang) if key in TEXT else (verdict or "?").upper()
