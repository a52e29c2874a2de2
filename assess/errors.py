"""Errors that reach the user as one line: what is wrong and how to fix it."""


class InputError(ValueError):
    """Bad input from the user: a missing file, a wrong column, a bad plan, a bad threshold.

    The message names the thing and the fix; the CLI prints it without a traceback and exits 2.
    """
