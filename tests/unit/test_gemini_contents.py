"""The conversation Gemini receives, for any history: roles alternate, nothing is lost,
duplicated or reordered, and the new message comes last, once."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from hrhelper.adapters.gemini.client import contents_for
from hrhelper.ports.chat_model import ChatTurn

texts = st.one_of(st.just(""), st.just("  "), st.text(min_size=1, max_size=20))
turns = st.builds(ChatTurn, role=st.sampled_from(["user", "model"]), text=texts)
messages = st.text(min_size=1, max_size=20).filter(str.strip)


@given(history=st.lists(turns, max_size=12), message=messages)
def test_contents_keep_every_non_empty_turn_in_order_with_alternating_roles(
    history: list[ChatTurn], message: str
) -> None:
    sut = contents_for(history, message)
    roles = [content["role"] for content in sut]
    assert all(a != b for a, b in itertools.pairwise(roles))
    assert roles[-1] == "user"
    assert all(content["parts"] for content in sut)
    sent = [(c["role"], part["text"]) for c in sut for part in c["parts"]]
    kept = [(t.role, t.text) for t in history if t.text.strip()]
    assert sent == [*kept, ("user", message)]
