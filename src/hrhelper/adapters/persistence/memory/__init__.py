"""In-memory persistence: the fakes the domain tests run on; same contract as the SQL one."""

from hrhelper.adapters.persistence.memory.uow import MemoryStore, MemoryUnitOfWork

__all__ = ["MemoryStore", "MemoryUnitOfWork"]
