"""The operational AI's decisions on small hand-built fronts (tests/scenarios/small_front.yaml):
concentration, reserves, withdrawal from a closing pocket, exploitation through a gap; the
passive opponent; the same game from the same seed."""

import numpy as np
import pytest

from game.ai import exploitation, line, pockets
from game.ai.concentration import AttackPlanner, ConcentratedAttacks
from game.ai.registry import DEFAULT, make_ai, parse_choice
from game.engine.units import COMMUNIST, UN
from game.rules.supply import supply_distance, supply_range
from game.scenario.schema import AI, AISide, MobileDefence
from game.sim.session import ai_players, new_game
from game.sim.simulate import run


@pytest.fixture
def un_to_act(small_front, park, end_phase):
    """The small front with the UN to act on the first turn and every Communist unit parked in
    the north-east corner; ``place`` stands units ({id: (row, col)}) and returns the game."""
    def make(place: dict, seed: int = 7):
        game = new_game(small_front, seed=seed)
        end_phase(game, "communist")
        park(game, COMMUNIST)
        _place(game, place)
        return game
    return make


def _place(game, place: dict) -> None:
    u = game.state.units
    for uid, (row, col) in place.items():
        u.hex[u.index_of(uid)] = int(game.state.map.grid.index(row, col))
    game.movement.invalidate()


def _ai(game, side):
    cfg = game.state.scenario.config.ai
    return make_ai("operational", side, cfg.un if side == UN else cfg.communist)


def test_several_units_converge_on_one_hex_at_better_odds_than_any_alone(un_to_act):
    # A weak Red division in the open, three Blue divisions two and three hexes from it.
    game = un_to_act({"red_2": (9, 7), "blue_1": (9, 4), "blue_2": (11, 7), "blue_3": (8, 10)})
    st = game.state
    u = st.units
    red = u.index_of("red_2")
    u.strength[red] = 2
    ai = _ai(game, UN)
    front = ai.picture(game)
    alone = [int(front.table.columns(front.attack_factors[u.index_of(b)] / front.defence_factors[red]))
             for b in ("blue_1", "blue_2", "blue_3")]
    plans = AttackPlanner(game, ai, front, front.table.column_of(2.0)).plan()
    assert [p.target for p in plans] == [int(u.hex[red])]
    assert len(plans[0].rows) >= 2 and plans[0].column > max(alone)
    ConcentratedAttacks().run(game, ai)
    attacks = [o for o in st.orders if o["type"] == "attack"]
    assert len(attacks) == 1 and len(attacks[0]["units"]) >= 2
    assert all(st.map.grid.distance(u.hex[u.index_of(b)], int(plans[0].target)) <= 1 for b in attacks[0]["units"])


def _threatened_east(un_to_act):
    """Four Red units massed against the east of a thin Blue line; a third Blue unit far behind."""
    return un_to_act({"red_1": (6, 9), "red_2": (6, 10), "red_3": (6, 11), "red_tanks": (5, 10),
                      "blue_1": (7, 8), "blue_2": (7, 11), "blue_3": (11, 4)})


def _reserve_spots(game, front, sector):
    """Blue units standing two or three steps behind the line in ``sector``."""
    u = game.state.units
    hexes = u.hex[u.rows_on_map(UN)]
    lo, hi = line.RESERVE_STEPS
    return [int(h) for h in hexes if front.sector_of[h] == sector and lo <= front.d_foe[h] <= hi]


def test_a_unit_is_held_back_behind_a_threatened_sector(un_to_act, monkeypatch):
    game = _threatened_east(un_to_act)
    ai = _ai(game, UN)
    front = ai.picture(game)
    threatened = front.threatened_sectors(line.THREAT)
    assert threatened, "the massed Red units threaten the sector"
    line.hold_line(game, ai, front)
    assert _reserve_spots(game, front, threatened[0])
    # Without reserves the same unit goes into the line instead.
    game = _threatened_east(un_to_act)
    monkeypatch.setattr(line, "MAX_RESERVE_SHARE", 0.0)
    ai = _ai(game, UN)
    front = ai.picture(game)
    line.hold_line(game, ai, front)
    assert not _reserve_spots(game, front, threatened[0])


def test_a_unit_in_a_closing_pocket_falls_back_to_open_ground(un_to_act):
    # Blue 2 far forward, north of the river, two Red divisions closing on its flanks.
    game = un_to_act({"blue_2": (3, 6), "red_1": (3, 4), "red_3": (3, 8), "red_2": (1, 6)})
    u = game.state.units
    blue = u.index_of("blue_2")
    u.strength[blue] = 4                     # a small part of Blue's strength: a pocket, not the main body
    ai = _ai(game, UN)
    front = ai.picture(game)
    at_risk, safe = front.pocket
    assert blue in at_risk and not safe[u.hex[blue]]
    assert pockets.escape(game, ai, front) == [blue]
    assert safe[u.hex[blue]]
    # With the Red divisions far away the same unit stands where it is.
    game = un_to_act({"blue_2": (3, 6)})
    game.state.units.strength[blue] = 4
    ai = _ai(game, UN)
    assert blue not in ai.picture(game).pocket[0]
    assert pockets.escape(game, ai, ai.picture(game)) == []


def test_a_unit_in_a_pocket_about_to_close_holds_unless_a_withdrawal_is_ordered(un_to_act):
    from game.events.effects import e_allow

    # The same pocket as above: the planner leaves Blue 2 where it stands (its ground is worth
    # holding: the enemy seldom closes the worst-case pocket) ...
    place = {"blue_2": (3, 6), "red_1": (3, 4), "red_3": (3, 8), "red_2": (1, 6)}
    game = un_to_act(place)
    u = game.state.units
    blue = u.index_of("blue_2")
    u.strength[blue] = 4
    ai = _ai(game, UN)
    start = int(u.hex[blue])
    assert blue in ai.picture(game).pocket[0] and not ai.withdrawing(game)
    pockets.PocketEscape().run(game, ai)
    assert int(u.hex[blue]) == start
    # ... and in an ordered withdrawal it falls back to open ground.
    game = un_to_act(place)
    u = game.state.units
    u.strength[blue] = 4
    e_allow(game, {"side": "un", "action": "withdrawal", "days": 10}, {})
    ai = _ai(game, UN)
    assert ai.withdrawing(game)
    pockets.PocketEscape().run(game, ai)
    assert int(u.hex[blue]) != start and ai.picture(game).pocket[1][u.hex[blue]]


@pytest.mark.parametrize("margin, offensive_days, since, within", [
    (1.0, 0, None, False),          # no margin: the dug-in division holds where it stands, far out in supply
    (0.5, 0, None, True),           # off the offensive it falls back to where half the range still reaches
    (0.5, None, None, False),       # on the offensive (always, with no offensive_days) the margin is not kept
    (0.5, 0, "1951-01-25", False),  # nor before the day the margin starts
])
def test_off_the_offensive_the_line_keeps_within_its_supply_margin(un_to_act, margin, offensive_days, since,
                                                                   within):
    game = un_to_act({"blue_1": (3, 5), "blue_2": (6, 10)})
    st = game.state
    u = st.units
    blue = u.index_of("blue_2")
    u.entrench[blue] = 2
    reach = supply_range(st, UN)
    cost = supply_distance(st, UN, game.movement.multiplier(UN), through_enemy_ground=True)
    assert 0.5 * reach < cost[u.hex[blue]] < reach          # in supply, beyond half the range
    ai = make_ai("operational", UN, AISide(aggression=0.3, attack_odds=2.0,
                                            offensive_days=offensive_days, supply_margin=margin,
                                            supply_margin_from=since))
    assert ai.on_offensive(game) == (offensive_days is None)
    line.hold_line(game, ai, ai.picture(game))
    assert (cost[u.hex[blue]] <= 0.5 * reach) == within


def test_the_supply_margin_is_not_kept_on_the_last_turns(un_to_act):
    game = un_to_act({})
    st = game.state
    ai = make_ai("operational", UN, AISide(offensive_days=0, supply_margin=0.5))
    assert ai.supply_margin(game) == 0.5
    st.turn = len(st.scenario.calendar) - 2    # cut off now, a unit would lose nothing before the end
    assert ai.supply_margin(game) == 1.0


def test_a_unit_goes_through_a_gap_toward_the_enemy_supply_source(small_front, park):
    game = new_game(small_front, seed=7)            # the Communists act first
    park(game, COMMUNIST)
    _place(game, {"red_1": (5, 5), "blue_1": (7, 2), "blue_2": (7, 9), "blue_3": (10, 11)})
    st = game.state
    u, grid = st.units, st.map.grid
    red = u.index_of("red_1")
    southtown = st.map.find_place("Southtown").hex       # a UN supply source, on the main road
    before = int(grid.distance(u.hex[red], southtown))
    ai = _ai(game, COMMUNIST)
    front = ai.picture(game)
    assert front.objectives[southtown] == front.objectives.max()
    assert exploitation.exploit(game, ai, front) == [red]
    assert grid.distance(u.hex[red], southtown) <= 1 < before
    assert grid.row[u.hex[red]] > 7                   # past the Blue line of row 7


def test_the_passive_ai_only_ends_its_turns(small_game):
    players = ai_players(small_game, choice={"un": "passive", "communist": "passive"})
    run(small_game, players=players)
    kinds = {o["type"] for o in small_game.state.orders}
    assert kinds <= {"end_phase", "choose"}


def test_the_default_ai_is_the_operational_one_and_either_side_may_choose():
    assert DEFAULT == "operational"
    assert parse_choice(["un=operational", "communist=baseline"]) == {"un": "operational", "communist": "baseline"}
    assert parse_choice(["default"]) == {"un": "operational", "communist": "operational"}


def test_the_same_seed_gives_the_same_game(small_front):
    hashes = []
    for _ in range(2):
        game = new_game(small_front, seed=11)
        run(game)
        hashes.append(game.state.hash())
    assert hashes[0] == hashes[1]
    assert any(o["type"] == "attack" for o in game.state.orders)


def test_a_front_reads_sectors_and_a_main_effort(un_to_act):
    game = _threatened_east(un_to_act)
    front = _ai(game, UN).picture(game)
    assert front.sectors and front.main_effort() in range(len(front.sectors))
    assert np.all(front.sector_of[front.contact] >= 0)


@pytest.mark.slow
def test_a_whole_scenario_twice_from_one_seed_ends_the_same():
    hashes = []
    for _ in range(2):
        game = new_game("pusan_perimeter", seed=3)
        run(game, players=ai_players(game, choice={"un": "operational", "communist": "baseline"}))
        assert game.state.over
        hashes.append(game.state.hash())
    assert hashes[0] == hashes[1]


def _mass_in_the_west(un_to_act):
    """A Red mass in the west that no Blue unit faces, one Red division in the east held by a
    Blue one, and a Blue division in the rear, nearer the east."""
    return un_to_act({"red_1": (4, 3), "red_2": (5, 4), "red_tanks": (4, 4), "red_3": (6, 12),
                      "blue_2": (7, 12), "blue_1": (8, 5), "blue_3": (11, 11)})


def _march_from_the_rear(un_to_act, orders):
    """Where Blue's rear division ends its move: (steps to the western mass, to the eastern
    division), before and after."""
    game = _mass_in_the_west(un_to_act)
    u, grid = game.state.units, game.state.map.grid
    blue = u.index_of("blue_3")
    u.mp[blue] = 3.0                                  # a day's march: its direction shows
    west, east = int(u.hex[u.index_of("red_2")]), int(u.hex[u.index_of("red_3")])
    ai = make_ai("operational", UN, AISide(aggression=0.3, attack_odds=2.0, offensive_days=0, mobile_defence=orders))
    front = ai.picture(game)
    assert front.d_foe[u.hex[blue]] >= line.REAR_STEPS
    before = (grid.distance(u.hex[blue], west), grid.distance(u.hex[blue], east))
    line.hold_line(game, ai, front)
    return before, (grid.distance(u.hex[blue], west), grid.distance(u.hex[blue], east))


def test_under_a_mobile_defence_a_unit_from_the_rear_marches_for_the_sector_that_lacks_most(un_to_act):
    (west0, east0), (west_free, east_free) = _march_from_the_rear(un_to_act, [])
    assert east0 < west0 and east_free < east0            # unordered: to the nearest stretch of front
    _, (west_md, east_md) = _march_from_the_rear(un_to_act, [MobileDefence()])
    assert west_md < west_free and east_md > east_free    # ordered: toward the mass nobody faces


@pytest.mark.parametrize("offensive_days, exploits", [(0, False), (None, True)])
def test_under_a_mobile_defence_a_side_on_the_defensive_sends_nobody_through_the_gap(small_front, park,
                                                                                    offensive_days, exploits):
    game = new_game(small_front, seed=7)            # the Communists act first
    park(game, COMMUNIST)
    _place(game, {"red_1": (5, 5), "blue_1": (7, 2), "blue_2": (7, 9), "blue_3": (10, 11)})
    red = game.state.units.index_of("red_1")
    ai = make_ai("operational", COMMUNIST, AISide(aggression=0.8, attack_odds=1.0, offensive_days=offensive_days,
                                                  mobile_defence=[MobileDefence()]))
    assert ai.on_offensive(game) == exploits
    assert exploitation.exploit(game, ai, ai.picture(game)) == ([red] if exploits else [])


def test_a_mobile_defence_holds_between_its_dates_and_until_its_flag(small_game):
    from game.ai import restraint

    st = small_game.state
    def ordered(**order):
        return restraint.mobile_defence(small_game, make_ai("operational", UN, AISide(mobile_defence=[
            MobileDefence.model_validate(order)])))
    assert ordered() and ordered(**{"from": "1950-06-25", "until": "1950-06-25"})
    assert not ordered(until="1950-06-24") and not ordered(**{"from": "1950-06-26"})
    st.flags.add("breakout")
    assert not ordered(until_flag="breakout")
    swapped = {"from": "1950-07-01", "until": "1950-06-01"}
    orders = {"mobile_defence": {}, "hold": {"places": ["Seoul"]},
              "keep_out": {"nations": ["US"], "areas": [{"place": "Seoul", "radius": 1}]}}
    for key, order in orders.items():          # every order from above refuses swapped dates
        with pytest.raises(ValueError, match="swap them"):
            AI.model_validate({"un": {key: [{**order, **swapped}]}})
