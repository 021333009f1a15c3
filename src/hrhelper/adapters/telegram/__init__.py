"""Telegram Bot API: the ``Messenger`` port over plain httpx.

- ``client.TelegramBot`` — calls ``{base}/bot<token>/<method>``, retries, error translation;
- ``pacing`` — waits before each send so the bot stays under Telegram's flood limits;
- ``masking`` — keeps the token (it sits in the URL path) out of every log line.
"""
