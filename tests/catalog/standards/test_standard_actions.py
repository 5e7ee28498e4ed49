"""Catalog changes are actions: the shell gets the permission, reason and history rules the
pages get."""

import pytest
from django.core.exceptions import PermissionDenied

from audit.actions import ActionError
from catalog.actions.standards import SaveStandard
from catalog.models import Standard, Supersession


def test_add_standard_records_the_user_on_the_standard_and_its_links(seeded, office):
    old = Standard.objects.get(number="GB/T 1.1—2020")
    standard = SaveStandard(office, Standard(number="GB/T 1.1—2026", title="新版"),
                            replaces=[old]).execute()
    assert standard.history.get().history_user == office
    link = Supersession.objects.get(new=standard, old=old)
    assert link.history.get().history_user == office


def test_editing_a_standard_needs_a_reason_and_the_permission(seeded, users):
    standard = Standard.objects.get(number="GB/T 1.1—2020")
    standard.title = "改名"
    with pytest.raises(ActionError):
        SaveStandard(users["office"], standard).execute()
    with pytest.raises(PermissionDenied):
        SaveStandard(users["viewer"], standard, "不该").execute()
    SaveStandard(users["office"], standard, "更正标题").execute()
    assert standard.history.latest().history_change_reason == "更正标题"
