"""Input modes of the game screen: what a click on the board and the mode's keys mean now.
One is active at a time (``GameScreen.input``): select and move, attack, an air mission, a
landing, shipping, or the review of earlier turns."""
