"""Control characters, bidirectional overrides and zero-width characters (issue 21).

Every such character is refused by the shared rule (``audit.text``); every form of the
project applies it to every text field; every API write (read from the OpenAPI schema) and
every import column refuses it with the character named; and text stored before the rule
still exports in every document kind.

Not every character goes through every field: each one goes through the rule, and each
field, endpoint and column through a representative set (``SAMPLES``)."""

import csv
import importlib
import inspect
import io
import json
import pkgutil
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import modelform_factory
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from audit.forms import SafeTextMixin
from audit.models import LogEntry
from audit.text import (
    REPLACEMENT,
    refuse_invisible_characters,
    refuse_invisible_characters_in_lines,
    refused_characters,
    visible,
)

C0 = [chr(c) for c in range(0x00, 0x20)]
C1 = [chr(c) for c in range(0x80, 0xA0)]
BIDI = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x061C)]
ZERO_WIDTH = [chr(c) for c in (*range(0x200B, 0x2010), 0x2060, 0xFEFF, 0x00AD, 0x180E)]
LINES = "\n\t"  # taken where a field allows lines (and CR, normalized to LF by the forms)
EVERY = [*C0, "\x7f", *C1, *BIDI, *ZERO_WIDTH]
# One of each kind: C0, escape, DEL, C1, bidi override, isolate, zero-width, BOM.
SAMPLES = ["\x0b", "\x1b", "\x7f", "\x9b", "\u202e", "\u2067", "\u200b", "\ufeff"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def code(character):
    return f"U+{ord(character):04X}"


def spoiled(character):
    return f"社会保险{character}经办服务规范"


# --- the rule --------------------------------------------------------------------------


@pytest.mark.parametrize("character", EVERY, ids=code)
def test_the_rule_refuses_every_control_bidi_and_zero_width_character(character):
    with pytest.raises(ValidationError) as one_line:
        refuse_invisible_characters(spoiled(character))
    assert code(character) in " ".join(one_line.value.messages)
    if character in LINES + "\r":
        refuse_invisible_characters_in_lines(spoiled(character))
    else:
        with pytest.raises(ValidationError) as lines:
            refuse_invisible_characters_in_lines(spoiled(character))
        assert code(character) in " ".join(lines.value.messages)
    # What an export writes instead: nothing a spreadsheet refuses, nothing that hides.
    shown = visible(spoiled(character))
    assert shown == spoiled(character) if character in LINES + "\r" else (
        shown == spoiled(REPLACEMENT))


@pytest.mark.parametrize("text", ["社会保险经办服务规范",
                                  "GB/T 1.1—2020《标准化工作导则》（第1部分）",
                                  "Social insurance — service guide", "第一行\n第二行\t（续）",
                                  "全角空格\u3000与不间断空格\u00a0", "😀 emoji"])
def test_the_rule_accepts_real_text(text):
    refuse_invisible_characters_in_lines(text)
    if "\n" not in text:
        refuse_invisible_characters(text)


def test_surrogates_and_noncharacters_are_refused_too():
    for character in ("\ud800", "\ufffe", "\uffff", "\ufdd0", "\U0001fffe", "\U000e0041"):
        with pytest.raises(ValidationError):
            refuse_invisible_characters_in_lines(spoiled(character))


# --- every form ------------------------------------------------------------------------

APPS = ("audit", "organizations", "catalog", "registry", "texts", "lifecycle")
SKIPPED_MODULES = (".migrations", ".settings", ".management", ".wsgi", ".celery")


def project_forms():
    """Every form class the project defines, found by importing all its modules."""
    found = {}
    for app in APPS:
        package = importlib.import_module(app)
        for module_info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if any(part in module_info.name for part in SKIPPED_MODULES):
                continue
            module = importlib.import_module(module_info.name)
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return found


@pytest.fixture
def context(seeded, users):
    """Records the forms' constructors need."""
    from catalog.models import Standard
    from lifecycle.models import (
        Department,
        ImplementationCheck,
        NonConformity,
        Project,
        YearPlan,
    )
    from registry.models import Node, ReviewFlag

    standard = Standard.objects.order_by("pk").first()
    node = Node.objects.get(code="304-09")
    department = Department.objects.create(name="社会保险经办科", lead=users["lead"])
    project = Project.objects.create(
        title="社会保险报表管理规范", level="organization", node=node, department=department,
        leader=users["office"], planned_start=timezone.localdate(),
        planned_end=timezone.localdate() + timedelta(days=180), created_by=users["office"])
    check = ImplementationCheck(standard=standard, inspector=users["office"],
                                checked_on=timezone.localdate(), department=department)
    return SimpleNamespace(
        users=users, standard=standard, node=node, project=project, check=check,
        plan=YearPlan(year=timezone.localdate().year, title="年度计划"),
        flag=ReviewFlag(cause=standard, node=node, event="被代替"),
        nonconformity=NonConformity(owner=users["office"], check_record=check),
        request=SimpleNamespace(user=users["office"]),
        text_part=lambda kind: _model("texts.Part")(pk=1, kind=kind, data={}))


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def _admin_form(form, model, **kwargs):
    return modelform_factory(model, form=form, fields="__all__", **kwargs)


def _part_form(kind):
    """A form of the text editor for one part of ``kind``, unprefixed as the data here is."""
    return lambda c, cls, **kw: cls(part=c.text_part(kind), prefix=None, **kw)


# How to build each form: a new form fails the coverage test until it is listed here.
FORM_BUILDERS = {
    "audit.api.token_pages.TokenForm": lambda c, cls, **kw: cls(**kw),
    "audit.forms.ReasonForm": lambda c, cls, **kw: cls(**kw),
    "catalog.admin.AdminReasonForm": lambda c, cls, **kw: _admin_form(cls, _model("catalog.Term"))(
        **kw),
    "lifecycle.admin.EvaluationTemplateForm": lambda c, cls, **kw: _admin_form(
        cls, _model("lifecycle.EvaluationTemplate"), exclude=None)(**kw),
    "catalog.forms.standards.StandardForm": lambda c, cls, **kw: cls(**kw),
    "catalog.forms.terms.TermForm": lambda c, cls, **kw: cls(**kw),
    "catalog.forms.standards.AmendmentForm": lambda c, cls, **kw: cls(standard=c.standard, **kw),
    "catalog.forms.validity.ValidityForm": lambda c, cls, **kw: cls(**kw),
    "registry.forms.watch.DecisionForm": lambda c, cls, **kw: cls(flag=c.flag, **kw),
    "registry.forms.imports.ImportForm": lambda c, cls, **kw: cls(**kw),
    "registry.forms.accounts.SecondFactorCodeForm": lambda c, cls, **kw: cls(c.users["office"],
                                                                             **kw),
    "registry.forms.accounts.EnrolForm": lambda c, cls, **kw: cls(None, **kw),
    "registry.forms.accounts.RegistryPasswordChangeForm": lambda c, cls, **kw: cls(
        c.users["office"], **kw),
    "registry.forms.accounts.RegistrySetPasswordForm": lambda c, cls, **kw: cls(
        c.users["office"], **kw),
    "registry.admin.UserPasswordForm": lambda c, cls, **kw: cls(c.users["office"], **kw),
    "registry.forms.accounts.ConfirmIdentityForm": lambda c, cls, **kw: cls(
        _request(c.users["office"]), **kw),
    "registry.forms.exports.ExportForm": lambda c, cls, **kw: cls(**kw),
    "registry.forms.exports.NotesForm": lambda c, cls, **kw: cls(**kw),
    "registry.forms.exports.SystemForm": lambda c, cls, **kw: cls(**kw),
    "registry.forms.tree.NodeFieldsForm": lambda c, cls, **kw: cls(**kw),
    "registry.forms.tree.NodeAddForm": lambda c, cls, **kw: cls(**kw),
    "registry.forms.tree.NodeEditForm": lambda c, cls, **kw: cls(**kw),
    "registry.forms.tree.NodeApiEditForm": lambda c, cls, **kw: cls(**kw),
    "registry.forms.tree.NodeMoveForm": lambda c, cls, **kw: cls(node=c.node, **kw),
    "registry.forms.tree.NodeReorderForm": lambda c, cls, **kw: cls(**kw),
    "registry.forms.tree.NodeDeleteForm": lambda c, cls, **kw: cls(tailoring=True, **kw),
    "registry.forms.tree.RestoreForm": lambda c, cls, **kw: cls(**kw),
    "registry.forms.editions.DecideProposalForm": lambda c, cls, **kw: cls(**kw),
    "registry.forms.tree.DeriveForm": lambda c, cls, **kw: cls(
        organizations=[c.node.owner], **kw),
    "registry.forms.tree.PublishTemplateForm": lambda c, cls, **kw: cls(**kw),
    "organizations.forms.SwitchForm": lambda c, cls, **kw: cls(**kw),
    "organizations.forms.OrganizationForm": lambda c, cls, **kw: cls(**kw),
    "organizations.forms.MembershipForm": lambda c, cls, **kw: cls(**kw),
    "organizations.forms.MembershipDeleteForm": lambda c, cls, **kw: cls(**kw),
    "registry.forms.tree.PlaceStandardForm": lambda c, cls, **kw: cls(**kw),
    "registry.forms.tree.OrderPlacementsForm": lambda c, cls, **kw: cls(**kw),
    "lifecycle.forms.evaluation.EvaluationForm": lambda c, cls, **kw: cls(
        criteria=[SimpleNamespace(pk=1, name="可操作性")], **kw),
    "lifecycle.forms.work.RuleForm": lambda c, cls, **kw: cls(**kw),
    "lifecycle.forms.work.PlanForm": lambda c, cls, **kw: cls(**kw),
    "lifecycle.forms.work.PlanItemForm": lambda c, cls, **kw: cls(plan=c.plan, **kw),
    "lifecycle.forms.information.InformationForm": lambda c, cls, **kw: cls(**kw),
    "lifecycle.forms.information.InformationStatusForm": lambda c, cls, **kw: cls(**kw),
    "lifecycle.forms.information.InformationRevisionForm": lambda c, cls, **kw: cls(
        standards=_model("catalog.Standard").objects.all(), **kw),
    "lifecycle.forms.organization.DepartmentForm": lambda c, cls, **kw: cls(**kw),
    "lifecycle.forms.organization.ProfileForm": lambda c, cls, **kw: cls(**kw),
    "lifecycle.forms.organization.TrainingForm": lambda c, cls, **kw: cls(**kw),
    "lifecycle.forms.organization.TrainingEditForm": lambda c, cls, **kw: cls(**kw),
    "lifecycle.forms.supervision.CheckForm": lambda c, cls, **kw: cls(**kw),
    "lifecycle.forms.supervision.CheckEditForm": lambda c, cls, **kw: cls(instance=c.check,
                                                                          **kw),
    "lifecycle.forms.supervision.NonConformityForm": lambda c, cls, **kw: cls(check=c.check,
                                                                              **kw),
    "lifecycle.forms.supervision.NonConformityEditForm": lambda c, cls, **kw: cls(
        check=c.check, instance=c.nonconformity, **kw),
    "lifecycle.forms.supervision.CloseForm": lambda c, cls, **kw: cls(**kw),
    "texts.forms.PartForm": _part_form("paragraph"),
    "texts.forms.TextBodyForm": _part_form("paragraph"),
    "texts.forms.ListItemForm": _part_form("list_item"),
    "texts.forms.TitleForm": _part_form("clause"),
    "texts.forms.AnnexForm": _part_form("annex"),
    "texts.forms.TableForm": _part_form("table"),
    "texts.forms.FigureForm": _part_form("figure"),
    "texts.forms.TermForm": _part_form("term"),
    "texts.forms.AddElementForm": lambda c, cls, **kw: cls(**kw),
    "texts.forms.AddOutlineForm": lambda c, cls, **kw: cls(**kw),
    "texts.forms.CoverForm": lambda c, cls, **kw: cls(**kw),
    "texts.forms.ImportForm": lambda c, cls, **kw: cls(**kw),
    "lifecycle.forms.projects.ProjectForm": lambda c, cls, **kw: cls(**kw),
    "lifecycle.forms.projects.DocumentForm": lambda c, cls, **kw: cls(**kw),
    "lifecycle.forms.projects.CommentForm": lambda c, cls, **kw: cls(**kw),
    "lifecycle.forms.projects.OwnCommentForm": lambda c, cls, **kw: cls(**kw),
    "lifecycle.forms.projects.ObjectionForm": lambda c, cls, **kw: cls(**kw),
    "lifecycle.forms.projects.ReviewersForm": lambda c, cls, **kw: cls(**kw),
    "lifecycle.forms.projects.TransitionForm": lambda c, cls, **kw: cls(**kw),
    "lifecycle.forms.projects.CommentPeriodForm": lambda c, cls, **kw: cls(**kw),
    "lifecycle.forms.projects.PassReviewForm": lambda c, cls, **kw: cls(**kw),
    "lifecycle.forms.projects.NoticeForm": lambda c, cls, **kw: cls(**kw),
    "lifecycle.forms.projects.PublishForm": lambda c, cls, **kw: cls(**kw),
    "lifecycle.forms.projects.ImplementationPlanForm": lambda c, cls, **kw: cls(**kw),
    "lifecycle.forms.projects.PeriodicReviewForm": lambda c, cls, **kw: cls(standard=c.standard,
                                                                             **kw),
    "lifecycle.forms.proof.IdentifyForm": lambda c, cls, **kw: cls(**kw),
}


def _model(label):
    from django.apps import apps

    return apps.get_model(label)


def test_every_form_of_the_project_has_the_text_rule_and_is_tested_here():
    found = project_forms()
    assert len(found) >= 50
    assert [name for name, cls in found.items() if not issubclass(cls, SafeTextMixin)] == []
    assert sorted(set(found) - set(FORM_BUILDERS)) == [], "add the new forms to FORM_BUILDERS"
    assert sorted(set(FORM_BUILDERS) - set(found)) == []


def test_every_form_page_of_the_urlconf_uses_a_form_of_the_project():
    """Or one of Django's sign-in and password forms, which store no text (a password is
    hashed, an e-mail address only looked up)."""
    from django.contrib.auth import forms as auth_forms
    from django.urls import get_resolver

    def views(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from views(pattern.url_patterns)
            else:
                yield getattr(pattern.callback, "view_class", None)

    form_classes = {getattr(view, "form_class", None) for view in views(
        get_resolver().url_patterns)} - {None}
    storing_no_text = {auth_forms.AuthenticationForm, auth_forms.PasswordChangeForm,
                       auth_forms.PasswordResetForm, auth_forms.SetPasswordForm}
    assert len(form_classes) > 20
    assert {cls for cls in form_classes if not issubclass(cls, SafeTextMixin)} <= storing_no_text


def _text_fields(form):
    return {name: field for name, field in form.fields.items()
            if isinstance(field, forms.CharField | forms.FileField)
            and not isinstance(field.widget, forms.PasswordInput)}


def test_every_text_field_of_every_form_refuses_the_characters(context):
    checked = 0
    for name, cls in sorted(project_forms().items()):
        build = FORM_BUILDERS[name]
        fields = _text_fields(build(context, cls))
        if not fields:
            continue
        for character in SAMPLES:
            data = {key: spoiled(character) for key, field in fields.items()
                    if not isinstance(field, forms.FileField)}
            files = {key: SimpleUploadedFile(f"规范{character}.pdf", PDF)
                     for key, field in fields.items() if isinstance(field, forms.FileField)}
            form = build(context, cls, data=data, files=files)
            form.is_valid()
            for key in fields:
                assert code(character) in " ".join(form.errors.get(key, [])), (name, key)
                checked += 1
        # Line breaks: refused in one-line fields, taken in text areas (LF, CR LF).
        data = {key: "第一行\r\n第二行" for key, field in fields.items()
                if not isinstance(field, forms.FileField)}
        form = build(context, cls, data=data)
        form.is_valid()
        for key, field in fields.items():
            if isinstance(field, forms.FileField):
                continue
            errors = " ".join(form.errors.get(key, []))
            takes_lines = isinstance(field.widget, forms.Textarea) or getattr(
                field, "takes_lines", False)
            assert ("U+000A" in errors) is (not takes_lines), (name, key, errors)
            if takes_lines and key in form.cleaned_data and isinstance(
                    form.cleaned_data[key], str):
                assert form.cleaned_data[key] == "第一行\n第二行", (name, key)
    assert checked > 500


def test_a_page_refuses_a_vertical_tab_in_a_node_s_clause(seeded, client_for):
    from registry.models import Node

    parent = Node.objects.get(code="304")
    count = Node.objects.count()
    response = client_for("office").post(reverse("registry:node_add", args=[parent.pk]), {
        "name": "社会保险数据共享", "clause": "6.3\x0b1", "reason": "新增", "code": ""})
    assert response.status_code == 200 and "U+000B" in response.content.decode()
    assert Node.objects.count() == count


# --- every API write -------------------------------------------------------------------

WRITES = ("post", "put", "patch", "delete")
# Fields whose page form is a choice: refused as "not one of the choices", not by the rule.
CHOICE_FIELDS = {("/api/projects/{id}/transition/", "conclusion")}


@pytest.fixture
def api_for(users):
    from rest_framework.test import APIClient

    from audit.tokens import AddApiToken

    def make(role):
        _token, secret = AddApiToken(users[role], f"{role} sync").execute()
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return client

    return make


@pytest.fixture
def api_context(seeded, users, api_for, tmp_path, settings):
    from catalog.models import Standard
    from lifecycle.choices import Stage
    from lifecycle.models import Comment, Department, Project
    from registry.models import Node, Placement
    from tests.factories import default_organization
    from texts.actions import AddText

    settings.MEDIA_ROOT = tmp_path / "media"
    department = Department.objects.create(name="社会保险经办科", lead=users["lead"])
    project = Project.objects.create(
        title="社会保险报表管理规范", level="organization", node=Node.objects.get(code="304-09"),
        department=department, leader=users["office"], planned_start=timezone.localdate(),
        planned_end=timezone.localdate() + timedelta(days=180), created_by=users["office"],
        stage=Stage.COMMENT)
    comment = Comment.objects.create(project=project, unit="昌吉州社会保险管理局",
                                     content="第4.2条的时限应写明工作日。")
    standard = Standard.objects.get(number="GB/T 1.1—2020")
    text = AddText(users["office"], default_organization(),
                      cover={"title": "社会保险报表管理规范"}).execute()
    aspect = Node.objects.get(code="304-09")
    placement = Placement.objects.filter(node__depth__gt=1).first()
    other = Standard.objects.exclude(placements__node=aspect).order_by("pk").first()
    ids = {"/api/nodes/{id}/": aspect.pk, "/api/nodes/{id}/children/": aspect.parent_node_id
           if hasattr(aspect, "parent_node_id") else Node.objects.get(code="304").pk,
           "/api/nodes/{id}/move/": aspect.pk, "/api/nodes/{id}/reorder/": aspect.pk,
           "/api/placements/{id}/": placement.pk, "/api/standards/{id}/": standard.pk,
           "/api/projects/{id}/comments/": project.pk,
           "/api/projects/{id}/comments/{comment_id}/": project.pk,
           "/api/projects/{id}/documents/": project.pk,
           "/api/projects/{id}/transition/": project.pk,
           "/api/texts/{id}/exports/": text.pk}
    # A valid request of each endpoint, to which one bad value is added.
    bases = {
        ("patch", "/api/nodes/{id}/"): {"reason": "改名"},
        ("delete", "/api/nodes/{id}/"): {},
        ("post", "/api/nodes/{id}/children/"): {"name": "社会保险数据共享", "reason": "补充"},
        ("post", "/api/nodes/{id}/move/"): {"target": Node.objects.get(code="303").pk,
                                            "reason": "归入303"},
        ("post", "/api/nodes/{id}/reorder/"): {"direction": "up", "reason": "排序"},
        ("post", "/api/placements/"): {"node": aspect.pk, "standard": other.pk,
                                       "reason": "适用"},
        ("delete", "/api/placements/{id}/"): {},
        ("post", "/api/standards/"): {"number": "GB/T 1.1-2009", "title": "标准化工作导则",
                                      "issued_on": "2009-06-17"},
        ("patch", "/api/standards/{id}/"): {"reason": "更正"},
        ("post", "/api/projects/{id}/comments/"): {"unit": "昌吉市社保中心", "content": "建议"},
        ("patch", "/api/projects/{id}/comments/{comment_id}/"): {"note": "已沟通"},
        ("post", "/api/projects/{id}/documents/"): {"kind": "draft"},
        ("post", "/api/projects/{id}/transition/"): {"name": "close_comment_period",
                                                     "reason": "意见处理完毕"},
        ("post", "/api/exports/"): {"fmt": "json"},
        ("post", "/api/texts/{id}/exports/"): {"format": "docx"},
        ("post", "/api/numbers/"): {"numbers": ["GB/T 1.1—2020"]},
        ("post", "/api/validity-checks/"): {"text": "GB/T 1.1—2020"},
    }
    # Per field, a request in which the page's form reads it.
    field_bases = {
        ("/api/projects/{id}/transition/", "number"): {
            "name": "publish", "issued_on": "2026-01-01", "implemented_on": "2026-04-01",
            "reason": "发布"},
        ("/api/projects/{id}/transition/", "conclusion"): {"name": "pass_review",
                                                           "reason": "通过"},
    }
    return SimpleNamespace(api=api_for("office"), ids=ids, comment=comment, bases=bases,
                           field_bases=field_bases)


def _write_operations():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in WRITES:
                continue
            properties = {}
            for content in operation.get("requestBody", {}).get("content", {}).values():
                reference = content["schema"].get("$ref", "")
                if reference:
                    properties = components[reference.rsplit("/", 1)[-1]]["properties"]
                break
            texts = [name for name, spec in properties.items()
                     if spec.get("type") == "string" and spec.get("format") in (None, "binary")]
            texts += [parameter["name"] for parameter in operation.get("parameters", [])
                      if parameter["in"] == "query" and parameter["name"] == "reason"]
            arrays = [name for name, spec in properties.items()
                      if spec.get("type") == "array" and spec["items"].get("type") == "string"]
            yield method, path, texts, arrays


def test_every_api_write_refuses_the_characters_in_every_text_field(api_context):
    context, checked = api_context, 0
    operations = list(_write_operations())
    assert {(m, p) for m, p, _t, _a in operations} == set(context.bases), (
        "a new API write: add its valid request to api_context")
    for method, path, texts, arrays in operations:
        url = path.replace("{id}", str(context.ids.get(path, 0))).replace(
            "{comment_id}", str(context.comment.pk))
        for name in arrays:  # /api/numbers/ stores nothing: each number is parsed, or refused
            for character in SAMPLES:
                answer = context.api.post(url, {name: [f"GB/T 1.1{character}—2020"]},
                                          format="json")
                assert answer.status_code == 200
                assert all(character not in json.dumps(item.get("canonical", ""))
                           for item in answer.json())
        for name in texts:
            for character in SAMPLES[:5]:
                before = LogEntry.objects.count()
                base = context.field_bases.get((path, name), context.bases[(method, path)])
                if method == "delete":
                    answer = context.api.delete(f"{url}?reason={spoiled(character)}")
                elif name == "file":
                    upload = SimpleUploadedFile(f"征求意见稿{character}.pdf", PDF)
                    answer = context.api.post(url, {**base, "file": upload},
                                              format="multipart")
                else:
                    answer = getattr(context.api, method)(
                        url, {**base, name: spoiled(character)}, format="json",
                        HTTP_ACCEPT_LANGUAGE="en")
                if name == "file" and answer.status_code == 201:
                    # The multipart parser took the character out of the name already.
                    assert refused_characters(answer.json()["original_name"], lines=True) == []
                    continue
                assert answer.status_code == 400, (method, path, name, answer.content)
                error = answer.json()["error"]
                assert name in error.get("fields", {}), (method, path, name, error)
                if (path, name) not in CHOICE_FIELDS:
                    assert code(character) in " ".join(error["fields"][name]), (path, name)
                assert LogEntry.objects.count() == before
                checked += 1
    assert checked >= 100


def test_the_api_refuses_what_the_page_refuses_in_a_node_s_name(api_context):
    from registry.models import Node

    count = Node.objects.count()
    parent = Node.objects.get(code="304")
    for name in ("社会保险\u202etxt.exe", "社会保险\n经办", "社会保险\u200b经办",
                 "社会保险\x0f经办"):
        answer = api_context.api.post(f"/api/nodes/{parent.pk}/children/",
                                      {"name": name, "reason": "补充"}, format="json")
        assert answer.status_code == 400 and "name" in answer.json()["error"]["fields"]
    assert Node.objects.count() == count


# --- every import column ---------------------------------------------------------------


def _import_tables():
    """A detail sheet and a structure sheet as the English XLSX export writes them."""
    from registry.rules.exports.tabular import STRUCTURE_COLUMNS
    from registry.rules.tree.table_data import COLUMNS, GROUP_COLUMNS

    detail_keys = [*COLUMNS, *GROUP_COLUMNS]
    detail_row = {"seq": "1", "code": "304-09", "number": "GB/T 1.1—2020",
                  "title": "标准化工作导则 第1部分：标准化文件的结构和起草规则",
                  "level": "国家标准",
                  "implemented_on": "2020-10-01", "adoption": "", "replaces": "GB/T 1.1—2009",
                  "remarks": "", "status": "现行", "withdrawn_on": "", "subsystem": "",
                  "category": "", "aspect": ""}
    structure_keys = list(STRUCTURE_COLUMNS)
    structure_row = {"code": "304-99", "name": "社会保险数据共享", "name_en": "Data sharing",
                     "clause": "6.3", "parent": "304", "remarks": "", "organization": ""}
    with translation.override("en"):  # the headers, and the problems, in English
        return (detail_keys, [str(COLUMNS.get(k) or GROUP_COLUMNS[k]) for k in detail_keys],
                detail_row, structure_keys, [str(STRUCTURE_COLUMNS[k]) for k in structure_keys],
                structure_row)


def test_every_import_column_refuses_the_characters_naming_row_and_column(seeded):
    from registry.models import Node
    from registry.rules.imports import plan_import

    d_keys, d_labels, d_row, s_keys, s_labels, s_row = _import_tables()
    assert plan_import([("明细表", [d_labels, [d_row[k] for k in d_keys]]),
                        ("结构", [s_labels, [s_row[k] for k in s_keys]])]).ok
    count = Node.objects.count()
    for sheet, keys, labels, row in (("明细表", d_keys, d_labels, d_row),
                                     ("结构", s_keys, s_labels, s_row)):
        for index, key in enumerate(keys):
            for character in SAMPLES[:5]:
                bad = dict(row, **{key: spoiled(character)})
                tables = [("明细表", [d_labels, [d_row[k] for k in d_keys]]),
                          ("结构", [s_labels, [s_row[k] for k in s_keys]])]
                tables = [(title, [head, [bad[k] for k in keys]] if title == sheet
                           else [head, values]) for title, (head, values) in tables]
                with translation.override("en"):
                    problems = [str(p) for p in plan_import(tables).problems]
                assert any(f"{sheet}, row 2, column {labels[index]}: " in p
                           and code(character) in p for p in problems), (key, problems)
    assert Node.objects.count() == count


def test_an_imported_csv_with_a_vertical_tab_writes_nothing(seeded):
    from registry.actions.imports import ApplyImport
    from registry.models import Node
    from registry.rules.import_files import read_tables
    from registry.rules.imports import plan_import

    d_keys, d_labels, d_row, *_structure = _import_tables()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(d_labels)
    writer.writerow([{**d_row, "title": "标准化工作导则\x0b第1部分", "remarks": "第一行\n第二行"}[k]
                     for k in d_keys])
    count = Node.objects.count()
    plan = plan_import(read_tables(("\ufeff" + buffer.getvalue()).encode(), "体系表.csv"))
    assert not plan.ok and len(plan.problems) == 1 and "U+000B" in str(plan.problems[0])
    with pytest.raises(ValueError):
        ApplyImport(None, plan, "导入").execute()
    assert Node.objects.count() == count


# --- every export of text stored before the rule -------------------------------------------

# Everything that PostgreSQL can store (not NUL) and no input now takes.
STORED = "".join(c for c in EVERY if c != "\x00")
SHORT = "".join(SAMPLES)  # for the short fields (a clause: 32 characters)


@pytest.fixture
def legacy(seeded, users, tmp_path, settings):
    """Records written before the rule, straight through the ORM (with a change reason)."""
    from catalog.models import Standard
    from lifecycle.models import Comment, Department, Project
    from registry.models import Node, Placement

    settings.MEDIA_ROOT = tmp_path / "media"

    def save(instance):
        instance._history_user, instance._change_reason = users["office"], f"旧理由{STORED}"
        instance.save()
        return instance

    node = Node.objects.get(code="304-09")
    node.name, node.clause = f"社会保险{STORED}报表", f"6.3{SHORT}"
    node.description, node.remarks = f"说明{STORED}", f"备注{STORED}"
    save(node)
    root = Node.objects.get_root_nodes().get()
    root.organization = f"昌吉州{STORED}"
    save(root)
    standard = Standard.objects.get(number="GB/T 1.1—2020")
    standard.title, standard.remarks = f"标准化工作导则{STORED}", f"备注{STORED}"
    save(standard)
    placement = Placement.objects.filter(node=node).first() or Placement(node=node,
                                                                         standard=standard)
    placement.note = f"说明{STORED}"
    save(placement)
    department = Department.objects.create(name="社会保险经办科", lead=users["lead"])
    project = save(Project(
        title=f"社会保险报表管理规范{STORED}", level="organization", node=node,
        department=department, leader=users["office"], planned_start=timezone.localdate(),
        planned_end=timezone.localdate() + timedelta(days=180), created_by=users["office"]))
    save(Comment(project=project, unit=f"昌吉州{STORED}", clause=f"4.2{SHORT}",
                 content=f"意见{STORED}", suggestion=f"建议{STORED}",
                 disposition="accepted", disposition_reason=f"理由{STORED}",
                 note=f"备注{STORED}"))
    return SimpleNamespace(project=project, root=root)


def _workbook_text(content):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    return "\n".join(str(cell.value) for sheet in book.worksheets
                     for row in sheet.iter_rows() for cell in row if cell.value is not None)


def test_every_document_kind_exports_text_stored_before_the_rule(legacy, client_for, tmp_path):
    from lifecycle.rules.exports import comment_table_pdf, dashboard_document
    from registry.rules.exports.formats import export
    from registry.rules.tree.table_data import live_data

    client = client_for("admin")
    # The audit log (its reasons hold every character), CSV and XLSX.
    for fmt in ("xlsx", "csv"):
        answer = client.get(reverse("audit:logentry_list") + f"?export={fmt}")
        assert answer.status_code == 200, fmt
        content = b"".join(answer.streaming_content) if answer.streaming else answer.content
        text = _workbook_text(content) if fmt == "xlsx" else content.decode("utf-8-sig")
        assert f"旧理由{REPLACEMENT}" in text and "\x0b" not in text and "\u202e" not in text
    # The comment resolution table: XLSX in the request (named for the project), PDF.
    answer = client.get(reverse("lifecycle:comment_table", args=[legacy.project.pk, "xlsx"]))
    assert answer.status_code == 200
    assert "\u202e" not in answer["Content-Disposition"]
    assert f"意见{REPLACEMENT}" in _workbook_text(answer.content)
    assert comment_table_pdf(legacy.project).startswith(b"%PDF")
    # The system table in every format, and the dashboard.
    data = live_data(legacy.root)
    assert f"社会保险{REPLACEMENT}" in _workbook_text(export(data, "xlsx"))
    assert "\x0b" not in export(data, "csv").decode("utf-8-sig")
    assert json.loads(export(data, "json"))
    assert export(data, "pdf").startswith(b"%PDF")
    assert dashboard_document({}, lambda fraction: None).content.startswith(b"%PDF")
