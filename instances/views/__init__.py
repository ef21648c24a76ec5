"""Pages of the instances layer, one module per sub-domain: `instances` (the instance, its presidency R6, its
accompagnateurs' registry R10, the preparation of a séance), `seances` (the séance page and its actions, R5) and
`suivi` (the follow-up of a filed declaration, with the instance's decisions and the accompagnateur, R5, R10)."""
