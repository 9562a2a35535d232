"""Table tests for entry identity and the new/changed/unchanged decision."""

from service.feeds.dedupe import decide, entry_keys, normalize_link

LONG = "The two governments agreed to coordinate export controls on chip-making equipment."


def keys(feed="f1", guid=None, link=None, title="T", summary=LONG, published=None):
    return entry_keys(feed, guid=guid, link=link, title=title, summary=summary,
                      published_iso=published)


def test_normalize_link_drops_fragment_tracking_and_default_port():
    assert normalize_link("HTTP://Example.GOV:80/a/b?utm_source=x&id=3#top") == \
        "https://example.gov/a/b?id=3"
    assert normalize_link("https://example.gov:8443/a") == "https://example.gov:8443/a"


def test_same_guid_in_two_feeds_is_two_keys_but_same_link_is_one():
    a = keys(feed="f1", guid="42", link="https://x.gov/a")
    b = keys(feed="f2", guid="42", link="https://x.gov/a")
    assert a.keys[0] != b.keys[0]  # guids are only unique within a feed
    assert a.keys[1] == b.keys[1]  # the link identifies the document everywhere


def test_short_summaries_give_no_fingerprint_and_bare_entries_use_title_and_date():
    assert all(not k.startswith("c:") for k in keys(summary="short").keys)
    bare = keys(summary="", published="2026-10-01T00:00:00+00:00")
    assert len(bare.keys) == 1 and bare.keys[0].startswith("t:")
    assert bare.keys != keys(summary="", published="2026-10-02T00:00:00+00:00").keys


def test_decide_new_changed_unchanged():
    stored = keys(guid="1", link="https://x.gov/1")
    known = {k: 10 for k in stored.keys}
    hashes = {10: stored.content_hash}
    changed = keys(guid="1", link="https://x.gov/1", title="T (corrected)")
    fresh = keys(guid="2", link="https://x.gov/2", summary=LONG + " More.")
    decisions = decide([stored, changed, fresh], dict(known), dict(hashes))
    assert [d.action for d in decisions] == ["unchanged", "changed", "new"]
    assert decisions[1].item_id == 10
    assert decisions[2].missing_keys == fresh.keys


def test_decide_repeated_entry_in_one_document_is_a_duplicate_with_its_extra_keys():
    first = keys(guid="a1", link="https://x.gov/a1")
    again = keys(guid="a2", link="https://x.gov/a2")  # same text, posted under a new id
    decisions = decide([first, again], {}, {})
    assert [d.action for d in decisions] == ["new", "duplicate"]
    assert decisions[1].batch_index == 0
    assert set(decisions[1].missing_keys) == {again.keys[0], again.keys[1]}


def test_decide_links_an_entry_seen_in_another_feed():
    other_feed = keys(feed="f1", guid="1", link="https://x.gov/1")
    known = {other_feed.keys[1]: 5}
    mine = keys(feed="f2", guid="zz", link="https://x.gov/1")
    decisions = decide([mine], known, {5: mine.content_hash})
    assert decisions[0].action == "unchanged" and decisions[0].item_id == 5
    assert mine.keys[0] in decisions[0].missing_keys
