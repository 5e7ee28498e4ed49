"""Running text of a standard as the pages show it: cross-references as links showing the
target's current number, footnotes as their numbers with the note on hover."""

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from texts.rules.structure import segments, term_note_label

register = template.Library()


@register.simple_tag(takes_context=True)
def inline(context, text, element=None, text_index=0):
    numbering = context.get("numbering")
    html = []
    for segment in segments(text or "", numbering, element, text_index):
        if segment.kind == "text":
            html.append(escape(segment.text))
        elif segment.kind == "ref":
            html.append(format_html('<a class="xref" href="#part-{}">{}</a>',
                                    segment.value, segment.text))
        elif segment.text.endswith(")"):
            # A numbered footnote: its text is listed under the clause (#fn-N).
            html.append(format_html(
                '<sup class="footnote"><a href="#fn-{}" title="{}">{}</a></sup>',
                segment.text.rstrip(")"), segment.value, segment.text))
        else:
            html.append(format_html('<sup class="footnote" title="{}">{}</sup>',
                                    segment.value, segment.text))
    return mark_safe("".join(html))  # noqa: S308 — every piece escaped above


@register.filter
def kind_of(node):
    return type(node).__name__


@register.simple_tag
def term_note(index):
    return term_note_label(index)


@register.simple_tag
def translate_missing_image():
    return _("No image yet.")
