"""A ClickUp task read as a candidate card: examples of each field type, and properties that
hold for any task, any dropdown and any set of comments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from types import MappingProxyType

from hypothesis import given, settings
from hypothesis import strategies as st

from hrhelper.domain.recruiting.card import Attachment, CardSource
from hrhelper.domain.recruiting.clickup import card_from_task, field_text
from hrhelper.domain.recruiting.parsing import contacts_from_fields
from hrhelper.ports.clickup import (
    FieldOption,
    FieldValue,
    Task,
    TaskAttachment,
    TaskComment,
    TaskField,
    TaskStatus,
    TaskUser,
)

MINSK = timezone(timedelta(hours=3))
STAGES = (FieldOption("opt-a", "Screening", 0), FieldOption("opt-b", "Offer", 1))
SKILLS = (FieldOption("lab-py", "Python"), FieldOption("lab-sql", "SQL"))
ANNA = TaskUser("183", "Anna Recruiter", "anna@example.com")


def ms(moment: datetime) -> str:
    return str(int(moment.timestamp() * 1000))


def create_task(**changes: object) -> Task:
    values: dict[str, object] = {
        "id": "86c0abc12",
        "name": "Смирнова Ольга — QA",
        "url": "https://app.clickup.com/t/86c0abc12",
        "description": "Опыт 5 лет",
        "status": TaskStatus("interview", "custom"),
        **changes,
    }
    return Task(**values)  # type: ignore[arg-type]


# -- examples ----------------------------------------------------------------------------


def test_a_task_with_every_kind_of_field_reads_as_a_recruiter_sees_it() -> None:
    available = datetime(2026, 6, 1, tzinfo=MINSK)  # ClickUp keeps a date as local midnight
    task = create_task(
        custom_fields=(
            TaskField("1", "Stage", "drop_down", 1, STAGES),
            TaskField("2", "Skills", "labels", ("lab-sql", "lab-py"), SKILLS),
            TaskField("3", "Email", "email", "olga@example.com"),
            TaskField("4", "Phone", "phone", "+375 29 765-43-21"),
            TaskField("5", "Salary", "currency", "3000.00", currency="USD"),
            TaskField("6", "Available from", "date", ms(available)),
            TaskField("7", "Remote", "checkbox", True),
            TaskField("8", "Relocation", "checkbox", "false"),
            TaskField("9", "Rating", "emoji", 4),
            TaskField("10", "Interviewers", "users", (MappingProxyType({"username": "Oleg"}),)),
            TaskField(
                "11", "Progress", "manual_progress", MappingProxyType({"percent_completed": 40})
            ),
            TaskField("12", "Notes", "text"),  # unset
            TaskField("13", "Nickname", "short_text", "   "),  # empty
            TaskField("14", "Years", "number", 5.0),
        ),
        attachments=(
            TaskAttachment("a1", "cv.pdf", "https://files.example/cv.pdf", "application/pdf", 120),
            TaskAttachment("a2", "broken", ""),  # no link: nothing to download
        ),
    )
    card = card_from_task(task, tz=MINSK)
    assert dict(card.custom_fields) == {
        "Stage": "Offer",
        "Skills": "SQL, Python",
        "Email": "olga@example.com",
        "Phone": "+375 29 765-43-21",
        "Salary": "3000 USD",
        "Available from": "2026-06-01",
        "Remote": "yes",
        "Relocation": "no",
        "Rating": "4",
        "Interviewers": "Oleg",
        "Progress": "40%",
        "Years": "5",
    }
    assert list(card.custom_fields)[:3] == ["Stage", "Skills", "Email"]  # ClickUp's order
    assert (card.source, card.source_id, card.source_url) == (
        CardSource.CLICKUP,
        "86c0abc12",
        "https://app.clickup.com/t/86c0abc12",
    )
    assert (card.title, card.description, card.status, card.rejected) == (
        "Смирнова Ольга — QA",
        "Опыт 5 лет",
        "interview",
        False,
    )
    assert card.attachments == (
        Attachment("cv.pdf", "https://files.example/cv.pdf", "application/pdf", 120),
    )
    # and the parsing rules find the contacts in the fields
    contacts = contacts_from_fields(card.custom_fields)
    assert contacts.email == "olga@example.com"


def test_a_date_with_a_time_keeps_the_time_in_the_recruiters_zone() -> None:
    moment = datetime(2026, 6, 1, 7, 30, tzinfo=UTC)
    field = TaskField("1", "Interview", "date", ms(moment))
    assert field_text(field, tz=MINSK) == "2026-06-01 10:30"
    assert field_text(field) == "2026-06-01 07:30"


def test_a_dropdown_given_by_option_id_or_unknown_index() -> None:
    assert field_text(TaskField("1", "Stage", "drop_down", "opt-a", STAGES)) == "Screening"
    assert field_text(TaskField("1", "Stage", "drop_down", "1", STAGES)) == "Offer"
    assert field_text(TaskField("1", "Stage", "drop_down", 7, STAGES)) == "7"


def test_two_fields_with_one_name_share_an_entry() -> None:
    task = create_task(
        custom_fields=(
            TaskField("1", "Phone", "phone", "+375 29 111-11-11"),
            TaskField("2", "Phone", "phone", "+375 29 222-22-22"),
        )
    )
    assert dict(card_from_task(task).custom_fields) == {
        "Phone": "+375 29 111-11-11; +375 29 222-22-22"
    }


def test_comments_and_attachments_given_apart_win_and_are_dated() -> None:
    first = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    comments = [
        TaskComment("2", "Сильный кандидат", ANNA, first + timedelta(hours=2)),
        TaskComment("1", "Первый звонок", None, first),
        TaskComment("3", "  ", ANNA, first + timedelta(hours=3)),  # blank: left out
    ]
    extra = [TaskAttachment("a9", "resume.docx", "https://files.example/r.docx")]
    card = card_from_task(create_task(), comments, extra)
    assert [(c.author, c.text, c.created_at) for c in card.comments] == [
        ("", "Первый звонок", first),
        ("Anna Recruiter", "Сильный кандидат", first + timedelta(hours=2)),
    ]
    assert [a.name for a in card.attachments] == ["resume.docx"]


def test_a_rejection_status_marks_the_card_rejected() -> None:
    for status in ("Rejected", "Отказ", "declined by candidate"):
        assert card_from_task(create_task(status=TaskStatus(status, "closed"))).rejected
    assert not card_from_task(create_task(status=None)).rejected


def test_markdown_is_the_description_when_there_is_no_plain_text() -> None:
    card = card_from_task(create_task(description="", markdown="**Senior** QA"))
    assert card.description == "**Senior** QA"


# -- properties --------------------------------------------------------------------------

json_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
)
field_values: st.SearchStrategy[FieldValue] = st.recursive(
    json_leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(st.sampled_from(["name", "username", "value", "x"]), inner, max_size=3).map(
            MappingProxyType
        ),
    ),
    max_leaves=8,
)
field_types = st.sampled_from(
    [
        "text",
        "drop_down",
        "labels",
        "date",
        "checkbox",
        "currency",
        "number",
        "emoji",
        "users",
        "tasks",
        "location",
        "manual_progress",
        "automatic_progress",
        "attachment",
        "something_new",
    ]
)
options = st.lists(
    st.builds(
        FieldOption, st.text(min_size=1, max_size=6), st.text(max_size=10), st.integers(0, 9)
    ),
    max_size=4,
).map(tuple)
fields = st.builds(
    TaskField,
    id=st.text(max_size=5),
    name=st.text(max_size=12),
    type=field_types,
    value=field_values,
    options=options,
    currency=st.one_of(st.none(), st.sampled_from(["USD", "EUR", "BYN"])),
)
moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
comments = st.builds(
    TaskComment,
    id=st.text(max_size=4),
    text=st.text(max_size=20),
    author=st.one_of(st.none(), st.just(ANNA)),
    created_at=moments,
)


@settings(deadline=None)
@given(fields)
def test_any_field_reads_as_text_or_nothing(field: TaskField) -> None:
    text = field_text(field)
    assert text is None or (isinstance(text, str) and text == text.strip() and text)


@settings(deadline=None)
@given(st.lists(fields, max_size=8))
def test_the_card_has_exactly_the_fields_that_read_as_text(task_fields: list[TaskField]) -> None:
    card = card_from_task(create_task(custom_fields=tuple(task_fields)))
    readable = [f for f in task_fields if field_text(f) is not None and f.name.strip()]
    assert list(card.custom_fields) == list(dict.fromkeys(f.name.strip() for f in readable))
    for name, value in card.custom_fields.items():
        parts = [field_text(f) for f in readable if f.name.strip() == name]
        assert value == "; ".join(p for p in parts if p is not None)


@settings(deadline=None)
@given(
    st.lists(st.text(min_size=1, max_size=10), min_size=1, max_size=6, unique=True),
    st.data(),
)
def test_a_dropdown_shows_the_name_of_the_chosen_option(
    names: list[str], data: st.DataObject
) -> None:
    # Given options in ClickUp's order, with ids unlike any index
    choices = tuple(FieldOption(f"opt-{n}", name, n) for n, name in enumerate(names))
    chosen = data.draw(st.sampled_from(choices))
    value = data.draw(st.sampled_from([chosen.orderindex, str(chosen.orderindex), chosen.id]))
    text = field_text(TaskField("f", "Stage", "drop_down", value, choices))
    assert text == (chosen.name.strip() or None)


@settings(deadline=None)
@given(st.lists(comments, max_size=10))
def test_comments_are_in_time_order_and_none_with_text_is_lost(
    task_comments: list[TaskComment],
) -> None:
    card = card_from_task(create_task(), task_comments)
    times = [c.created_at for c in card.comments]
    assert times == sorted(times)
    kept = sorted((c.text, c.created_at) for c in task_comments if c.text.strip())
    assert sorted((c.text, c.created_at) for c in card.comments) == kept


@settings(deadline=None)
@given(moments, st.sampled_from([UTC, MINSK, timezone(timedelta(hours=-5))]))
def test_a_midnight_date_reads_as_that_day_in_any_zone(moment: datetime, tz: timezone) -> None:
    local_midnight = moment.astimezone(tz).replace(hour=0, minute=0, second=0, microsecond=0)
    text = field_text(TaskField("d", "Start", "date", ms(local_midnight)), tz=tz)
    assert text == local_midnight.date().isoformat()
