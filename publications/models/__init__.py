"""Publications: the magazine "México Transparente" and the "Los ABC" booklets.

One module per concern; everything is importable from ``publications.models``.
"""

from .booklets import (
    BookletIndexPage,
    BookletPage,
    BookletSeries,
    EditionPage,
    PendingReformNotice,
)
from .calls import ArticleFromEntry
from .files import PublicationFile
from .laws import Law, Reform
from .magazine import (
    ArticleAuthor,
    ArticlePage,
    Author,
    IssuePage,
    IssueTocEntry,
    MagazinePage,
    Section,
)
from .settings import PublicationSettings
from .stats import ReadingCount
from .workflow import CommitteeReviewTask, CommitteeReviewTaskState, ReviewVote

__all__ = [
    "ArticleAuthor", "ArticlePage", "Author", "BookletIndexPage", "BookletPage", "BookletSeries",
    "EditionPage", "IssuePage", "IssueTocEntry", "Law", "MagazinePage", "PublicationFile",
    "PendingReformNotice", "PublicationSettings", "ReadingCount", "Reform", "Section",
    "CommitteeReviewTask", "CommitteeReviewTaskState", "ReviewVote",
    "ArticleFromEntry",
]
