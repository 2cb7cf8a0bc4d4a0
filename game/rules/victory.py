"""Victory points and the end of the game.

Each side scores the victory points of the places it holds plus points from events. At the
end, the margin (UN minus Communist) is compared with the scenario's historical benchmark:
doing better than history by more than ``draw_margin`` wins. ``sudden_death`` entries end the
game at once when a side holds every listed hex.
"""

from __future__ import annotations

from ..engine.units import COMMUNIST, SIDE_CODES, SIDE_NAMES, UN


def victory_points(state) -> dict:
    vp = state.map.vp
    out = {}
    for side in (UN, COMMUNIST):
        held = int(vp[state.owner == side].sum())
        out[SIDE_NAMES[side]] = held + int(state.sides[side]["vp"])
    return out


def check_victory(state):
    for rule in state.scenario.victory.get("sudden_death", []):
        hexes = rule.get("hexes", [])
        side = SIDE_CODES[rule["side"]]
        if hexes and all(state.owner[h] == side for h in hexes):
            reason = rule.get("reason") or f"{rule['side']} holds {', '.join(rule.get('holds', []))}"
            return _result(state, rule["side"], reason)
    return None


def final_result(state, reason: str, winner: str = "score") -> dict:
    if winner != "score":
        return _result(state, winner, reason)
    vp = victory_points(state)
    v = state.scenario.victory
    margin = vp["un"] - vp["communist"] - float(v.get("benchmark", 0))
    draw = float(v.get("draw_margin", 0))
    who = "un" if margin > draw else "communist" if margin < -draw else "draw"
    return _result(state, who, reason, margin)


def _result(state, winner: str, reason: str, margin=None) -> dict:
    vp = victory_points(state)
    return {"winner": winner, "reason": reason, "vp": vp,
            "margin_vs_history": None if margin is None else round(float(margin), 1),
            "date": state.date.isoformat(), "turn": state.turn}
