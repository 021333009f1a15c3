"""Pure rules that read a candidate card: the name in its title, contacts and salary in its
text and custom fields, profile links, and the resume to send to Huntflow. No I/O.

Regular expressions use ``[0-9]`` rather than ``\\d`` so that other scripts' digits never end
up in a phone number or a salary.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from itertools import accumulate

from hrhelper.domain.errors import InvalidInput
from hrhelper.domain.recruiting.card import Attachment, CandidateCard

__all__ = [
    "Contacts",
    "PersonName",
    "choose_resume",
    "contacts_from_fields",
    "extract_contacts",
    "merge_contacts",
    "parse_name",
    "profile_links",
    "resume_or_link",
    "strip_html",
]


@dataclass(frozen=True)
class PersonName:
    """A name split into parts; ``last`` is never blank."""

    last: str
    first: str = ""
    middle: str = ""

    def __post_init__(self) -> None:
        if not self.last.strip():
            raise InvalidInput.for_fields({"last": ["The last name must not be blank."]})


# A hyphen separates only when spaced ("Петрова-Водкина" is one word); longer dashes always do.
_TITLE_DASH = re.compile(r"\s[-‐‑−]+\s|[–—‒―]")


def _trim(word: str) -> str:
    start, end = 0, len(word)
    while start < end and unicodedata.category(word[start]).startswith("P"):
        start += 1
    while end > start and unicodedata.category(word[end - 1]).startswith("P"):
        end -= 1
    return word[start:end]


def _words(text: str) -> list[str]:
    return [word for word in map(_trim, text.split()) if word]


def parse_name(title: str) -> PersonName:
    """The candidate's name in a card title.

    - Words are split on any whitespace; punctuation at their edges is dropped.
    - 1 word: last ("Петров"); 2: last, first ("Петров Пётр"); 3: last, first, middle.
    - More than 3 words and a dash separator (" - ", or an en/em dash anywhere): "First Last —
      job title". The job title is ignored; 2 words before the dash are first, last. Any other
      count before the dash follows the rules above, and no word before it ignores the dash.
    - More than 3 words and no dash: the first three are last, first, middle.
    - A title without words raises InvalidInput with details ``{"title": [...]}``.
    """
    words = _words(title)
    if not words:
        raise InvalidInput(
            "The card title holds no name.",
            {"title": ["The title must hold the candidate's name."]},
        )
    if len(words) > 3:
        dash = _TITLE_DASH.search(title)
        head = _words(title[: dash.start()]) if dash else []
        if len(head) == 2:
            return PersonName(last=head[1], first=head[0])
        words = head or words
    return PersonName(*words[:3])


@dataclass(frozen=True)
class Contacts:
    """What a card says about reaching and paying the candidate; ``None`` where nothing."""

    email: str | None = None
    """Lowercased."""
    phone: str | None = None
    """``+`` and digits: ``+375XXXXXXXXX``, ``+7XXXXXXXXXX`` or another country's number."""
    telegram: str | None = None
    """The handle without ``@``."""
    salary: str | None = None
    """``"3000 USD"``, ``"2000-3000 EUR"``, or a bare ``"3000"`` when no currency is given."""


_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@"
    r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])"
)
_PHONE = re.compile(r"(?<![\w+/=@-])\+?[0-9](?:[ \t\u00a0()-]{0,3}[0-9]){9,19}(?![\w@])")
_DIGIT_GROUP = re.compile(r"[0-9]+")
_HANDLE = r"[A-Za-z][A-Za-z0-9_]{4,31}(?![A-Za-z0-9_])"
_TELEGRAM = re.compile(
    rf"(?<![A-Za-z0-9._%+/@-])@(?P<at>{_HANDLE})(?!\.[A-Za-z0-9])"
    rf"|(?<![\w.])(?:https?://)?(?:www\.)?(?:t|telegram)\.me/(?P<link>{_HANDLE})"
)
_BARE_HANDLE = re.compile(rf"@?({_HANDLE})")
_NOT_HANDLES = frozenset({"joinchat", "addstickers", "addemoji", "share", "proxy", "socks"})


def _find_email(text: str) -> str | None:
    match = _EMAIL.search(text)
    return match.group().lower() if match else None


def _national_phone(digits: str, *, plus: bool) -> str | None:
    """Canonical Belarus or Russia number, if ``digits`` are exactly one."""
    if digits.startswith("375"):
        return f"+{digits}" if len(digits) == 12 else None
    if len(digits) != 11:
        return None
    if plus:
        return f"+{digits}" if digits[0] == "7" else None
    if digits.startswith("80"):  # Belarus dialled at home: 8 029 123-45-67
        return f"+375{digits[2:]}"
    # Russian area and mobile codes start with 3, 4, 8 or 9; this keeps other numbers out.
    if digits[0] in "78" and digits[1] in "3489":
        return f"+7{digits[1:]}"
    return None


def _phone_from_groups(groups: list[str], *, plus: bool) -> str | None:
    # Trailing digit groups (a year, a count) may follow a number, so try each group boundary.
    prefixes = list(accumulate(groups))
    if plus and not prefixes[-1].startswith(("375", "7")):
        return next((f"+{p}" for p in reversed(prefixes) if 10 <= len(p) <= 15), None)
    phones = (_national_phone(prefix, plus=plus) for prefix in prefixes)
    return next((phone for phone in phones if phone), None)


def _find_phone(text: str) -> str | None:
    for match in _PHONE.finditer(text):
        groups = _DIGIT_GROUP.findall(match.group())
        for start in range(len(groups)):
            plus = start == 0 and match.group().startswith("+")
            phone = _phone_from_groups(groups[start:], plus=plus)
            if phone:
                return phone
    return None


def _find_telegram(text: str) -> str | None:
    for match in _TELEGRAM.finditer(text):
        handle = match.group("at") or match.group("link")
        if handle.lower() not in _NOT_HANDLES:
            return handle
    return None


def _telegram_value(value: str) -> str | None:
    """A Telegram field may hold the bare handle too."""
    bare = _BARE_HANDLE.fullmatch(value.strip())
    return bare.group(1) if bare else _find_telegram(value)


_CURRENCY = (
    r"(?:\$|€|₽|(?<![^\W\d_])(?:usd|eur|euro|евро|byn|rub|бел\.?\s?руб(?:л(?:ей|я|ь))?\.?"
    r"|руб(?:л(?:ей|я|ь))?\.?|долл(?:ар(?:ов|а)?)?\.?|dollars?)(?![^\W\d_]))"
)
_CODES = (
    ("USD", re.compile(r"\$|usd|долл|dollar", re.I)),
    ("EUR", re.compile(r"€|eur|евро", re.I)),
    ("BYN", re.compile(r"byn|бел", re.I)),
    ("RUB", re.compile(r"₽|rub|руб", re.I)),
)
_NUMBER = r"[0-9]{1,3}(?:[ \u00a0\u202f\u2009,.'][0-9]{3})+(?![0-9])|[0-9]+"
_AMOUNT = rf"(?<![0-9.,])(?:{_NUMBER})(?:[kк](?![^\W\d_]))?"
_AMOUNT_PARTS = re.compile(rf"(?<![0-9.,])({_NUMBER})([kк](?![^\W\d_]))?", re.I)
_MONEY = (
    rf"(?:(?P<pre>{_CURRENCY})[ \t]*)?"
    rf"(?P<amount>{_AMOUNT}(?:[ \t]*(?:-|–|—|до|to)[ \t]*{_AMOUNT})?)"
    rf"(?:[ \t]*(?P<post>{_CURRENCY}))?"
)
_SALARY_WORD = r"(?<!\w)(?:зп|з/п|зарплат\w*|оклад\w*|ожидани\w*|salary|expect\w*)"
_SALARY_AFTER_WORD = re.compile(
    rf"{_SALARY_WORD}[^\w\n$€₽]{{0,5}}(?:(?:от|from|около|about)[^\w\n$€₽]{{1,3}})?{_MONEY}",
    re.I,
)
_SALARY_WITH_CURRENCY = re.compile(_MONEY, re.I)


def _salary(match: re.Match[str], *, minimum: int = 0) -> str | None:
    """``"3000 USD"`` from a money match; None without a currency below ``minimum``."""
    numbers = [
        int(re.sub("[^0-9]", "", number)) * (1000 if thousands else 1)
        for number, thousands in _AMOUNT_PARTS.findall(match.group("amount"))
    ]
    currency = match.group("pre") or match.group("post")
    if not currency:
        return "-".join(map(str, numbers)) if numbers[0] >= minimum else None
    code = next(code for code, pattern in _CODES if pattern.match(currency))
    return f"{'-'.join(map(str, numbers))} {code}"


def _find_salary(text: str) -> str | None:
    # "зп 3000$" first: a bare amount counts only after a salary word (and from 100 up, so
    # that "зарплата обсуждается, опыт 5 лет" gives nothing), then any amount with a currency.
    for match in _SALARY_AFTER_WORD.finditer(text):
        salary = _salary(match, minimum=100)
        if salary:
            return salary
    for match in _SALARY_WITH_CURRENCY.finditer(text):
        if match.group("pre") or match.group("post"):
            return _salary(match)
    return None


def _salary_value(value: str) -> str | None:
    """A salary field may hold a bare amount too."""
    salary = _find_salary(value)
    if salary:
        return salary
    match = _SALARY_WITH_CURRENCY.search(value)
    return _salary(match) if match else None


def extract_contacts(text: str) -> Contacts:
    """The first email, phone, Telegram handle and salary in plain text (see ``strip_html``).

    - Email: lowercased.
    - Phone: Belarus (+375, 375, 80…) and Russia (+7, 7, 8…) numbers with any spaces, dashes
      or parentheses become ``+375XXXXXXXXX`` / ``+7XXXXXXXXXX``; other numbers written with
      ``+`` and 10-15 digits become ``+digits``.
    - Telegram: ``@handle`` (5-32 letters, digits or ``_``, starting with a letter; never the
      middle of an email) or ``t.me/handle``, ``telegram.me/handle``; the handle without ``@``.
    - Salary: an amount after a salary word ("зп", "зарплата", "ожидания", "salary"…), else the
      first amount with a currency before or after it. Thousands separators go, ``3k`` is
      3000, a range stays a range, the currency becomes a code (USD, EUR, BYN, RUB).
    """
    return Contacts(_find_email(text), _find_phone(text), _find_telegram(text), _find_salary(text))


_FIELD_RULES: tuple[tuple[str, re.Pattern[str], Callable[[str], str | None]], ...] = (
    ("email", re.compile(r"mail|почт|мейл", re.I), _find_email),
    ("phone", re.compile(r"phone|телефон|\bтел\b|mobile|мобильн", re.I), _find_phone),
    ("telegram", re.compile(r"telegram|телеграм|\btg\b|\bтг\b", re.I), _telegram_value),
    ("salary", re.compile(r"salary|зарплат|\bзп\b|з/п|ожидани|оклад|expect", re.I), _salary_value),
)


def contacts_from_fields(fields: Mapping[str, str]) -> Contacts:
    """Contacts from custom fields named like them, in Russian or English, ignoring case.

    - "Email", "E-mail", "Почта"; "Phone", "Телефон", "Тел."; "Telegram", "Телеграм", "TG";
      "Salary", "Зарплата", "ЗП", "Ожидания".
    - Values are read as in ``extract_contacts``; a Telegram field may also hold a bare handle,
      a salary field a bare amount. The first field that gives a value wins.
    """
    found: dict[str, str] = {}
    for name, value in fields.items():
        for kind, pattern, read in _FIELD_RULES:
            if kind not in found and pattern.search(name) and (parsed := read(value)):
                found[kind] = parsed
    return Contacts(**found)


def merge_contacts(*sources: Contacts) -> Contacts:
    """Per field, the first non-empty value; pass the most trusted source first."""
    merged = {
        item.name: next((value for s in sources if (value := getattr(s, item.name))), None)
        for item in fields(Contacts)
    }
    return Contacts(**merged)


# Nested blocks end together ("</li></ul></div>"): one line break for the whole run.
_LINE_BREAK = re.compile(
    r"<br\b[^<>]*>"
    r"|(?:</(?:p|li|div|h[1-6]|tr|ul|ol|table|blockquote|pre|section|article)\s*>\s*)+",
    re.I,
)
# An unclosed comment runs to the end, as in browsers; a lazy scan per "<!--" would be quadratic.
_TAG = re.compile(r"<!--.*?(?:-->|\Z)|<![^<>]*>|</?[A-Za-z][^<>]*>", re.S)


def strip_html(text: str) -> str:
    """Plain text of a description that may hold HTML.

    - ``<br>`` ends a line, and so does a run of ``</p>``, ``</li>``, ``</div>`` (headings,
      lists, rows) with the whitespace after it; other tags go.
    - Entities are decoded (``&amp;`` → ``&``) after the tags are gone.
    - Runs of blank lines become one empty line; blank lines at the start and the end (with
      the final newline) are dropped. Text without tags or entities changes in no other way.
    """
    if "<" in text:
        text = _TAG.sub("", _LINE_BREAK.sub("\n", text))
    if "&" in text:
        text = html.unescape(text)
    lines: list[str] = []
    after_blank = False
    for line in text.split("\n"):
        if not line.strip():
            after_blank = True
            continue
        if after_blank and lines:
            lines.append("")
        lines.append(line)
        after_blank = False
    return "\n".join(lines)


_PROFILE = re.compile(
    r"(?<![\w.-])(?:https?://)?(?P<site>(?:[a-z0-9-]+\.)?(?:linkedin\.com/in|rabota\.by/resume))"
    r"/(?P<slug>[^\s/?#\"'<>()\[\]{},;]+)",
    re.I,
)


def profile_links(text: str) -> list[str]:
    """LinkedIn (``linkedin.com/in/…``) and rabota.by (``rabota.by/resume/…``) profile URLs.

    In the order found, as ``https://`` URLs without query strings; the same profile written
    twice (in another case, on another subdomain such as ``www.``) is listed once.
    """
    links: list[str] = []
    seen: set[tuple[bool, str]] = set()
    for match in _PROFILE.finditer(text):
        site, slug = match.group("site").lower(), match.group("slug").rstrip(".!:")
        key = ("linkedin" in site, slug.lower())  # by.linkedin.com, minsk.rabota.by: the same
        if slug and key not in seen:
            seen.add(key)
            links.append(f"https://{site}/{slug}")
    return links


def choose_resume(card: CandidateCard) -> Attachment | None:
    """The first PDF attachment, if any."""
    return next((attachment for attachment in card.attachments if attachment.is_pdf), None)


def resume_or_link(card: CandidateCard) -> Attachment | str:
    """What Huntflow gets as the resume.

    - The first PDF attachment;
    - else the first LinkedIn or rabota.by link in the description, then in the custom field
      values (in their order);
    - else InvalidInput with details ``{"resume": [...]}``.
    """
    resume = choose_resume(card)
    if resume is not None:
        return resume
    for text in (card.description, *card.custom_fields.values()):
        links = profile_links(text)
        if links:
            return links[0]
    raise InvalidInput(
        "The card has no PDF resume and no LinkedIn or rabota.by link.",
        {"resume": ["Attach a PDF resume or add a LinkedIn or rabota.by profile link."]},
    )
