"""Political will, victory points and the benchmark, the talks, the intervention triggers
(game/rules/politics.py, game/rules/victory.py, the campaign deck's politics cards).

Small situations are played on tests/scenarios/small_front.yaml (which includes the standard
rules and so scenarios/rules/politics.yaml); the benchmark, the Yalu trigger and the armistice
use the campaign and its what-if on the real map.
"""

import shutil
from pathlib import Path

import numpy as np
import pytest

from game.engine.mapdata import REGION
from game.engine.orders import Attack, Choose, EndPhase
from game.engine.units import COMMUNIST, UN
from game.events.effects import apply_effects
from game.events.engine import EventRules
from game.rules import victory
from game.rules.control import ControlRules
from game.rules.politics import PoliticsRules, offensive_cost, side_value
from game.rules.turn import Game
from game.scenario.build import new_state
from game.scenario.loader import ScenarioError, load_scenario_dict
from game.sim.saves import load_game, save_game
from game.sim.session import RULE_MODULES, load_scenario, new_game

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "scenarios" / "small_front.yaml"
CARD = {"id": "test_card"}


@pytest.fixture
def game():
    return new_game(SMALL, seed=3)


def rules(g) -> dict:
    return g.state.scenario.data["politics"]     # the section as written in the file


def weeks_of_turn(g) -> float:
    cal = g.state.scenario.calendar
    return ((cal.turn_end(g.state.turn) - cal.turn_start(g.state.turn)).days + 1) / 7.0


# ------------------------------------------------------------------------------ will

def test_will_falls_with_the_turns_losses(game, next_turn):
    st = game.state
    per_loss = side_value(rules(game)["will"]["per_loss"], UN)
    assert per_loss > 0 and st.sides[UN]["will"] == 100
    st.sides[UN]["losses"] += 40           # what combat and attrition add to the counter
    next_turn(game)
    assert st.sides[UN]["will"] == pytest.approx(100 - 40 * per_loss)
    assert st.sides[COMMUNIST]["will"] == 100
    last = st.rules_state["politics"]["last_turn"]
    assert last["un"]["losses"] == pytest.approx(-40 * per_loss) and last["communist"] == {}
    next_turn(game)                          # the same losses are not counted twice
    assert st.sides[UN]["will"] == pytest.approx(100 - 40 * per_loss)
    assert [h[0] for h in st.rules_state["politics"]["will_history"]] == \
        [st.scenario.calendar.turn_start(t).isoformat() for t in (0, 1)]


def test_losing_a_city_costs_will_and_taking_it_gives_some(game, next_turn):
    st = game.state
    w = rules(game)["will"]
    h = st.map.find_place("Southtown").hex
    st.owner[h] = COMMUNIST
    game.rule(ControlRules).model.update = lambda state: None        # keep the hand-set owner this turn
    next_turn(game)
    vp = int(st.map.vp[h])
    assert st.sides[UN]["will"] == pytest.approx(100 - vp * side_value(w["per_city_vp_lost"], UN))
    assert st.sides[COMMUNIST]["will"] == pytest.approx(100 + vp * side_value(w["per_city_vp_taken"], COMMUNIST))


def test_collapse_ends_the_game_and_the_other_side_wins(game, next_turn):
    st = game.state
    st.sides[UN]["will"] = 1
    st.sides[UN]["losses"] += 100
    next_turn(game)
    assert st.over and st.phase == "over"
    assert st.result["winner"] == "communist"
    assert "political will collapsed" in st.result["reason"]
    assert st.result["will"]["un"] <= 0
    assert game.apply(EndPhase("communist")).ok is False      # nothing more to play


def test_will_effect_of_a_card_can_break_a_side(game, next_turn):
    st = game.state
    apply_effects(game, [{"will": {"side": "communist", "change": -100}}], CARD)
    next_turn(game)
    assert st.over and st.result["winner"] == "un"


# ------------------------------------------------------------------------------ talks

def test_stalled_talks_wear_both_sides_down(game, next_turn):
    st = game.state
    per_week = rules(game)["will"]["talks_per_week"]
    next_turn(game)
    assert st.sides[UN]["will"] == 100                         # no talks, no cost
    apply_effects(game, [{"talks": "open"}], CARD)
    weeks = weeks_of_turn(game)
    next_turn(game)
    for side in (UN, COMMUNIST):
        assert st.sides[side]["will"] == pytest.approx(100 - side_value(per_week["open"], side) * weeks)
    apply_effects(game, [{"talks": "suspend"}], CARD)
    before = st.sides[UN]["will"]
    weeks = weeks_of_turn(game)
    next_turn(game)
    assert st.sides[UN]["will"] == pytest.approx(before - side_value(per_week["suspended"], UN) * weeks)
    assert side_value(per_week["suspended"], UN) > side_value(per_week["open"], UN)


def test_attacks_while_talks_go_on_cost_the_attacker_will(game, end_side):
    st = game.state
    cost = side_value(rules(game)["will"]["offensive_during_talks"], COMMUNIST)
    assert offensive_cost(game, COMMUNIST) == 0                # no talks yet
    apply_effects(game, [{"talks": "open"}], CARD)
    assert offensive_cost(game, COMMUNIST) == cost > 0
    u = st.units
    blue = u.hex[u.index_of("blue_1")]
    # put a Communist division next to Blue 1st and attack it
    nb = [int(n) for n in st.map.grid.neighbors[blue] if n >= 0 and st.map.land[n]
          and len(u.at_hex(int(n), UN)) == 0]
    u.hex[u.index_of("red_1")] = nb[0]
    game.movement.invalidate()
    assert game.apply(Attack("communist", units=("red_1",), target=int(blue))).ok
    end_side(game)
    assert st.rules_state["politics"]["turn_costs"]["communist"]["offensives during talks"] == pytest.approx(-cost)


# ------------------------------------------------------------------------------ victory points

def test_vp_breakdown_adds_up_and_counts_territory_and_losses(game):
    st = game.state
    vp_rules = rules(game)["vp"]
    st.sides[UN]["vp"] = 4
    st.sides[COMMUNIST]["losses"] = 3 * vp_rules["losses_per_vp"]
    north = np.nonzero(st.map.land & (st.map.region == REGION["north"]))[0]
    st.owner[north[: len(north) // 2]] = UN                    # the UN holds half the north
    parts = victory.score(st)
    for p in parts.values():
        assert p["total"] == pytest.approx(sum(p[k] for k in victory.PARTS), abs=0.11)
    share = (st.owner[north] == UN).mean()
    assert parts["un"]["territory"] == pytest.approx(
        vp_rules["territory"]["south"] * 1.0 + vp_rules["territory"]["north"] * share, abs=0.06)
    assert parts["un"]["losses"] == 3 and parts["un"]["events"] == 4
    assert parts["un"]["cities"] == int(st.map.vp[st.owner == UN].sum())
    res = victory.final_result(st, "test")
    assert res["vp_breakdown"] == parts and res["vp"] == {k: v["total"] for k, v in parts.items()}


def test_rules_without_a_politics_section_change_nothing(game):
    st = game.state
    st.scenario.config = st.scenario.config.model_copy(update={"politics": None})
    assert victory.score(st)["un"]["territory"] == 0 and victory.score(st)["un"]["losses"] == 0
    scenario = load_scenario(SMALL)
    scenario.data.pop("politics")
    scenario.config = scenario.config.model_copy(update={"politics": None})
    g2 = Game(new_state(scenario, 3), RULE_MODULES)
    assert g2.rule(PoliticsRules) is None and "politics" not in g2.state.rules_state


# ------------------------------------------------------------------------------ the campaign

@pytest.fixture(scope="module")
def campaign():
    return new_game("korea_1950_1953", seed=1)


def test_a_historical_end_scores_a_draw(campaign):
    st = campaign.state
    bench = st.scenario.config.victory.benchmark
    saved = (st.owner.copy(), {s: dict(st.sides[s]) for s in (UN, COMMUNIST)})
    try:
        st.owner[:] = victory.historical_owner(st, bench.front_line)
        for name in ("Kaesong", "Haeju", "Pyonggang"):
            assert st.owner[st.map.find_place(name).hex] == COMMUNIST
        for name in ("Seoul", "Chorwon", "Kumhwa", "Chunchon"):
            assert st.owner[st.map.find_place(name).hex] == UN
        st.sides[UN]["losses"], st.sides[COMMUNIST]["losses"] = 500, 500 * bench.losses_ratio
        hist = victory.historical_event_points(st)
        st.sides[UN]["vp"], st.sides[COMMUNIST]["vp"] = hist[UN], hist[COMMUNIST]
        res = victory.final_result(st, "armistice")
        assert res["winner"] == "draw" and abs(res["margin_vs_history"]) < 0.5
        assert res["benchmark"]["margin"] > 0           # history favoured the UN on these rules
        # the UN does much better than history: it holds all Korea south of Pyongyang
        st.owner[st.map.land & (st.map.grid.lat < 39.0) & (st.map.region == REGION["north"])] = UN
        assert victory.final_result(st, "armistice")["winner"] == "un"
    finally:
        st.owner[:] = saved[0]
        st.sides.update(saved[1])


def test_campaign_ends_at_the_armistice_with_a_result(next_turn):
    g = new_game("korea_1950_1953", seed=2)
    st = g.state
    cal = st.scenario.calendar
    st.talks = "line_agreed"
    st.turn = cal.turn_of("1953-07-27") - 1
    while not st.over:
        next_turn(g)
    assert st.result["card"] == "armistice_signed"
    assert "Armistice" in st.result["reason"]
    assert st.result["winner"] in ("un", "communist", "draw")
    assert st.result["margin_vs_history"] is not None
    assert set(st.result["vp_breakdown"]["un"]) == {*victory.PARTS, "total"}
    assert st.result["benchmark"]["source"]


def _to_date(g, day):
    """Jump the game to the start of the turn containing ``day`` and fire that turn's cards."""
    st = g.state
    st.turn = st.scenario.calendar.turn_of(day)
    g.rule(EventRules).turn_start()


def _near(g, uid, place, hexes):
    st = g.state
    target = st.map.find_place(place).hex
    cand = np.nonzero(st.map.land & (st.map.grid.distance(np.arange(st.map.n), np.full(st.map.n, target)) == hexes))[0]
    u = st.units
    u.hex[u.index_of(uid)] = int(cand[0])


def test_historical_campaign_china_enters_on_its_dates():
    g = new_game("korea_1950_1953", seed=4)
    st = g.state
    st.flags.add("un_crossed_38th")
    _to_date(g, "1950-10-08")
    pending = [c["card"] for c in g.pending_choices]
    assert "china_intervention_decision" in pending
    assert g.apply(Choose("communist", card="china_intervention_decision", option="intervene")).ok
    assert "china_intervenes" in st.flags
    _to_date(g, "1950-10-19")
    crossed = next(f for f in st.fired if f["id"] == "cpv_crosses_yalu")
    assert crossed["turn_date"] <= "1950-10-19" <= st.scenario.calendar.turn_end(st.turn).isoformat()
    _to_date(g, "1950-10-25")
    assert "first_phase_offensive" in [f["id"] for f in st.fired]
    assert "china_defends_the_yalu" not in [f["id"] for f in st.fired]


def test_yalu_trigger_fires_in_the_what_if_and_not_before():
    g = new_game("whatif_china_stays_out", seed=4)
    st = g.state
    assert "china_waits_for_yalu" in st.flags
    st.flags.add("un_crossed_38th")
    _to_date(g, "1950-10-08")
    assert not g.pending_choices                           # no October decision in the what-if
    _to_date(g, "1950-10-20")
    assert "china_intervenes" not in st.flags              # the UN is far from the Yalu
    assert not {"cpv_crosses_yalu", "china_defends_the_yalu"} & {f["id"] for f in st.fired}
    u = st.units
    on_map = [int(r) for r in u.rows_on_map(UN)]
    rok = u.ids[next(r for r in on_map if u.nations[r] == "ROK")]
    other = next(r for r in on_map if u.ids[r] != rok)
    u.nations[other] = "US"                                # an American unit (none landed yet)
    us = u.ids[other]
    _near(g, rok, "Manpojin", 0)
    _to_date(g, "1950-10-23")
    assert "china_intervenes" not in st.flags              # South Koreans on the Yalu: not yet
    _near(g, rok, "Chosan", 6)
    _near(g, us, "Manpojin", 3)
    _to_date(g, "1950-10-26")
    assert "china_intervenes" not in st.flags              # Americans 3 hexes off: not yet
    _near(g, us, "Manpojin", 2)
    _to_date(g, "1950-11-02")
    ids = [f["id"] for f in st.fired]
    assert "china_intervenes" in st.flags and "china_defends_the_yalu" in ids
    assert ids.index("china_defends_the_yalu") < ids.index("cpv_crosses_yalu")
    u = st.units
    cpv = [i for i, x in enumerate(u.ids) if x.startswith("cpv_38a")]
    assert all(int(u.arrive_turn[r]) <= st.turn for r in cpv)   # released, arriving now


def test_soviet_escalation_needs_the_war_widened():
    from game.scenario.yamlsafe import load_file, to_plain
    deck = to_plain(load_file(ROOT / "scenarios" / "cards" / "korea_1950_1953_cards.yaml"))
    cards = {c["id"]: c for c in deck["cards"]}
    card = cards["soviet_air_war"]
    assert card["when"] == {"flag": "war_widened"} and 0 < card["probability"] < 1
    widen = next(o for o in cards["macarthur_wider_war"]["choice"]["options"] if o["id"] == "widen")
    assert {"allow": {"side": "un", "action": "strike_north_of_yalu"}} in widen["effects"]
    assert {"set_flag": "war_widened"} in widen["effects"]
    g = new_game("korea_1950_1953", seed=5)
    st = g.state
    _to_date(g, "1951-05-01")
    assert "soviet_air_war" not in [f["id"] for f in st.fired]
    st.flags.add("war_widened")
    will, air = st.sides[UN]["will"], st.sides[COMMUNIST]["air_missions"]
    for day in ("1951-05-08", "1951-05-15", "1951-05-22", "1951-05-29", "1951-06-05", "1951-06-12",
                "1951-06-19", "1951-06-26", "1951-07-03", "1951-07-10", "1951-07-24", "1951-08-07"):
        _to_date(g, day)
    assert "soviet_escalation" in st.flags                 # 12 rolls at 0.25 with this seed
    assert st.sides[UN]["will"] < will and st.sides[COMMUNIST]["air_missions"] > air


# ------------------------------------------------------------------------------ saves, schema

def test_save_and_load_keep_the_politics_state(game, tmp_path, next_turn):
    st = game.state
    st.sides[UN]["losses"] += 10
    next_turn(game)
    path = tmp_path / "p.json"
    save_game(game, path)
    g2 = load_game(path)
    assert g2.state.rules_state["politics"] == st.rules_state["politics"]
    assert g2.state.hash() == st.hash()
    next_turn(game)
    next_turn(g2)
    assert g2.state.hash() == st.hash()


def _variant(tmp_path, extra: str) -> Path:
    rules_dir = tmp_path / "rules"
    if not rules_dir.exists():
        shutil.copytree(ROOT / "scenarios" / "rules", rules_dir)
    text = SMALL.read_text().replace("include: [../../scenarios/rules/standard.yaml]", "include: [rules/standard.yaml]")
    path = tmp_path / "s.yaml"
    path.write_text(text + extra)
    return path


def test_unknown_politics_key_is_a_located_error(tmp_path):
    path = _variant(tmp_path, "politics:\n  will:\n    per_los: 0.1\n")
    with pytest.raises(ScenarioError) as exc:
        load_scenario_dict(path)
    text = str(exc.value)
    assert "per_los" in text and "per_loss" in text and "s.yaml:" in text


def test_bad_benchmark_is_a_located_error(tmp_path):
    path = _variant(tmp_path, "")
    text = path.read_text().replace(
        "  benchmark: 0\n",
        "  benchmark:\n    front_line: [[38.0, 127.0], [38.1, 126.0]]\n    source: test\n    ratio: 2\n")
    path.write_text(text)
    with pytest.raises(ScenarioError) as exc:
        load_scenario_dict(path)
    msg = str(exc.value)
    assert "ratio" in msg and "s.yaml:" in msg
    path.write_text(text.replace("    ratio: 2\n", ""))
    with pytest.raises(ScenarioError) as exc:
        load_scenario_dict(path)
    assert "west to east" in str(exc.value)
