"""Properties of the candidate card rules, for any title, phone format, text or priority."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from hrhelper.domain.errors import InvalidInput
from hrhelper.domain.recruiting.card import CandidateCard, CardSource
from hrhelper.domain.recruiting.parsing import (
    Contacts,
    PersonName,
    contacts_from_fields,
    extract_contacts,
    merge_contacts,
    parse_name,
    profile_links,
    resume_or_link,
    strip_html,
)

LETTERS = (
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЭЮЯabcdefghijklmnopqrstuvwxyzAZ"
)
CONTACTISH = "0123456789 +-()@._/:\n<>&;$€₽kкtmeзпUSDBYNРУБ" + "ivan"


def is_punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


# --- names ------------------------------------------------------------------------------------

simple_words = st.text(alphabet=LETTERS, min_size=1, max_size=10)
name_words = st.one_of(simple_words, st.builds("{}-{}".format, simple_words, simple_words))
spaces = st.sampled_from([" ", "  ", "\t", "\u00a0", " \n "])
edge_punctuation = st.sampled_from(["", "", ",", ".", "«", "»", "(", ")", "!", '"'])


@st.composite
def titles(draw: st.DrawFn, words: st.SearchStrategy[list[str]]) -> tuple[str, list[str]]:
    """A title and the words it is made of, decorated with spaces and punctuation."""
    chosen = draw(words)
    title = ""
    for word in chosen:
        title += draw(spaces) + draw(edge_punctuation) + word + draw(edge_punctuation)
    return title + draw(spaces), chosen


def parts(name: PersonName) -> list[str]:
    return [part for part in (name.last, name.first, name.middle) if part]


@given(titles(st.lists(name_words, min_size=1, max_size=8)))
def test_without_a_dash_the_first_three_words_are_last_first_middle(
    title_and_words: tuple[str, list[str]],
) -> None:
    title, words = title_and_words

    name = parse_name(title)

    # Whole words, in their order, without their edge punctuation: nothing lost, nothing added
    assert parts(name) == words[:3]


@given(
    titles(st.lists(name_words, min_size=1, max_size=4)),
    st.sampled_from([" - ", " – ", " — ", "—", "–", " -- "]),
    titles(st.lists(simple_words, min_size=1, max_size=4)),
)
def test_after_a_dash_the_job_title_is_ignored(
    head: tuple[str, list[str]], dash: str, job: tuple[str, list[str]]
) -> None:
    # Given "<name> — <job title>" with more than three words in all
    (head_title, head_words), (job_title, job_words) = head, job
    assume(len(head_words) + len(job_words) > 3)

    # When the name is read
    name = parse_name(head_title + dash + job_title)

    # Then two words before the dash are "First Last", any other count the usual order
    if len(head_words) == 2:
        assert name == PersonName(last=head_words[1], first=head_words[0])
    else:
        assert parts(name) == head_words[:3]


@given(st.text())
def test_parse_name_keeps_words_whole_and_refuses_only_titles_without_words(title: str) -> None:
    if all(char.isspace() or is_punctuation(char) for char in title):
        with pytest.raises(InvalidInput) as error:
            parse_name(title)
        assert list(error.value.details) == ["title"]
        return

    name = parse_name(title)

    assert name.last
    for part in parts(name):
        assert part in title
        assert not any(char.isspace() for char in part)
        assert not is_punctuation(part[0])
        assert not is_punctuation(part[-1])


# --- phones -----------------------------------------------------------------------------------

BELARUS_FORMATS: list[Callable[[str, str], str]] = [
    lambda code, n: f"+375 ({code}) {n[:3]}-{n[3:5]}-{n[5:]}",
    lambda code, n: f"+375 {code} {n[:3]} {n[3:5]} {n[5:]}",
    lambda code, n: f"+375{code}{n}",
    lambda code, n: f"375{code}{n}",
    lambda code, n: f"+375-{code}-{n[:3]}-{n[3:5]}-{n[5:]}",
    lambda code, n: f"+375 {code} {n}",
    lambda code, n: f"8 (0{code}) {n[:3]}-{n[3:5]}-{n[5:]}",
    lambda code, n: f"80{code}{n}",
]
RUSSIA_FORMATS: list[Callable[[str, str], str]] = [
    lambda code, n: f"+7 ({code}) {n[:3]}-{n[3:5]}-{n[5:]}",
    lambda code, n: f"+7 {code} {n[:3]} {n[3:5]} {n[5:]}",
    lambda code, n: f"+7{code}{n}",
    lambda code, n: f"7{code}{n}",
    lambda code, n: f"7 {code} {n[:3]}-{n[3:5]}-{n[5:]}",
    lambda code, n: f"8 ({code}) {n[:3]}-{n[3:5]}-{n[5:]}",
    lambda code, n: f"8{code}{n}",
    lambda code, n: f"8-{code}-{n[:3]}-{n[3:5]}-{n[5:]}",
]
seven_digits = st.text(alphabet="0123456789", min_size=7, max_size=7)
belarus_codes = st.sampled_from(["25", "29", "33", "44", "17"])  # A1, MTS, life:), Minsk
# Russian area and mobile codes start with 3, 4, 8 or 9.
russia_codes = st.builds(
    "{}{}".format, st.sampled_from("3489"), st.text(alphabet="0123456789", min_size=2, max_size=2)
)
around = st.sampled_from([("", ""), ("Тел: ", ", пишите в tg"), ("Телефон:\n", "\nОпыт 5 лет")])


@given(belarus_codes, seven_digits, around)
def test_every_belarus_format_gives_the_same_number(
    code: str, number: str, context: tuple[str, str]
) -> None:
    before, after = context
    for render in BELARUS_FORMATS:
        text = before + render(code, number) + after
        assert extract_contacts(text).phone == f"+375{code}{number}", text
        assert contacts_from_fields({"Телефон": text}).phone == f"+375{code}{number}"


@given(russia_codes, seven_digits, around)
def test_every_russia_format_gives_the_same_number(
    code: str, number: str, context: tuple[str, str]
) -> None:
    before, after = context
    for render in RUSSIA_FORMATS:
        text = before + render(code, number) + after
        assert extract_contacts(text).phone == f"+7{code}{number}", text
        assert contacts_from_fields({"Phone": text}).phone == f"+7{code}{number}"


# --- emails -----------------------------------------------------------------------------------

local_parts = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._%+-]{0,15}", fullmatch=True)
domains = st.from_regex(r"([A-Za-z0-9-]{1,10}\.){1,3}[A-Za-z]{2,6}", fullmatch=True)
emails = st.builds("{}@{}".format, local_parts, domains)
email_soup = st.lists(
    st.one_of(st.text(max_size=5), emails, st.sampled_from(["@", ".", "-", "ru", " ", "Ivan"]))
).map("".join)


@given(st.one_of(st.text(), st.text(alphabet=CONTACTISH), email_soup))
def test_an_email_found_is_in_the_text(text: str) -> None:
    email = extract_contacts(text).email

    if email is not None:
        assert email == email.lower()
        assert re.search(re.escape(email), text, re.IGNORECASE)


@given(st.text(alphabet=LETTERS + " ,:", max_size=20), emails, st.text(alphabet=LETTERS + " "))
def test_the_first_email_in_a_sentence_is_found(before: str, email: str, after: str) -> None:
    found = extract_contacts(f"{before} {email} {after} ivan@example.com").email

    assert found == email.lower()


# --- merging ----------------------------------------------------------------------------------

values = st.one_of(st.none(), st.just(""), st.text(min_size=1, max_size=5))
contacts = st.builds(Contacts, values, values, values, values)


@given(st.lists(contacts, max_size=5))
def test_merge_takes_every_field_from_the_first_source_that_has_it(
    sources: list[Contacts],
) -> None:
    merged = merge_contacts(*sources)

    for field in ("email", "phone", "telegram", "salary"):
        present = [getattr(s, field) for s in sources if getattr(s, field)]
        assert getattr(merged, field) == (present[0] if present else None)


@given(contacts, contacts, contacts)
def test_merging_in_steps_is_the_same_as_at_once(a: Contacts, b: Contacts, c: Contacts) -> None:
    at_once = merge_contacts(a, b, c)

    assert merge_contacts(merge_contacts(a, b), c) == at_once
    assert merge_contacts(a, merge_contacts(b, c)) == at_once


# --- HTML -------------------------------------------------------------------------------------

plain_lines = st.text(st.characters(exclude_characters="<&\n")).filter(str.strip)
blank_lines = st.lists(st.text(alphabet=" \t\r"), min_size=1, max_size=3)


@given(st.lists(plain_lines, min_size=1, max_size=6))
def test_plain_text_is_unchanged(lines: list[str]) -> None:
    text = "\n".join(lines)

    assert strip_html(text) == text


@given(st.lists(st.tuples(plain_lines, st.one_of(st.just([]), blank_lines)), min_size=1))
def test_runs_of_blank_lines_become_one_empty_line(chunks: list[tuple[str, list[str]]]) -> None:
    # Given lines with runs of blank lines after some of them, and blanks around the text
    text = "\n \n" + "\n".join("\n".join([line, *blanks]) for line, blanks in chunks) + "\n"

    # When it is stripped, the non-blank lines stay and each run leaves one empty line
    expected = ""
    for index, (line, blanks) in enumerate(chunks):
        expected += line
        if index < len(chunks) - 1:
            expected += "\n\n" if blanks else "\n"

    assert strip_html(text) == expected


# --- no surprises on any text -----------------------------------------------------------------

any_text = st.one_of(st.text(), st.text(alphabet=CONTACTISH))
PHONE = re.compile(r"\+[0-9]{10,15}")
HANDLE = re.compile(r"[A-Za-z][A-Za-z0-9_]{4,31}")
SALARY = re.compile(r"[0-9]+(-[0-9]+)?( (USD|EUR|BYN|RUB))?")


def assert_well_formed(found: Contacts) -> None:
    assert found.phone is None or PHONE.fullmatch(found.phone)
    assert found.telegram is None or HANDLE.fullmatch(found.telegram)
    assert found.salary is None or SALARY.fullmatch(found.salary)


@given(any_text)
def test_extract_contacts_never_raises_and_gives_canonical_values(text: str) -> None:
    assert_well_formed(extract_contacts(text))


@given(st.dictionaries(st.one_of(st.text(), st.sampled_from(["Телефон", "TG", "ЗП"])), any_text))
def test_contacts_from_fields_never_raises(fields: dict[str, str]) -> None:
    assert_well_formed(contacts_from_fields(fields))


@given(any_text)
def test_strip_html_never_raises_and_leaves_no_blank_edges(text: str) -> None:
    stripped = strip_html(text)

    assert "\n\n\n" not in stripped
    assert stripped == "" or (stripped.split("\n")[0].strip() and stripped.split("\n")[-1].strip())


@given(st.one_of(any_text, st.text(alphabet="linkedn.com/rabot.by/resume/ WwHhTtPpSs:-_")))
def test_profile_links_never_raise_and_are_distinct_profile_urls(text: str) -> None:
    links = profile_links(text)

    assert len(links) == len(set(links))
    for link in links:
        assert re.match(r"https://([a-z0-9-]+\.)?(linkedin\.com/in|rabota\.by/resume)/.", link)


@given(any_text, st.dictionaries(st.text(), any_text, max_size=3))
def test_resume_or_link_gives_a_link_or_the_documented_error(
    description: str, fields: dict[str, str]
) -> None:
    card = CandidateCard(
        CardSource.NOTION, "page", "u", "Петров", description, custom_fields=fields
    )

    links = [link for text in (description, *fields.values()) for link in profile_links(text)]

    if not links:
        with pytest.raises(InvalidInput) as error:
            resume_or_link(card)
        assert list(error.value.details) == ["resume"]
    else:
        assert resume_or_link(card) == links[0]


@pytest.mark.parametrize("title", ["", " \t\n", "— – -", "«»!?"])
def test_titles_of_only_spaces_and_punctuation_are_refused(title: str) -> None:
    with pytest.raises(InvalidInput):
        parse_name(title)
