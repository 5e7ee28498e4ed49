"""Catalog changes are actions: the shell gets the permission, reason and history rules the
pages get."""

import pytest
from django.core.exceptions import PermissionDenied

from audit.actions import ActionError
from catalog.actions import AddStandard, AddTerm, EditStandard, EditTerm
from catalog.models import Standard, Supersession, Term


def test_add_standard_records_the_user_on_the_standard_and_its_links(seeded, office):
    old = Standard.objects.get(number="GB/T 1.1—2020")
    standard = AddStandard(office, Standard(number="GB/T 1.1—2026", title="新版"),
                           replaces=[old]).execute()
    assert standard.history.get().history_user == office
    link = Supersession.objects.get(new=standard, old=old)
    assert link.history.get().history_user == office


def test_editing_a_standard_needs_a_reason_and_the_permission(seeded, users):
    standard = Standard.objects.get(number="GB/T 1.1—2020")
    standard.title = "改名"
    with pytest.raises(ActionError):
        EditStandard(users["office"], standard).execute()
    with pytest.raises(PermissionDenied):
        EditStandard(users["viewer"], standard, "不该").execute()
    EditStandard(users["office"], standard, "更正标题").execute()
    assert standard.history.latest().history_change_reason == "更正标题"


def test_terms_are_added_and_edited_through_actions(seeded, office):
    term = AddTerm(office, Term(clause="3.9", term="生育保险", definition="……")).execute()
    term.definition = "新定义"
    with pytest.raises(ActionError):
        EditTerm(office, term).execute()
    EditTerm(office, term, "补充定义").execute()
    assert [row.history_change_reason or "" for row in term.history.order_by("history_id")] == [
        "", "补充定义"]
