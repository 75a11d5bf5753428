"""Settings from environment variables that refuse what they do not understand.

A typo must stop the server at start-up with the variable's name, not change
its meaning: ``HTTPS=ture`` read as false would serve without HSTS or secure
cookies. Pure (no Django), so gunicorn's configuration uses it too. An unset
or empty variable means the default.
"""

from __future__ import annotations

import os

TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off")


class SettingError(ValueError):
    """A variable's value cannot be understood; the message names it."""


def _raw(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def envbool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise SettingError(f"{name}={value!r} is not a yes/no value; use one of {', '.join(TRUE + FALSE)}")


def envint(name: str, default: int, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value.replace("_", ""), 10)
    except ValueError:
        raise SettingError(f"{name}={value!r} is not a whole number (write bytes and seconds as plain digits)") from None
    if minimum is not None and number < minimum:
        raise SettingError(f"{name}={value!r} is too small; it must be at least {minimum}")
    return number


def envchoice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = _raw(name)
    if value is None:
        return default
    for choice in choices:
        if value.lower() == choice.lower():
            return choice
    raise SettingError(f"{name}={value!r} is not one of {', '.join(choices)}")
