"""Gemini (generateContent REST API): the ``ChatModel`` port over plain httpx."""
