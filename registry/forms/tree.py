"""Forms for the tree actions. Every form asks for the reason the history row will carry."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.forms import DateInput, ReasonForm
from audit.text import refuse_invisible_characters
from catalog.models import Standard
from catalog.rules.numbers import StandardNumberError, parse_standard_number
from organizations.models import Organization
from organizations.rules import CurrentOrganizationId, ancestors
from registry.models import Node, TailoringReason, Template


class NodeFieldsForm(ReasonForm):
    name = forms.CharField(label=_("Name"), max_length=200,
                           validators=[refuse_invisible_characters])
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False,
                              validators=[refuse_invisible_characters])
    clause = forms.CharField(label=_("Seed clause"), max_length=32, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    field_order = ["name", "name_en", "clause", "description", "reason"]


class NodeAddForm(NodeFieldsForm):
    code = forms.CharField(
        label=_("System code"), max_length=32, required=False,
        help_text=_("Leave empty to take the next free code under the parent."),
    )
    field_order = ["name", "name_en", "code", "clause", "description", "reason"]


class NodeEditForm(NodeFieldsForm):
    code = forms.CharField(label=_("System code"), max_length=32)
    field_order = ["name", "name_en", "code", "clause", "description", "reason"]


class NodeApiEditForm(NodeEditForm):
    """The node form of the API's change, which may also set the organization (the pages
    set it on the system's page, ``SystemForm``)."""

    organization = forms.CharField(label=_("Organization"), max_length=200, required=False)


class NodeChoiceField(forms.ModelChoiceField):
    """A node of the organization acted in: each form's copy of the field narrows its
    choices (a forged id of another organization's node is not a valid choice)."""

    def _get_queryset(self):
        # Narrowed when used (rendered or cleaned), so building a form reads nothing.
        if self._queryset is None:
            return None
        return self._queryset.filter(owner_id=CurrentOrganizationId())

    queryset = property(_get_queryset, forms.ModelChoiceField._set_queryset)

    def label_from_instance(self, obj):
        indent = "\u3000" * (obj.depth - 1)
        return f"{indent}{obj.code} {obj.name}"


class NodeMoveForm(ReasonForm):
    POSITIONS = [
        ("last-child", _("Inside the target, as its last child")),
        ("first-child", _("Inside the target, as its first child")),
        ("left", _("Before the target, as its sibling")),
        ("right", _("After the target, as its sibling")),
    ]
    target = NodeChoiceField(label=_("Target node"), queryset=Node.objects.none())
    position = forms.ChoiceField(label=_("Position"), choices=POSITIONS, initial="last-child")
    field_order = ["target", "position", "reason"]

    def __init__(self, *args, node, **kwargs):
        super().__init__(*args, **kwargs)
        # Anywhere in the same system except the node's own subtree.
        self.fields["target"].queryset = (
            Node.objects.filter(path__startswith=node.root_path)
            .exclude(path__startswith=node.path).order_by("path")
        )


class NodeReorderForm(ReasonForm):
    direction = forms.ChoiceField(
        label=_("Direction"), choices=[("up", _("Up")), ("down", _("Down"))]
    )
    field_order = ["direction", "reason"]


class NodeDeleteForm(ReasonForm):
    """The reason, and — when the node comes from the system's template, so that deleting
    it is a 删减 — why, from the short list of clause 6.2.4 (``tailoring=True``)."""

    why = forms.ChoiceField(label=_("Why is this aspect removed?"), required=False,
                            choices=[("", "---------"), *TailoringReason.choices])
    field_order = ["why", "reason"]

    def __init__(self, *args, tailoring=False, **kwargs):
        super().__init__(*args, **kwargs)
        if tailoring:
            self.fields["why"].required = True
        else:
            del self.fields["why"]


class StandardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} {obj.title}"


class PlaceStandardForm(ReasonForm):
    standard = StandardChoiceField(label=_("Standard"), queryset=Standard.objects.all())
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
    field_order = ["standard", "note", "reason"]


class OrderPlacementsForm(ReasonForm):
    """The standards of a node, one number a line, in the order the office wants."""

    numbers = forms.CharField(
        label=_("Order of the standards"), required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("One standard number a line, every standard placed on this node once."))
    automatic = forms.BooleanField(
        label=_("Use the reading order instead"), required=False,
        help_text=_("National, industry, local, group, enterprise, then international and "
                    "foreign standards; by code, serial number and year."))
    field_order = ["numbers", "automatic", "reason"]

    def clean_numbers(self):
        numbers = []
        for line in filter(None, (t.strip() for t in self.cleaned_data["numbers"].splitlines())):
            try:
                numbers.append(parse_standard_number(line).canonical)
            except StandardNumberError as exc:
                raise forms.ValidationError(f"{line}: {exc}") from exc
        return numbers


class RestoreForm(ReasonForm):
    """Bringing a removed template aspect back: why."""


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.edition} · {obj.title}"


class DeriveForm(ReasonForm):
    """Which organization's system is derived (the one acted in, or one beneath it that the
    user administers, while it has none) and from which template: the built-in one or one
    published by an organization above it."""

    organization = forms.ModelChoiceField(label=_("Organization"),
                                          queryset=Organization.objects.none())
    template = TemplateChoiceField(label=_("Template"), queryset=Template.objects.none())
    field_order = ["organization", "template", "reason"]

    def __init__(self, *args, organizations=(), initial_organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = False
        self.by_id = {o.pk: o for o in Organization.objects.all()}
        self.fields["organization"].queryset = Organization.objects.filter(
            pk__in=[o.pk for o in organizations]).order_by("code")
        self.fields["organization"].label_from_instance = (
            lambda o: f"{o.code} {o.name}")
        if initial_organization is not None:
            self.fields["organization"].initial = initial_organization.pk
        # Every template any of these organizations may take; clean() checks the pair.
        above = {a.pk for o in organizations for a in ancestors(o, self.by_id)}
        self.fields["template"].queryset = Template.objects.filter(
            Q(organization__isnull=True) | Q(organization_id__in=above)).order_by(
            "organization_id", "edition")

    def clean(self):
        cleaned = super().clean()
        organization, template = cleaned.get("organization"), cleaned.get("template")
        if organization and template and template.organization_id is not None and \
                template.organization_id not in {
                    a.pk for a in ancestors(self.by_id[organization.pk], self.by_id)}:
            self.add_error("template", _("%(organization)s cannot take this template: it "
                                         "was published by an organization not above it.")
                           % {"organization": organization})
        return cleaned


class PublishTemplateForm(ReasonForm):
    """Publishing the system acted in as a template for the organizations beneath."""

    edition = forms.CharField(label=_("Template edition"), max_length=64,
                              validators=[refuse_invisible_characters],
                              help_text=_("A label the organizations beneath will choose it "
                                          "by, for example 昌吉州社会保险标准体系 2026版."))
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            validators=[refuse_invisible_characters],
                            help_text=_("Leave empty to take the system's name."))
    published_on = forms.DateField(label=_("Published on"), required=False,
                                   widget=DateInput(),
                                   help_text=_("Leave empty for today."))
    field_order = ["edition", "title", "published_on", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = False
