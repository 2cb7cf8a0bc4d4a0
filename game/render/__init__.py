"""Rendering with pygame (the only package besides game.ui that may import pygame)."""
