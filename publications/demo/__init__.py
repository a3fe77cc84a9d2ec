"""Demo content of publications (``bootstrap --demo``): the magazine and the booklets."""

from .booklets import build_booklet_demo
from .magazine import build_magazine_demo

__all__ = ["build_booklet_demo", "build_magazine_demo"]
