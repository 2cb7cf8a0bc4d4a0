"""What hex wargame players ask of the window (issue 14), each through clicks and keys."""

import numpy as np
import pygame

from game.ai import registry
from game.ai.baseline import BaselineAI
from game.engine.units import COMMUNIST, UN
from game.render import tiles
from game.render.board import ZOOMS
from game.render.chrome import font, set_ui_scale
from game.render.counters import FACTORS_PX, factors
from game.rules.combat import attack_strength, defense_strength, threat
from game.sim.saves import save_info
from game.ui.modals.help import help_layout
from game.ui.panels.tooltip import tooltip_lines
from game.ui.screens.saves import describe


def texts(lines):
    return " | ".join(t for t, _ in lines)


def first_un(app):
    u = app.game.state.units
    return int(u.rows_on_map(UN)[0])


# --- enemy threat ----------------------------------------------------------------------------------
def test_the_threat_overlay_and_the_danger_in_the_tooltip(make_app, ui):
    app = make_app()
    gs = app.play
    st = app.game.state
    ui.key(app, pygame.K_t)
    assert gs.overlays.threat and "threat" in [la.key for la in gs.overlays.layers(gs)]
    rows = st.units.rows_on_map(COMMUNIST)
    want = threat(st, app.game.movement, rows, app.game.full_allowance(rows))
    assert (gs.overlays.enemy_threat(gs) == want).all()
    h = int(np.argmax(np.where(st.map.land, want, 0)))
    assert "Danger:" in texts(tooltip_lines(gs, h))
    safe = int(np.nonzero(st.map.land & (want == 0))[0][0])
    assert "Danger:" not in texts(tooltip_lines(gs, safe))
    ui.press(app, "Threat T")                  # the toolbar's button too
    assert not gs.overlays.threat


# --- hex information and the path preview -------------------------------------------------------------
def test_the_tooltip_gives_the_movement_cost_and_the_defence(make_app, ui):
    app = make_app()
    gs = app.play
    st = app.game.state
    row = first_un(app)
    ui.click(app, int(st.units.hex[row]))
    reach, dist = gs.reachable(row)
    h = int(np.nonzero(reach)[0][0])
    ui.hover(app, h)
    lines = texts(tooltip_lines(gs, gs.hover))
    assert f"{float(dist[gs.hover]):g} MP of" in lines and "Defence:" in lines
    own = int(st.units.hex[row])
    want = float(defense_strength(st, st.units.at_hex(own), own).sum())
    assert f"Defence strength here: {want:.1f}" in texts(tooltip_lines(gs, own))


def test_the_path_preview_counts_the_turns_beyond_reach(make_app, ui, hx):
    app = make_app()
    gs = app.play
    st = app.game.state
    row = first_un(app)
    ui.click(app, int(st.units.hex[row]))
    reach, _ = gs.reachable(row)
    far = hx(app.game, 1, 7) if not reach[hx(app.game, 1, 7)] else hx(app.game, 10, 10)
    app.cam.zoom_by(3)                           # the map bigger than the view: the hex can be centred
    path, turns = gs.plan(row, far)
    assert path[-1] == far and turns[-1] >= 1
    ui.hover(app, far)
    line = texts(tooltip_lines(gs, far))
    assert "gets there next turn" in line or f"gets there in {turns[-1]} turns" in line
    assert gs.input.preview[0] == path and gs.input.preview[1] == turns


# --- end-turn safety ------------------------------------------------------------------------------
def test_ending_the_turn_warns_about_idle_units(make_app, ui):
    app = make_app(warn=True)
    gs = app.play
    st = app.game.state
    moving, attacking = gs.idle()
    assert moving
    turn = st.turn
    ui.key(app, pygame.K_e)
    assert app.modals and app.modals[0].kind == "end_turn"
    assert (app.modals[0].moving, app.modals[0].attacking) == (len(moving), len(attacking))
    ui.key(app, pygame.K_n)                      # the next idle unit instead
    assert not app.modals and gs.selected and gs.selected[0] in moving + attacking
    # Skip every idle unit: the turn then ends without a word.
    for _ in range(20):
        if not gs.selected:
            break
        ui.key(app, pygame.K_SPACE)
        ui.key(app, pygame.K_n)
        if not any(gs.idle()):
            break
    assert not any(gs.idle())
    ui.key(app, pygame.K_e)
    for _ in range(3):
        app.frame()
    assert st.turn == turn + 1


def test_end_turn_anyway_from_the_warning(make_app, ui):
    app = make_app(warn=True)
    turn = app.game.state.turn
    ui.press(app, "End turn (E)")
    ui.press(app, "End turn (Enter)")
    for _ in range(3):
        app.frame()
    assert app.game.state.turn == turn + 1


# --- counters, front line, objectives, legend ---------------------------------------------------------
def test_counters_carry_their_factors_at_the_operational_zoom(make_app):
    app = make_app(size=(1280, 800))
    b, cam = app.board, app.cam
    assert b.counter_px(cam) >= FACTORS_PX               # the zoom a game opens at
    st = app.game.state
    row = first_un(app)
    a, d, m = factors(st, row)
    assert a == round(float(attack_strength(st, [row])[0])) and d == round(float(defense_strength(st, [row])[0]))
    assert m == int(st.rules.unit_types.movement[st.units.type[row]])
    assert b.counter(row, b.counter_px(cam)).get_size() == (b.counter_px(cam),) * 2
    cam.fit()
    assert b.counter_px(cam) >= 7


def test_the_front_line_is_bolder_than_the_38th_parallel(make_app):
    assert all(tiles.front_width(z) > tiles.parallel_width(z) for z in ZOOMS)
    app = make_app()
    b, cam = app.board, app.cam
    st = app.game.state
    front = (st.owner == UN)[:, None] & (st.owner[np.maximum(st.map.grid.neighbors, 0)] == COMMUNIST)
    assert front.any()
    tx, ty = b.tiles_at(cam, cam.level)[0]
    over = tiles.draw_control(b.tiles, cam.level, tx, ty)
    px = pygame.surfarray.pixels3d(over)
    assert (np.all(px == tiles.FRONT_COLOUR, axis=-1)).any()


def test_objectives_are_marked(make_app):
    app = make_app()
    app.cam.fit()
    app.frame()
    vp_places = {p.hex for p in app.game.state.map.places if p.vp}
    drawn = app.board.draw_objectives(app.screen, app.cam)
    assert {h for h, _ in drawn} == vp_places


def test_the_legend_from_its_key_and_its_button(make_app, ui):
    app = make_app(size=(1024, 640))
    gs = app.play
    ui.key(app, pygame.K_k)
    assert gs.show_legend
    legend = gs.layout_info["legend"]
    assert legend.h > 100 and not legend.colliderect(gs.log_rect)
    assert app.screen.get_rect().contains(legend)
    ui.press(app, "Legend K")
    assert not gs.show_legend


# --- turn review ---------------------------------------------------------------------------------
def test_review_steps_back_through_the_turns_and_forward_again(make_app, ui):
    app = make_app(side="both")
    gs = app.play
    g = app.game
    ui.key(app, pygame.K_e)                      # the Communists' phase
    row = first_un(app)
    ui.click(app, int(g.state.units.hex[row]))
    ui.click(app, int(np.nonzero(g.reachable(g.state.units.ids[row]))[0][0]))
    for _ in range(3):                           # the end of this turn, then the whole next one
        ui.key(app, pygame.K_e)
    assert len(g.unit_history) == 2
    ui.key(app, pygame.K_r)
    assert gs.input.name == "review" and gs.input.index == 1
    assert not gs.can_order()
    assert (app.board.state.units.hex[app.board.state.units.status == 0] >= 0).all()
    rec = g.unit_history[1]
    on = rec["hex"] >= 0
    assert (app.board.state.units.hex[: on.size][on] == rec["hex"][on]).all()
    assert (app.board.state.owner == g.owner_history[1]).all()
    ui.key(app, pygame.K_LEFT)
    assert gs.input.index == 0 and (app.board.state.owner == g.owner_history[0]).all()
    assert app.board.state.units.hex[row] == g.unit_history[0]["hex"][row]
    ui.press(app, "Later >")
    assert gs.input.index == 1
    ui.key(app, pygame.K_RIGHT)                  # past the last turn: back to the present
    assert gs.input.name == "select" and app.board.state is g.state
    ui.key(app, pygame.K_r)
    ui.key(app, pygame.K_HOME)
    ui.key(app, pygame.K_SPACE)                  # play the turns forward
    for _ in range(3):
        app.frame(dt=1.3)
    assert gs.input.index == 1 and not gs.input.playing
    ui.key(app, pygame.K_ESCAPE)
    assert gs.input.name == "select"


# --- saves ---------------------------------------------------------------------------------------
def test_named_save_and_the_save_browser(make_app, ui, tmp_path):
    app = make_app()
    ui.key(app, pygame.K_s, mod=pygame.KMOD_CTRL)
    assert app.modals and app.modals[0].kind == "save_as"
    app.modals[0].field.value = ""
    for ch in "Before the river":
        ui.key(app, pygame.K_a, unicode=ch)
    ui.key(app, pygame.K_RETURN)
    path = tmp_path / "saves" / "Before_the_river.json"
    info = save_info(path)
    assert info["session"]["humans"] == ["un"] and info["side"] == "un"
    head, tail = describe(info)
    assert app.game.state.scenario.title in head and f"turn {info['turn']}" in tail and "UN to move" in tail
    app.to_menu()
    ui.press(app, "Load game")
    assert any(p.name == "Before_the_river.json" for p, _, _ in app.menu.browser.rows())


def test_each_sides_turn_is_autosaved_in_hot_seat(make_app, ui, tmp_path):
    app = make_app(side="both")
    assert (tmp_path / "saves" / "autosave-communist.json").exists()
    ui.key(app, pygame.K_e)
    app.frame()
    assert (tmp_path / "saves" / "autosave-un.json").exists()
    assert save_info(tmp_path / "saves" / "autosave-un.json")["session"]["humans"] == ["un", "communist"]


# --- the end screen -------------------------------------------------------------------------------
def test_the_end_screen_shows_vp_by_category_the_charts_and_the_cards(make_app, ui, events_front, next_turn):
    app = make_app(scenario=events_front, side="none")
    for _ in range(60):
        if app.mode == "end":
            break
        if app.modals:
            ui.key(app, pygame.K_RETURN)
        app.frame()
    assert app.mode == "end"
    labels = ui.labels(app)
    assert "Review the turns" in labels and "Main menu" in labels
    assert set(app.end.geometry) == {"ground", "strength"}
    assert app.end.cards_rows >= 1
    ui.press(app, "Review the turns")
    assert app.mode == "game" and app.play.input.name == "review"
    ui.key(app, pygame.K_ESCAPE)
    app.frame()
    assert app.mode == "end"


# --- UI scale and the new-game page ----------------------------------------------------------------
def test_the_ui_scale_setting_makes_text_bigger_and_still_fits(make_app, ui):
    app = make_app(scenario=None, size=(1920, 1080))
    small = font(20).get_height()
    app.menu.page = "settings"
    ui.press(app, "1.5x")
    assert app.settings["ui_scale"] == 1.5 and font(20).get_height() > small
    lay = help_layout(1920, 1080)
    assert lay["text_bottom"] <= lay["close"].top
    app.new_game("pusan_perimeter", "un")
    app.frame()
    for _ in range(len(app.modals)):
        ui.key(app, pygame.K_RETURN)
    info = app.play.layout_info
    assert all(r.right <= min(b.left for b in info["buttons"]) for r in info["items"])
    set_ui_scale(1.0)


def test_the_new_game_page_offers_every_ai_in_the_registry(make_app, ui, monkeypatch, small_front):
    class Careful(BaselineAI):
        pass

    monkeypatch.setitem(registry.AIS, "careful", Careful)
    monkeypatch.setitem(registry.DESCRIPTIONS, "careful", "a test AI")
    app = make_app(scenario=None)
    ui.press(app, "New game")
    app.menu.new_choice["scenario"] = small_front
    ui.press(app, "UN Command")
    labels = ui.labels(app)
    assert "careful" in labels and "baseline" in labels
    ui.press(app, "careful")
    assert app.menu.new_choice["ai"]["communist"] == "careful"
    ui.press(app, "Start")
    assert app.mode == "game" and isinstance(app.play.players[COMMUNIST], Careful)
    assert app.play.session()["ai"]["communist"] == "careful"


def test_review_under_fog_shows_what_the_player_saw_then(make_app, ui):
    from types import SimpleNamespace

    from game.rules.visibility import visible_hexes
    from game.scenario.schema import FogOfWar
    app = make_app()
    scenario = app.game.state.scenario
    scenario.config = scenario.config.model_copy(update={"fog_of_war": FogOfWar(enabled=True, sight=1)})
    ui.key(app, pygame.K_e)
    for _ in range(3):
        app.frame()
    ui.key(app, pygame.K_r)
    assert app.play.input.name == "review"
    side, seen = app.board.fog
    assert side == UN
    assert (seen == visible_hexes(SimpleNamespace(state=app.play.input.state()), UN)).all()
    assert not (seen.all())
