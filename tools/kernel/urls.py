"""Service URLs as a person may see them: the password in a URL is never shown."""

from __future__ import annotations

from urllib.parse import SplitResult, unquote, urlsplit

HIDDEN = "***"


class NotHttpUrl(ValueError):
    """A URL, but no http(s) one naming a host: what is wrong with it."""


def http_url_parts(url: str) -> SplitResult:
    """``url`` split, if it is an http(s) URL naming a host (its port, if any, valid).

    :class:`NotHttpUrl` says what it lacks; a plain ValueError that it is no URL.
    """
    parts = urlsplit(url)
    parts.port  # noqa: B018 (reading it checks it)
    if parts.scheme not in ("http", "https"):
        raise NotHttpUrl("is not an http(s) URL")
    if not parts.hostname:
        raise NotHttpUrl("names no host")
    return parts


def _parts(url: str) -> SplitResult | None:
    try:
        return urlsplit(url)
    except ValueError:
        return None


def url_password(url: str) -> str | None:
    """The password written in ``url``, if any (as written, and percent-decoded)."""
    parts = _parts(url)
    if parts is None or not parts.netloc or "@" not in parts.netloc:
        return None
    password = parts.netloc.rpartition("@")[0].partition(":")[2]
    return password or None


def masked(url: str) -> str:
    """``url`` with its password replaced by ``***`` (the rest as written)."""
    password = url_password(url)
    if password is None:
        return url
    parts = _parts(url)
    assert parts is not None
    userinfo, _, hostinfo = parts.netloc.rpartition("@")
    user = userinfo.partition(":")[0]
    return parts._replace(netloc=f"{user}:{HIDDEN}@{hostinfo}").geturl()


def scrubbed(text: str, url: str) -> str:
    """``text`` with ``url``'s password hidden wherever it appears (as written or decoded)."""
    password = url_password(url)
    if not password:
        return text
    text = text.replace(url, masked(url))
    for form in {password, unquote(password)}:
        text = text.replace(form, HIDDEN)
    return text
