"""The batch processors that workers call: events in, entries moved, timers fired."""
