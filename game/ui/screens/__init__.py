"""The window's screens: the menu (with the new-game, load and settings pages), the game, and
the end of a game."""
