"""feed.py: the RSS document alone, read back by feedparser and ElementTree."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import feedparser

from narrate.publish import feed


def _channel(**changes) -> feed.Channel:
    fields = dict(
        title="Essays & <Things>", link="https://x.org/p/index.html", feed_url="https://x.org/p/feed.xml",
        description="About ]]> and 'quotes'", language="en", author="A. Writer",
        image_url="https://x.org/p/cover.jpg", category="Arts",
    )
    return feed.Channel(**{**fields, **changes})


def _episode(**changes) -> feed.Episode:
    fields = dict(
        title="One", description="First", guid="g-1", published=datetime(2024, 5, 1, 12, tzinfo=timezone.utc),
        link="https://x.org/p/b/one/", audio_url="https://x.org/p/b/one.mp3", audio_bytes=12345, duration_s=3725,
        image_url="https://x.org/p/b/one.jpg", chapters_url="https://x.org/p/b/one.json", transcript_url=None,
    )
    return feed.Episode(**{**fields, **changes})


def test_podcast_guid_follows_the_namespace_example():
    # The example in the Podcasting 2.0 namespace's <podcast:guid> section.
    assert feed.podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml") == "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    assert feed.podcast_guid("mp3s.nashownotes.com/pc20rss.xml/") == "917393e3-1b1e-5cef-ace4-edaa54e1f810"


def test_apple_required_tags_are_there_and_read_back():
    text = feed.rss(_channel(), [_episode()])
    root = ET.fromstring(text)
    it = f"{{{feed.ITUNES}}}"
    channel = root.find("channel")
    assert channel.find(f"{it}category").get("text") == "Arts"
    assert channel.find(f"{it}explicit").text == "false"
    assert channel.find(f"{it}image").get("href") == "https://x.org/p/cover.jpg"
    parsed = feedparser.parse(text.encode())
    assert not parsed.bozo
    assert parsed.feed.title == "Essays & <Things>" and parsed.feed.subtitle == "About ]]> and 'quotes'"
    (entry,) = parsed.entries
    assert entry.itunes_duration == "1:02:05" and entry.id == "g-1"
    assert entry.published == "Wed, 01 May 2024 12:00:00 +0000"
    assert "podcast_transcript" not in entry  # none given, none written


def test_the_same_input_gives_the_same_bytes():
    assert feed.rss(_channel(), [_episode()]) == feed.rss(_channel(), [_episode()])
