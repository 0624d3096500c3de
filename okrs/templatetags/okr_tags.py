from django import template

from okrs.calc import SUCCESS
from strategyhub.ui import progress
from strategyhub.ui.formatting import format_score

register = template.Library()


@register.filter
def krfmt(value, key_result):
    return key_result.format(value)


@register.simple_tag
def score_bar(score):
    """A key result's or an objective's 0–1 score as a bar, with success (0.7) marked on it
    and said in words (``strategyhub.ui.progress``); no score yet shows an empty track."""
    return progress.score_bar(score, format_score(score), SUCCESS)


@register.simple_tag(takes_context=True)
def alignment_tree(context, rows):
    """The cycle overview's rows (tree order, with depth) as the nested alignment tree
    (``okrs.tree.render``)."""
    from django.urls import reverse

    from okrs.tree import nest, render

    slug = context["organization"].slug
    objective_prefix = reverse("okrs:objective", args=[slug, 0])[:-2]
    strategic_prefix = reverse("scorecards:objective", args=[slug, 0])[:-2]
    return render(nest(rows), objective_prefix, strategic_prefix)
