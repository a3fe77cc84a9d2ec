"""Turning a public video address into an embeddable player address, without network calls."""

from urllib.parse import parse_qs, urlparse

_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"}
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


def _youtube_id(parsed) -> str:
    if parsed.netloc == "youtu.be":
        return parsed.path.lstrip("/").split("/")[0]
    if parsed.path == "/watch":
        return parse_qs(parsed.query).get("v", [""])[0]
    for prefix in ("/embed/", "/shorts/", "/live/"):
        if parsed.path.startswith(prefix):
            return parsed.path[len(prefix):].split("/")[0]
    return ""


def embed_src(url: str) -> str:
    """The iframe ``src`` for a YouTube or Vimeo address, or "" when it is neither."""
    if not url:
        return ""
    parsed = urlparse(url)
    host = parsed.netloc.lower()
    if host in _YOUTUBE_HOSTS:
        video_id = _youtube_id(parsed)
        if video_id and video_id.replace("-", "").replace("_", "").isalnum():
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
    if host in _VIMEO_HOSTS:
        video_id = parsed.path.rstrip("/").split("/")[-1]
        if video_id.isdigit():
            return f"https://player.vimeo.com/video/{video_id}"
    return ""
