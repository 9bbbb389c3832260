"""Figures the security tests measure, printed at the end of the run."""

FIGURES: dict[str, str] = {}


def record(name: str, value: object) -> None:
    FIGURES[name] = str(value)
