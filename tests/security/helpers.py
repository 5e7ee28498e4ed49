"""Shared by the security tests: TOTP codes as an authenticator app computes them."""

import time

from django_otp.oath import TOTP


def totp_code(key_hex, ahead=0):
    """The code an app shows now (``ahead`` steps later: the device accepts the next step,
    and never the same step twice)."""
    device = TOTP(bytes.fromhex(key_hex))
    device.time = time.time() + 30 * ahead
    return f"{device.token():06d}"


def key_from_base32(secret):
    import base64

    return base64.b32decode(secret).hex()
