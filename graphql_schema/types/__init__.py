"""GraphQL types, each built from a model by `from_model`, so every exposed field is chosen."""
