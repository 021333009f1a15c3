"""Messaging: Telegram chats through a bot.

Modules: ``model`` (TelegramChat, TelegramMessage, queries, the sync summary), ``telegram``
(TelegramService and its job). Nothing is re-exported here, so ports can import the model
without an import cycle.
"""
