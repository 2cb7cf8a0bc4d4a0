"""Modal panels: one at a time, on top of every screen; while one is open, clicks and keys go
to it alone (``App.modals`` is the queue, the first is shown)."""
