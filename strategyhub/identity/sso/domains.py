"""An agency's email domains: claimed by its admin, verified by a DNS TXT record with the
domain's token, or by a link mailed to one of the domain's administrative mailboxes (the
ones certificate authorities accept: admin@, administrator@, hostmaster@, postmaster@,
webmaster@). A verified domain belongs to one agency only; until verified a claim gives
nothing, so claiming a domain first takes nothing from its real owner."""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django_scopes import scopes_disabled  # type: ignore[import-untyped]

from strategyhub.identity.sso.models import DomainMethod, EmailDomain
from strategyhub.models import Organization, User

ADMIN_MAILBOXES = ("admin", "administrator", "hostmaster", "postmaster", "webmaster")
DOMAIN_RE = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
CONFIRM_SALT = "strategyhub.identity.domain-mailbox"
CONFIRM_MAX_AGE = 3 * 24 * 60 * 60


class DomainError(Exception):
    """A domain action the rules refuse; the message says why."""


def domain_of(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def is_verified_for(organization: Organization, email: str) -> bool:
    domain = domain_of(email)
    if not domain:
        return False
    with scopes_disabled():
        return EmailDomain._base_manager.filter(
            organization=organization, domain__iexact=domain, verified_at__isnull=False
        ).exists()


def verified_owner(email: str) -> Organization | None:
    """The agency for which ``email``'s domain is verified, if any (one at most)."""
    with scopes_disabled():
        row = (
            EmailDomain._base_manager.select_related("organization")
            .filter(domain__iexact=domain_of(email), verified_at__isnull=False)
            .first()
        )
    return row.organization if row else None


def normalise(domain: str) -> str:
    value = domain.strip().lower().rstrip(".")
    if value.startswith("@"):
        value = value[1:]
    try:
        value = value.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise DomainError(
            gettext("“%(domain)s” is not a domain name.") % {"domain": domain}
        ) from exc
    if not DOMAIN_RE.match(value):
        raise DomainError(
            gettext("“%(domain)s” is not a domain name (for example “riverton.gov”).")
            % {"domain": domain}
        )
    return value


def claim(organization: Organization, domain: str) -> EmailDomain:
    value = normalise(domain)
    with scopes_disabled():
        if EmailDomain._base_manager.filter(organization=organization, domain=value).exists():
            raise DomainError(gettext("%(domain)s is listed already.") % {"domain": value})
        if (
            EmailDomain._base_manager.filter(domain=value, verified_at__isnull=False)
            .exclude(organization=organization)
            .exists()
        ):
            raise DomainError(
                gettext("%(domain)s is verified for another agency.") % {"domain": value}
            )
        try:
            with transaction.atomic():
                return EmailDomain._base_manager.create(
                    organization=organization, domain=value, token=secrets.token_urlsafe(24)
                )
        except IntegrityError as exc:  # a double submit
            raise DomainError(gettext("%(domain)s is listed already.") % {"domain": value}) from exc


def remove(row: EmailDomain) -> None:
    with scopes_disabled():
        EmailDomain._base_manager.filter(pk=row.pk).delete()


def _mark_verified(row: EmailDomain, method: str, by: User | None) -> EmailDomain:
    with scopes_disabled():
        try:
            with transaction.atomic():
                updated = EmailDomain._base_manager.filter(pk=row.pk, verified_at=None).update(
                    verified_at=timezone.now(), method=method, verified_by=by
                )
        except IntegrityError as exc:
            raise DomainError(
                gettext("%(domain)s was verified for another agency meanwhile.")
                % {"domain": row.domain}
            ) from exc
        if not updated and not EmailDomain._base_manager.filter(pk=row.pk).exists():
            raise DomainError(gettext("That domain is no longer listed."))
        row.refresh_from_db()
    return row


def txt_records(name: str) -> list[str]:
    """The TXT strings of ``name`` (dnspython; ``STRATEGYHUB_DNS_NAMESERVERS`` names the
    resolvers, else the system's)."""
    import dns.exception
    import dns.resolver

    resolver = dns.resolver.Resolver(configure=not settings.STRATEGYHUB_DNS_NAMESERVERS)
    if settings.STRATEGYHUB_DNS_NAMESERVERS:
        resolver.nameservers = []
        for server in settings.STRATEGYHUB_DNS_NAMESERVERS:
            host, _, port = server.partition(":")
            resolver.nameservers.append(host)
            if port:
                resolver.port = int(port)
    resolver.lifetime = 5
    try:
        answer = resolver.resolve(name, "TXT")
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return []
    except dns.exception.DNSException as exc:
        raise DomainError(
            gettext("The DNS lookup of %(name)s failed; try again in a few minutes.")
            % {"name": name}
        ) from exc
    return [b"".join(record.strings).decode(errors="replace") for record in answer]


def verify_by_dns(row: EmailDomain, by: User | None) -> EmailDomain:
    if row.is_verified:
        return row
    if row.txt_record not in txt_records(row.domain):
        raise DomainError(
            gettext(
                "No TXT record “%(record)s” was found on %(domain)s yet. DNS changes can "
                "take a while to show; try again later."
            )
            % {"record": row.txt_record, "domain": row.domain}
        )
    return _mark_verified(row, DomainMethod.DNS, by)


def send_mailbox_link(row: EmailDomain, mailbox: str) -> str:
    """Mail a confirmation link to ``mailbox``@domain (an administrative mailbox)."""
    from strategyhub.emails import send_templated, site_url

    if mailbox not in ADMIN_MAILBOXES:
        raise DomainError(gettext("Choose one of the domain's administrative mailboxes."))
    address = f"{mailbox}@{row.domain}"
    token = signing.dumps({"d": row.pk, "t": row.token}, salt=CONFIRM_SALT)
    send_templated(
        address,
        gettext("Confirm %(domain)s for %(agency)s on StrategyHub")
        % {"domain": row.domain, "agency": row.organization.name},
        "domain_confirmation",
        {
            "domain": row.domain,
            "organization": row.organization,
            "confirm_url": site_url(reverse("sso_domain_confirm", kwargs={"token": token})),
        },
    )
    return address


def row_of_link(token: str) -> EmailDomain:
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature as exc:
        raise DomainError(gettext("This confirmation link is not valid or has expired.")) from exc
    with scopes_disabled():
        row = (
            EmailDomain._base_manager.select_related("organization")
            .filter(pk=data.get("d"), token=data.get("t"))
            .first()
        )
    if row is None:
        raise DomainError(gettext("This confirmation link is not valid or has expired."))
    return row


def confirm_mailbox(token: str) -> EmailDomain:
    row = row_of_link(token)
    if row.is_verified:
        return row
    return _mark_verified(row, DomainMethod.MAILBOX, None)
