"""Names and titles refuse bidirectional overrides and invisible characters; no line break
from data reaches an e-mail header."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import models
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from audit.text import NAME_FIELDS, refuse_invisible_characters, single_line
from catalog.models import Standard
from lifecycle.actions.projects import TakeTransition
from lifecycle.choices import Stage
from lifecycle.models import Department, Project
from registry.models import Node

# A file name that reads "…txt.exe" backwards, two look-alike names, an isolate, a line break.
SPOOFS = [
    "社会保险经办服务规范\u202etxt.exe",
    "社会保险\u200d经办服务规范",
    "社会保险\u200b经办服务规范",
    "\u2067社会保险经办服务规范\u2069",
    "社会保险经办服务规范\nBcc: everyone@example.invalid",
]


@pytest.mark.parametrize("text", SPOOFS)
def test_the_validator_refuses_invisible_and_control_characters(text):
    with pytest.raises(ValidationError) as refused:
        refuse_invisible_characters(text)
    assert "U+" in str(refused.value)


@pytest.mark.parametrize("text", [
    "社会保险经办服务规范", "GB/T 1.1—2020《标准化工作导则》（第1部分）",
    "Social insurance — service guide", "DB 6523/T 370-2023"])
def test_the_validator_accepts_real_titles(text):
    refuse_invisible_characters(text)


def test_every_name_and_title_field_of_every_domain_app_carries_the_validator(db):
    domain = {c.label for c in apps.get_app_configs() if hasattr(c, "office_editable")}
    fields = [(model, field) for model in apps.get_models()
              if model._meta.app_label in domain | {"auth"}
              for field in model._meta.get_fields()
              if isinstance(field, models.CharField) and NAME_FIELDS.match(field.name)]
    names = {f"{model._meta.label}.{field.name}" for model, field in fields}
    assert {"registry.Node.name", "catalog.Standard.title", "lifecycle.Project.title",
            "lifecycle.Department.name", "auth.User.first_name"} <= names
    for model, field in fields:
        assert refuse_invisible_characters in field.validators, f"{model._meta.label}.{field}"


def test_a_node_named_with_an_override_is_refused_and_nothing_is_written(seeded, client_for):
    parent = Node.objects.get(code="304")
    count = Node.objects.count()
    response = client_for("office").post(reverse("registry:node_add", args=[parent.pk]), {
        "name": SPOOFS[0], "reason": "新增", "code": ""})
    assert response.status_code == 200
    assert "U+202E" in response.content.decode()
    assert Node.objects.count() == count


def test_a_standard_title_with_a_zero_width_joiner_is_refused(seeded, client_for):
    standard = Standard.objects.order_by("pk").first()
    url = reverse("registry:standard_edit", args=[standard.pk])
    client = client_for("office")
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(title=SPOOFS[1], reason="改名")
    response = client.post(url, {k: v for k, v in data.items() if not isinstance(v, list)})
    assert response.status_code == 200
    assert "U+200D" in response.content.decode()
    standard.refresh_from_db()
    assert "\u200d" not in standard.title


def test_single_line_takes_line_breaks_and_overrides_out():
    assert single_line("标准\r\nBcc: x@example.invalid\u202e") == "标准 Bcc: x@example.invalid"


def test_a_title_with_a_line_break_still_sends_its_notice(seeded, users):
    """A title stored before the validator existed (or by a command) must not make the
    notice raise BadHeaderError after the transition committed."""
    users["lead"].email = "lead@example.invalid"
    users["lead"].save()
    department = Department.objects.create(name="社会保险经办科", lead=users["lead"])
    project = Project.objects.create(
        title="社会保险报表管理规范\nBcc: everyone@example.invalid", level="organization",
        node=Node.objects.get(code="304-09"), department=department, leader=users["office"],
        planned_start=timezone.localdate(), stage=Stage.OFFICE_REVIEW,
        planned_end=timezone.localdate() + timedelta(days=180), created_by=users["office"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        TakeTransition(users["office"], project, "pass_office_review", "审核通过").execute()
    sent = [m for m in mail.outbox if "lead@example.invalid" in m.to]
    assert sent, "the notice was not sent"
    message = sent[0].message()
    assert "\n" not in sent[0].subject
    assert message["Bcc"] is None
    assert "社会保险报表管理规范 Bcc: everyone@example.invalid" in str(sent[0].subject)
