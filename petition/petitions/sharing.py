"""Share links and meta tags for a petition: plain links, no third-party scripts."""

from urllib.parse import quote, urlencode


def share_links(title, url, message):
    """(network, href) pairs for WhatsApp, Facebook, X and email."""
    text = f"{message} {url}"
    return [
        ("whatsapp", "https://wa.me/?" + urlencode({"text": text})),
        ("facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
        ("x", "https://x.com/intent/post?" + urlencode({"text": message, "url": url})),
        ("email", f"mailto:?subject={quote(title)}&body={quote(text)}"),
    ]


def embed_snippet(widget_url, title):
    """The iframe organizers paste into their own sites."""
    safe_title = title.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return (f'<iframe src="{widget_url}" title="{safe_title}" width="340" height="230" '
            f'loading="lazy" style="border:0;max-width:100%"></iframe>')
