"""The pages the screenshot tour (screenshots.py) visits by address, public then organizer;
the pages reached through forms (signing, confirming, letters, calls) are in its Tour."""

from petition import demo

SLUG = demo.ECPS_SLUG


def public_pages():
    """Pages anyone reaches by typing or following a link: (name, path)."""
    return [
        ("home", "/"), ("petition", f"/petitions/{SLUG}"),
        ("petition-wards", f"/petitions/{SLUG}/wards"), ("widget", f"/petitions/{SLUG}/widget"),
        ("lookup", "/lookup"), ("lookup-found", "/lookup?address=1958+N+Milwaukee+Ave"),
        ("lookup-near-line", "/lookup?address=1600+N+Milwaukee+Ave"),
        ("lookup-misspelled", "/lookup?address=5801+S+Elys+Ave"),
        ("lookup-unmatched", "/lookup?address=12+Nowhere+Street"),
        ("lookup-outside", "/lookup?address=1600+Chicago+Ave,+Evanston+IL"),
        ("lookup-wards", "/lookup/wards"), ("lookup-ward-32", "/lookup?ward=32"),
        ("bad-token", "/confirm/not-a-token"), ("not-found", "/no-such-page"),
        ("login", "/organizer/login"), ("about", "/about"), ("privacy", "/privacy"),
        ("alders", f"/petitions/{SLUG}/alders"),
        ("alders-sorted", f"/petitions/{SLUG}/alders?sort=stance&stance=supports"),
        ("alders-widget", f"/petitions/{SLUG}/alders/widget"),
        ("tirc-petition", f"/petitions/{demo.TIRC_SLUG}"),
        ("tirc-districts", f"/petitions/{demo.TIRC_SLUG}/districts"),
        ("tirc-members", f"/petitions/{demo.TIRC_SLUG}/members"),
    ]


def organizer_pages(blast_id):
    """Every organizer page: (name, path)."""
    base = f"/organizer/petitions/{SLUG}"
    return [
        ("org-index", "/organizer/"), ("org-dashboard", base), ("org-edit", base + "/edit"),
        ("org-emails", base + "/emails"), ("org-email", f"{base}/emails/{blast_id}"),
        ("org-email-edit", f"{base}/emails/{blast_id}/edit"),
        ("org-email-new", base + "/emails/new"), ("org-exports", base + "/exports"),
        ("org-flagged", base + "/flagged"), ("org-invalidate", base + "/invalidate"),
        ("org-letters", base + "/letters"), ("org-letter-campaign", base + "/letters/campaign"),
        ("org-petition-organizers", base + "/organizers"),
        ("org-packet", base + "/wards/32/packet"), ("org-stance", base + "/wards/32/stance"),
        ("org-ward-goals", base + "/ward-goals"), ("org-audit", "/organizer/admin/audit"),
        ("org-organizers", "/organizer/admin/organizers"),
        ("org-new-petition", "/organizer/petitions/new"), ("org-paper", base + "/paper"),
        ("org-tirc-dashboard", f"/organizer/petitions/{demo.TIRC_SLUG}"),
        ("org-tirc-letters", f"/organizer/petitions/{demo.TIRC_SLUG}/letters"),
        ("org-tirc-letter-campaign", f"/organizer/petitions/{demo.TIRC_SLUG}/letters/campaign"),
        ("org-tirc-exports", f"/organizer/petitions/{demo.TIRC_SLUG}/exports"),
        ("org-tirc-packet", f"/organizer/petitions/{demo.TIRC_SLUG}/districts/4/packet"),
        ("org-import", base + "/import"),
        ("org-sources", base + "/sources"),
    ]
