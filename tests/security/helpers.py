"""Shared by the security tests: TOTP codes as an authenticator app computes them."""

import time

from django_otp.oath import TOTP


def next_code(user):
    """The next code the user's confirmed device takes: the step after the last one it took.
    (A code for "now + 30 s" fails when the enrolment's code was checked just after a step
    boundary: the device then keeps a drift of -1 and looks one step back.)"""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = device.t0 + (device.last_t + 1) * device.step
    return f"{totp.token():06d}"


def totp_code(key_hex):
    """The code an app shows now."""
    device = TOTP(bytes.fromhex(key_hex))
    device.time = time.time()
    return f"{device.token():06d}"


def key_from_base32(secret):
    import base64

    return base64.b32decode(secret).hex()
