"""Views outside any agency: home, agency chooser, profile, invitation acceptance."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods
from django_scopes import scope, scopes_disabled

from strategyhub.forms import AcceptInvitationForm, ProfileForm
from strategyhub.identity.accounts import EMAIL_SIGN_IN_BACKEND
from strategyhub.identity.models import SecurityEvent
from strategyhub.language import choose
from strategyhub.members import MemberError, accept_invitation
from strategyhub.middleware import SESSION_LAST_ORGANIZATION
from strategyhub.models import INVITATION_PROBLEMS, Invitation, User, organizations_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send the member to the agency they used last, their only agency, or the chooser."""
    memberships = organizations_of(request.user)
    last = request.session.get(SESSION_LAST_ORGANIZATION)
    slugs = [m.organization.slug for m in memberships]
    if last in slugs:
        return redirect("agency:dashboard", org_slug=last)
    if len(slugs) == 1:
        return redirect("agency:dashboard", org_slug=slugs[0])
    return redirect("agencies")


@login_required
def organizations(request: HttpRequest) -> HttpResponse:
    return render(request, "account/agencies.html", {"memberships": organizations_of(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # Said in the language just chosen (else the browser's, as this page's).
        with translation.override(choose(user.language, fallback=translation.get_language())):
            messages.success(request, gettext("Your profile was saved."))
        return redirect("profile")
    return render(
        request,
        "account/profile.html",
        {
            "form": form,
            "memberships": organizations_of(request.user),
            "security_events": SecurityEvent.objects.of_person(request.user)[:20],
        },
    )


def _invitation_from_token(token: str) -> tuple[Invitation | None, str | None]:
    try:
        invitation_id = Invitation.id_from_token(token)
    except signing.SignatureExpired:
        return None, gettext(
            "This invitation has expired. Ask the agency's admin to send a new one."
        )
    except signing.BadSignature:
        return None, gettext("This invitation link is not valid. Check that you copied all of it.")
    # The token is the only credential here; which agency it belongs to comes from the row.
    with scopes_disabled():
        invitation = (
            Invitation.objects.select_related("organization").filter(pk=invitation_id).first()
        )
    if invitation is None or not invitation.organization.is_active:
        return None, gettext("This invitation link is not valid.")
    return invitation, None


@require_http_methods(["GET", "POST"])
def accept_invitation_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation, error = _invitation_from_token(token)
    if invitation is None:
        return render(request, "account/invitation_problem.html", {"error": error}, status=400)
    organization = invitation.organization
    with scope(organization=organization):
        state = invitation.state
        if state != "pending":
            return render(
                request,
                "account/invitation_problem.html",
                {"error": INVITATION_PROBLEMS[state]},
                status=410,
            )
        context = {"invitation": invitation, "invited_organization": organization}
        if request.user.is_authenticated:
            if request.user.email != invitation.email:
                context["wrong_account"] = True
                return render(request, "account/invitation_accept.html", context, status=403)
            if request.method == "POST":
                try:
                    accept_invitation(invitation, user=request.user)
                except MemberError as exc:
                    messages.error(request, str(exc))
                    return redirect("home")
                messages.success(
                    request, gettext("Welcome to %(name)s.") % {"name": organization.name}
                )
                return redirect("agency:dashboard", org_slug=organization.slug)
            return render(request, "account/invitation_accept.html", context)

        if User.objects.filter(email__iexact=invitation.email).exists():
            context["login_url"] = (
                reverse("account_login") + "?next=" + reverse("accept_invitation", args=[token])
            )
            context["existing_account"] = True
            return render(request, "account/invitation_accept.html", context)

        form = AcceptInvitationForm(
            request.POST or None,
            email=invitation.email,
            initial={"full_name": invitation.full_name},  # the inviter's, if known
        )
        if request.method == "POST" and form.is_valid():
            try:
                membership = accept_invitation(
                    invitation,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                )
            except MemberError as exc:
                form.add_error(None, str(exc))
            else:
                login(request, membership.user, backend=EMAIL_SIGN_IN_BACKEND)
                messages.success(
                    request,
                    gettext("Your account was created. Welcome to %(name)s.")
                    % {"name": organization.name},
                )
                return redirect("agency:dashboard", org_slug=organization.slug)
        context["form"] = form
        return render(request, "account/invitation_accept.html", context)
