"""Development profile: the README's run command. No services needed."""

from .base import *  # noqa: F403
from .base import DATA_DIR

DEBUG = True
INTERNAL_IPS = ["127.0.0.1"]

DATA_DIR.mkdir(parents=True, exist_ok=True)
