"""The duel tool on a tiny run: AI A against AI B on the small front, both seats, one seed."""

import pytest

from game.tools import duel


def test_a_duel_measures_both_seats_against_b_playing_itself(small_front):
    result = duel.duel("operational", "passive", scenarios=[str(small_front)], seeds=(1,), workers=1)
    assert [g["un"] + "/" + g["communist"] for g in result["games"]] == [
        "passive/passive", "operational/passive", "passive/operational"]
    seats = {s["seat"]: s for s in result["seats"]}
    assert set(seats) == {"un", "communist"}
    ref, as_un, as_com = result["games"]
    assert seats["un"]["gain"] == pytest.approx(as_un["margin"] - ref["margin"], abs=0.11)
    assert seats["communist"]["gain"] == pytest.approx(ref["margin"] - as_com["margin"], abs=0.11)
    # Every game and seat carries its result's level, and the table shows it.
    assert all(g["level"] in ("decisive", "marginal", "draw") for g in result["games"])
    assert seats["un"]["level"] == as_un["level"] and seats["un"]["ref_level"] == ref["level"]
    text = duel.report(result)
    assert "did better than passive in" in text and "small_front" in text
    assert "decisive" in text and f"{as_un['winner']} {as_un['level']}" in text


def test_the_command_line_says_what_is_wrong(capsys, small_front):
    assert duel.main(["operational", "nobody", "--scenarios", str(small_front)]) == 2
    assert "no AI named 'nobody'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        duel.main(["operational", "passive", "--seeds", "x"])
    assert stop.value.code == 2 and "write seeds as 1-8 or 1,2,5" in capsys.readouterr().err
