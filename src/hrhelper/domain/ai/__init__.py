"""AI services: conversations with a chat model (Gemini) kept per user."""

from hrhelper.domain.ai.chat import ChatReply, ChatService
from hrhelper.domain.ai.model import ChatMessage, ChatSession, ChatSessionView

__all__ = ["ChatMessage", "ChatReply", "ChatService", "ChatSession", "ChatSessionView"]
