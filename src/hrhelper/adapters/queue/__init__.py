"""Job queues: dramatiq over Redis, or in-process for the embedded default."""
