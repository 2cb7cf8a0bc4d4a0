"""Panels of the game screen. Each draws itself in the room it is given (a rect) and returns
its bottom; a panel with no room left is not drawn (it returns the rect's top)."""
