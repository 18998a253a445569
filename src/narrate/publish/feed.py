"""A podcast feed of built books: RSS 2.0 with the `itunes` and Podcasting 2.0 `podcast` namespaces.

The feed is a pure function of its channel and episodes: no build time in it, so it
changes only where a book did. ElementTree does the XML escaping.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime

from narrate.timefmt import hours_minutes_seconds

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"
# The Podcasting 2.0 namespace's own UUID: podcast:guid is UUIDv5 of the feed URL in it.
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")

for _prefix, _uri in (("itunes", ITUNES), ("podcast", PODCAST), ("atom", ATOM)):
    ET.register_namespace(_prefix, _uri)


def podcast_guid(feed_url: str) -> str:
    """The channel's podcast:guid: UUIDv5 of the feed URL without its scheme and trailing slashes."""
    bare = feed_url.split("://", 1)[-1].rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


@dataclass(frozen=True)
class Channel:
    """The podcast as a whole."""

    title: str
    link: str  # the catalog's page
    feed_url: str
    description: str
    language: str
    author: str
    image_url: str
    category: str
    explicit: bool = False


@dataclass(frozen=True)
class Episode:
    """One book as a feed item."""

    title: str
    description: str
    guid: str
    published: datetime  # timezone-aware
    link: str
    audio_url: str
    audio_bytes: int
    duration_s: int
    image_url: str
    chapters_url: str | None
    transcript_url: str | None


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def rss(channel: Channel, episodes: list[Episode]) -> str:
    """The feed document.

    Args:
        channel: the podcast's own fields.
        episodes: the items, in the order to list them (newest first is customary).

    Returns:
        The RSS document as UTF-8 text, ending in a newline.
    """
    it, pc = f"{{{ITUNES}}}", f"{{{PODCAST}}}"
    rss = ET.Element("rss", {"version": "2.0"})
    ch = _sub(rss, "channel")
    _sub(ch, f"{{{ATOM}}}link", href=channel.feed_url, rel="self", type="application/rss+xml")
    _sub(ch, "title", channel.title)
    _sub(ch, "link", channel.link)
    _sub(ch, "description", channel.description)
    _sub(ch, "language", channel.language)
    _sub(ch, f"{it}author", channel.author)
    owner = _sub(ch, f"{it}owner")
    _sub(owner, f"{it}name", channel.author)
    _sub(ch, f"{it}image", href=channel.image_url)
    image = _sub(ch, "image")
    _sub(image, "url", channel.image_url)
    _sub(image, "title", channel.title)
    _sub(image, "link", channel.link)
    ET.SubElement(ch, f"{it}category", {"text": channel.category})  # Apple reads the attribute
    _sub(ch, f"{it}explicit", "true" if channel.explicit else "false")
    _sub(ch, f"{it}type", "episodic")
    _sub(ch, f"{pc}guid", podcast_guid(channel.feed_url))
    _sub(ch, f"{pc}locked", "no")
    for episode in episodes:
        item = _sub(ch, "item")
        _sub(item, "title", episode.title)
        _sub(item, f"{it}title", episode.title)
        _sub(item, "description", episode.description)
        _sub(item, "link", episode.link)
        _sub(item, "enclosure", url=episode.audio_url, length=str(episode.audio_bytes), type="audio/mpeg")
        _sub(item, "guid", episode.guid, isPermaLink="false")
        _sub(item, "pubDate", format_datetime(episode.published))
        _sub(item, f"{it}duration", hours_minutes_seconds(episode.duration_s * 1000))
        _sub(item, f"{it}image", href=episode.image_url)
        _sub(item, f"{it}explicit", "true" if channel.explicit else "false")
        _sub(item, f"{it}episodeType", "full")
        if episode.chapters_url:
            _sub(item, f"{pc}chapters", url=episode.chapters_url, type="application/json+chapters")
        if episode.transcript_url:
            _sub(item, f"{pc}transcript", url=episode.transcript_url, type="text/vtt")
    ET.indent(rss)
    return ET.tostring(rss, encoding="unicode", xml_declaration=False).join(
        ('<?xml version="1.0" encoding="UTF-8"?>\n', "\n")
    )
