"""Notion API: the ``PageSource`` port over plain httpx.

- ``client.NotionClient`` — one integration token: database query, pages, block text, files;
- ``connector`` — a client per user token, and the pacing (about 3 requests/s per token,
  shared through Redis; the limiter classes are Huntflow's, reused);
- ``_wire`` — pure JSON → port values, properties to plain values.
"""
