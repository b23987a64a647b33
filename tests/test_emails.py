"""Email syntax checks and the normal form of an address."""

import pytest

from petition.mail.addresses import InvalidEmail, check_email, mask_email, normalize_email


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("Ana@Example.org", "ana@example.org"),
        ("  ana@example.org  ", "ana@example.org"),
        ("ana+ecps@example.org", "ana@example.org"),
        ("a.n.a@gmail.com", "ana@gmail.com"),
        ("A.N.A+x@GoogleMail.com", "ana@gmail.com"),
        ("a.n.a@example.org", "a.n.a@example.org"),  # dots matter outside Gmail
        ("+tag@example.org", "+tag@example.org"),
    ],
)
def test_normalize_email(typed, normal):
    assert normalize_email(typed) == normal


@pytest.mark.parametrize("bad", ["", "ana", "ana@", "@example.org", "ana@@example.org",
                                 "ana@example", "ana example@x.org", "ana@exa_mple.org"])
def test_check_email_refuses_bad_syntax(bad):
    with pytest.raises(InvalidEmail):
        check_email(bad)


def test_check_email_does_no_network_lookup():
    assert check_email("someone@no-such-domain-for-sure.example") == (
        "someone@no-such-domain-for-sure.example"
    )


def test_mask_email():
    assert mask_email("ana@example.org") == "a***@example.org"
