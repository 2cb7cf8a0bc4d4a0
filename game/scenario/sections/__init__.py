"""Schema models for the rule modules' sections of a scenario (``weather:``, ``air:``...).

One file a section, owned by the rule module that reads it (game/rules/<name>.py). Each file
defines ``Section``, a pydantic model built on ``schema.Strict`` so that a misspelt key gets
the same ``path:line:col`` error and did-you-mean hint as the rest of the scenario.
"""
