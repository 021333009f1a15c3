"""AI services: conversations with a chat model (Gemini) kept per user.

Modules: ``model`` (ChatSession, ChatMessage and the session read model), ``chat``
(ChatService). Nothing is re-exported here, so ports can import the model without an import
cycle.
"""
