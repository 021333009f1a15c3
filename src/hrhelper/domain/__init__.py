"""The domain: entities, value objects, services and errors. Depends on ports only."""
