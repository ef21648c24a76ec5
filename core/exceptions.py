"""The one domain exception that every layer may raise and every adapter knows how to show."""


class ActionImpossible(Exception):
    """An action that the object's current state does not allow; the message is French and shown as is.

    The journal's `TransitionInterdite` derives from it; views and the API turn it into a message or a 400."""
