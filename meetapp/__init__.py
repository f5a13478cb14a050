"""meetapp: a meeting scheduler that lives inside chat rooms."""
