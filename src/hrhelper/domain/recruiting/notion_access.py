"""A user's way into Notion: their own integration token, and the candidate card of a cached
page read fresh (the one thing a bulk import or a single transfer needs from Notion)."""

from __future__ import annotations

from dataclasses import dataclass

from hrhelper.domain.errors import InvalidInput, NotFound
from hrhelper.domain.identity.model import CredentialKind
from hrhelper.domain.recruiting.card import Attachment, CandidateCard
from hrhelper.domain.recruiting.notion import card_from_page
from hrhelper.ports.notion import NotionFile, PageSource, PageSources
from hrhelper.ports.notion_cache import NotionUnitOfWorkFactory
from hrhelper.ports.security import SecretBox
from hrhelper.ports.transfers import AttachmentFetcher

__all__ = ["MAX_FILE_BYTES", "FreshCard", "NotionAccess"]

MAX_FILE_BYTES = 20 * 1024 * 1024
_SET_IT_FIRST = (
    "Set your Notion integration token first: PATCH /api/users/{id}/ with "
    "notion_integration_token (notion.so/my-integrations → your integration → Secrets), and "
    "share the candidates' database with that integration."
)


@dataclass(frozen=True)
class FreshCard:
    """A page's card as Notion has it now, and how to download its attachments: through
    the user's Notion client, which refuses external links into private networks. Notion's
    file links expire within an hour, so transfer the card soon after reading it."""

    card: CandidateCard
    files: AttachmentFetcher


class _PageFiles(AttachmentFetcher):
    def __init__(self, source: PageSource, files: tuple[NotionFile, ...]) -> None:
        self._source = source
        self._by_url = {f.url: f for f in files}

    async def fetch(self, attachment: Attachment) -> bytes:
        file = self._by_url.get(attachment.url)
        if file is None:
            raise NotFound(f"The file {attachment.name!r} is not on the Notion page.")
        return (await self._source.download(file, max_bytes=MAX_FILE_BYTES)).content


class NotionAccess:
    """``source(user_id)`` is Notion with the user's token; ``card(user_id, page_id)`` the
    card of a page in the user's cache (another user's page is not found), read fresh from
    Notion: properties, body and files as they are now."""

    def __init__(
        self, uow_factory: NotionUnitOfWorkFactory, sources: PageSources, box: SecretBox
    ) -> None:
        self._uow_factory = uow_factory
        self._sources = sources
        self._box = box

    async def source(self, user_id: int) -> PageSource:
        async with self._uow_factory() as uow:
            stored = (await uow.credentials.of([user_id])).get(user_id, {})
        credential = stored.get(CredentialKind.NOTION_INTEGRATION_TOKEN)
        if credential is None:
            raise InvalidInput.for_fields(
                {"notion_integration_token": [_SET_IT_FIRST]}, "No Notion integration token."
            )
        return self._sources.connect(self._box.open(credential.ciphertext))

    async def card(self, user_id: int, page_id: str) -> FreshCard:
        async with self._uow_factory() as uow:
            cached = await uow.notion_pages.get(user_id, page_id)
        if cached is None:
            raise NotFound("Notion page not found in your cache.", {"page_id": page_id})
        source = await self.source(user_id)
        page = await source.page(cached.page_id)
        content = await source.page_text(cached.page_id)
        return FreshCard(card_from_page(page, content), _PageFiles(source, page.files))
