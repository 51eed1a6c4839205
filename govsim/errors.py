"""Errors for input files a person wrote: every problem found, each one line."""

from __future__ import annotations


class InputFileError(ValueError):
    """A scenario or experiment file that cannot be used; ``messages`` lists every problem
    found, each naming the key, the value and what was expected."""

    prefix = ""  # e.g. "invalid experiment ", put before the file's name

    def __init__(self, source: str, messages: list[str]) -> None:
        self.source = source
        self.messages = messages
        super().__init__(f"{self.prefix}{source}:\n" + "\n".join(f"  - {m}" for m in messages))
