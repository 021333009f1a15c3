"""Examples of the candidate card rules, on the kind of cards Belarusian and Russian recruiters
keep in ClickUp and Notion."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import UTC, datetime

import pytest

from hrhelper.domain.errors import InvalidInput
from hrhelper.domain.recruiting.card import Attachment, CandidateCard, CardComment, CardSource
from hrhelper.domain.recruiting.parsing import (
    Contacts,
    PersonName,
    choose_resume,
    contacts_from_fields,
    extract_contacts,
    merge_contacts,
    parse_name,
    profile_links,
    resume_or_link,
    strip_html,
)

PDF = Attachment("Иванов_CV.pdf", "https://files.example/1", "application/pdf", 120_000)
DOCX = Attachment(
    "cv.docx",
    "https://files.example/2",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)


def create_card(
    *,
    title: str = "Иванов Иван Иванович",
    description: str = "",
    custom_fields: Mapping[str, str] | None = None,
    attachments: tuple[Attachment, ...] = (),
) -> CandidateCard:
    return CandidateCard(
        source=CardSource.CLICKUP,
        source_id="86c0abc12",
        source_url="https://app.clickup.com/t/86c0abc12",
        title=title,
        description=description,
        status="new",
        custom_fields=custom_fields or {},
        attachments=attachments,
    )


# --- the card ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attachment", "is_pdf"),
    [
        (PDF, True),
        (Attachment("Resume.PDF", "u"), True),
        (Attachment("resume", "u", "Application/PDF; charset=binary"), True),
        (Attachment("scan.pdf.zip", "u", "application/zip"), False),
        (DOCX, False),
    ],
)
def test_an_attachment_is_a_pdf_by_its_type_or_its_name(
    attachment: Attachment, is_pdf: bool
) -> None:
    assert attachment.is_pdf is is_pdf


def test_an_attachment_size_cannot_be_negative() -> None:
    with pytest.raises(InvalidInput) as error:
        Attachment("cv.pdf", "u", size=-1)

    assert "size" in error.value.details


def test_a_card_needs_its_source_id() -> None:
    with pytest.raises(InvalidInput) as error:
        CandidateCard(CardSource.NOTION, "  ", "https://notion.so/x", "Петров", "")

    assert "source_id" in error.value.details


def test_a_card_keeps_its_own_read_only_copy_of_the_fields() -> None:
    # Given a card built from a dict (and, as an untyped adapter might, a list)
    fields = {"Телефон": "+375 29 123-45-67"}
    comment = CardComment("Ольга", "Созвонились", datetime(2024, 5, 1, tzinfo=UTC))
    comments: list[CardComment] = [comment]
    sut = CandidateCard(
        CardSource.NOTION,
        "p1",
        "u",
        "Петров",
        "",
        custom_fields=fields,
        comments=comments,  # type: ignore[arg-type]
    )

    # When the caller changes its dict afterwards
    fields["Телефон"] = "other"

    # Then the card is unchanged and cannot be changed through its own mapping
    assert sut.custom_fields == {"Телефон": "+375 29 123-45-67"}
    assert sut.comments == (comment,)
    with pytest.raises(TypeError):
        sut.custom_fields["Телефон"] = "x"  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        sut.title = "x"  # type: ignore[misc]


def test_card_sources_are_named_as_in_the_api() -> None:
    assert [source.value for source in CardSource] == ["clickup", "notion"]


# --- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Петров", PersonName("Петров")),
        ("Петров Пётр", PersonName("Петров", "Пётр")),
        ("Иванов Иван Иванович", PersonName("Иванов", "Иван", "Иванович")),
        ("  Иванов\u00a0 Иван\tИванович \n", PersonName("Иванов", "Иван", "Иванович")),
        ("«Иванов», Иван.", PersonName("Иванов", "Иван")),
        ("Петрова-Водкина Анна Сергеевна", PersonName("Петрова-Водкина", "Анна", "Сергеевна")),
        ("Сидоров Сергей Петрович Минск", PersonName("Сидоров", "Сергей", "Петрович")),
        ("Anna Petrova — Senior Python Developer", PersonName("Petrova", "Anna")),
        ("Anna Petrova - Senior Python Developer", PersonName("Petrova", "Anna")),
        ("Anna Petrova – Senior Python Developer", PersonName("Petrova", "Anna")),
        ("Anna Petrova—Senior Python Developer", PersonName("Petrova", "Anna")),
        ("Anna Petrova — Senior — Python", PersonName("Petrova", "Anna")),
        ("Иванов Иван Иванович — Python Developer", PersonName("Иванов", "Иван", "Иванович")),
        ("Anna — Senior Python Developer", PersonName("Anna")),
        ("— Anna Petrova Senior Developer", PersonName("Anna", "Petrova", "Senior")),
        # 3 words: the word-count rule applies, dash or not
        ("Петров — QA", PersonName("Петров", "QA")),
    ],
)
def test_a_name_is_read_from_the_title(title: str, expected: PersonName) -> None:
    assert parse_name(title) == expected


@pytest.mark.parametrize("title", ["", "   ", "—", "...", " - "])
def test_a_title_without_words_is_invalid(title: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_name(title)

    assert list(error.value.details) == ["title"]


def test_a_person_name_needs_a_last_name() -> None:
    with pytest.raises(InvalidInput):
        PersonName(" ", "Иван")


# --- contacts in text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("+375 (29) 123-45-67", "+375291234567"),
        ("Тел.: +375 29 1234567", "+375291234567"),
        ("375291234567", "+375291234567"),
        ("8 (029) 123-45-67", "+375291234567"),
        ("80441234567", "+375441234567"),
        ("8 (916) 123-45-67", "+79161234567"),
        ("+7 916 123 45 67", "+79161234567"),
        ("+7(916)123-45-67", "+79161234567"),
        ("7 495 123-45-67", "+74951234567"),
        ("89161234567", "+79161234567"),
        ("Poland: +48 22 123 45 67", "+48221234567"),
        ("+375 29 123 45 67 20 лет опыта", "+375291234567"),
        ("+7 916 123 45 67 8 лет опыта", "+79161234567"),
        ("Опыт 2015 2018 8 916 123 45 67", "+79161234567"),
    ],
)
def test_phones_are_normalised(text: str, phone: str) -> None:
    assert extract_contacts(text).phone == phone


@pytest.mark.parametrize(
    "text",
    [
        "ИНН 1234567890123",
        "2019-2023, 5 лет",
        "+375 29 123 45",  # too short
        "+7 916 123 45 678",  # 12 digits, and no group boundary after the 11th
        "ivan.79161234567@mail.ru",
        "https://rabota.by/resume/375291234567x",
    ],
)
def test_what_is_not_a_phone(text: str) -> None:
    assert extract_contacts(text).phone is None


def test_the_first_email_is_taken_lowercased() -> None:
    contacts = extract_contacts("Почта: Ivan.Petrov@Gmail.COM, запасная ivan@tut.by.")

    assert contacts.email == "ivan.petrov@gmail.com"


@pytest.mark.parametrize(
    ("text", "telegram"),
    [
        ("Telegram: @ivan_dev", "ivan_dev"),
        ("тг @Ivan_Dev.", "Ivan_Dev"),
        ("t.me/ivan_dev", "ivan_dev"),
        ("https://t.me/ivan_dev?start=1", "ivan_dev"),
        ("https://telegram.me/ivan_dev", "ivan_dev"),
        ("ivan_dev@mail.ru", None),
        ("@ivan", None),  # 4 characters: too short for Telegram
        ("@1ivan_dev", None),
        ("medium.com/@ivan_dev", None),
        ("t.me/joinchat/AAAAAEgh t.me/ivan_dev", "ivan_dev"),
    ],
)
def test_telegram_handles(text: str, telegram: str | None) -> None:
    assert extract_contacts(text).telegram == telegram


@pytest.mark.parametrize(
    ("text", "salary"),
    [
        ("зп 3000$", "3000 USD"),
        ("Ожидания: 2 500 USD", "2500 USD"),
        ("ЗП от 1 800 BYN", "1800 BYN"),
        ("Зарплатные ожидания — 150 000 руб.", "150000 RUB"),
        ("Salary: $3,000", "3000 USD"),
        ("Желаемый доход 2500 €", "2500 EUR"),
        ("ожидания 250 000 ₽ на руки", "250000 RUB"),
        ("1500 бел. руб.", "1500 BYN"),
        ("Готов на 2000-2500 EUR", "2000-2500 EUR"),
        ("зп 3k$", "3000 USD"),
        ("Ожидания: 4000", "4000"),
        ("Бюджет 5000$. Ожидания: 3000$", "3000 USD"),
        ("зарплата обсуждается, опыт 5 лет", None),
        ("Опыт 5 лет, 3 проекта", None),
    ],
)
def test_salaries_are_normalised(text: str, salary: str | None) -> None:
    assert extract_contacts(text).salary == salary


def test_all_contacts_from_a_realistic_description() -> None:
    # Given a description as a recruiter writes it
    text = strip_html(
        "<p><b>Иванов Иван</b>, Python</p><p>Тел: +375 (29) 123-45-67<br>"
        "E-mail: Ivan.Ivanov@Gmail.com<br>TG: @ivan_dev</p><p>Ожидания: 2 500 USD</p>"
    )

    # When the contacts are read
    contacts = extract_contacts(text)

    # Then every field is found and normalised
    assert contacts == Contacts("ivan.ivanov@gmail.com", "+375291234567", "ivan_dev", "2500 USD")


def test_nothing_is_found_in_a_text_without_contacts() -> None:
    assert extract_contacts("Сильный кандидат, рекомендую.") == Contacts()


# --- contacts in custom fields ----------------------------------------------------------------


def test_contacts_come_from_fields_named_like_them() -> None:
    fields = {
        "Источник": "LinkedIn, ivan@other.by",
        "E-mail": "IVAN@Example.BY",
        "Телефон": "8 (029) 123-45-67",
        "TG": "ivan_dev",
        "Зарплатные ожидания": "2500",
    }

    assert contacts_from_fields(fields) == Contacts(
        "ivan@example.by", "+375291234567", "ivan_dev", "2500"
    )


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"Почта": "anna@mail.ru"}, Contacts(email="anna@mail.ru")),
        ({"Email": "не указан", "Эл. почта": "anna@mail.ru"}, Contacts(email="anna@mail.ru")),
        ({"Phone": "+7 916 123 45 67"}, Contacts(phone="+79161234567")),
        ({"Тел.": "+375 44 765 43 21"}, Contacts(phone="+375447654321")),
        ({"Telegram": "https://t.me/anna_qa"}, Contacts(telegram="anna_qa")),
        ({"Телеграм": "@anna_qa"}, Contacts(telegram="anna_qa")),
        ({"Salary": "3000$"}, Contacts(salary="3000 USD")),
        ({"ЗП": "2 000 - 2 500 BYN"}, Contacts(salary="2000-2500 BYN")),
        ({"Ожидания": "от 1500"}, Contacts(salary="1500")),
        ({"Телеграм": "нет"}, Contacts()),
        ({"Статус": "+375 29 123 45 67"}, Contacts()),  # not a contact field by its name
    ],
)
def test_each_contact_field(fields: dict[str, str], expected: Contacts) -> None:
    assert contacts_from_fields(fields) == expected


def test_merge_takes_each_field_from_the_first_source_that_has_it() -> None:
    # Given contacts from the resume, the custom fields and the description, in that priority
    from_resume = Contacts(email="ivan@cv.by", phone=None, telegram="", salary=None)
    from_fields = Contacts(email="ivan@fields.by", phone="+375291234567")
    from_text = Contacts("ivan@text.by", "+79161234567", "ivan_dev", "3000 USD")

    # When they are merged
    merged = merge_contacts(from_resume, from_fields, from_text)

    # Then each field comes from the most trusted source that has it; "" counts as missing
    assert merged == Contacts("ivan@cv.by", "+375291234567", "ivan_dev", "3000 USD")


def test_merging_nothing_gives_empty_contacts() -> None:
    assert merge_contacts() == Contacts()


# --- HTML and links ---------------------------------------------------------------------------


def test_html_becomes_lines_of_plain_text() -> None:
    description = (
        "<div><h3>Кандидат</h3></div>\n<p>Опыт:&nbsp;5&nbsp;лет</p>"
        "<ul><li>Python &amp; Django</li><li>PostgreSQL</li></ul>"
        "<p><br></p><p><br/></p><p>Рекомендую&#33; &lt;3</p><!-- note -->"
    )

    assert strip_html(description) == (
        "Кандидат\nОпыт:\u00a05\u00a0лет\nPython & Django\nPostgreSQL\n\nРекомендую! <3"
    )


@pytest.mark.parametrize(
    "text",
    ["Иванов Иван\nPython, 5 лет", "зп > 2000$, если 2 < 3", "Один абзац.\n\nДругой абзац."],
)
def test_plain_text_passes_unchanged(text: str) -> None:
    assert strip_html(text) == text


def test_blank_lines_are_collapsed() -> None:
    assert strip_html("\n\nПервая\n\n\n  \nВторая\n\t\n") == "Первая\n\nВторая"


def test_profile_links_in_order_without_duplicates() -> None:
    text = (
        '<a href="https://www.linkedin.com/in/ivan-petrov/?trk=x">LinkedIn</a> '
        "и https://rabota.by/resume/2f1a0b9c, а также linkedin.com/in/Ivan-Petrov. "
        "Компания: https://www.linkedin.com/company/acme, https://minsk.rabota.by/resume/2f1a0b9c"
    )

    assert profile_links(text) == [
        "https://www.linkedin.com/in/ivan-petrov",
        "https://rabota.by/resume/2f1a0b9c",
    ]


def test_no_profile_links_in_plain_text() -> None:
    assert profile_links("Резюме пришлю позже, github.com/ivan") == []


# --- the resume -------------------------------------------------------------------------------


def test_the_first_pdf_is_the_resume() -> None:
    second_pdf = Attachment("cover.pdf", "https://files.example/3")
    card = create_card(attachments=(DOCX, PDF, second_pdf))

    assert choose_resume(card) == PDF
    assert resume_or_link(card) == PDF


def test_a_card_without_a_pdf_has_no_resume_file() -> None:
    assert choose_resume(create_card(attachments=(DOCX,))) is None


def test_without_a_pdf_the_description_link_is_used_before_the_fields() -> None:
    card = create_card(
        description="<p>Профиль: <a href='https://linkedin.com/in/anna-petrova'>тут</a></p>",
        custom_fields={"Резюме": "https://rabota.by/resume/abc123"},
        attachments=(DOCX,),
    )

    assert resume_or_link(card) == "https://linkedin.com/in/anna-petrova"


def test_without_a_pdf_or_a_description_link_a_field_link_is_used() -> None:
    card = create_card(
        description="Сильный кандидат",
        custom_fields={"Источник": "рекомендация", "Резюме": "rabota.by/resume/abc123"},
    )

    assert resume_or_link(card) == "https://rabota.by/resume/abc123"


def test_a_card_with_neither_a_pdf_nor_a_link_is_refused() -> None:
    card = create_card(description="См. вложение", attachments=(DOCX,))

    with pytest.raises(InvalidInput) as error:
        resume_or_link(card)

    assert error.value.message == "The card has no PDF resume and no LinkedIn or rabota.by link."
    assert list(error.value.details) == ["resume"]
