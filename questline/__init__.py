"""The composition root: the `questline` command wires backend, API and workers."""
