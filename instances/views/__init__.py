"""Pages of the instances layer: the instance and its séances, and the follow-up of a filed declaration."""
