"""The bugs of issue 14, each through the window as a player meets it (headless)."""

import json

import numpy as np
import pygame

from game.engine.units import COMMUNIST, UN
from game.render.chrome import font
from game.rules.placement import where_is
from game.sim.saves import _checksum, load_session, save_game, save_info
from game.ui.app import App
from game.ui.modals.help import help_layout
from game.ui.screens.end import explain, headline, subtitle


def play_to_the_end(app, ui, limit=40):
    for _ in range(limit):
        if app.mode == "end":
            return
        if app.modals:
            ui.key(app, pygame.K_RETURN)
        elif app.human_to_move():
            ui.key(app, pygame.K_e)
        else:
            app.frame()
    raise AssertionError("the game did not end")


# 1 ------------------------------------------------------------------------------------------------
def test_game_ends_without_a_crash_when_the_computer_plays_the_last_phase(make_app, ui):
    app = make_app(side="communist")          # the UN (computer) moves last in every turn
    play_to_the_end(app, ui)
    st = app.game.state
    assert st.over and st.side_index == len(st.scenario.side_order)   # past the last side
    assert app.play.view_side() == COMMUNIST and not app.human_to_move()
    for _ in range(3):
        app.frame()
    assert app.mode == "end"


def test_watching_the_computer_play_itself_to_the_end(make_app, ui):
    app = make_app(side="none")
    play_to_the_end(app, ui)
    assert app.game.state.over


# 2 ------------------------------------------------------------------------------------------------
def test_a_finished_games_save_loads_to_its_end_screen(make_app, ui, small_game, next_turn, tmp_path):
    while not small_game.state.over:
        next_turn(small_game)
    with_session, without = tmp_path / "saves" / "end.json", tmp_path / "saves" / "old_end.json"
    save_game(small_game, with_session, session={"humans": ["un"]})
    save_game(small_game, without)
    app = make_app(scenario=None)
    assert app.load(without) and app.mode == "end"      # no session: nobody to move, no crash
    app.frame()
    assert app.load(with_session) and app.mode == "end" and app.humans == {UN}
    app.frame()
    app.to_menu()
    app.menu.page = "load"                              # and from the Load page
    ui.press(app, "")                                   # the newest save's row
    assert app.mode == "end" and app.game.state.over


def test_a_save_loaded_for_another_side_says_that_side_alone(make_app, small_game, tmp_path):
    # `play --load SAVE --side communist` on a save the UN's player made.
    path = tmp_path / "saves" / "un.json"
    save_game(small_game, path, session={"humans": ["un"]})
    app = make_app(scenario=None)
    assert app.load(path, {COMMUNIST}) and app.humans == {COMMUNIST}
    said = [t for t in app.play.log.texts() if "you command" in t]
    assert said == [f"{app.game.state.scenario.title}: you command Communists"]


# 3 ------------------------------------------------------------------------------------------------
def test_the_autosave_reloads_a_un_player_as_the_un(make_app, ui, tmp_path):
    app = make_app(side="un")
    turn = app.game.state.turn
    ui.key(app, pygame.K_e)
    for _ in range(4):
        app.frame()
    assert app.game.state.turn == turn + 1 and app.human_to_move()
    path = tmp_path / "saves" / "autosave-un.json"
    game, session = load_session(path)
    assert session["humans"] == ["un"]
    assert game.state.active_side == UN and game.state.phase == "operations"   # the UN's phase begins
    again = App(size=(1280, 800), save_dir=tmp_path / "saves", settings_file=False)
    assert again.load(path)
    assert again.humans == {UN} and again.human_to_move()


# 4 ------------------------------------------------------------------------------------------------
def test_the_opening_cards_are_shown(make_app, events_front):
    app = make_app(scenario=events_front)
    fired = [c["id"] for c in app.game.state.fired if c["turn"] == 0]
    assert fired
    assert [m.card["id"] for m in app.modals if m.kind == "card"] == fired


def test_the_opening_cards_of_the_campaign_are_shown(make_app):
    app = make_app(scenario="pusan_perimeter", size=(1024, 640))
    titles = [m.card.get("title") for m in app.modals if m.kind == "card"]
    assert "North Korea Invades the South" in titles


# 5 ------------------------------------------------------------------------------------------------
def test_the_tooltip_follows_the_camera_when_the_mouse_does_not_move(make_app, ui):
    app = make_app()
    gs = app.play
    pos = app.cam.viewport.center
    ui.move_to(app, pos)
    for k in (pygame.K_EQUALS, pygame.K_EQUALS, pygame.K_HOME, pygame.K_TAB, pygame.K_MINUS):
        before = gs.hover
        ui.key(app, k)
        assert gs.hover == app.cam.hex_at(pos), pygame.key.name(k)
    app.cam.zoom_by(3)
    app.cam.pan_px(300, 0)                      # what the arrow keys and the turn's re-centring do
    app.frame()
    assert gs.hover == app.cam.hex_at(pos) != before


# 6 ------------------------------------------------------------------------------------------------
def test_the_end_screen_explains_the_result_against_history(make_app, ui, small_game, next_turn, set_section):
    g = small_game
    set_section(g, "victory", {"benchmark": 30, "draw_margin": 1})
    while not g.state.over:
        next_turn(g)
    res = g.state.result
    vp = res["vp"]
    assert vp["un"] - vp["communist"] < 30              # the UN leads less than history did
    app = make_app(scenario=None)
    app.start_game(g, {UN})
    app.frame()
    assert app.mode == "end"
    lines = explain(res, 1.0)
    words = " ".join(lines)
    assert f"UN {vp['un']:g}" in words and "benchmark" in words and "30 VP ahead" in words
    assert "worse than history" in words and "Communist victory" in headline(res) and headline(res) in words
    # The charts: each on its own scale (the strongest value reaches the top), legends above.
    geo = app.end.geometry
    for name in ("ground", "strength"):
        plot, pts = geo[name]["plot"], geo[name]["points"]
        assert min(y for series in pts.values() for _, y in series) <= plot.top + 1
        assert not any(r.colliderect(plot) for r in geo[name]["legend"])


def test_the_end_screen_says_the_level_of_victory(make_app):
    res = {"winner": "un", "level": "decisive", "reason": "r", "vp": {"un": 5, "communist": 1},
           "benchmark": {"margin": 0}, "margin_vs_history": 4.0}
    assert headline(res) == "Decisive UN victory"
    words = " ".join(explain(res, 1.0, 3.0))
    assert "Decisive UN victory" in words and "and the 3 VP a decisive victory needs" in words


def test_the_end_screen_says_the_result_in_vp_against_history(make_app, ui, small_game, next_turn, set_section):
    g = small_game
    set_section(g, "victory", {"benchmark": 30, "draw_margin": 1, "decisive_margin": 2})
    while not g.state.over:
        next_turn(g)
    res = g.state.result
    app = make_app(scenario=None)
    app.start_game(g, {UN})
    app.frame()
    assert app.mode == "end"
    # Under the headline: the level, the winner and the margin against history, then why it ended.
    vs = abs(res["margin_vs_history"])
    assert app.end.subtitle == subtitle(res)
    assert app.end.subtitle.startswith(f"Communist decisive victory: {vs:g} VP better than history")
    assert res["reason"] in app.end.subtitle
    draw = {"winner": "draw", "level": "draw", "reason": "r", "margin_vs_history": -3.0,
            "summary": "Draw: 3 VP from history, within the draw margin"}
    assert subtitle(draw) == "Draw: 3 VP from history, within the draw margin (r)"
    outright = {"winner": "un", "level": "decisive", "reason": "the UN holds all North Korea",
                "margin_vs_history": None, "summary": "UN decisive victory: the UN holds all North Korea"}
    assert subtitle(outright) == outright["summary"]


# 7 ------------------------------------------------------------------------------------------------
def test_the_top_bar_never_runs_under_its_buttons(make_app, ui):
    for size in ((1024, 640), (1280, 800), (1920, 1080)):
        app = make_app(size=size, scenario="pusan_perimeter")
        for _ in range(len(app.modals)):
            ui.key(app, pygame.K_RETURN)
        info = app.play.layout_info
        right = min(r.left for r in info["buttons"])
        assert info["items"] and all(r.right <= right for r in info["items"]), size
        assert len(info["items"]) >= 4                  # title, date, turn, side at least


def test_the_panels_stop_above_the_minimap(make_app, ui):
    app = make_app(size=(1024, 640))
    gs = app.play
    u = app.game.state.units
    ui.click(app, int(u.hex[u.rows_on_map(UN)[0]]))
    assert gs.selected
    info = gs.layout_info
    assert len(info["panels"]) >= 2
    assert not any(r.colliderect(info["minimap"]) for r in info["panels"])


def test_the_help_fits_above_its_close_button():
    pygame.font.init()
    for w, h in ((1024, 640), (1280, 800), (1920, 1080)):
        lay = help_layout(w, h)
        assert lay["text_bottom"] <= lay["close"].top
        assert lay["box"].top >= 0 and lay["close"].bottom <= min(h, lay["box"].bottom)
        last = lay["lines"][-1]
        assert last[3][1] + len(last[1]) * lay["line_h"] <= lay["close"].top
        assert font(lay["size"]).get_height() >= 13


def test_town_names_are_not_covered_by_counters(make_app, put, hx):
    app = make_app(size=(1280, 800))
    g = app.game
    st = g.state
    b, cam = app.board, app.cam
    put(g, "red_tanks", 3, 5)                            # on Northtown
    put(g, "red_1", 3, 6)                                # and where its name would go
    cam.zoom_by(2)
    cam.centre_on(hx(g, 3, 5))
    app.frame()
    stacks = b.draw_units(app.screen, cam)
    drawn = dict(b.draw_places(app.screen, cam, stacks))
    north = next(i for i, p in enumerate(st.map.places) if p.name == "Northtown")
    assert north in drawn
    assert drawn[north].collidelist(list(stacks.values())) < 0


def test_the_camera_stays_on_the_map(make_app):
    app = make_app()
    cam, b = app.cam, app.board
    cam.zoom_by(5)
    w, h = b.world_km_size()
    for dx, dy in ((10 ** 6, 0), (-(10 ** 6), 0), (0, 10 ** 6), (0, -(10 ** 6))):
        cam.pan_px(dx, dy)
        x1, y1, x2, y2 = cam.visible_km()
        assert b.x0 - 1e-6 <= x1 and x2 <= b.x0 + w + 1e-6
        assert b.y0 - 1e-6 <= y1 and y2 <= b.y0 + h + 1e-6
    cam.fit()
    cam.pan_px(10 ** 6, 10 ** 6)
    assert (cam.cx, cam.cy) == b.world_km_centre()      # a map smaller than the view stays centred


# 8 ------------------------------------------------------------------------------------------------
def test_the_last_combat_says_where_and_goes(make_app):
    app = make_app()
    gs = app.play
    st = app.game.state
    target = int(st.units.hex[st.units.rows_on_map(COMMUNIST)[0]])
    gs.on_event("combat", {"target": target, "odds": "2:1", "die": 5, "result": "D1", "attacker_lost": 0,
                           "defender_lost": 1})
    app.frame()
    assert where_is(st.map, target) in gs.combat_note["head"]
    shown = len(gs.layout_info["panels"])
    app.frame(dt=7.0)
    app.frame()
    assert len(gs.layout_info["panels"]) == shown - 1


def test_landing_and_shipping_say_why_not_before_asking_for_a_target(make_app, ui, sea_game, put, hx, end_phase):
    g = sea_game()
    put(g, "blue_2", 9, 2)                       # in Westport, but not prepared for a landing
    end_phase(g, "communist")
    app = make_app(scenario=None)
    app.start_game(g, {UN})
    app.frame()
    gs = app.play
    ui.click(app, hx(g, 9, 2))
    ui.key(app, pygame.K_l)
    assert gs.input.name == "select" and "has not prepared" in gs.log.texts()[-1]
    g.state.units.mp[g.state.units.index_of("blue_2")] = 0
    app.play.invalidate()
    ui.key(app, pygame.K_p)
    assert gs.input.name == "select" and "no movement left" in gs.log.texts()[-1]


def test_an_air_mission_asks_before_it_commits_the_moves(make_app, ui, monkeypatch):
    from game.rules import air
    monkeypatch.setattr(air, "weather_air_factor", lambda game, hexes=None: np.ones(
        np.size(hexes) if hexes is not None else game.state.map.n))
    app = make_app()
    gs = app.play
    st = app.game.state
    u = st.units
    air.air_state(st)["turn"]["un"].update({"capacity": 3, "available": 3, "flown": 0})
    row = int(u.rows_on_map(UN)[0])
    ui.click(app, int(u.hex[row]))
    ui.click(app, int(np.nonzero(app.game.reachable(u.ids[row]))[0][0]))
    assert gs.can_undo()
    ui.key(app, pygame.K_f)
    enemy = int(u.hex[u.rows_on_map(COMMUNIST)[0]])
    ui.click(app, enemy)
    assert app.modals and app.modals[0].kind == "confirm" and air.missions_left(st, UN) == 3
    ui.key(app, pygame.K_RETURN)
    assert not app.modals and air.missions_left(st, UN) == 2 and not gs.can_undo()


def test_the_log_keeps_the_order_things_happened_in_and_scrolls(make_app, ui):
    app = make_app()
    gs = app.play
    gs.say("first, from the window")
    app.game.state.say("then the game")
    gs.say("last, from the window")
    texts = gs.log.texts()
    assert texts[-3] == "first, from the window" and texts[-2].endswith("then the game")
    assert texts[-1] == "last, from the window"
    for i in range(30):
        gs.say(f"line {i}")
    app.frame()
    newest = [t for t, _ in gs.log.window(4)]
    ui.wheel(app, gs.log_rect.center, 1)
    ui.wheel(app, gs.log_rect.center, 1)
    assert gs.log.back == 2 and [t for t, _ in gs.log.window(4)] != newest
    ui.key(app, pygame.K_PAGEDOWN)
    assert gs.log.back == 0


def test_the_load_page_lists_every_save(make_app, ui, small_game, tmp_path):
    folder = tmp_path / "saves"
    for i in range(12):
        save_game(small_game, folder / f"game{i:02d}.json", session={"humans": ["un"]})
    app = make_app(scenario=None)
    app.menu.page = "load"
    app.frame()
    rows = app.menu.browser.rows()
    assert len(rows) == 12
    shown = app.menu.browser.rows_shown
    assert shown < 12
    for _ in range(12):
        ui.wheel(app, app.menu.browser.list_rect.center, -1)
    assert app.menu.browser.scroll.top == 12 - shown
    rowbuttons = [r for r, _, label in app.hits if label == "" and app.menu.browser.list_rect.contains(r)]
    assert len(rowbuttons) == shown
    ui.click_at(app, rowbuttons[-1].center)
    assert app.mode == "game"


def test_no_stale_line_says_the_computer_is_moving(make_app, ui):
    app = make_app()
    ui.key(app, pygame.K_e)
    for _ in range(4):
        app.frame()
    assert app.human_to_move()
    texts = app.play.log.texts()
    assert not any("are moving" in t for t in texts)
    assert any(t.startswith("Communists played:") for t in texts)


def test_save_info_names_the_side_to_move(small_game, tmp_path):
    save_game(small_game, tmp_path / "s.json")
    assert save_info(tmp_path / "s.json")["side"] == "communist"
    doc = json.loads((tmp_path / "s.json").read_text())
    del doc["side"]
    doc["checksum"] = _checksum(doc)
    (tmp_path / "s.json").write_text(json.dumps(doc))
    assert save_info(tmp_path / "s.json")["side"] is None


def test_the_tooltip_stays_clear_of_the_panels_beside_the_board(make_app, ui):
    from game.ui.panels.tooltip import tooltip_rect
    app = make_app(scenario="pusan_perimeter")
    app.modals.clear()                                                # the opening cards
    gs = app.play
    app.frame()
    column = pygame.Rect(gs.layout_info["panels"][0]).unionall([pygame.Rect(r) for r in gs.layout_info["panels"]])
    # The mouse on the board just left of the column of panels, level with its top ("Your turn").
    ui.move_to(app, (column.left - 30, column.top + 20))
    app.frame()
    assert gs.hover >= 0
    box = tooltip_rect(gs, app.screen.get_size(), 220, 160)      # room on the right: over the panels
    assert not box.colliderect(column) and box.collidelist(gs.ui_rects) < 0
    assert box.right <= column.left                                   # it went to the left of the mouse
