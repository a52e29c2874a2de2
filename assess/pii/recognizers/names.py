"""Person names by context: a surname after 我叫 / 姓名 / 客户 / 开户人, before 先生 / 女士 or a word that
follows a name (说, 让我, 反映); "my name is", "Customer", "Dear", "Mr." or "said" in English.

Heuristics, not NER: a name is reported only next to a context word (or, in English, when its first
word is a common given name), so names mentioned with none of them are missed; ``assess.pii.ner``
adds a model for those.
"""

from __future__ import annotations

import re

from assess.pii.lexicon import (
    CN_COMPOUND_SURNAMES,
    CN_FIELD_LEADS,
    CN_FOLLOWER_TRIGGERS,
    CN_NAME_FOLLOWERS,
    CN_NAME_LEADS,
    CN_NAME_STOP,
    CN_NOT_NAMES,
    CN_ROLE_LEADS,
    CN_SURNAME_LEADS,
    CN_SURNAMES,
    CN_TITLES,
    CN_WEAK_NAME_LEADS,
    EN_GIVEN_NAMES,
    EN_NAME_FOLLOWERS,
    EN_NAME_LEADS,
    EN_NOT_NAME_WORDS,
    EN_NOT_NAMES,
    EN_STREET_SUFFIXES,
    EN_WEAK_NAME_LEADS,
)
from assess.pii.recognizer import KeywordRecognizer, ScanRecognizer, register

_PERSON = "person name (姓名)"
_SURNAMES = frozenset(CN_SURNAMES)
_COMPOUND = frozenset(CN_COMPOUND_SURNAMES)
_SEPARATORS = " :：是为\u3000"
#: Followers after which a name the surname list lacks is still taken (客户牧鹏反映), and the role
#: words before it that make that safe (not 麻烦 / 谢谢, which lead to verbs as often as to names).
_STRONG_FOLLOWERS = frozenset(("说", "反映", "来电", "打电话", "打来", "本人", "签收"))
_ROLES = frozenset(("客户", "用户", "顾客", "买家", "会员", "快递员", "配送员", "骑手", "同事", "反馈", "转告"))
#: Particles that may follow a name directly (王建国的订单, 张伟已经, 李红在吗): unlike the stop set,
#: no nouns (机, 卡, 号), which follow a product word as often as a name.
_PARTICLES = frozenset("的了是在和与及或说吗呢啊吧呀哦也都就还又很请让给把被从到对向为以已本今昨先女")
#: Characters a given name may end with: any CJK character but the stop set.
_NAME_ENDS = "".join(chr(c) for c in range(0x4E00, 0xA000) if chr(c) not in CN_NAME_STOP)
_NAME_STARTS = "".join(sorted(set(CN_SURNAMES) | {s[0] for s in CN_COMPOUND_SURNAMES}))


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _surname_length(text: str, at: int) -> int:
    """Length of the surname starting at ``at`` (2 for a compound surname, 1, or 0 for none)."""
    if text[at:at + 2] in _COMPOUND:
        return 2
    return 1 if at < len(text) and text[at] in _SURNAMES else 0


@register
class PersonZh(KeywordRecognizer):
    """Chinese name: surname + 1-2 given-name characters after a lead-in or a role word, before a
    title or a word that follows a name; after a form field (开户人, 收件人), any 2-3 characters."""

    type = "PERSON"
    category = _PERSON
    description = "Person name: Chinese (surname list + 我叫/姓名/联系人/客户/开户人, 先生/女士, 说/反映), English (my name is, Customer, Dear, Mr./Ms./Dr., said)"
    keywords_zh = tuple(dict.fromkeys(CN_NAME_LEADS + CN_ROLE_LEADS + CN_FIELD_LEADS + CN_WEAK_NAME_LEADS
                                      + CN_SURNAME_LEADS + CN_TITLES + CN_FOLLOWER_TRIGGERS))
    # After a lead-in comes a separator or a surname (the first character of a compound one);
    # after a form field any character (a surname the list does not have).
    anchor_after = {lead: _NAME_STARTS + _SEPARATORS for lead in CN_NAME_LEADS + CN_WEAK_NAME_LEADS + CN_ROLE_LEADS} | {
        lead: _NAME_STARTS for lead in CN_SURNAME_LEADS}
    for _field in CN_FIELD_LEADS + CN_FOLLOWER_TRIGGERS:
        anchor_after.pop(_field, None)
    del _field
    # 说 / 和 / 与 start a look-back only after a character that may end a name (not 我说, 员说).
    anchor_before = {word: _NAME_ENDS for word in ("说", "和")}
    _leads = frozenset(CN_NAME_LEADS + CN_ROLE_LEADS + CN_FIELD_LEADS)
    _fields = frozenset(CN_FIELD_LEADS)
    _followers = frozenset(CN_NAME_FOLLOWERS)
    _triggers = frozenset(CN_FOLLOWER_TRIGGERS)

    def at_keyword(self, text: str, start: int, end: int, keyword: str):
        if keyword in self._triggers:
            found = list(self._before_follower(text, start, keyword))
            yield from found
            if keyword != "和" and (found or keyword not in self._leads):
                return  # 和 joins two names: 冯海波和慕容婷婷 (the second is found as after a lead-in)
        if keyword in CN_TITLES:
            yield from self._before_title(text, start)
        elif keyword in CN_SURNAME_LEADS:
            length = _surname_length(text, end)
            following = text[end + length:end + length + 1]
            if length and (not _is_han(following) or following in CN_NAME_STOP):
                yield end, end + length, 0.6
        elif keyword in self._fields:
            found = list(self._after_lead(text, end, 0.8))
            yield from found or self._field_value(text, end)
        elif keyword in CN_ROLE_LEADS:
            yield from self._after_lead(text, end, 0.7, bounded=True)
        else:
            strength = 0.6 if keyword in CN_WEAK_NAME_LEADS or keyword in ("和", "与") else 0.8
            yield from self._after_lead(text, end, strength, bounded=strength < 0.8)

    def _after_lead(self, text: str, at: int, confidence: float, bounded: bool = False):
        if text[at:at + 2] == "一下":
            at += 2  # 联系一下萧晨曦, 转告一下
        while at < len(text) and text[at] in _SEPARATORS:
            at += 1
        length = _surname_length(text, at)
        if not length or text[at:at + 2] in CN_NOT_NAMES:
            return
        given = 0
        while given < 2 and _is_han(text[at + length + given:at + length + given + 1] or " ") \
                and text[at + length + given] not in CN_NAME_STOP:
            given += 1
        if not given:
            return
        end = at + length + given
        # After a weak lead-in or a role word (您好, 我是, 客户) the name must end there, at punctuation
        # or a word that follows a name (客户王建国反映): "您好麻烦尽快", "客户：蓝牙耳机坏了" hold no name.
        if bounded and (not self._ends_name(text, end) or text[end - 1:end + 1] in CN_NOT_NAMES):
            return
        yield at, end, confidence

    def _ends_name(self, text: str, end: int) -> bool:
        following = text[end:end + 1]
        return (not following or not _is_han(following) or following in _PARTICLES
                or any(text[end:end + size] in self._followers for size in (1, 2, 3)))

    def _field_value(self, text: str, at: int):
        # 开户人阚明，: 2-3 characters up to punctuation, a space or the end, whatever the surname.
        while at < len(text) and text[at] in _SEPARATORS:
            at += 1
        end = at
        while end < len(text) and end - at < 4 and _is_han(text[end]):
            end += 1
        if 2 <= end - at <= 3 and not (end < len(text) and _is_han(text[end])) \
                and not any(ch in CN_NAME_STOP for ch in text[at:end]):
            yield at, end, 0.7

    def _before_follower(self, text: str, at: int, keyword: str):
        # 江洁让我…, 。常文斌说…: surname + 1-2 characters, starting at a boundary.
        for back in (4, 3, 2):
            begin = at - back
            if begin < 0:
                continue
            length = _surname_length(text, begin)
            after_role = False
            if not length:
                # 客户牧鹏反映: a surname the list lacks, between a role word and a strong follower.
                if back > 3 or keyword not in _STRONG_FOLLOWERS or not _is_han(text[begin]) \
                        or text[begin] in CN_NAME_STOP or not self._after_role(text, begin):
                    continue
                length, after_role = 1, True
            if back - length > 2 or back - length < 1 or text[begin:begin + 2] in CN_NOT_NAMES:
                continue
            given = text[begin + length:at]
            if not all(_is_han(ch) and ch not in CN_NAME_STOP for ch in given):
                continue
            before = text[begin - 1:begin] if begin else ""
            if before.isdigit() or (before and _is_han(before) and before not in CN_NAME_STOP
                                    and not (after_role or self._after_role(text, begin))):
                continue
            yield begin, at, 0.65
            return

    def _after_role(self, text: str, begin: int) -> bool:
        """Whether a form field or a role word (with separators) ends at ``begin``."""
        while begin > 0 and text[begin - 1] in _SEPARATORS:
            begin -= 1  # 用户反馈：訾慧敏说
        return any(text[begin - k:begin] in self._fields or text[begin - k:begin] in _ROLES
                   for k in (2, 3) if begin >= k)

    def _before_title(self, text: str, title_at: int):
        # 王小明先生 / 王先生 / 欧阳先生: the longest surname (+ given name) that ends at the title.
        for back in (4, 3, 2, 1):
            at = title_at - back
            if at < 0:
                continue
            length = _surname_length(text, at)
            if not length or back - length > 2 or length > back:
                continue
            given = text[at + length:title_at]
            if all(_is_han(ch) and ch not in CN_NAME_STOP for ch in given):
                yield at, title_at, 0.7
                return

    def mask(self, value: str) -> str:
        length = _surname_length(value, 0) or 1
        if length >= len(value):
            return "*" * len(value)  # a surname alone: show nothing of it
        return value[:length] + "*" * (len(value) - length)


_EN_SURNAME = re.compile(r"(?: [A-Z]\.)? ([A-Z][a-z]+(?:['-][A-Z]?[a-z]+)?)(?![A-Za-z])")
_EN_NAME = re.compile(r"[A-Z][a-z]+(?:['-][A-Z]?[a-z]+)?(?: [A-Z]\.)?(?: [A-Z][a-z]+(?:['-][A-Z]?[a-z]+)?)?")


_EN_WORD = r"(?:Mc|Mac|O')?[A-Z][a-z]+(?:['-][A-Z]?[a-z]+)?"
# After a lead-in: separators, then one to three capitalised words (a middle initial allowed).
_EN_AFTER_LEAD = re.compile(r"[ ,:\t\n]{1,3}(" + _EN_WORD + r"(?: [A-Z]\.)?(?: " + _EN_WORD + r"){0,2})(?![A-Za-z])")
#: Lead-ins after which one capitalised word is taken for a name ("Dear Priya", "Thanks, Felix").
_EN_SIGN_OFFS = frozenset(("dear", "thanks,", "regards", "cheers", "signed", "sincerely", "cc", "attn", "attention"))
_NUMBERED_STREET = re.compile(r"(?<![0-9A-Za-z])[0-9]{1,5}[A-Za-z]? (?:[A-Z][A-Za-z.']* ){1,5}\Z")
_EN_WORD_BEFORE = re.compile(r"(?<![A-Za-z])[A-Z][A-Za-z]* \Z")
_EN_BEFORE_FOLLOWER = re.compile(r"(?<![A-Za-z])(" + _EN_WORD + r"(?: [A-Z]\.)? " + _EN_WORD + r")(?: \([a-z]+\))?,? \Z")
_EN_STREET_AFTER = re.compile(r" (?:" + "|".join(EN_STREET_SUFFIXES) + r")\b")


@register
class PersonEn(KeywordRecognizer):
    """English name: capitalised words after "my name is", "name:", or a title (Mr., Mrs., Ms., Dr.)."""

    type = "PERSON"
    category = _PERSON
    _titles = frozenset(("mr", "mrs", "ms", "miss", "dr", "prof", "mister"))
    #: Lead-ins after which a capitalised word is often, not always, a name: two words are needed.
    _weak = frozenset(("this is", "i'm", "i am", "hello", "dear"))
    _strong = ("my name is", "name is", "name:", "full name", "recipient", "under the name", "named", "signed")
    _given = frozenset(EN_GIVEN_NAMES)
    _leads = frozenset(EN_NAME_LEADS)
    _two_words = frozenset(EN_WEAK_NAME_LEADS)
    _followers = frozenset(EN_NAME_FOLLOWERS)
    keywords_en = tuple(dict.fromkeys(_strong + tuple(_titles) + tuple(_weak) + EN_GIVEN_NAMES + EN_NAME_LEADS
                                      + EN_WEAK_NAME_LEADS + EN_NAME_FOLLOWERS))

    def at_keyword(self, text: str, start: int, end: int, keyword: str):
        lowered = keyword.lower()
        if lowered in self._followers:
            yield from self._before(text, start)
            if lowered != "and":
                return
        if lowered in self._leads or lowered in self._two_words:
            yield from self._after(text, end, lowered, two=lowered in self._two_words and lowered not in self._leads)
            return
        following = text[end:end + 2]
        if not following or (following[0] not in " .:\t" and not following[0].isupper()):
            return  # a name follows after a space, a dot (Mr.) or a colon
        if keyword in self._weak and not following[1:].isupper():
            return  # "Hi, ..." / "hello there"
        if keyword in self._given:
            yield from self._given_name(text, start, end)
            return
        if lowered == "dr" and _NUMBERED_STREET.search(text, max(0, start - 64), start):
            return  # "4025 N. Ridgecrest Dr. Santa Fe": the street suffix, not the title
        at = end
        if keyword in self._titles:
            if text[at:at + 1] == ".":
                at += 1
            confidence = 0.8
        else:
            confidence = 0.85 if keyword == "my name is" else 0.75
        if keyword in ("i'm", "i am") and text[end:end + 1] == " " and text[end + 1:end + 2].islower():
            return
        gap = at
        while at < len(text) and text[at] in " :\t":
            at += 1
        if at == gap and text[end:end + 1] != "." and keyword != "name:":
            return  # a title must be followed by a dot or a space
        match = _EN_NAME.match(text, at)
        if match is None:
            return
        words = match.group().split(" ")
        while words and words[-1] in EN_NOT_NAMES:
            words.pop()
        if not words or words[0] in EN_NOT_NAMES:
            return
        if keyword in self._weak:
            confidence = 0.7 if len(words) >= 2 else 0.45  # "I am Chinese", "Hello World" are not names
        yield at, at + len(" ".join(words)), confidence

    def _after(self, text: str, at: int, lead: str, two: bool):
        # "Customer Ruben Fernandez", "Thanks, Felix Lindqvist", "Ship to Wren Lindgren".
        match = _EN_AFTER_LEAD.match(text, at)
        if match is None:
            return
        words = match.group(1).split(" ")
        while words and (words[-1] in EN_NOT_NAMES or words[-1] in EN_NOT_NAME_WORDS):
            words.pop()  # "Contact person: Wren Adeyemi Hi": the greeting after the name
        if not words or any(word in EN_NOT_NAMES or word in EN_NOT_NAME_WORDS for word in words):
            return
        if len(words) < 2 and (two or lead not in _EN_SIGN_OFFS and words[0] not in self._given):
            return  # "Customer: Call me", "Agent: Sure": one word is a name only after "Dear", "Thanks,"
        stop = match.start(1) + len(" ".join(words))
        if _EN_STREET_AFTER.match(text, stop):
            return  # "to Harbor View Rd": a street, not a person
        yield match.start(1), stop, 0.7 if len(words) >= 2 else 0.55

    def _before(self, text: str, start: int):
        # "Anneliese Dubois asked", "Mary Hughes and ...": two capitalised words just before.
        match = _EN_BEFORE_FOLLOWER.search(text, max(0, start - 48), start)
        if match is None:
            return
        words = match.group(1).replace(".", " ").split()
        if any(word in EN_NOT_NAMES or word in EN_NOT_NAME_WORDS for word in words):
            return
        before = _EN_WORD_BEFORE.search(text, max(0, match.start(1) - 24), match.start(1))
        if before is not None:
            return  # "Main Street Bank said": a longer capitalised phrase, not a name
        yield match.start(1), match.end(1), 0.65

    def _given_name(self, text: str, start: int, end: int):
        # A common given name followed by a capitalised surname: "Mary Walker" (no context needed).
        if text[start:end] not in self._given:
            return  # matched case-insensitively; "mary" or "MARY" is not enough
        match = _EN_SURNAME.match(text, end)
        if match is not None and match.group(1) not in EN_NOT_NAMES:
            yield start, match.end(), 0.65

    def mask(self, value: str) -> str:
        return " ".join(word[:1] + "*" * (len(word) - 1) for word in value.split(" "))


_EN_PAIR_AFTER = re.compile(r"(" + _EN_WORD + r"(?: [A-Z]\.)? " + _EN_WORD + r")(?![A-Za-z])")


@register
class PersonEnBetween(ScanRecognizer):
    """English names around frequent words: "Mary Hughes and Siobhan McAllister", "update the
    contact to Leilani Sato", "ask Fatima Quintero to", "Can Olusegun Mensah pick it up".

    These words are too frequent to be keywords (a Python call per "and"): their view patterns
    ask for capitalised words after them, so ``re`` skips the rest in C.
    """

    type = "PERSON"
    category = _PERSON
    # One pattern per word: a literal start lets ``re`` skip ahead in C (an alternation would not).
    view_patterns = (re.compile(rb"and (?=[A-Z][a-z]+ [A-Z])"),) + tuple(
        re.compile(word + rb" (?=[A-Z][a-z]+ (?:[A-Z]\. )?(?:Mc|Mac|O')?[A-Z][a-z]+ [a-z])")
        for word in (rb"to", rb"ask", rb"Can", rb"for"))

    def confirm(self, text: str, view: bytes, match: re.Match):
        after = _EN_PAIR_AFTER.match(text, match.end())
        if after is None or not _is_name(after.group(1)) or _EN_STREET_AFTER.match(text, after.end()):
            return
        if match.start() and text[match.start() - 1].isalpha():
            return  # "band", "into", "task": the word must start there
        if match.group().startswith(b"and"):
            # Both sides: "Mary Hughes and Siobhan McAllister" (not "Bed Bath and Beyond").
            before = _EN_BEFORE_FOLLOWER.search(text, max(0, match.start() - 48), match.start())
            if before is None or not _is_name(before.group(1)) or \
                    _EN_WORD_BEFORE.search(text, max(0, before.start(1) - 24), before.start(1)):
                return
            yield before.start(1), before.end(1), 0.65
        yield after.start(1), after.end(1), 0.65

    def mask(self, value: str) -> str:
        return " ".join(word[:1] + "*" * (len(word) - 1) for word in value.split(" "))


def _is_name(value: str) -> bool:
    return not any(word in EN_NOT_NAMES or word in EN_NOT_NAME_WORDS for word in value.replace(".", " ").split())
