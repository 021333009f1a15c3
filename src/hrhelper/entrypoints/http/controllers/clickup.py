"""ClickUp: the user's settings, browsing their workspace, the cached tasks and syncs (HR
managers and admins; everything is the caller's own)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from hrhelper.domain.recruiting.clickup_model import TaskListQuery
from hrhelper.domain.recruiting.clickup_sync import ClickUpService
from hrhelper.entrypoints.http.auth import current_user, staff_only
from hrhelper.entrypoints.http.openapi_errors import errors
from hrhelper.entrypoints.http.pagination import Page, PageParams
from hrhelper.entrypoints.http.schemas.clickup import (
    ClickUpSettingsIn,
    ClickUpSettingsOut,
    HierarchyItemOut,
    LegacyTaskOut,
    SyncLogOut,
    SyncStartedOut,
    TaskOut,
)

__all__ = ["ClickUpController", "LegacyClickUpController"]

ClickUp = NamedDependency[ClickUpService]
AnyRequest = Request[Any, Any, Any]
Id = Annotated[str, QueryParameter(max_length=64)]
_STARTED = "Синхронизация запущена"
_LEGACY_LIMIT = 100


def _me(request: AnyRequest) -> int:
    return current_user(request).pk


def _items(items: list[Any]) -> list[HierarchyItemOut]:
    return [HierarchyItemOut(item.id, item.name) for item in items]


class ClickUpController(Controller):
    path = "/api/v1/clickup-int"
    tags = ["ClickUp"]  # noqa: RUF012 - Litestar reads class attributes
    guards = [staff_only]  # noqa: RUF012 - Litestar reads class attributes

    @get("/settings/", operation_id="clickup_settings_get")
    async def get_settings(self, request: AnyRequest, clickup: ClickUp) -> ClickUpSettingsOut:
        """The caller's ClickUp settings (``configured: false`` before the first save)."""
        return ClickUpSettingsOut.of(await clickup.settings(_me(request)))

    @post("/settings/", status_code=200, operation_id="clickup_settings_save")
    async def save_settings(
        self, request: AnyRequest, data: JSONBody[ClickUpSettingsIn], clickup: ClickUp
    ) -> ClickUpSettingsOut:
        """Save the path to the candidates' list and the sync options."""
        return ClickUpSettingsOut.of(await clickup.save_settings(_me(request), data.command()))

    @post(
        "/settings/test-connection/",
        status_code=200,
        operation_id="clickup_test_connection",
        responses=errors(400, 502),
    )
    async def test_connection(self, request: AnyRequest, clickup: ClickUp) -> dict[str, Any]:
        """Check the caller's ClickUp key: answers the workspaces it can see."""
        teams = await clickup.teams(_me(request))
        return {
            "success": True,
            "message": "Соединение с ClickUp установлено",
            "teams": _items(teams),
        }

    @get("/path-options/", operation_id="clickup_path_options", responses=errors(400, 502))
    async def path_options(self, request: AnyRequest, clickup: ClickUp) -> dict[str, Any]:
        """The teams (workspaces) to start the path from."""
        return {"teams": _items(await clickup.teams(_me(request)))}

    @get("/spaces/", operation_id="clickup_spaces", responses=errors(400, 502))
    async def spaces(
        self, request: AnyRequest, clickup: ClickUp, team_id: Id = ""
    ) -> list[HierarchyItemOut]:
        """The spaces of a team."""
        return _items(await clickup.spaces(_me(request), team_id))

    @get("/folders/", operation_id="clickup_folders", responses=errors(400, 404, 502))
    async def folders(
        self, request: AnyRequest, clickup: ClickUp, space_id: Id = ""
    ) -> list[HierarchyItemOut]:
        """The folders of a space."""
        return _items(await clickup.folders(_me(request), space_id))

    @get("/lists/", operation_id="clickup_lists", responses=errors(400, 502))
    async def lists(
        self, request: AnyRequest, clickup: ClickUp, folder_id: Id = "", space_id: Id = ""
    ) -> list[HierarchyItemOut]:
        """The lists of a folder (``folder_id``) or the folderless lists of a space."""
        return _items(await clickup.lists(_me(request), folder_id, space_id))

    @get("/tasks/", operation_id="clickup_tasks_list")
    async def tasks(
        self,
        request: AnyRequest,
        clickup: ClickUp,
        pages: NamedDependency[PageParams],
        search: Annotated[str, QueryParameter(max_length=200)] = "",
        status: Annotated[str | None, QueryParameter(max_length=100)] = None,
        priority: Annotated[str | None, QueryParameter(max_length=32)] = None,
        sort: Annotated[str, QueryParameter(max_length=32)] = "-date_updated",
    ) -> Page[TaskOut]:
        """The caller's cached tasks: ``search`` in the name, ``status``, ``priority``,
        ``sort`` by date_updated, date_created, name, status or priority (``-`` descending)."""
        query = TaskListQuery(search, status, priority, sort, pages.offset, pages.limit)
        count, tasks = await clickup.tasks(_me(request), query)
        return Page.build(request, pages, count, [TaskOut.of(t) for t in tasks])

    @get("/tasks/{task_id:str}/", operation_id="clickup_tasks_detail")
    async def task(self, request: AnyRequest, task_id: FromPath[str], clickup: ClickUp) -> TaskOut:
        """One cached task, by its ClickUp id."""
        return TaskOut.of(await clickup.task(_me(request), task_id))

    @post(
        "/sync-tasks/",
        status_code=202,
        operation_id="clickup_sync_tasks",
        responses=errors(400),
    )
    async def sync_tasks(self, request: AnyRequest, clickup: ClickUp) -> SyncStartedOut:
        """Queue a sync of the configured list; follow it in ``sync-logs``."""
        log = await clickup.start_sync(_me(request))
        return SyncStartedOut(True, _STARTED, log.id or 0, log.status.value)

    @post("/clear-cache/", status_code=200, operation_id="clickup_clear_cache")
    async def clear_cache(self, request: AnyRequest, clickup: ClickUp) -> dict[str, Any]:
        """Drop every cached task of the caller."""
        deleted = await clickup.clear_cache(_me(request))
        return {"success": True, "message": "Кэш задач ClickUp очищен", "deleted": deleted}

    @get("/sync-logs/", operation_id="clickup_sync_logs")
    async def sync_logs(
        self, request: AnyRequest, clickup: ClickUp, pages: NamedDependency[PageParams]
    ) -> Page[SyncLogOut]:
        """The caller's syncs, newest first."""
        count, logs = await clickup.sync_logs(_me(request), pages.offset, pages.limit)
        return Page.build(request, pages, count, [SyncLogOut.of(log) for log in logs])


class LegacyClickUpController(Controller):
    """The older paths: a bare list of cached tasks and starting a sync."""

    path = "/api/clickup"
    tags = ["ClickUp"]  # noqa: RUF012 - Litestar reads class attributes
    guards = [staff_only]  # noqa: RUF012 - Litestar reads class attributes

    @get("/tasks/", operation_id="clickup_legacy_tasks")
    async def tasks(self, request: AnyRequest, clickup: ClickUp) -> list[LegacyTaskOut]:
        """The caller's cached tasks, the 100 changed most recently."""
        _, tasks = await clickup.tasks(_me(request), TaskListQuery(limit=_LEGACY_LIMIT))
        return [LegacyTaskOut.of(t) for t in tasks]

    @post(
        "/sync/",
        status_code=202,
        operation_id="clickup_legacy_sync",
        responses=errors(400),
    )
    async def sync(self, request: AnyRequest, clickup: ClickUp) -> SyncStartedOut:
        """Queue a sync of the configured list."""
        log = await clickup.start_sync(_me(request))
        return SyncStartedOut(True, _STARTED, log.id or 0, log.status.value)
