"""Event engine: when cards fire (dates, windows, order, probability), choices, save/load."""

import numpy as np
import pytest

from game.engine.orders import Choose, EndPhase
from game.engine.units import ARRIVING, COMMUNIST, ON_MAP, UN
from game.sim.saves import load_game, save_game


@pytest.fixture
def game(new_events_game):
    return new_events_game(seed=7)


def test_dated_cards_fire_once_in_the_turn_containing_their_date(game, fired_ids, fired_turns, next_turn, to_turn):
    st = game.state
    # turn 0 (25-27 June): both fixed cards of the turn, in date order, then the window card
    assert [i for i in fired_ids(game) if i != "lucky"] == ["opening_day", "first_reader", "same_turn_window"]
    rec = st.fired[0]
    assert rec["date"] == "1950-06-25" and rec["title"] == "Opening Day"
    assert rec["text"] and rec["source"] == "test" and rec["historical"] is True
    assert st.fired[1]["date"] == "1950-06-27"           # the card's own date, not the turn's
    assert "window_saw_both" in st.flags                 # saw flags set earlier in the turn
    to_turn(game, 7)
    next_turn(game)                                      # play out the last turn
    assert st.over
    turns = fired_turns(game)
    assert turns["third_turn"] == 2                      # 1-3 July
    assert turns["un_decision"] == 1                     # 28-30 June
    ids = [i for i in fired_ids(game) if i != "lucky"]
    assert len(ids) == len(set(ids))                     # each once
    assert "too_early" not in ids and "too_late" not in ids and "narrow_window" not in ids
    assert not {"too_early_fired", "too_late_fired", "narrow_fired"} & st.flags
    assert st.sides[COMMUNIST]["will"] == 100 - 4
    assert st.card_state["fired"]["third_turn"] == 1


def test_window_card_fires_only_when_its_condition_holds(game, fired_ids, fired_turns, next_turn, to_turn):
    st = game.state
    to_turn(game, 2)
    assert "triggered" not in fired_ids(game)
    st.flags.add("trigger")                               # set during turn 2
    assert "triggered" not in fired_ids(game)             # tested at the start of a turn only
    next_turn(game)
    assert fired_turns(game)["triggered"] == 3
    rec = next(f for f in st.fired if f["id"] == "triggered")
    assert rec["date"] == st.scenario.calendar.turn_start(3).isoformat()   # window card: turn date
    next_turn(game)
    assert fired_ids(game).count("triggered") == 1        # once only without repeat


def test_probability_uses_the_seeded_rng(new_events_game, to_turn):
    def lucky_turns(seed):
        g = new_events_game(seed=seed)
        to_turn(g, 7)
        return [f["turn"] for f in g.state.fired if f["id"] == "lucky"], g.state.hash()

    a, b = lucky_turns(3), lucky_turns(3)
    assert a == b                                         # same seed, same rolls, same state
    outcomes = {tuple(lucky_turns(s)[0]) for s in range(6)}
    assert len(outcomes) > 1                              # the rolls do depend on the seed
    g = new_events_game(seed=3)
    assert g.state.sides[COMMUNIST]["vp"] == sum(1 for f in g.state.fired if f["id"] == "lucky")


def test_cards_with_probability_one_never_touch_the_rng(game, fired_ids, to_turn):
    st = game.state
    st.flags.add("no_luck")                               # the only card with probability < 1 is off
    before = st.rng.bit_generator.state
    to_turn(game, 3)
    assert st.rng.bit_generator.state == before
    assert "third_turn" in fired_ids(game)


def test_ai_takes_the_ai_option(game, end_side, to_turn):
    from game.sim.session import ai_players

    to_turn(game, 1)
    end_side(game)                                        # communists: nothing to decide
    pend = game.pending_for(UN)
    assert [c["card"] for c in pend] == ["un_decision"]
    assert pend[0]["ai"] == "push" and {o["id"] for o in pend[0]["options"]} == {"push", "hold"}
    ai_players(game)[UN].play(game)
    rec = next(f for f in game.state.fired if f["id"] == "un_decision")
    assert rec["choice"] == "push" and rec["option_historical"] is True
    assert rec["historical_option"] == "push"
    assert "un_pushed" in game.state.flags and "offensive" in game.state.sides[UN]["allowed"]
    assert game.state.card_state["choices"] == {"un_decision": "push"}
    assert not game.pending_choices and not game.state.card_state["pending"]


def test_human_choice_applies_the_option_and_bad_ones_are_rejected(game, end_side, to_turn):
    st = game.state
    to_turn(game, 1)
    end_side(game)
    vp = st.sides[UN]["vp"]
    assert not game.apply(EndPhase("un")).ok              # a decision is waiting
    bad = game.apply(Choose("un", card="un_decision", option="retreat"))
    assert not bad.ok and "push" in bad.reason
    assert not game.apply(Choose("communist", card="un_decision", option="hold")).ok
    assert not game.apply(Choose("un", card="no_such_card", option="hold")).ok
    assert game.pending_for(UN)                           # still waiting
    ok = game.apply(Choose("un", card="un_decision", option="hold"))
    assert ok.ok
    assert "un_held" in st.flags and "un_pushed" not in st.flags
    assert st.sides[UN]["vp"] == vp + 3
    rec = next(f for f in st.fired if f["id"] == "un_decision")
    assert rec["choice"] == "hold" and rec["option"] == "Hold the line"
    assert rec["option_historical"] is False and rec["historical_option"] == "push"
    assert not game.apply(Choose("un", card="un_decision", option="push")).ok   # decided already
    assert game.apply(EndPhase("un")).ok


def test_save_and_load_keep_fired_cards_and_pending_choices(game, tmp_path, end_side, fired_ids, to_turn):
    to_turn(game, 1)
    end_side(game)                                        # UN to act, decision pending
    path = tmp_path / "mid.json"
    save_game(game, path)
    loaded = load_game(path)
    assert loaded.state.hash() == game.state.hash()
    assert loaded.state.fired == game.state.fired
    assert [c["card"] for c in loaded.pending_for(UN)] == ["un_decision"]
    for g in (game, loaded):
        assert g.apply(Choose("un", card="un_decision", option="hold")).ok
        to_turn(g, 4)
    assert loaded.state.hash() == game.state.hash()
    assert fired_ids(loaded) == fired_ids(game)


def test_release_units_brings_a_reinforcement_in_early(game, next_turn, to_turn):
    st = game.state
    u = st.units
    r = u.index_of("red_late")
    assert int(u.status[r]) == ARRIVING and int(u.arrive_turn[r]) == 5
    to_turn(game, 2)
    st.flags.add("call_reserve")
    next_turn(game)                                       # turn 3: card fires, unit arrives
    assert int(u.arrive_turn[r]) == 3
    assert int(u.status[r]) == ON_MAP and u.hex[r] >= 0


@pytest.mark.parametrize("pattern", ["red_", "red_la", "red_*", "red_late"])
def test_held_until_flag_keeps_units_back_until_the_flag(pattern, new_events_game, next_turn, to_turn):
    g = new_events_game(seed=1, held={"reds_go": [pattern]})
    st = g.state
    u = st.units
    r = u.index_of("red_late")
    to_turn(g, 6)                                         # due on turn 5, held
    assert int(u.status[r]) == ARRIVING
    assert [int(u.status[u.index_of(x)]) for x in ("red_1", "red_2")] == [ON_MAP, ON_MAP]
    assert int(u.status[u.index_of("blue_us")]) == ON_MAP   # not held
    st.flags.add("reds_go")
    next_turn(g)                                          # the flag is set: it comes at once
    assert int(u.status[r]) == ON_MAP


def test_held_units_not_yet_due_keep_their_date(new_events_game, to_turn):
    g = new_events_game(seed=1, held={"reds_go": ["red_late"]})
    st = g.state
    u = st.units
    r = u.index_of("red_late")
    st.flags.add("reds_go")
    to_turn(g, 4)
    assert int(u.arrive_turn[r]) == 5 and int(u.status[r]) == ARRIVING
    to_turn(g, 5)
    assert int(u.status[r]) == ON_MAP


def test_loaded_games_keep_their_hash(game, tmp_path):
    h = game.state.hash()
    save_game(game, tmp_path / "s.json")
    assert load_game(tmp_path / "s.json").state.hash() == h
    assert np.array_equal(load_game(tmp_path / "s.json").state.owner, game.state.owner)
