"""No page wider than the phone, no table of counts whose count column is cut off, and no
scoreboard row that scrolls sideways or whose text is cut off: every public and organizer page
at 320, 360 and 390 px, in English and Spanish, reached the way people reach them
(scripts/screenshots.py)."""

import pytest

from scripts.screenshots import LOCALES, ReviewSite, Tour
from tests.e2e.conftest import ARTIFACTS

PHONE_WIDTHS = (320, 360, 390)


@pytest.fixture(scope="module")
def review_site(tmp_path_factory):
    site = ReviewSite(tmp_path_factory.mktemp("review"))
    yield site
    site.stop()


@pytest.mark.parametrize("width", PHONE_WIDTHS)
@pytest.mark.parametrize("language", list(LOCALES))
def test_no_page_is_wider_than_the_phone(browser, review_site, language, width):
    # Pictures of the pages too wide are kept for whoever fixes them.
    pictures = ARTIFACTS / f"too-wide-{language}-{width}"
    too_wide = Tour(browser, review_site, language, width, pictures, only_too_wide=True).run()
    assert too_wide == {}
