"""Jobs of the fund, run by the task worker after commit (CONVENTIONS: nothing slow inside a request)."""
