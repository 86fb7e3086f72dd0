"""The GraphQL API (strawberry) and the Starlette app that serves it."""
