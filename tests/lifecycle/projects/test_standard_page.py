"""The standard page links to the standard's clause 8 records and offers to check or
evaluate it (only when it is current, and only to those who may)."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import StandardFactory


def links(role, standard, client_for):
    page = client_for(role).get(reverse("registry:standard_detail", args=[standard.pk]))
    assert page.status_code == 200
    return html.unescape(page.content.decode())


def record_links(standard):
    return {
        "checks": reverse("lifecycle:implementationcheck_list") + f"?standard={standard.pk}",
        "evaluations": reverse("lifecycle:evaluation_list") + f"?standard={standard.pk}",
        "information": reverse("lifecycle:informationitem_list") + f"?standard={standard.pk}",
    }


def buttons(standard):
    return {
        "check": reverse("lifecycle:implementationcheck_add") + f"?standard={standard.pk}",
        "evaluate": reverse("lifecycle:evaluation_add", args=[standard.pk]),
    }


def test_office_sees_the_records_and_the_buttons(db, users, client_for):
    standard = StandardFactory()
    page = links("office", standard, client_for)
    for name, url in {**record_links(standard), **buttons(standard)}.items():
        assert f'href="{url}"' in page, name
    client = client_for("office")
    for url in (*record_links(standard).values(), *buttons(standard).values()):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["viewer", "expert", "lead"])
def test_other_roles_see_the_records_but_not_the_buttons(db, users, client_for, role):
    standard = StandardFactory()
    page = links(role, standard, client_for)
    for name, url in record_links(standard).items():
        assert f'href="{url}"' in page, name
    for name, url in buttons(standard).items():
        assert f'href="{url}"' not in page, name


def test_no_buttons_for_a_standard_not_in_force(db, users, client_for):
    withdrawn = StandardFactory(withdrawn_on=timezone.localdate() - timedelta(days=1))
    page = links("office", withdrawn, client_for)
    for name, url in record_links(withdrawn).items():
        assert f'href="{url}"' in page, name
    for name, url in buttons(withdrawn).items():
        assert f'href="{url}"' not in page, name
