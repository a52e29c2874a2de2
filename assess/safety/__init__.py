"""Generated-content safety (TC260-003 / GB/T 45654 §8-§9): test banks, refusal, keyword scoring and
corpus sampling, as pure functions the ``generated_content_safety`` notebook calls.

- :mod:`assess.safety.risks`: the 31 risks of Appendix A in 5 categories, by neutral short id;
- :mod:`assess.safety.banks`: loading and auditing test banks and the keyword library (§8);
- :mod:`assess.safety.keywords`: finding a keyword library's words in texts;
- :mod:`assess.safety.refusal`: rules that tell a refusal (Chinese and English);
- :mod:`assess.safety.rates`: pass and refusal rates with exact intervals and the sample sizes they need;
- :mod:`assess.safety.answers`: drawing questions (§9.3, §9.4), asking the model, scoring its answers;
- :mod:`assess.safety.corpus`: the seeded streamed corpus sample and the technical sample (§9.2);
- :mod:`assess.safety.review`: review sheets for people, and reading them back.
"""
