"""Drive the game window headless with synthetic pygame events on the small test front."""

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pygame  # noqa: E402
import pytest  # noqa: E402

from game.engine.units import COMMUNIST, UN  # noqa: E402
from game.ui.app import App  # noqa: E402

SMALL = Path(__file__).resolve().parent / "scenarios" / "small_front.yaml"


@pytest.fixture
def app(tmp_path):
    a = App(size=(1280, 800), save_dir=tmp_path, settings_file=False)
    a.settings["anim"] = "off"
    a.new_game(SMALL, "un", seed=7)
    for _ in range(3):          # the Communists move first: let the AI play its side
        a.frame()
    assert a.game.state.active_side == UN and a.human_to_move()
    yield a
    pygame.display.quit()


def click(a, h, button=1, mod=0):
    x, y = a.board.hex_centre(a.cam, h)
    pos = (int(round(x)), int(round(y)))
    a.handle_event(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
    a.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button))
    a.handle_event(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button, mod=mod))
    a.frame()


def key(a, k):
    a.handle_event(pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode=""))
    a.frame()


def click_button(a, label_rect_pred):
    a.frame()
    for rect, action in a._hits:
        if label_rect_pred(rect):
            a.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=rect.center, button=1))
            return True
    return False


def test_select_and_move(app):
    st = app.game.state
    u = st.units
    row = int(u.rows_on_map(UN)[0])
    start = int(u.hex[row])
    click(app, start)
    assert app.selected == [row]
    reach = app.game.reachable(u.ids[row])
    dest = int(np.nonzero(reach)[0][0])
    click(app, dest)
    assert int(u.hex[row]) == dest != start
    assert st.orders[-1]["type"] == "move"


def test_attack_with_odds_preview(app):
    st = app.game.state
    u = st.units
    g = st.map.grid
    # Move a UN unit next to a Communist one (through the UI), then attack it.
    enemy_hexes = {int(u.hex[r]) for r in u.rows_on_map(COMMUNIST)}
    best = None
    for row in u.rows_on_map(UN):
        reach, dist = app.reachable(int(row))
        for h in np.nonzero(reach)[0]:
            near = [e for e in enemy_hexes if g.distance(int(h), e) == 1]
            if near and (best is None or dist[h] < best[0]):
                best = (float(dist[h]), int(row), int(h), near[0])
    assert best is not None
    _, row, dest, target_hex = best
    click(app, int(u.hex[row]))
    click(app, dest)
    assert int(u.hex[row]) == dest
    enemies = [int(r) for r in u.at_hex(target_hex, COMMUNIST)]
    target = int(u.hex[enemies[0]])
    click(app, int(u.hex[row]))
    click(app, target)
    assert app.attack_target == target and int(row) in app.attackers
    od = app.odds()
    assert od is not None and len(od.outcomes) == 6
    n_orders = len(st.orders)
    key(app, pygame.K_a)
    assert len(st.orders) == n_orders + 1 and st.orders[-1]["type"] == "attack"
    assert app.last_combat is not None and app.attack_target == -1


def test_end_turn_runs_ai_and_autosaves(app, tmp_path):
    st = app.game.state
    turn = st.turn
    key(app, pygame.K_e)
    for _ in range(5):
        app.frame()
    assert st.turn == turn + 1
    assert st.active_side == UN and app.human_to_move()
    assert (tmp_path / "autosave.json").exists()


def test_quicksave_and_quickload_keep_the_hash(app, tmp_path):
    st = app.game.state
    row = int(st.units.rows_on_map(UN)[0])
    dest = int(np.nonzero(app.game.reachable(st.units.ids[row]))[0][0])
    click(app, int(st.units.hex[row]))
    click(app, dest)
    before = st.hash()
    key(app, pygame.K_F5)
    assert (tmp_path / "quicksave.json").exists()
    key(app, pygame.K_F9)
    assert app.game is not None and app.game.state is not st
    assert app.game.state.hash() == before
    assert app.humans == {UN}


def test_card_shown_and_dismissed(app):
    st = app.game.state
    st.fired.append({"id": "test_card", "title": "A test event", "date": "1950-06-25",
                     "text": "Something happened somewhere on the peninsula."})
    app.frame()
    assert app.modals and app.modals[0]["kind"] == "card"
    assert not app.can_order()
    # The modal's OK button is the only clickable thing while it is open.
    assert len(app._hits) == 1
    rect, _ = app._hits[0]
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=rect.center, button=1))
    app.frame()
    assert not app.modals and app.can_order()


def test_help_overlays_zoom_and_end_screen(app):
    key(app, pygame.K_h)
    assert app.modals[0]["kind"] == "help"
    key(app, pygame.K_ESCAPE)
    assert not app.modals
    for k in (pygame.K_s, pygame.K_z, pygame.K_c):
        key(app, k)
    assert app.show_supply and app.show_zoc and not app.board.show_control
    lvl = app.cam.level
    app.handle_event(pygame.event.Event(pygame.MOUSEMOTION, pos=app.board_rect.center, rel=(0, 0), buttons=(0, 0, 0)))
    app.handle_event(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1, flipped=False))
    assert app.cam.level == lvl + 1
    app.hover = int(app.game.state.units.hex[0])
    app.frame()                       # tooltip and overlays draw without error
    st = app.game.state
    st.result = {"winner": "un", "reason": "test", "vp": {"un": 3, "communist": 1}}
    app.frame()
    app.frame()
    assert app.mode == "end"


def test_menu_new_game_flow(tmp_path):
    a = App(size=(1280, 800), save_dir=tmp_path, settings_file=False)
    a.frame()
    assert a.mode == "menu"
    a.page = "new"
    a.new_choice["scenario"] = SMALL
    a.new_choice["side"] = "none"
    a.settings["anim"] = "off"
    a.frame()
    starts = [r for r, act in a._hits if getattr(act, "__name__", "") == "_start_from_menu"]
    assert starts
    a.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=starts[0].center, button=1))
    assert a.mode == "game" and a.humans == set()
    for _ in range(4):
        a.frame()
    assert a.game.state.turn >= 2       # AI against AI plays on by itself
    pygame.display.quit()
