"""Tenant resolution and scoping for every request.

For a URL with an ``org_slug`` the agency is looked up once, and the whole request — view
*and* template rendering — runs inside ``django_scopes.scope(organization=…)``. Staff URLs
(``/o/<slug>/``) also need an active membership: anonymous visitors are sent to log in, and
everybody else who is not an active member gets the same plain 404 as for an agency that
does not exist. The agency's time zone is active for the whole request too, so every
aware datetime a template shows is in the agency's local time, and so are its date style
and language (a person's own language first, strategyhub/language.py). Requests with no agency in
the URL run with no scope open, so any query for tenant data there raises ``ScopeError``
(fails closed). Django admin, which platform staff
use across agencies, runs with scopes disabled.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from strategyhub.language import QUERY_PARAMETER, for_public, for_staff, supported
from strategyhub.models import Membership, Organization, User
from strategyhub.permissions import MemberPermissions
from strategyhub.security_headers import allow_framing
from strategyhub.ui import dates

# The stored key keeps its old word, so signed-in people keep their last organization.
SESSION_LAST_ORGANIZATION = "strategyhub.last_agency"


class TenantMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.organization = None
        request.membership = None
        request.perms = None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self._without_agency(request)

        if "admin" in match.namespaces:
            with scopes_disabled():
                return self.get_response(request)

        slug = match.kwargs.get("org_slug")
        if slug is None:
            return self._without_agency(request)

        is_public = "public" in match.namespaces
        if not is_public and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())

        membership = None
        if is_public:
            organization = Organization.objects.filter(slug=slug, is_active=True).first()
        else:
            # Agency, membership and home unit in one query, which also reads the person's
            # other agencies (the header's switcher, ``request.memberships``).
            memberships = memberships_of(request.user)
            request.memberships = memberships
            membership = next((m for m in memberships if m.organization.slug == slug), None)
            # Not a member, or no such agency: the same answer, and nothing about the agency
            # is set on the request, so the 404 page cannot show it.
            organization = membership.organization if membership else None
        if organization is None:
            raise Http404
        if is_public:
            language = for_public(request.GET.get(QUERY_PARAMETER), organization)
        else:
            language = for_staff(request.user, organization)
        # Times on the agency's pages are in its own time zone (templates name the zone), in
        # its date style; the page speaks the person's, the agency's or the browser's language.
        with (
            scope(organization=organization),
            timezone.override(organization.tz),
            dates.override(organization.date_style),
            translation.override(language),
        ):
            if membership is not None:
                membership.user = request.user
                request.membership = membership
                request.perms = MemberPermissions(membership)
                if request.session.get(SESSION_LAST_ORGANIZATION) != slug:
                    request.session[SESSION_LAST_ORGANIZATION] = slug
            request.organization = organization
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.headers["Content-Language"] = language
        if is_public:
            # Framable only by the origins the agency lists (strategyhub.security_headers).
            allow_framing(response, organization.embed_origins)
        return response

    def _without_agency(self, request: HttpRequest) -> HttpResponse:
        """A page outside any agency (sign-in, profile, the agency list): a signed-in
        person's own language when they chose one, else the browser's."""
        chosen = supported(getattr(request.user, "language", None))
        if not chosen:
            return self.get_response(request)
        with translation.override(chosen):
            request.LANGUAGE_CODE = chosen
            response = self.get_response(request)
        response.headers["Content-Language"] = chosen
        return response


def memberships_of(user: User) -> list[Membership]:
    """The user's active memberships in active agencies, by agency name, each with its
    agency (and that agency's sign-in rules) and home unit: one query, from which the
    request's agency is picked and the agency switcher is drawn. The tenant scope is not
    open yet: it is lifted for this one query, which is itself filtered by this user (the
    switcher's deliberate cross-agency read, ``strategyhub.models.organizations_of``)."""
    with scopes_disabled():
        return list(
            Membership.objects.active()
            .filter(user=user, organization__is_active=True)
            # With the agency's sign-in rules (strategyhub/identity/sessions.py).
            .select_related("unit", "organization", "organization__sign_in_policy")
            .order_by("organization__name", "pk")
        )


def membership_for(user: User, slug: str) -> Membership | None:
    """The user's active membership in the active agency ``slug``, with the agency and unit
    loaded, or None."""
    return next((m for m in memberships_of(user) if m.organization.slug == slug), None)
