"""Demo content of publications (``bootstrap --demo``): the magazine and the booklets."""

from .booklets import build_booklet_demo
from .magazine import build_magazine_demo
from .workflow import demo_reviewers, run_demo_workflow

__all__ = ["build_booklet_demo", "build_magazine_demo", "demo_reviewers", "run_demo_workflow"]
