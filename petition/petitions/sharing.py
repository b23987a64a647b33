"""Share links and meta tags for a petition: plain links, no third-party scripts."""

from urllib.parse import quote, urlencode


def with_source(url, network):
    """The petition link as shared on `network`: signatures through it keep the network
    as their source (signing.sources)."""
    return f"{url}{'&' if '?' in url else '?'}{urlencode({'source': network})}"


def share_links(title, url, message):
    """(network, href) pairs for WhatsApp, Facebook, X and email, each link carrying its
    network as the source."""
    whatsapp, facebook, x, email = (with_source(url, n) for n in ("whatsapp", "facebook", "x",
                                                                  "email"))
    return [
        ("whatsapp", "https://wa.me/?" + urlencode({"text": f"{message} {whatsapp}"})),
        ("facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": facebook})),
        ("x", "https://x.com/intent/post?" + urlencode({"text": message, "url": x})),
        ("email", f"mailto:?subject={quote(title)}&body={quote(f'{message} {email}')}"),
    ]


def embed_snippet(widget_url, title):
    """The iframe organizers paste into their own sites."""
    safe_title = title.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return (f'<iframe src="{widget_url}" title="{safe_title}" width="340" height="230" '
            f'loading="lazy" style="border:0;max-width:100%"></iframe>')
