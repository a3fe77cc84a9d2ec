"""The domain layer of publications: decisions take the actor, never the request."""
