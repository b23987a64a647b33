"""Organizers' templates: placeholders only, in a sandbox, refused at save time otherwise."""

import pytest

from petition.mail import sandbox as mail_templates
from petition.mail.sandbox import TemplateProblem

VALUES = {"alder_name": "Daniel La Spata", "greeting": "Dear Alder Daniel La Spata", "ward": "1",
          "first_name": "Ana",
          "last_name": "Díaz", "full_name": "Ana Díaz", "address": "1958 N Milwaukee Ave",
          "petition_title": "ECPS", "petition_url": "https://petitions.example.org/p/ecps"}

# Each one tries to reach the app's internals, or uses what templates may not use.
HOSTILE = [
    "{{ config }}",
    "{{ config.SECRET_KEY }}",
    "{{ ''.__class__.__mro__ }}",
    "{{ ().__class__.__base__.__subclasses__() }}",
    "{{ self }}",
    "{{ self.__init__.__globals__ }}",
    "{% for x in ().__class__.__base__.__subclasses__() %}{{ x }}{% endfor %}",
    "{% for x in [1] %}{{ x }}{% endfor %}",
    "{{ foo.bar }}",
    "{{ foo }}",
    "{{ request }}",
    "{{ request.environ }}",
    "{{ session }}",
    "{{ g }}",
    "{{ url_for('petitions.index') }}",
    "{{ get_flashed_messages() }}",
    "{{ lipsum() }}",
    "{{ range(10) }}",
    "{{ cycler }}",
    "{{ joiner }}",
    "{{ namespace() }}",
    "{{ dict(a=1) }}",
    "{{ first_name.__class__ }}",
    "{{ first_name.upper() }}",
    "{{ first_name['__class__'] }}",
    "{{ first_name|attr('__class__') }}",
    "{{ first_name|format('%s') }}",
    "{{ first_name|map('upper')|list }}",
    "{{ first_name is defined }}",
    "{% set x = 1 %}",
    "{% set x %}y{% endset %}",
    "{% include 'base.html' %}",
    "{% extends 'base.html' %}",
    "{% import 'base.html' as b %}",
    "{% from 'public/_field.html' import field %}",
    "{% macro m() %}x{% endmacro %}",
    "{% block b %}x{% endblock %}",
    "{% filter upper %}x{% endfilter %}",
    "{% with a = 1 %}{{ a }}{% endwith %}",
    "{{ 9 ** 9 ** 9 }}",
    "{{ 'a' * 100000000 }}",
    "{{ ward > 10 }}",  # "1" > 10 fails at the trial render
    "{% if %}",
    "{{ first_name",
    "{% endif %}",
]


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_templates_are_refused(app, source):
    with app.test_request_context():
        with pytest.raises(TemplateProblem) as problem:
            mail_templates.check(source, petition_title="ECPS", petition_url="https://x/")
        assert str(problem.value)
        # The render path refuses them too (a template stored by other means).
        with pytest.raises(TemplateProblem):
            mail_templates.render(source, VALUES)


# Deeper than Python can compile or the stack can hold (RecursionError, "too many nested
# parentheses", "too many levels of indentation"), each within the size limit.
TOO_DEEP = {
    "3000 filters": "{{ x" + "|upper" * 3000 + " }}",
    "3000 filters on a placeholder": "{{ first_name" + "|upper" * 3000 + " }}",
    "300 filters": "{{ first_name" + "|upper" * 300 + " }}",
    "300 nots": "{{ " + "not " * 300 + "ward }}",
    "1000 ors": "{{ " + " or ".join(["ward"] * 1000) + " }}",
    "250 conditional expressions": "{{ " + "ward if ward else " * 250 + "ward }}",
    "100 nested ifs": "{% if ward %}" * 100 + "x" + "{% endif %}" * 100,
    "700 nested ifs": "{% if ward %}" * 700 + "x" + "{% endif %}" * 700,
    "2000 brackets": "{{ " + "(" * 2000 + "ward" + ")" * 2000 + " }}",
}


@pytest.mark.parametrize("source", TOO_DEEP.values(), ids=TOO_DEEP.keys())
def test_templates_too_deep_to_compile_are_a_clear_refusal(app, source):
    with app.test_request_context():
        with pytest.raises(TemplateProblem) as problem:
            mail_templates.check(source, petition_title="ECPS", petition_url="https://x/")
        assert "nested too deeply" in str(problem.value)
        with pytest.raises(TemplateProblem):
            mail_templates.render(source, VALUES)


def test_deep_but_real_templates_still_work(app):
    every_ward = " or ".join(f"ward == '{n}'" for n in range(1, 51))
    sources = ["{% if " + every_ward + " %}In Chicago{% endif %}",
               "{% if ward %}" * 20 + "x" + "{% endif %}" * 20,
               "{{ first_name" + "|trim|upper" * 15 + " }}"]
    with app.test_request_context():
        for source in sources:
            assert mail_templates.check(source, petition_title="ECPS",
                                        petition_url="https://x/")


@pytest.mark.parametrize("source", ["{{ config }}", "{{ ''.__class__.__mro__ }}",
                                    "{{ request }}", "{{ range(3) }}"])
def test_the_sandbox_alone_would_also_hold(source):
    """Below the rule checks, the environment itself is sandboxed and has no globals, and
    undefined names fail loudly: a rule missed would still not reach the app."""
    from jinja2.exceptions import SecurityError, UndefinedError

    with pytest.raises((SecurityError, UndefinedError)):
        mail_templates._ENV.from_string(source).render(VALUES)


def test_self_in_the_bare_sandbox_is_harmless():
    out = mail_templates._ENV.from_string("{{ self }}").render(VALUES)
    assert out == "<TemplateReference None>"


def test_placeholders_conditions_and_filters_render(app):
    source = ("Dear {{ alder_name|upper }} ({{ 'ward ' ~ ward }}),\n"
              "{% if ward == '1' %}First ward{% elif ward %}Other{% else %}None{% endif %}\n"
              "{{ full_name }}, {{ address }} · {{ petition_title }} {{ petition_url }}\n"
              "{{ first_name or 'friend' }}{# a comment #}")
    with app.test_request_context():
        sample = mail_templates.check(source, petition_title="ECPS", petition_url="https://x/")
    assert sample.startswith("Dear DANIEL LA SPATA (ward 1),\nFirst ward\n")
    out = mail_templates.render(source, dict(VALUES, ward="", alder_name=""))
    assert "(ward )" in out and "None" in out


def test_values_are_never_evaluated(app):
    """A signer's name that looks like a template stays text."""
    out = mail_templates.render("Hi {{ first_name }}",
                                dict(VALUES, first_name="{{ config }}{% for %}"))
    assert out == "Hi {{ config }}{% for %}"


def test_subject_must_stay_on_one_line(app):
    with app.test_request_context():
        with pytest.raises(TemplateProblem):
            mail_templates.check("a\nb", petition_title="t", petition_url="u", one_line=True)
        with pytest.raises(TemplateProblem):
            mail_templates.check("{% if ward == 'x' %}a{% endif %}", petition_title="t",
                                 petition_url="u")  # empty for the sample signer
        with pytest.raises(TemplateProblem):
            mail_templates.check("x" * 20_001, petition_title="t", petition_url="u")


def test_markdown_escaping_keeps_names_as_text():
    from petition.web.templating import render_markdown

    name = "[win](https://evil.example) **bold** <b>x</b> <https://evil.example>"
    html = str(render_markdown(f"Hi {mail_templates.escape_markdown(name)}"))
    assert "<a" not in html and "<strong>" not in html and "<b>" not in html
    assert "[win](https://evil.example)" in html
