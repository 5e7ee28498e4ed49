"""Standards and the two relations between them: supersession (代替) and citation (引用)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.history import tracked
from catalog.models.choices import AdoptionDegree, Level, Status
from catalog.rules.numbers import ORGANIZATION, StandardNumberError, parse_standard_number
from organizations.rules import CurrentOrganizationId


class StandardQuerySet(models.QuerySet):
    def with_status(self, today=None):
        """Annotate ``computed_status``: the one place where status follows from the data.

        Withdrawn beats superseded beats in development beats upcoming; what is left is
        current. A standard is superseded once a successor that is not a draft is in force.
        """
        today = today or timezone.localdate()
        successor_in_force = Supersession.objects.filter(
            old=OuterRef("pk"), new__is_draft=False
        ).filter(Q(new__implemented_on__isnull=True) | Q(new__implemented_on__lte=today))
        return self.annotate(
            computed_status=Case(
                When(withdrawn_on__lte=today, then=Value(Status.WITHDRAWN.value)),
                When(Exists(successor_in_force), then=Value(Status.SUPERSEDED.value)),
                When(is_draft=True, then=Value(Status.IN_DEVELOPMENT.value)),
                When(implemented_on__gt=today, then=Value(Status.UPCOMING.value)),
                default=Value(Status.CURRENT.value),
                output_field=models.CharField(),
            )
        )

    def resolve(self, text):
        """The standard a (possibly undated) number means, or None.

        An undated number means "the latest edition applies": the newest dated edition
        the catalog holds, else the undated entry itself.
        """
        number = parse_standard_number(text)
        if number.is_dated:
            return self.filter(number=number.canonical).first()
        return (
            self.filter(code=number.code, serial=number.serial)
            .order_by(F("year").desc(nulls_last=True))
            .first()
        )


def visible():
    """The standards the organization acted in sees: every published standard (no owner)
    and its own organization standards (Q/…), read when the query runs."""
    return Q(owner__isnull=True) | Q(owner_id=CurrentOrganizationId())


class VisibleStandards(models.Manager.from_queryset(StandardQuerySet)):
    """The default manager: pages, form choices, filters and the API never see another
    organization's Q/ standards. ``Standard.unscoped`` sees every one (uniqueness checks,
    the comparison across organizations); Django follows foreign keys with its plain base
    manager, so a placement still reaches its standard."""

    def get_queryset(self):
        return super().get_queryset().filter(visible())


class Standard(models.Model):
    """A standard in the catalog: national, industry, local, group or organization.

    Its number (``GB/T 1.1—2020``) is stored in one canonical form; code, serial, year and
    level are derived from it on save, so they can be filtered and never disagree.
    """

    number = models.CharField(_("standard number"), max_length=64, unique=True)
    code = models.CharField(_("code"), max_length=32, editable=False, db_index=True)
    serial = models.CharField(_("serial number"), max_length=32, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, editable=False)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, editable=False)
    title = models.CharField(_("Chinese title"), max_length=255)
    title_en = models.CharField(_("English title"), max_length=255, blank=True)
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    implemented_on = models.DateField(_("implementation date"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawal date"), null=True, blank=True)
    is_draft = models.BooleanField(
        _("in development"), default=False,
        help_text=_("Still being drafted: not yet published."),
    )
    remarks = models.TextField(_("remarks"), blank=True)
    # 采用: a Chinese standard adopting an international or foreign one (GB/T 20000.2).
    # Nullable, as every field added to a tracked model (docs/architecture.md, history).
    adopted_number = models.CharField(  # noqa: DJ001
        _("adopted international standard"), max_length=64, blank=True, null=True,
        help_text=_("For example ISO 9001:2015."),
    )
    adoption_degree = models.CharField(  # noqa: DJ001
        _("degree of adoption"), max_length=3, choices=AdoptionDegree.choices, blank=True,
        null=True,
    )
    # The number as a document printed it when that differs from the canonical form
    # (GB 3100-93): kept so a search for the printed form finds the standard.
    printed_number = models.CharField(  # noqa: DJ001
        _("number as printed"), max_length=128, blank=True, null=True, editable=False,
    )
    # （2018年版）: the edition of the same number that incorporates partial revisions.
    edition_year = models.PositiveSmallIntegerField(
        _("edition"), null=True, blank=True,
        help_text=_("The year of the edition note, e.g. 2018 for GB 50016—2014（2018年版）."),
    )
    replaces = models.ManyToManyField(
        "self", through="Supersession", through_fields=("new", "old"), symmetrical=False,
        related_name="replaced_by", verbose_name=_("replaces"), blank=True,
    )
    cites = models.ManyToManyField(
        "self", through="Citation", through_fields=("citing", "cited"), symmetrical=False,
        related_name="cited_by", verbose_name=_("normative references"), blank=True,
    )
    # An organization standard (Q/…) belongs to the organization that publishes it; every
    # other standard is shared (None). Nullable, as every field added to a tracked model.
    owner = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, null=True, blank=True,
        related_name="own_standards", verbose_name=_("organization"), editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = tracked()
    objects = VisibleStandards()
    unscoped = StandardQuerySet.as_manager()

    class Meta:
        ordering = ["code", "serial", "year"]
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        constraints = [
            models.CheckConstraint(
                condition=Q(implemented_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(implemented_on__gte=F("issued_on")),
                name="catalog_standard_implemented_after_issued",
                violation_error_message=_(
                    "The implementation date cannot be before the issue date."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs):
        written = (self.number or "").strip()
        parsed = parse_standard_number(written)
        self.number = parsed.canonical
        self.code, self.serial, self.year = parsed.code, parsed.serial, parsed.year
        self.level = parsed.level
        # What was printed besides the number itself goes to its fields (amendments are
        # rows of their own: see catalog.actions.standards.record_amendment).
        if written not in (parsed.canonical, parsed.display) and not self.printed_number:
            self.printed_number = written
        if parsed.edition_year:
            self.edition_year = parsed.edition_year
        if parsed.adoption and not self.adopted_number:
            self.adopted_number = parsed.adoption.display
            self.adoption_degree = parsed.adoption_degree or self.adoption_degree
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("registry:standard_detail", args=[self.pk])

    def clean(self):
        super().clean()
        try:
            self.number = parse_standard_number(self.number).canonical
        except StandardNumberError as exc:
            raise ValidationError({"number": str(exc)}) from exc

    @property
    def is_organization_standard(self):
        return self.level == ORGANIZATION

    @property
    def parsed_number(self):
        return parse_standard_number(self.number)

    @property
    def full_number(self):
        """The number with its edition note and adopted standard, as tables print it:
        ``GB 50016—2014（2018年版）``, ``GB/T 19001—2016/ISO 9001:2015``."""
        text = self.number
        if self.edition_year:
            text += f"（{self.edition_year}年版）"
        if self.adopted_number:
            text += f"/{self.adopted_number}"
        return text

    @property
    def is_dated(self):
        return self.year is not None

    @property
    def status(self):
        """The annotated status when the queryset asked for it, else one query."""
        if "computed_status" not in self.__dict__:
            self.computed_status = (
                Standard.objects.with_status().values_list("computed_status", flat=True)
                .get(pk=self.pk)
            )
        return Status(self.computed_status)


class Supersession(models.Model):
    """代替: ``new`` replaces ``old``. Kept as rows so the chain can be walked both ways."""

    new = models.ForeignKey(
        Standard, on_delete=models.CASCADE, related_name="supersedes_links",
        verbose_name=_("replacing standard"),
    )
    old = models.ForeignKey(
        Standard, on_delete=models.PROTECT, related_name="superseded_by_links",
        verbose_name=_("replaced standard"),
    )
    history = tracked()

    class Meta:
        verbose_name = _("supersession")
        verbose_name_plural = _("supersessions")
        constraints = [
            models.UniqueConstraint(
                fields=["new", "old"], name="catalog_supersession_unique",
                violation_error_message=_("This supersession is already recorded."),
            ),
            models.CheckConstraint(
                condition=~Q(new=F("old")), name="catalog_supersession_not_self",
                violation_error_message=_("A standard cannot replace itself."),
            ),
        ]

    def __str__(self):
        return f"{self.new.number} → {self.old.number}"


class Citation(models.Model):
    """规范性引用: ``citing`` normatively references ``cited``.

    When ``cited`` is superseded or withdrawn, ``citing`` needs review.
    """

    citing = models.ForeignKey(
        Standard, on_delete=models.CASCADE, related_name="citation_links",
        verbose_name=_("citing standard"),
    )
    cited = models.ForeignKey(
        Standard, on_delete=models.PROTECT, related_name="cited_by_links",
        verbose_name=_("cited standard"),
    )
    # As the citing document writes it: undated references follow the latest edition.
    cited_as = models.CharField(_("cited as"), max_length=64, blank=True)
    history = tracked()

    class Meta:
        verbose_name = _("normative reference")
        verbose_name_plural = _("normative references")
        constraints = [
            models.UniqueConstraint(
                fields=["citing", "cited"], name="catalog_citation_unique",
                violation_error_message=_("This reference is already recorded."),
            ),
            models.CheckConstraint(
                condition=~Q(citing=F("cited")), name="catalog_citation_not_self",
                violation_error_message=_("A standard cannot cite itself."),
            ),
        ]

    def __str__(self):
        return f"{self.citing.number} → {self.cited_as or self.cited.number}"
