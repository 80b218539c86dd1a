"""The plan-crack board: the plan's actions and who carries them, the budget of each year against
what was spent, and the evacuations of gathering places with the follow-up of the people oriented."""
