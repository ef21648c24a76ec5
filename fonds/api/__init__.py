"""API of the fund (R3, R7, R8): the same services and predicates as the pages."""
