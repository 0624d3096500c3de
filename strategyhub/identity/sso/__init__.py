"""Single sign-on per agency (docs/security.md, "Single sign-on"): each agency's OpenID
Connect or SAML provider, configured by its admin, signs its staff in through allauth's
socialaccount; the agency's verified email domains decide which accounts a provider may
link or create, and a session signed in through agency A's provider opens agency A only."""
