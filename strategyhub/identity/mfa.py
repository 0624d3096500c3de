"""The allauth MFA adapter: TOTP seeds are stored encrypted (strategyhub/identity/encryption)."""

from __future__ import annotations

import re

from allauth.mfa.adapter import DefaultMFAAdapter

from strategyhub.identity import encryption


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return encryption.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return encryption.decrypt(encrypted_text)

    def build_totp_svg(self, url: str) -> str:
        """The QR code as SVG markup for inline use: no XML declaration, and sized by CSS
        (``.sh-totp-qr``) rather than in millimetres."""
        svg = super().build_totp_svg(url)
        svg = re.sub(r"^<\?xml[^>]*\?>\s*", "", svg)
        return re.sub(r'\s(width|height)="[^"]*"', "", svg, count=2)
