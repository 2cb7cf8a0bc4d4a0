"""Drive the game window headless with synthetic pygame events on the small test front."""

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pygame  # noqa: E402
import pytest  # noqa: E402

from game.engine.units import COMMUNIST, UN  # noqa: E402
from game.scenario.schema import FogOfWar
from game.ui.app import App  # noqa: E402
from game.ui.modals.help import HELP_LINES  # noqa: E402
from game.ui.panels.support import status_lines  # noqa: E402

SMALL = Path(__file__).resolve().parent / "scenarios" / "small_front.yaml"


@pytest.fixture
def app(tmp_path):
    a = App(size=(1280, 800), save_dir=tmp_path, settings_file=False)
    a.settings["anim"] = "off"
    a.settings["warn_end_turn"] = False
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
    for rect, _action, _label in a.hits:
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
    assert app.play.selected == [row]
    reach = app.game.reachable(u.ids[row])
    dest = int(np.nonzero(reach)[0][0])
    click(app, dest)
    assert int(u.hex[row]) == dest != start
    assert st.orders[-1]["type"] == "move"


def test_attack_with_odds_preview(app):
    st = app.game.state
    u = st.units
    # Move a UN unit next to a Communist one (through the UI), then attack it.
    row, dest, target_hex = _move_next_to_enemy(app)
    enemies = [int(r) for r in u.at_hex(target_hex, COMMUNIST)]
    target = int(u.hex[enemies[0]])
    click(app, int(u.hex[row]))
    click(app, target)
    assert app.play.attack_target == target and int(row) in app.play.attackers
    od = app.play.odds()
    assert od is not None and len(od.outcomes) == 6
    n_orders = len(st.orders)
    key(app, pygame.K_a)
    assert len(st.orders) == n_orders + 1 and st.orders[-1]["type"] == "attack"
    assert app.play.combat_note is not None and app.play.attack_target == -1


def test_end_turn_runs_ai_and_autosaves(app, tmp_path):
    st = app.game.state
    turn = st.turn
    key(app, pygame.K_e)
    for _ in range(5):
        app.frame()
    assert st.turn == turn + 1
    assert st.active_side == UN and app.human_to_move()
    assert (tmp_path / "autosave-un.json").exists()


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
    assert app.modals and app.modals[0].kind == "card"
    assert not app.play.can_order()
    # The modal's OK button is the only clickable thing while it is open.
    assert len(app.hits) == 1
    rect, _, _ = app.hits[0]
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=rect.center, button=1))
    app.frame()
    assert not app.modals and app.play.can_order()


def test_help_overlays_zoom_and_end_screen(app):
    key(app, pygame.K_h)
    assert app.modals[0].kind == "help"
    key(app, pygame.K_ESCAPE)
    assert not app.modals
    for k in (pygame.K_s, pygame.K_z, pygame.K_c):
        key(app, k)
    assert app.play.overlays.supply and app.play.overlays.zoc and not app.board.show_control
    lvl = app.cam.level
    app.handle_event(pygame.event.Event(pygame.MOUSEMOTION, pos=app.cam.viewport.center, rel=(0, 0), buttons=(0, 0, 0)))
    app.handle_event(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1, flipped=False))
    assert app.cam.level == lvl + 1
    app.mouse = tuple(int(v) for v in app.board.hex_centre(app.cam, int(app.game.state.units.hex[0])))
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
    a.menu.page = "new"
    a.menu.new_choice["scenario"] = SMALL
    a.menu.new_choice["side"] = "none"
    a.settings["anim"] = "off"
    a.frame()
    starts = [r for r, act, _ in a.hits if getattr(act, "__name__", "") == "start_from_menu"]
    assert starts
    a.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=starts[0].center, button=1))
    assert a.mode == "game" and a.humans == set()
    for _ in range(4):
        a.frame()
    assert a.game.state.turn >= 2       # AI against AI plays on by itself
    pygame.display.quit()


def _move_next_to_enemy(app):
    """Move a UN unit (through the UI) to the cheapest hex next to a Communist unit."""
    st = app.game.state
    u = st.units
    g = st.map.grid
    enemy_hexes = {int(u.hex[r]) for r in u.rows_on_map(COMMUNIST)}
    best = None
    for row in u.rows_on_map(UN):
        reach, dist = app.play.reachable(int(row))
        for h in np.nonzero(reach)[0]:
            near = [e for e in enemy_hexes if g.distance(int(h), e) == 1]
            if near and (best is None or dist[h] < best[0]):
                best = (float(dist[h]), int(row), int(h), near[0])
    assert best is not None
    _, row, dest, target_hex = best
    click(app, int(u.hex[row]))
    click(app, dest)
    assert int(u.hex[row]) == dest
    return row, dest, target_hex


def test_undo_with_u_and_ctrl_z_restores_the_hash(app):
    st = app.game.state
    u = st.units
    row = int(u.rows_on_map(UN)[0])
    start = int(u.hex[row])
    before, owner_before = st.hash(), st.owner.copy()
    assert not app.play.can_undo()
    click(app, start)
    dest = int(np.nonzero(app.game.reachable(u.ids[row]))[0][-1])
    click(app, dest)
    assert int(u.hex[row]) == dest and app.play.can_undo()
    app.board.owner_version()
    key(app, pygame.K_u)
    assert int(u.hex[row]) == start and st.hash() == before
    assert (st.owner == owner_before).all()
    assert any("Move taken back" in m for m in app.play.log.texts())
    assert app.play.selected == [row] and not app.play.can_undo()
    # The reachable shading is recomputed from the restored position.
    reach, dist = app.play.cached(f"reach{row}", lambda: app.play.reachable(row))
    assert (reach == app.game.reachable(u.ids[row])).all()
    # Ctrl+Z does the same; plain Z still toggles the zones of control.
    click(app, dest)
    assert int(u.hex[row]) == dest
    app.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_z, mod=pygame.KMOD_LCTRL, unicode=""))
    app.frame()
    assert int(u.hex[row]) == start and st.hash() == before and not app.play.overlays.zoc
    # Nothing left: the reason goes to the log. The Undo button is there but inactive.
    key(app, pygame.K_u)
    assert "no move to take back" in app.play.log.texts()[-1]
    assert any(k == "U or Ctrl+Z" for k, _ in HELP_LINES)


def test_undo_button_and_not_after_attack(app):
    st = app.game.state
    u = st.units
    row, dest, target_hex = _move_next_to_enemy(app)
    app.frame()
    undo_buttons = [r for r, act, _ in app.hits if act == app.play.undo]
    assert undo_buttons
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=undo_buttons[0].center, button=1))
    app.frame()
    assert int(u.hex[row]) != dest
    row, dest, target_hex = _move_next_to_enemy(app)
    click(app, int(u.hex[row]))
    click(app, target_hex)
    key(app, pygame.K_a)
    assert st.orders[-1]["type"] == "attack"
    assert not app.play.can_undo()
    key(app, pygame.K_u)
    assert "no move to take back" in app.play.log.texts()[-1]


def _fog_on(app, sight=1):
    scenario = app.game.state.scenario
    scenario.config = scenario.config.model_copy(update={"fog_of_war": FogOfWar(enabled=True, sight=sight)})
    app.frame()


def test_fog_hides_far_enemies_but_not_adjacent_ones(app, tmp_path):
    st = app.game.state
    u = st.units
    g = st.map.grid
    assert app.play.fog_side() is None
    all_shown = set(app.board.drawn_units())
    assert any(u.side[r] == COMMUNIST for r in all_shown)
    _fog_on(app)
    assert app.play.fog_side() == UN
    row, dest, target_hex = _move_next_to_enemy(app)
    app.play.cancel()
    app.frame()
    near = int(u.at_hex(target_hex, COMMUNIST)[0])
    un_hexes = [int(u.hex[r]) for r in u.rows_on_map(UN)]
    far = [int(r) for r in u.rows_on_map(COMMUNIST)
           if min(int(g.distance(int(u.hex[r]), h)) for h in un_hexes) > 1 and st.owner[u.hex[r]] != UN]
    assert far
    drawn = app.board.drawn_units()
    assert near in drawn
    assert not set(far) & set(drawn)
    assert all(int(r) in drawn or len(u.at_hex(int(u.hex[r]))) > 3 for r in u.rows_on_map(UN))
    # The tooltip and the unit panel do not list them; clicking a hidden hex offers no attack.
    far_hex = int(u.hex[far[0]])
    assert len(app.play.seen_rows(u.at_hex(far_hex))) == 0
    click(app, int(u.hex[row]))
    click(app, far_hex)
    assert app.play.attack_target == -1
    click(app, int(u.hex[row]))
    click(app, target_hex)
    assert app.play.attack_target == target_hex
    app.play.cancel()
    app.mouse = tuple(int(v) for v in app.board.hex_centre(app.cam, far_hex))
    app.frame()
    pygame.image.save(app.screen, str(tmp_path / "fog.png"))
    # Computed once per state: the same array until something changes.
    assert app.play.visible() is app.play.visible()


def test_no_fog_for_hot_seat_or_ai_watching(app):
    _fog_on(app)
    app.humans = {UN, COMMUNIST}
    assert app.play.fog_side() is None
    app.humans = set()
    assert app.play.fog_side() is None
    app.humans = {COMMUNIST}
    assert app.play.fog_side() == COMMUNIST


def test_changing_the_sides_commanded_says_so(app):
    # As after `play --load SAVE --side communist`: the log's command line follows the change.
    said = app.play.log.texts
    app.humans = {COMMUNIST}
    assert said()[-1].endswith("you command Communists")
    app.humans = {UN, COMMUNIST}
    assert said()[-1].endswith("you command UN Command and Communists")
    n = len(said())
    app.humans = {COMMUNIST, UN}         # the same sides: nothing new to say
    assert len(said()) == n
    app.humans = set()
    assert said()[-1].endswith("you command nobody (AI against AI)")


def test_fog_hides_enemy_moves_from_the_animation(app):
    _fog_on(app)
    st = app.game.state
    u = st.units
    g = st.map.grid
    app.settings["anim"] = "normal"
    seen = app.play.visible()
    red = int(u.rows_on_map(COMMUNIST)[0])
    hidden = [int(h) for h in np.nonzero(~seen & st.map.land)[0]]
    shown = [int(h) for h in np.nonzero(seen & st.map.land)[0]]
    a, b = hidden[0], int(next(n for n in g.neighbors[hidden[0]] if n >= 0))
    app.play.on_event("move", {"unit": u.ids[red], "path": [a, b], "from": a})
    assert not app.play.anim.queue                      # wholly in the fog: not animated
    c = next(h for h in shown if any(n >= 0 and seen[n] for n in g.neighbors[h]))
    d = int(next(n for n in g.neighbors[c] if n >= 0 and seen[n]))
    app.play.on_event("move", {"unit": u.ids[red], "path": [a, c, d], "from": a})
    assert [x["path"] for x in app.play.anim.queue] == [[c, d]]   # only the part the UN can see
    app.play.anim.skip()
    app.frame()
    # And a real AI turn under fog: every animated enemy step is on a hex the UN saw.
    key(app, pygame.K_e)
    for x in app.play.anim.queue:
        if x["kind"] == "move" and u.side[x["row"]] == COMMUNIST:
            assert len(x["path"]) > 1


def test_camera_comes_back_to_the_players_front_after_the_ai_turn(app, monkeypatch):
    from game.rules.movement import zone_of_control
    monkeypatch.setattr(pygame.mouse, "get_focused", lambda: False)   # no edge scrolling
    st = app.game.state
    app.cam.zoom_by(4)                          # close enough that the small map overflows the view
    app.cam.cx, app.cam.cy = 0.0, 0.0          # look away, as after following an AI combat
    app.cam.clamp()
    away = (app.cam.cx, app.cam.cy)
    key(app, pygame.K_e)                        # end the turn: the AI plays, the UN's next turn begins
    for _ in range(5):
        app.frame()
    assert app.human_to_move() and st.active_side == UN
    u = st.units
    rows = u.rows_on_map(UN)
    contact = rows[zone_of_control(st.map, u, COMMUNIST)[u.hex[rows]]]
    rows = contact if contact.size else rows
    want = (float(np.median(st.map.grid.x_km[u.hex[rows]])), float(np.median(st.map.grid.y_km[u.hex[rows]])))
    got = (app.cam.cx, app.cam.cy)
    app.cam.cx, app.cam.cy = want
    app.cam.clamp()                             # the expected centre, kept inside the map
    assert got == (app.cam.cx, app.cam.cy) != away


def test_air_missions_from_keys_and_clicks(app, monkeypatch):
    from game.rules import air
    monkeypatch.setattr(air, "weather_air_factor", lambda game, hexes=None: np.ones(np.size(hexes) if hexes is not None
                                                                                  else game.state.map.n))
    st = app.game.state
    u = st.units
    air.air_state(st)["turn"]["un"].update({"capacity": 3, "available": 3, "flown": 0})
    enemy = int(u.hex[u.rows_on_map(COMMUNIST)[0]])
    key(app, pygame.K_f)
    assert app.play.input.name == "cas"
    click(app, enemy)
    flown = [m for m in air.air_state(st)["missions"] if m["side"] == "un"]
    assert [(m["mission"], m["target"]) for m in flown] == [("cas", enemy)]
    assert air.missions_left(st, UN) == 2 and app.play.input.name == "cas"   # stays on for the next one
    key(app, pygame.K_i)
    assert app.play.input.name == "interdiction"
    rules = app.game.rule(air.AirRules)
    for toll, said in (({"un": 0.3}, True), ({}, False)):      # the hint names the toll where there is one
        rules.cfg = rules.cfg.model_copy(update={"interdiction": rules.cfg.interdiction.model_copy(
            update={"attrition": toll})})
        assert ("may lose strength" in app.play.input.hint()) is said
    click(app, enemy)
    assert air.missions_left(st, UN) == 1
    assert any(m["mission"] == "interdiction" for m in air.air_state(st)["missions"])
    key(app, pygame.K_ESCAPE)
    assert app.play.input.name == "select"
    assert any(line.startswith("Air missions: 1 left") for line in status_lines(app.play))


def test_support_modes_say_why_they_cannot_start(app):
    from game.rules import air
    st = app.game.state
    air.air_state(st)["turn"]["un"].update({"available": 0, "flown": 0})
    key(app, pygame.K_f)
    assert app.play.input.name == "select"
    assert "no air missions left" in app.play.log.texts()[-1]
    app.play.selected = []
    key(app, pygame.K_l)
    assert app.play.input.name == "select" and "select a unit" in app.play.log.texts()[-1]


def test_ship_a_unit_between_ports_with_p_and_a_click(app, tmp_path, end_phase, hx, put, sea_game):
    g = sea_game()                      # the small front with Westport and sea lift
    put(g, "blue_2", 9, 2)                       # in Westport
    end_phase(g, "communist")
    app.start_game(g, {UN})
    app.frame()
    _st, u = g.state, g.state.units
    row, westport, harbour = u.index_of("blue_2"), hx(g, 9, 2), hx(g, 11, 2)
    click(app, westport)                         # select the unit in the port
    assert app.play.selected == [row]
    key(app, pygame.K_p)
    assert app.play.input.name == "ship"
    assert app.play.input.targets()[harbour]        # the port it can sail to is shown
    click(app, harbour)
    assert u.hex[row] == harbour and u.mp[row] == 0
    assert app.play.input.name == "select" and "Sea transport: done" in app.play.log.texts()[-1]


def test_land_a_prepared_unit_with_l_and_a_click(app, tmp_path, hx, prepared_in_westport, sea_game):
    g = sea_game("  landing: {chance: 1.0, max_chance: 1.0}\n")
    row = prepared_in_westport(g)
    app.start_game(g, {UN})
    app.frame()
    st, u = g.state, g.state.units
    beach = hx(g, 2, 2)
    click(app, hx(g, 9, 2))
    key(app, pygame.K_l)
    assert app.play.input.name == "land" and app.play.input.targets()[beach]
    click(app, beach)
    assert u.hex[row] == beach and st.owner[beach] == UN
    assert app.play.input.name == "select"
