"""Ordinary use never makes verify_history cry wolf (beyond the check every database test
ends with, in tests/conftest.py): the demo data, and the two cases that once did."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from catalog.models import Standard
from lifecycle.models import EvaluationTemplate, TrainingRecord


def verify_exits_0(capsys):
    call_command("verify_history", "--lang", "en")  # raises SystemExit(1) on any problem
    assert "History intact" in capsys.readouterr().out


def test_the_demo_data_verifies(seeded, capsys):
    call_command("create_demo_users")
    verify_exits_0(capsys)
    call_command("create_demo_records")
    verify_exits_0(capsys)


def test_a_training_of_8_hours_through_the_form_verifies(users, client_for, capsys):
    """Hashed as Decimal("8") from the form, read back as Decimal("8.0")."""
    response = client_for("office").post(
        reverse("lifecycle:trainingrecord_add", args=[users["lead"].pk]),
        {"course": "标准化基础", "hours": "8", "provider": "州市场监管局",
         "attended_on": (timezone.localdate() - timedelta(days=3)).isoformat()})
    assert response.status_code == 302
    assert str(TrainingRecord.objects.get().hours) == "8.0"
    verify_exits_0(capsys)


def test_opening_and_recording_an_evaluation_verifies(seeded, users, client_for, capsys):
    """The default template (weights 30, 30, 25, 15) is created when the page opens."""
    client = client_for("office")
    standard = Standard.objects.order_by("number").first()
    url = reverse("lifecycle:evaluation_add", args=[standard.pk])
    assert client.get(url).status_code == 200
    verify_exits_0(capsys)
    template = EvaluationTemplate.objects.get(is_default=True)
    data = {"template": template.pk, "evaluated_on": timezone.localdate().isoformat(),
            "conclusion": "良好"}
    for criterion in template.criteria.all():
        data[f"score_{criterion.pk}"] = "90"
    assert client.post(url, data).status_code == 302
    verify_exits_0(capsys)


def test_an_unmigrated_database_gets_a_clear_message(db, monkeypatch):
    from django.core.management.base import CommandError
    from django.db import connection

    monkeypatch.setattr(connection.introspection, "table_names", lambda *args: [])
    with pytest.raises(CommandError, match="migrate"):
        call_command("verify_history", "--lang", "en")
