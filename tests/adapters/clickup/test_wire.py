"""ClickUp JSON read into port values: millisecond times, tolerant decoding of the documented
task shape, folderless lists, and options of dropdowns and labels."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hrhelper.adapters.clickup import _wire

# The task object of the wire reference, trimmed, with one of each kind of field.
TASK: dict[str, Any] = {
    "id": "9hx",
    "custom_id": None,
    "name": "Hire QA",
    "text_content": "plain text",
    "description": "plain text",
    "status": {"status": "in progress", "color": "#d3d3d3", "orderindex": 1, "type": "custom"},
    "date_created": "1567780450202",
    "date_updated": 1567780450202,
    "date_closed": None,
    "creator": {"id": 183, "username": "John Doe", "color": "#827718", "profilePicture": None},
    "assignees": [{"id": 183, "username": "John Doe", "email": "john@example.com"}, {}],
    "tags": [{"name": "urgent", "tag_fg": "#fff", "tag_bg": "#f00"}],
    "parent": None,
    "priority": {"id": "2", "priority": "high", "color": "#f8ae00", "orderindex": "2"},
    "due_date": None,
    "custom_fields": [
        {
            "id": "u1",
            "name": "Salary",
            "type": "currency",
            "value": 3000,
            "type_config": {"currency_type": "EUR"},
        },
        {
            "id": "u2",
            "name": "Stage",
            "type": "drop_down",
            "value": 0,
            "type_config": {"options": [{"id": "o1", "name": "New", "orderindex": 0}]},
        },
        {
            "id": "u3",
            "name": "Skills",
            "type": "labels",
            "value": ["l1"],
            "type_config": {"options": [{"id": "l1", "label": "Go", "color": None}]},
        },
        {"id": "u4", "name": "Notes", "type": "text", "type_config": {}},
    ],
    "list": {"id": "123"},
    "folder": {"id": "456"},
    "space": {"id": "789"},
    "url": "https://app.clickup.com/t/9hx",
    "attachments": [
        {
            "id": "62447c77-x.pdf",
            "date": 1711570108374,
            "title": "cv.pdf",
            "extension": "pdf",
            "mimetype": "application/pdf",
            "size": 140970,
            "url": "https://t1.p.clickup-attachments.com/cv.pdf",
        }
    ],
    "something_new": {"nested": True},
}


def test_the_documented_task_shape() -> None:
    task = _wire.task(TASK)
    assert (task.id, task.name, task.description, task.url) == (
        "9hx",
        "Hire QA",
        "plain text",
        "https://app.clickup.com/t/9hx",
    )
    assert task.created_at == task.updated_at == datetime(2019, 9, 6, 14, 34, 10, 202000, UTC)
    assert task.closed_at is None
    assert task.priority is not None
    assert (task.priority.level, task.priority.name) == (2, "high")
    assert [(u.id, u.name, u.email) for u in task.assignees] == [
        ("183", "John Doe", "john@example.com")
    ]
    assert task.creator is not None
    assert task.creator.id == "183"
    assert task.tags == ("urgent",)
    salary, stage, skills, notes = task.custom_fields
    assert (salary.value, salary.currency) == (3000, "EUR")
    assert [(o.id, o.name, o.orderindex) for o in stage.options] == [("o1", "New", 0)]
    assert (skills.value, [o.name for o in skills.options]) == (("l1",), ["Go"])
    assert notes.value is None
    (attachment,) = task.attachments
    assert (attachment.name, attachment.size) == ("cv.pdf", 140970)
    assert attachment.created_at == datetime(2024, 3, 27, 20, 8, 28, 374000, UTC)


def test_a_task_with_only_an_id() -> None:
    task = _wire.task({"id": "abc"})
    assert (task.id, task.name, task.status, task.priority, task.custom_fields) == (
        "abc",
        "",
        None,
        None,
        (),
    )


def test_a_folderless_list_names_no_folder() -> None:
    hidden = {
        "id": "1",
        "name": "Inbox",
        "folder": {"id": "9", "hidden": True},
        "space": {"id": "7"},
    }
    shown = {"id": "2", "name": "QA", "folder": {"id": "8", "hidden": False}, "task_count": "12"}
    assert (_wire.task_list(hidden).folder_id, _wire.task_list(hidden).space_id) == (None, "7")
    assert (_wire.task_list(shown).folder_id, _wire.task_list(shown).task_count) == ("8", 12)


def test_a_comment_without_comment_text_joins_its_parts() -> None:
    body = {"id": "5", "comment": [{"text": "Hello "}, {"text": "there"}], "date": "1568036964079"}
    comment = _wire.comment(body)
    assert comment is not None
    assert (comment.text, comment.author) == ("Hello there", None)
    assert _wire.comment({"id": "6", "comment_text": "undated"}) is None


@settings(deadline=None)
@given(
    st.datetimes(
        min_value=datetime(1971, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
    )
)
def test_millisecond_times_read_back_exactly(moment: datetime) -> None:
    moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    millis = round(moment.timestamp() * 1000)
    assert _wire.ms_time(str(millis)) == moment
    assert _wire.ms_time(millis) == moment
    assert _wire.ms_time(float(millis)) == moment
    assert _wire.ms_time(str(millis)).tzinfo is not None  # type: ignore[union-attr]


@settings(deadline=None)
@given(st.one_of(st.text(), st.none(), st.booleans(), st.floats(), st.integers()))
def test_any_value_is_a_time_or_nothing(value: object) -> None:
    found = _wire.ms_time(value)
    assert found is None or found.tzinfo is not None
    if value is None or isinstance(value, bool) or value == "":
        assert found is None


def test_field_values_are_frozen() -> None:
    frozen = _wire.freeze({"a": [1, {"b": [2]}]})
    assert frozen == {"a": (1, {"b": (2,)})}
    assert isinstance(frozen, type(_wire.freeze({})))
