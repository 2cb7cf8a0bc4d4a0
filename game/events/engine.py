"""The event engine: makes a scenario's card decks fire and change the game (docs/cards.md).

:class:`EventRules` is the rule module of the cards. It plays the scenario's decks (loaded and
checked with the scenario, in ``scenario.decks``): its ``turn_start`` fires the cards due this
turn and its ``victory`` ends the game when an ``end_game`` effect asked for it; its setup
rebuilds the choices still waiting in a loaded game. Installing it never changes the state, so
a loaded game keeps its hash.

Firing rules:

* a fixed-date card fires at the start of the turn whose span [turn start, turn end] contains
  its ``date``; dates before the scenario's first day or after its last never fire;
* a window card is tested at the start of each turn whose span overlaps its window and fires
  at the first such turn where ``when`` holds; once, unless ``repeat: true``;
* ``probability`` < 1 is rolled with the game's one seeded generator (and only then), each
  time the card would fire; a fixed-date card that fails its roll is gone;
* cards due in the same turn fire in date order (window cards by their first day), then deck
  order, one after another, so a card sees the flags an earlier card of the turn has set;
* a choice card puts an entry in ``game.pending_choices`` for its side; the side (or the AI,
  which takes ``ai``) answers with a Choose order, whose ``resolve`` applies the option.

* a ``trigger`` effect schedules another card right after the current one or some days later;
  a scheduled card fires at the start of the turn containing its day (at once when that day is
  in the current turn), in date order with the turn's other cards, if it has not fired yet (or
  repeats), its ``when`` holds then and its ``probability`` roll passes. ``simulate --fire
  CARD@DATE`` schedules a card the same way but *forced*: it fires whatever its date, window,
  condition and roll;
* a choice card whose ``ai`` weighs its options draws the AI's option when it fires.

Bookkeeping lives in ``state.card_state`` (plain JSON): ``fired`` {card id: times fired},
``pending`` [{card, record, ai?}] (record = index of the card's entry in ``state.fired``; ai =
the option drawn for the AI), ``choices`` {card id: option id}, ``end_game`` {reason, winner,
card} once a card ends the game, ``scheduled`` [{card, date, by, force?}] (cards triggered or
forced, not yet fired), ``vars`` {name: number} (the cards' variables), ``outcomes`` {card id:
label} (the random outcome each card last drew).

The scenario may hold reinforcements back until a flag is set: ``held_until_flag: {FLAG: [unit
id or id prefix, ...]}`` (an entry that is not a unit's id is a prefix: ``cpv_`` holds every
CPV unit; a trailing ``*`` is allowed). While the flag is unset, a held unit that is due keeps
being pushed to the next turn; once the flag is set, every held unit whose date has passed
arrives in its side's next reinforcement phase."""

from __future__ import annotations

from ..engine.calendar import parse_date
from ..engine.orders import OrderResult
from ..engine.units import ARRIVING, SIDE_CODES
from ..rules.module import RuleModule
from ..rules.victory import end_game, final_result
from ..scenario.errors import did_you_mean
from .conditions import evaluate
from .deck import DeckError, scenario_decks
from .effects import apply_effects, held_rows, weighted_pick

MAX_FIRES_A_TURN = 1000      # a chain of cards triggering each other stops here

__all__ = ["DeckError", "EventRules"]


class EventRules(RuleModule):
    """The event cards: fired at the start of each turn, choices answered by Choose orders."""

    name = "events"

    def __init__(self, game):
        super().__init__(game)
        scenario = game.state.scenario
        self.decks = scenario_decks(scenario)
        self.cards = []              # every card of every deck, in deck order
        self.by_id = {}
        for deck in self.decks:
            for card in deck.get("cards") or []:
                self.by_id[card["id"]] = card
                self.cards.append(card)
        self._order = {c["id"]: i for i, c in enumerate(self.cards)}

    # --- bookkeeping -------------------------------------------------------------------------
    @property
    def cs(self) -> dict:
        return self.game.state.card_state

    def fired_count(self, cid: str) -> int:
        return int(self.cs.get("fired", {}).get(cid, 0))

    def is_pending(self, cid: str) -> bool:
        return any(p["card"] == cid for p in self.cs.get("pending", []))

    # --- which cards are due ---------------------------------------------------------------
    def due_cards(self, turn: int) -> list:
        """Cards that may fire this turn, in firing order: (card, sort date, kind)."""
        st = self.game.state
        cal = st.scenario.calendar
        first_day, last_day = cal.turn_start(0), cal.end
        ts, te = cal.turn_start(turn), cal.turn_end(turn)
        due = []
        for card in self.cards:
            cid = card["id"]
            if card.get("triggered"):
                continue                      # fired only by a trigger (see scheduled_due)
            if "date" in card:
                d = parse_date(card["date"])
                if d < first_day or d > last_day or not ts <= d <= te or self.fired_count(cid):
                    continue
                due.append((d, self._order[cid], card))
            else:
                w0, w1 = parse_date(card["window"][0]), parse_date(card["window"][1])
                if w0 > te or w1 < ts or w1 < first_day or w0 > last_day:
                    continue
                if self.fired_count(cid) and not card.get("repeat", False):
                    continue
                due.append((w0, self._order[cid], card))
        due.sort(key=lambda x: (x[0], x[1]))
        return [c for _, _, c in due]

    def scheduled_due(self, turn: int) -> list:
        """Scheduled entries (triggered or forced cards) due by the end of ``turn``: (date, deck
        order, entry)."""
        te = self.game.state.scenario.calendar.turn_end(turn)
        return [(parse_date(e["date"]), self._order.get(e["card"], -1), e)
                for e in self.cs.get("scheduled", []) if parse_date(e["date"]) <= te]

    def setup(self) -> None:
        self.rebuild_pending()
        self._fires = 0
        self._draining = False

    # --- hooks --------------------------------------------------------------------------------
    def turn_start(self) -> None:
        st = self.game.state
        self._fires = 0
        # The turn's cards and the scheduled ones, in date order (then deck order; a card's own
        # date before a trigger of it on the same day).
        due = [(parse_date(c["date"] if "date" in c else c["window"][0]), self._order[c["id"]], 0, n, c)
               for n, c in enumerate(self.due_cards(st.turn))]
        due += [(d, order, 1, n, entry) for n, (d, order, entry) in enumerate(self.scheduled_due(st.turn))]
        due.sort(key=lambda x: x[:4])
        for _, _, scheduled, _, item in due:
            if st.over:
                return
            if scheduled:
                self._fire_scheduled(item)
            else:
                self._try(item)
        self._drain()
        self.hold_reinforcements()

    def _try(self, card: dict, test_when: bool = True) -> None:
        """Fire ``card`` if it may: no choice of it waiting, its condition true, its roll passed."""
        st = self.game.state
        if "choice" in card and self.is_pending(card["id"]):
            return
        if test_when and "when" in card and not evaluate(self.game, card["when"]):
            return
        p = float(card.get("probability", 1.0))
        if p < 1.0 and not st.rng.random() < p:
            return
        self.fire(card)

    def _fire_scheduled(self, entry: dict) -> None:
        """Fire a triggered or forced card now (the entry leaves the schedule either way)."""
        scheduled = self.cs.get("scheduled", [])
        if not any(e is entry for e in scheduled):
            return                                    # already fired by a chain this turn
        self.cs["scheduled"] = [e for e in scheduled if e is not entry]
        card = self.by_id.get(entry["card"])
        if card is None:
            return
        if self._fires >= MAX_FIRES_A_TURN:
            self.state.say(f"(card {card['id']}: too many cards fired this turn; a chain of triggers stops)")
            return
        if entry.get("force"):
            if not ("choice" in card and self.is_pending(card["id"])):
                self.fire(card)
            return
        if self.fired_count(card["id"]) and not card.get("repeat", False):
            return
        self._try(card)

    def _drain(self) -> None:
        """Fire the scheduled cards due by the end of this turn: those a card just triggered."""
        if self._draining:
            return                                    # the outer call goes on with them
        self._draining = True
        try:
            st = self.game.state
            while not st.over:
                due = sorted(self.scheduled_due(st.turn), key=lambda x: x[:2])
                if not due:
                    return
                self._fire_scheduled(due[0][2])
        finally:
            self._draining = False

    def force(self, cid: str, date: str) -> None:
        """Make card ``cid`` fire at the start of the turn containing ``date``, whatever its
        date, window, condition and roll (``simulate --fire CARD@DATE``); DeckError if the
        scenario has no such card or the date is outside it."""
        cal = self.game.state.scenario.calendar
        if cid not in self.by_id:
            raise DeckError(f"--fire {cid}@{date}: no card {cid!r} in the decks of "
                            f"{self.game.state.scenario.id}{did_you_mean(cid, self.by_id)}")
        day = parse_date(date)
        if not cal.turn_start(0) <= day <= cal.end:
            raise DeckError(f"--fire {cid}@{date}: {date} is outside the scenario ({cal.turn_start(0)} to {cal.end})")
        self.cs.setdefault("scheduled", []).append({"card": cid, "date": day.isoformat(), "by": "--fire",
                                                    "force": True})

    def victory(self) -> None:
        st = self.state
        end = self.cs.get("end_game")
        if end is None or st.over:
            return
        result = final_result(st, end["reason"], end.get("winner", "score"))
        result["card"] = end.get("card", "")
        end_game(self.game, result)

    # --- firing -------------------------------------------------------------------------------
    def fire(self, card: dict) -> dict:
        """Fire one card now (its condition and roll already passed); returns its record. The
        cards it triggers for this turn fire right after it."""
        rec = self._fire(card)
        self._drain()
        return rec

    def _fire(self, card: dict) -> dict:
        game, st = self.game, self.game.state
        self._fires += 1
        cid = card["id"]
        fired = self.cs.setdefault("fired", {})
        fired[cid] = int(fired.get(cid, 0)) + 1
        date = parse_date(card["date"]).isoformat() if "date" in card else st.date.isoformat()
        rec = {"id": cid, "title": card["title"], "date": date, "turn": int(st.turn),
               "turn_date": st.date.isoformat(), "text": card.get("text", ""),
               "source": card.get("source", ""), "historical": bool(card.get("historical", True))}
        if "choice" in card:
            ch = card["choice"]
            hist = next((o["id"] for o in ch["options"] if o.get("historical")), None)
            rec.update({"side": card["side"], "prompt": ch.get("prompt", ""),
                        "options": [o["id"] for o in ch["options"]], "historical_option": hist,
                        "choice": None, "option": None})
            st.fired.append(rec)
            pending = {"card": cid, "record": len(st.fired) - 1}
            if isinstance(ch["ai"], dict):          # the AI's option, drawn by weight now
                options = list(ch["ai"])
                pending["ai"] = options[weighted_pick(st.rng, [ch["ai"][o] for o in options])]
            self.cs.setdefault("pending", []).append(pending)
            game.pending_choices.append(self._pending_entry(card, pending.get("ai")))
            st.say(f"Event: {card['title']} (a decision for {card['side']})")
            game.notify("card", rec)
            return rec
        st.fired.append(rec)
        st.say(f"Event: {card['title']}")
        game.notify("card", rec)
        apply_effects(game, card.get("effects") or [], card)
        return rec

    # --- choices ------------------------------------------------------------------------------
    def _pending_entry(self, card: dict, ai: str | None = None) -> dict:
        ch = card["choice"]
        hist = next((o["id"] for o in ch["options"] if o.get("historical")), ch["options"][0]["id"])
        if ai is None:
            ai = ch["ai"] if isinstance(ch.get("ai"), str) else hist
        return {
            "card": card["id"], "side": SIDE_CODES[card["side"]], "title": card["title"],
            "text": card.get("text", ""), "prompt": ch.get("prompt", ""),
            "options": [{"id": o["id"], "label": o.get("label", o["id"]),
                         "historical": bool(o.get("historical", False))} for o in ch["options"]],
            "historical": hist, "ai": ai,
            "resolve": lambda option, _cid=card["id"]: self.resolve(_cid, option),
        }

    def rebuild_pending(self) -> None:
        """Recreate ``game.pending_choices`` from card_state (a loaded game)."""
        have = {c["card"] for c in self.game.pending_choices}
        for p in self.cs.get("pending", []):
            card = self.by_id.get(p["card"])
            if card is not None and "choice" in card and p["card"] not in have:
                self.game.pending_choices.append(self._pending_entry(card, p.get("ai")))

    def resolve(self, cid: str, option: str) -> OrderResult:
        st = self.game.state
        card = self.by_id.get(cid)
        pend = next((p for p in self.cs.get("pending", []) if p["card"] == cid), None)
        if card is None or pend is None:
            return OrderResult(False, f"no decision {cid!r} is waiting")
        opts = card["choice"]["options"]
        opt = next((o for o in opts if o["id"] == option), None)
        if opt is None:
            ids = ", ".join(o["id"] for o in opts)
            return OrderResult(False, f"{option!r} is not an option of {cid} (choose one of {ids})")
        self.cs["pending"] = [p for p in self.cs["pending"] if p is not pend]
        self.cs.setdefault("choices", {})[cid] = option
        rec = st.fired[pend["record"]] if 0 <= pend["record"] < len(st.fired) else None
        if rec is not None and rec.get("id") == cid:
            rec["choice"] = option
            rec["option"] = opt.get("label", option)
            rec["option_historical"] = bool(opt.get("historical", False))
        st.say(f"Decision on {card['title']}: {opt.get('label', option)}")
        apply_effects(self.game, opt.get("effects") or [], card)
        self.game.notify("choice", rec or {"id": cid, "choice": option})
        self._drain()
        return OrderResult(True, details={"card": cid, "option": option})

    # --- held reinforcements -----------------------------------------------------------------
    def hold_reinforcements(self) -> None:
        st = self.game.state
        held = st.scenario.config.held_until_flag or {}
        if not held:
            return
        u = st.units
        for flag, patterns in held.items():
            if flag in st.flags:
                continue
            for r in sorted(held_rows(u, patterns)):
                if int(u.status[r]) == ARRIVING and 0 <= int(u.arrive_turn[r]) <= st.turn:
                    u.arrive_turn[r] = st.turn + 1
